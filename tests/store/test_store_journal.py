"""Session files: snapshot + append-only diff journal, constant bytes per input, compaction,
torn tails, the per-file cache.  (Damaged journals: test_store_journal_damage.py.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from store_helpers import entry, header

from coach.models import ConversationHeader
from coach.store import Store, journal


def _files(store: Store, conversation: ConversationHeader) -> tuple[Path, Path]:
    snapshot = store.layout.session_file(conversation.id)
    return snapshot, snapshot.with_suffix(".journal")


def _seq(snapshot: Path) -> int:
    return int(json.loads(snapshot.read_bytes())["_meta"]["1"]["seq"])


def _lines(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_bytes().splitlines()]


def _appended(store: Store, conversation: ConversationHeader, n: int) -> None:
    for seq in range(1, n + 1):
        store.append_entry(conversation.id, entry(seq))


def test_each_input_is_one_line_holding_only_that_input(store: Store) -> None:
    conversation = header()
    store.create_conversation(conversation)
    _appended(store, conversation, 5)
    snapshot, log = _files(store, conversation)
    assert _seq(snapshot) == 1  # creating the conversation wrote the snapshot
    lines = _lines(log)
    assert [line["seq"] for line in lines] == [2, 3, 4, 5, 6]
    assert lines[-1] == {"seq": 6, "v": 3, "set": {"inputs": {"5": entry(5).model_dump(mode="json")}}}
    assert store.load_conversation(conversation.id) == (conversation, [entry(n) for n in range(1, 6)])
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_bytes_per_input_do_not_grow_with_the_conversation(store: Store, relationship) -> None:
    conversation = header(relationship.id)
    store.create_conversation(conversation)
    _, log = _files(store, conversation)
    relationship_file = store.layout.relationship_file(relationship.id)
    before = relationship_file.stat()
    cost: dict[int, int] = {}
    for seq in range(1, 201):
        size = log.stat().st_size
        store.append_entry(conversation.id, entry(seq, "the same answer text, every time"))
        cost[seq] = log.stat().st_size - size
    assert cost[1] > 0
    assert abs(cost[50] - cost[1]) <= 8 and abs(cost[200] - cost[1]) <= 8  # only the digits of seq differ
    after = relationship_file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # answers never touch it


def test_journal_is_compacted_so_it_stays_bounded(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "COMPACT_BYTES", 2048)
    conversation = header()
    store.create_conversation(conversation)
    snapshot, log = _files(store, conversation)
    compactions = written = line = 0
    for seq in range(1, 151):
        size, inode = log.stat().st_size, snapshot.stat().st_ino
        store.append_entry(conversation.id, entry(seq))
        if snapshot.stat().st_ino != inode:  # a new snapshot replaced the old one
            compactions += 1
            written += snapshot.stat().st_size
        else:
            line = max(line, log.stat().st_size - size)
            written += log.stat().st_size - size
        assert log.stat().st_size <= max(2048, snapshot.stat().st_size)
    assert compactions >= 4
    assert written / 150 <= 5 * line  # amortised: a constant number of bytes per input
    assert _seq(snapshot) > 1
    assert store.load_conversation(conversation.id) == (conversation, [entry(n) for n in range(1, 151)])
    assert store.verify() == []


def test_torn_last_line_is_ignored_then_cut_off(data_dir: Path) -> None:
    conversation = header()
    with Store(data_dir) as store:
        store.create_conversation(conversation)
        _appended(store, conversation, 3)
        _, log = _files(store, conversation)
    complete = log.read_bytes()
    with log.open("ab") as f:  # a writer killed in the middle of its append
        f.write(b'{"seq":5,"v":3,"set":{"inputs":{"4":{"se')
    with Store(data_dir) as store:
        assert store.verify() == []
        assert store.load_conversation(conversation.id) == (conversation, [entry(1), entry(2), entry(3)])
        store.append_entry(conversation.id, entry(4))
        assert log.read_bytes().startswith(complete)
        assert log.read_bytes().count(b"\n") == complete.count(b"\n") + 1
        assert store.load_conversation(conversation.id) == (conversation, [entry(n) for n in range(1, 5)])
        assert store.verify() == []


def _compact_now(store: Store, conversation: ConversationHeader, first: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """Append inputs from ``first`` on until the journal is compacted; return the next seq."""
    monkeypatch.setattr(journal, "COMPACT_BYTES", 1)  # compact once the journal outgrows the snapshot
    _, log = _files(store, conversation)
    seq = first
    while True:
        size = log.stat().st_size
        store.append_entry(conversation.id, entry(seq))
        seq += 1
        if log.stat().st_size < size:
            return seq


def test_crash_between_snapshot_and_emptying_the_journal(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    conversation = header()
    store.create_conversation(conversation)
    _appended(store, conversation, 2)
    _, log = _files(store, conversation)
    stale = log.read_bytes()
    seq = _compact_now(store, conversation, 3, monkeypatch)
    log.write_bytes(stale)  # as if the process died before emptying the journal
    expected = [entry(n) for n in range(1, seq)]
    assert store.load_conversation(conversation.id) == (conversation, expected)  # those lines are in the snapshot
    store.append_entry(conversation.id, entry(seq))
    assert store.load_conversation(conversation.id) == (conversation, [*expected, entry(seq)])
    assert store.verify() == []


def test_journal_that_cannot_be_emptied_keeps_working(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    conversation = header()
    store.create_conversation(conversation)
    _appended(store, conversation, 2)
    real_ftruncate = os.ftruncate

    def refuse_emptying(fd: int, length: int) -> None:
        if length == 0:
            raise OSError(5, "I/O error")
        real_ftruncate(fd, length)

    monkeypatch.setattr(journal.os, "ftruncate", refuse_emptying)
    snapshot, log = _files(store, conversation)
    seq = 3
    while _seq(snapshot) == 1:  # until a compaction wrote a snapshot but left the old lines
        monkeypatch.setattr(journal, "COMPACT_BYTES", 1)
        store.append_entry(conversation.id, entry(seq))
        seq += 1
    store.append_entry(conversation.id, entry(seq))  # appended after the stale lines
    lines = _lines(log)
    assert lines[-1]["seq"] == _seq(snapshot) + 1 and lines[0]["seq"] <= _seq(snapshot)
    assert store.load_conversation(conversation.id) == (conversation, [entry(n) for n in range(1, seq + 1)])
    monkeypatch.undo()
    assert store.verify() == []


def test_empty_journal_without_snapshot_is_no_conversation(store: Store) -> None:
    conversation = header()
    _, log = _files(store, conversation)
    log.write_bytes(b"")  # a writer died after creating the journal, before the first snapshot
    assert store.load_conversation(conversation.id) is None
    assert store.last_activity(conversation.id) is None
    assert store.verify() == []
    store.create_conversation(conversation)
    assert store.load_conversation(conversation.id) == (conversation, [])


def test_an_unchanged_session_is_read_from_memory(
    data_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation = header()
    store.create_conversation(conversation)
    _appended(store, conversation, 3)
    reads: list[Path] = []
    real_read_raw = journal.read_raw
    monkeypatch.setattr(journal, "read_raw", lambda path: (reads.append(path), real_read_raw(path))[1])
    with store.transaction():
        for _ in range(3):
            assert store.load_conversation(conversation.id) == (conversation, [entry(1), entry(2), entry(3)])
        store.append_entry(conversation.id, entry(4))
        assert store.load_conversation(conversation.id) == (conversation, [entry(n) for n in range(1, 5)])
    assert reads == []  # neither a read after our own writes nor a repeated read parses the files

    with Store(data_dir) as other:  # another process appends: the change is seen
        other.append_entry(conversation.id, entry(5))
    reads.clear()
    assert store.load_conversation(conversation.id) == (conversation, [entry(n) for n in range(1, 6)])
    assert len(reads) == 2  # the journal, then the snapshot


def test_reads_hand_out_copies(store: Store) -> None:
    conversation = header()
    store.create_conversation(conversation)
    _appended(store, conversation, 2)
    db = store._files.session(conversation.id)
    first = db.storage.read()
    first["inputs"]["1"]["text"] = "changed behind the store's back"
    first["inputs"].pop("2")
    first["conversation"] = {}
    assert store.load_conversation(conversation.id) == (conversation, [entry(1), entry(2)])


def test_a_write_that_changes_nothing_writes_nothing(store: Store) -> None:
    conversation = header()
    store.create_conversation(conversation)
    _appended(store, conversation, 2)
    snapshot, log = _files(store, conversation)
    before = (snapshot.stat().st_mtime_ns, log.read_bytes())
    with store.transaction():
        db = store._files.session(conversation.id)
        db.storage.write(db.storage.read())
        db.table("inputs").update({"text": "answer 1"}, doc_ids=[1])  # the value it already has
    assert (snapshot.stat().st_mtime_ns, log.read_bytes()) == before


def test_updates_and_removals_are_journaled_too(store: Store) -> None:
    conversation = header()
    store.create_conversation(conversation)
    _appended(store, conversation, 3)
    _, log = _files(store, conversation)
    with store.transaction():
        inputs = store._files.session(conversation.id).table("inputs")
        inputs.update({"text": "edited"}, doc_ids=[2])
        inputs.remove(doc_ids=[3])
    lines = _lines(log)
    assert lines[-2]["set"] == {"inputs": {"2": entry(2, "edited").model_dump(mode="json")}}
    assert lines[-1] == {"seq": lines[-2]["seq"] + 1, "v": 3, "del": {"inputs": ["3"]}}  # type: ignore[operator]
    assert store.load_conversation(conversation.id) == (conversation, [entry(1), entry(2, "edited")])
    with store.transaction():
        store._files.session(conversation.id).drop_table("inputs")  # cannot be a diff: a new snapshot
    assert log.read_bytes() == b""
    assert store.load_conversation(conversation.id) == (conversation, [])
    assert store.verify() == []
