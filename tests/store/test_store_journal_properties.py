"""Properties of the diff journal.

* Any sequence of TinyDB inserts, updates and removes reads back exactly as an in-memory model
  of the tables says, whatever the compaction threshold, across reopening (a new process: a
  new cache) and compactions.
* Whatever prefix of the journal a crash leaves, it loads as a state that was written, and
  never as anything older than its last complete line.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict
from tinydb import TinyDB

from coach.store.cache import ValidationCache
from coach.store.journal import JournaledJSONStorage, journal_path_for
from coach.store.schema import FileSchema


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


SCHEMA = FileSchema("session", {"a": Loose, "b": Loose})
TABLES = ("a", "b")

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
values = st.one_of(st.integers(-5, 5), texts, st.lists(st.integers(0, 3), max_size=3), st.none())
documents = st.dictionaries(st.sampled_from(["x", "y", "z"]), values, max_size=3)
operations = st.one_of(
    st.tuples(st.just("insert"), st.sampled_from(TABLES), documents),
    st.tuples(st.just("update"), st.sampled_from(TABLES), documents, st.integers(1, 12)),
    st.tuples(st.just("remove"), st.sampled_from(TABLES), st.integers(1, 12)),
    st.tuples(st.just("reopen")),
)


@contextmanager
def _scratch() -> Iterator[Path]:
    """A temporary directory, with the (slow, here pointless) flushes to disk skipped."""
    from unittest import mock

    with ExitStack() as stack:
        for name in ("journal.flush_file", "durable.flush_file", "durable.fsync_dir"):
            stack.enter_context(mock.patch(f"coach.store.{name}", lambda _: None))
        yield Path(stack.enter_context(tempfile.TemporaryDirectory()))


def _open(path: Path, compact_bytes: int) -> TinyDB:
    cache = ValidationCache()  # a new one: as if another process opened the file
    return TinyDB(path, storage=JournaledJSONStorage, schema=SCHEMA, cache=cache, compact_bytes=compact_bytes)


def _contents(db: TinyDB) -> dict[str, dict[int, dict[str, Any]]]:
    return {name: {d.doc_id: dict(d) for d in db.table(name).all()} for name in TABLES}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(operations, max_size=40), compact_bytes=st.integers(min_value=1, max_value=3000))
def test_tinydb_operations_read_back_as_the_model_says(ops: list[tuple[Any, ...]], compact_bytes: int) -> None:
    with _scratch() as tmp:
        path = tmp / "s.json"
        db = _open(path, compact_bytes)
        model: dict[str, dict[int, dict[str, Any]]] = {name: {} for name in TABLES}
        for op in ops:
            if op[0] == "reopen":
                db = _open(path, compact_bytes)
            elif op[0] == "insert":
                _, name, document = op
                doc_id = db.table(name).insert(document)
                assert doc_id not in model[name]
                model[name][doc_id] = dict(document)
            elif op[0] == "update":
                _, name, fields, doc_id = op
                if doc_id in model[name]:
                    db.table(name).update(fields, doc_ids=[doc_id])
                    model[name][doc_id].update(fields)
            else:
                _, name, doc_id = op
                if doc_id in model[name]:
                    db.table(name).remove(doc_ids=[doc_id])
                    del model[name][doc_id]
            assert _contents(db) == model
        assert _contents(_open(path, compact_bytes)) == model  # read afresh from disk


def _state(n: int, note: str) -> dict[str, dict[str, Any]]:
    return {"a": {str(i): {"n": i, "note": note if i == n else "kept"} for i in range(1, n + 2)}, "b": {}}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    notes=st.lists(texts, min_size=1, max_size=12),
    compact_bytes=st.integers(min_value=1, max_value=4000),
    cut=st.floats(min_value=0, max_value=1),
)
def test_any_journal_prefix_loads_as_a_written_state(notes: list[str], compact_bytes: int, cut: float) -> None:
    with _scratch() as tmp:
        path = tmp / "s.json"
        written = [_state(n, note) for n, note in enumerate(notes)]
        writer = JournaledJSONStorage(path, schema=SCHEMA, compact_bytes=compact_bytes)
        for state in written:
            writer.write(state)
            assert JournaledJSONStorage(path, schema=SCHEMA).read() == state

        journal = journal_path_for(path)
        content = journal.read_bytes()
        kept = content[: int(len(content) * cut)]
        journal.write_bytes(kept)  # what a crash in the middle of the last appends could leave

        loaded = JournaledJSONStorage(path, schema=SCHEMA, cache=ValidationCache()).read()
        assert loaded in written
        assert loaded is not None
        lost_lines = content.count(b"\n") - kept.count(b"\n")
        # every complete line kept is applied: only the lines cut off are missing
        assert written.index(loaded) == len(written) - 1 - lost_lines
