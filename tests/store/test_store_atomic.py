"""Durable writes: whole-file replace with fsync, journal appends, no half-written files, full disk."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from store_helpers import entry, header
from tinydb import TinyDB

from coach.models import LogEntry, Profile, Role
from coach.store import AtomicJSONStorage, Store, StoreWriteError, durable
from coach.store.schema import INDEX


def test_tinydb_over_atomic_storage_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "index.json"
    db = TinyDB(path, storage=AtomicJSONStorage, schema=INDEX)
    assert not path.exists()  # nothing is created until the first write
    profile = Profile(name="Ana", role=Role.mentee).model_dump(mode="json")
    db.table("profiles").insert(profile)
    assert TinyDB(path, storage=AtomicJSONStorage, schema=INDEX).table("profiles").all() == [profile]
    assert [p.name for p in tmp_path.iterdir()] == ["index.json"]  # no temporary file left


def test_every_write_is_flushed_and_renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_replace, real_fsync_dir = os.replace, durable.fsync_dir
    monkeypatch.setattr(durable, "flush_file", lambda fd: calls.append("flush file"))
    monkeypatch.setattr(durable.os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    monkeypatch.setattr(durable, "fsync_dir", lambda d: (calls.append("flush dir"), real_fsync_dir(d))[1])
    durable.atomic_write(tmp_path / "f.json", b"{}")
    assert calls == ["flush file", "replace", "flush dir"]


def _no_space(*args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _assert_disk_full_message(error: StoreWriteError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message and str(path) in message and "the disk is full" in message
    assert "free some disk space" in message


@pytest.mark.parametrize("failing", ["write", "flush", "replace"])
def test_full_disk_keeps_the_old_file_and_leaves_no_temp(
    store: Store, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    ana = store.save_profile(Profile(name="Ana", role=Role.mentee))
    path = store.layout.index_file
    before = path.read_bytes()
    target = {
        "write": (durable.os, "write"),
        "flush": (durable, "flush_file"),
        "replace": (durable.os, "replace"),
    }
    monkeypatch.setattr(*target[failing], _no_space)
    with pytest.raises(StoreWriteError) as caught:
        store.save_profile(Profile(name="Bo", role=Role.mentor))
    monkeypatch.undo()

    _assert_disk_full_message(caught.value, path)
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".*.tmp"))
    assert store.list_profiles() == [ana]
    bo = store.save_profile(Profile(name="Bo", role=Role.mentor))  # once there is room again
    assert store.list_profiles() == [ana, bo]


@pytest.mark.parametrize("failing", ["nothing written", "half written", "flush"])
def test_full_disk_while_appending_an_input(store: Store, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    conversation = header()
    store.create_conversation(conversation)  # the snapshot
    for seq in (1, 2):  # appended to the journal
        store.append_entry(conversation.id, entry(seq))
    journal = store.layout.session_file(conversation.id).with_suffix(".journal")
    before = journal.read_bytes()
    assert before.count(b"\n") == 2

    real_pwrite = os.pwrite

    def half_then_full(fd: int, data: bytes, offset: int) -> int:
        if len(data) > 1:
            return real_pwrite(fd, bytes(data[: len(data) // 2]), offset)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if failing == "flush":
        monkeypatch.setattr(durable, "flush_file", _no_space)
        monkeypatch.setattr("coach.store.journal.flush_file", _no_space)
    else:
        monkeypatch.setattr(os, "pwrite", _no_space if failing == "nothing written" else half_then_full)
    with pytest.raises(StoreWriteError) as caught:
        store.append_entry(conversation.id, entry(3))
    monkeypatch.undo()

    _assert_disk_full_message(caught.value, journal)
    assert journal.read_bytes() == before  # the partial line was cut off again
    assert [e.seq for e in _inputs(store, conversation.id)] == [1, 2]
    store.append_entry(conversation.id, entry(3))  # once there is room again
    assert [e.seq for e in _inputs(store, conversation.id)] == [1, 2, 3]
    assert store.verify() == []


def _inputs(store: Store, conversation_id: str) -> list[LogEntry]:
    loaded = store.load_conversation(conversation_id)
    assert loaded is not None
    return list(loaded[1])


def test_stale_temp_files_are_removed_on_open(data_dir: Path) -> None:
    with Store(data_dir) as store:
        store.create_conversation(header())
    leftovers = [
        data_dir / ".index.json.123.abcd.tmp",
        data_dir / "sessions" / ".x.json.1.ffff.tmp",
        data_dir / "relationships" / ".y.json.1.eeee.tmp",
    ]
    for leftover in leftovers:
        leftover.write_bytes(b'{"half": ')
    with Store(data_dir) as store:
        assert store.verify() == []
    assert not any(p.exists() for p in leftovers)
