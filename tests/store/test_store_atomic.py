"""AtomicJSONStorage: whole-file replace, fsync, no half-written files, full disk."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from tinydb import TinyDB

from coach.models import Answer, Profile, Role
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
    monkeypatch.setattr(durable, "_flush_file", lambda fd: calls.append("flush file"))
    monkeypatch.setattr(durable.os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    monkeypatch.setattr(durable, "fsync_dir", lambda d: (calls.append("flush dir"), real_fsync_dir(d))[1])
    durable.atomic_write(tmp_path / "f.json", b"{}")
    assert calls == ["flush file", "replace", "flush dir"]


@pytest.mark.parametrize("failing", ["write", "flush", "replace"])
def test_full_disk_keeps_the_old_file_and_leaves_no_temp(
    data_dir: Path, make_state, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    store = Store(data_dir)
    state = make_state(None)
    state.answers["a"] = Answer(slot="a", raw="first answer")
    store.save_conversation(state)
    path = store.layout.session_file(state.id)
    before = path.read_bytes()

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = {
        "write": (durable.os, "write"),
        "flush": (durable, "_flush_file"),
        "replace": (durable.os, "replace"),
    }
    monkeypatch.setattr(*target[failing], no_space)
    state.answers["b"] = Answer(slot="b", raw="second answer")
    with pytest.raises(StoreWriteError) as caught:
        store.save_conversation(state)
    monkeypatch.undo()

    message = str(caught.value)
    assert "\n" not in message and str(path) in message and "No space left on device" in message
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".*.tmp"))
    reloaded = store.load_conversation(state.id)
    assert reloaded is not None and list(reloaded.answers) == ["a"]
    store.save_conversation(state)  # once there is space again, saving works
    assert list(store.load_conversation(state.id).answers) == ["a", "b"]  # type: ignore[union-attr]
    store.close()


def test_stale_temp_files_are_removed_on_open(data_dir: Path, make_state) -> None:
    with Store(data_dir) as store:
        store.save_conversation(make_state(None))
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
