"""Session files: snapshot + append-only journal, compaction, torn tails, damaged journals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.models import Answer, ConversationState
from coach.store import CorruptDataError, NewerVersionError, Store, journal


def _files(store: Store, state: ConversationState) -> tuple[Path, Path]:
    snapshot = store.layout.session_file(state.id)
    return snapshot, snapshot.with_suffix(".journal")


def _answer(state: ConversationState, n: int) -> None:
    state.answers[f"q{n}"] = Answer(slot=f"q{n}", raw=f"answer {n}")


def _seq(snapshot: Path) -> int:
    return int(json.loads(snapshot.read_bytes())["_meta"]["1"]["seq"])


def test_answers_are_appended_to_the_journal(store: Store, make_state) -> None:
    state = make_state(None)
    for n in range(5):
        _answer(state, n)
        store.save_conversation(state)
    snapshot, log = _files(store, state)
    assert _seq(snapshot) == 1  # the first save wrote the snapshot
    entries = [json.loads(line) for line in log.read_bytes().splitlines()]
    assert [e["seq"] for e in entries] == [2, 3, 4, 5]
    assert len(entries[-1]["tables"]["conversation"]["1"]["answers"]) == 5
    assert store.load_conversation(state.id) == state
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_journal_is_compacted_and_stays_small(store: Store, make_state, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "COMPACT_BYTES", 4096)
    monkeypatch.setattr(journal, "MIN_APPENDS_PER_COMPACTION", 2)
    state = make_state(None)
    compactions = 0
    for n in range(60):
        _answer(state, n)
        store.save_conversation(state)
        content = _files(store, state)[1].read_bytes()
        if not content:
            compactions += 1
            continue
        last_line = len(content.splitlines()[-1]) + 1
        assert len(content) <= max(4096, 2 * last_line)
    assert compactions >= 5
    assert _seq(_files(store, state)[0]) > 1
    assert store.load_conversation(state.id) == state
    assert store.verify() == []


def test_torn_last_line_is_ignored_then_cut_off(data_dir: Path, make_state) -> None:
    state = make_state(None)
    with Store(data_dir) as store:
        for n in range(3):
            _answer(state, n)
            store.save_conversation(state)
        _, log = _files(store, state)
    complete = log.read_bytes()
    with log.open("ab") as f:  # a writer killed in the middle of its append
        f.write(b'{"seq": 4, "v": 2, "tables": {"conversa')
    with Store(data_dir) as store:
        assert store.verify() == []
        assert list(store.load_conversation(state.id).answers) == ["q0", "q1", "q2"]  # type: ignore[union-attr]
        _answer(state, 3)
        store.save_conversation(state)
        assert log.read_bytes().startswith(complete)
        assert log.read_bytes().count(b"\n") == complete.count(b"\n") + 1
        assert store.load_conversation(state.id) == state
        assert store.verify() == []


def test_crash_between_snapshot_and_emptying_the_journal(
    store: Store, make_state, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "COMPACT_BYTES", 1)  # every write with a journal compacts...
    monkeypatch.setattr(journal, "MIN_APPENDS_PER_COMPACTION", 3)  # ...after three appends
    state = make_state(None)
    for n in range(3):
        _answer(state, n)
        store.save_conversation(state)
    _, log = _files(store, state)
    stale = log.read_bytes()
    assert stale.count(b"\n") == 2
    for n in range(3, 6):
        _answer(state, n)
        store.save_conversation(state)
        if not log.stat().st_size:
            break
    assert log.stat().st_size == 0, "expected a compaction"
    log.write_bytes(stale)  # as if the process died before emptying the journal
    assert store.load_conversation(state.id) == state  # the snapshot's higher seq wins
    _answer(state, 99)
    store.save_conversation(state)
    assert store.load_conversation(state.id) == state
    assert store.verify() == []


def test_empty_journal_without_snapshot_is_no_session(store: Store, make_state) -> None:
    state = make_state(None)
    _, log = _files(store, state)
    log.write_bytes(b"")  # a writer died after creating the journal, before the first snapshot
    assert store.load_conversation(state.id) is None
    assert store.verify() == []
    store.save_conversation(state)
    assert store.load_conversation(state.id) == state


def _line(entry: dict[str, object]) -> bytes:
    return json.dumps(entry).encode() + b"\n"


DAMAGE = {
    "not json": lambda good, last: good + b"this is not json\n",
    "bad middle line": lambda good, last: b"{oops\n" + good,
    "not an entry": lambda good, last: good + b"[1, 2]\n",
    "no version": lambda good, last: good + _line({"seq": last["seq"] + 1, "tables": last["tables"]}),
    "older version": lambda good, last: good + _line({**last, "seq": last["seq"] + 1, "v": 1}),
    "out of order": lambda good, last: good + _line(last),
    "bad shape": lambda good, last: good + _line({"seq": last["seq"] + 1, "v": 2, "tables": [1]}),
    "bad record": lambda good, last: (
        good + _line({"seq": last["seq"] + 1, "v": 2, "tables": {"conversation": {"1": {"id": 5}}}})
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_journal_is_reported_and_kept(data_dir: Path, make_state, damage: str) -> None:
    state = make_state(None)
    with Store(data_dir) as store:
        for n in range(3):
            _answer(state, n)
            store.save_conversation(state)
        _, log = _files(store, state)
    good = log.read_bytes()
    last = json.loads(good.splitlines()[-1])
    broken = DAMAGE[damage](good, last)
    log.write_bytes(broken)
    with Store(data_dir) as store:
        with pytest.raises(CorruptDataError) as caught:
            store.load_conversation(state.id)
        message = str(caught.value)
        assert "\n" not in message and str(log) in message
        with pytest.raises(CorruptDataError):
            store.save_conversation(state)
        assert [e.path for e in store.verify()] == [log]
    assert log.read_bytes() == broken
    (copy,) = log.parent.glob(f"{log.name}.corrupt-*")
    assert copy.read_bytes() == broken


def test_newer_journal_is_refused_and_left_alone(data_dir: Path, make_state) -> None:
    state = make_state(None)
    with Store(data_dir) as store:
        for n in range(2):
            _answer(state, n)
            store.save_conversation(state)
        _, log = _files(store, state)
    last = json.loads(log.read_bytes().splitlines()[-1])
    newer = log.read_bytes() + _line({**last, "seq": last["seq"] + 1, "v": 99})
    log.write_bytes(newer)
    with Store(data_dir) as store, pytest.raises(NewerVersionError) as caught:
        store.load_conversation(state.id)
    assert str(log) in str(caught.value) and "newer coach" in str(caught.value)
    assert log.read_bytes() == newer
    assert not list(data_dir.rglob("*.corrupt-*"))
