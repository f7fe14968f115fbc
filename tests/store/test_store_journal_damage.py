"""Damaged session files: every kind of bad journal line (or snapshot seq) is reported in one
line naming the file, the bytes are set aside, and nothing is overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import entry, header

from coach.models import ConversationHeader
from coach.store import CorruptDataError, NewerVersionError, Store


def _files(store: Store, conversation: ConversationHeader) -> tuple[Path, Path]:
    snapshot = store.layout.session_file(conversation.id)
    return snapshot, snapshot.with_suffix(".journal")


def _appended(store: Store, conversation: ConversationHeader, n: int) -> None:
    for seq in range(1, n + 1):
        store.append_entry(conversation.id, entry(seq))


def _line(entry: dict[str, object]) -> bytes:
    return json.dumps(entry).encode() + b"\n"


def _next(last: dict[str, object], **fields: object) -> bytes:
    return _line({**last, "seq": int(last["seq"]) + 1, **fields})  # type: ignore[call-overload]


def _in_the_middle(good: bytes, bad: bytes) -> bytes:
    lines = good.splitlines(keepends=True)
    return b"".join([*lines[:1], bad, *lines[1:]])


DAMAGE = {
    "not json": lambda good, last: good + b"this is not json\n",
    "bad middle line": lambda good, last: _in_the_middle(good, b"{oops\n"),
    "not an entry": lambda good, last: good + b"[1, 2]\n",
    "no version": lambda good, last: good + _line({"seq": last["seq"] + 1, "set": last["set"]}),
    "older version": lambda good, last: good + _next(last, v=2),
    "out of order": lambda good, last: good + _line(last),
    "gap in seqs": lambda good, last: good + _next(last, seq=last["seq"] + 2),
    "bad shape": lambda good, last: good + _next(last, set=[1]),
    "bad deletions": lambda good, last: good + _next(last, set={}, **{"del": {"inputs": "1"}}),
    "unknown key": lambda good, last: good + _next(last, tables={}),
    "bad record": lambda good, last: good + _next(last, set={"inputs": {"9": {"seq": "nine"}}}),
    "unknown table": lambda good, last: good + _next(last, set={"surprise": {}}),
    "deletes a missing document": lambda good, last: good + _next(last, set={}, **{"del": {"inputs": ["99"]}}),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_journal_is_reported_and_kept(data_dir: Path, damage: str) -> None:
    conversation = header()
    with Store(data_dir) as store:
        store.create_conversation(conversation)
        _appended(store, conversation, 3)
        _, log = _files(store, conversation)
    good = log.read_bytes()
    broken = DAMAGE[damage](good, json.loads(good.splitlines()[-1]))
    log.write_bytes(broken)
    with Store(data_dir) as store:
        with pytest.raises(CorruptDataError) as caught:
            store.load_conversation(conversation.id)
        message = str(caught.value)
        assert "\n" not in message and str(log) in message
        with pytest.raises(CorruptDataError):
            store.append_entry(conversation.id, entry(4))
        assert [e.path for e in store.verify()] == [log]
    assert log.read_bytes() == broken
    (copy,) = log.parent.glob(f"{log.name}.corrupt-*")
    assert copy.read_bytes() == broken


def test_journal_lines_without_their_snapshot_are_reported(data_dir: Path) -> None:
    conversation = header()
    with Store(data_dir) as store:
        store.create_conversation(conversation)
        _appended(store, conversation, 2)
        snapshot, log = _files(store, conversation)
    snapshot.unlink()
    with Store(data_dir) as store:
        with pytest.raises(CorruptDataError, match="no snapshot"):
            store.load_conversation(conversation.id)
        assert [e.path for e in store.verify()] == [log]


def test_newer_journal_is_refused_and_left_alone(data_dir: Path) -> None:
    conversation = header()
    with Store(data_dir) as store:
        store.create_conversation(conversation)
        _appended(store, conversation, 2)
        _, log = _files(store, conversation)
    last = json.loads(log.read_bytes().splitlines()[-1])
    newer = log.read_bytes() + _next(last, v=99)
    log.write_bytes(newer)
    with Store(data_dir) as store, pytest.raises(NewerVersionError) as caught:
        store.load_conversation(conversation.id)
    assert str(log) in str(caught.value) and "newer coach" in str(caught.value)
    assert log.read_bytes() == newer
    assert not list(data_dir.rglob("*.corrupt-*"))


def test_snapshot_with_a_bad_seq_is_reported(data_dir: Path) -> None:
    conversation = header()
    with Store(data_dir) as store:
        store.create_conversation(conversation)
        snapshot, _ = _files(store, conversation)
    data = json.loads(snapshot.read_bytes())
    data["_meta"]["1"]["seq"] = "one"
    broken = json.dumps(data).encode()
    snapshot.write_bytes(broken)
    with Store(data_dir) as store:
        with pytest.raises(CorruptDataError, match="seq") as caught:
            store.load_conversation(conversation.id)
        assert caught.value.backup is not None and caught.value.backup.read_bytes() == broken
        assert [e.path for e in store.verify()] == [snapshot]
