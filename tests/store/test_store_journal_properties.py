"""Property: whatever prefix of a session's journal a crash leaves, it loads as a state that was
written, and never as anything older than the last complete line."""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.store.journal import JournaledJSONStorage, journal_path_for
from coach.store.schema import SESSION
from coach.store.storage import ValidationCache

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def _state(n: int, note: str) -> dict[str, dict[str, object]]:
    document = {
        "id": "s1",
        "flow_id": "fit_check",
        "flow_hash": "h",
        "role": "mentee",
        "slots": {"note": note, "n": n},
    }
    return {"conversation": {"1": document}}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    notes=st.lists(texts, min_size=1, max_size=12),
    compact_bytes=st.integers(min_value=1, max_value=4000),
    cut=st.floats(min_value=0, max_value=1),
)
def test_any_journal_prefix_loads_as_a_written_state(notes: list[str], compact_bytes: int, cut: float) -> None:
    with ExitStack() as stack:
        # The property is about the file format, not the disk: skip the (slow) flushes.
        for name in ("journal.flush_file", "durable.flush_file", "durable.fsync_dir"):
            stack.enter_context(mock.patch(f"coach.store.{name}", lambda _: None))
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        path = Path(tmp) / "s1.json"
        written = [_state(n, note) for n, note in enumerate(notes)]
        writer = JournaledJSONStorage(path, schema=SESSION, compact_bytes=compact_bytes)
        for state in written:
            writer.read()
            writer.write(state)
            assert JournaledJSONStorage(path, schema=SESSION).read() == state

        journal = journal_path_for(path)
        content = journal.read_bytes()
        kept = content[: int(len(content) * cut)]
        journal.write_bytes(kept)  # what a crash in the middle of the last appends could leave

        loaded = JournaledJSONStorage(path, schema=SESSION, cache=ValidationCache()).read()
        assert loaded in written
        complete_lines = kept.count(b"\n")
        lines_written = content.count(b"\n")
        # every complete line kept is a state at least as new as the snapshot's
        assert written.index(loaded) >= len(written) - 1 - (lines_written - complete_lines)
