"""A damaged data folder, built by hand: every case is one line naming the path and what to do.

Damage that is not in the file's content (a folder, a pipe, no permission, a file where a folder
belongs) as well as content no JSON reader should choke on (100k levels of nesting, a number of
5000 digits).  A damaged session is set aside in ``damaged/`` and the rest stays usable; a
session whose file was deleted is reported, not forgotten.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from store_helpers import entry, header

from coach.models import Profile, Relationship, Role
from coach.store import Store, StoreError, StoreWriteError, resolve_data_dir
from coach.store import jsonfile as jsonfile_module
from coach.store.damaged import note_path
from coach.store.errors import CorruptDataError, DataDirError, UnreadableFileError

Damage = Callable[[Path], None]


def _replace_with(make: Callable[[Path], None]) -> Damage:
    def damage(path: Path) -> None:
        path.unlink()
        make(path)

    return damage


def _write(content: bytes) -> Damage:
    return lambda path: path.write_bytes(content)


DAMAGE: dict[str, Damage] = {
    "a folder": _replace_with(lambda p: p.mkdir()),
    "a fifo": _replace_with(lambda p: os.mkfifo(p)),
    "nested 100k deep": _write(b"[" * 100_000 + b"]" * 100_000),
    "a 5000-digit integer": _write(b'{"_meta": {"1": {"schema_version": ' + b"9" * 5000 + b"}}}"),
    "a 5000-digit document id": _write(b'{"_meta": {"' + b"1" * 5000 + b'": {}}}'),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "garbage": _write(b"\x00\x01garbage{{{"),
    "invalid utf-8": _write(b'{"_meta": "\xff\xfe"}'),
    "empty": _write(b""),
}


def _one_line_naming(error: BaseException, path: Path) -> str:
    message = str(error)
    assert isinstance(error, StoreError), repr(error)
    assert "\n" not in message and str(path) in message, message
    assert "Traceback" not in message and "Errno" not in message, message
    return message


def _in_time(call: Callable[[], object], seconds: float = 10.0) -> BaseException | None:
    """Run ``call`` in a thread: whatever it raised, and fail if it hangs (a FIFO must not block)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"hung for {seconds}s"
    return outcome[0]


@pytest.fixture
def filled(data_dir: Path) -> dict[str, Path]:
    """A profile, a relationship and one conversation with two answers; the paths of their files."""
    with Store(data_dir) as store:
        ana = store.save_profile(Profile(name="Ana", role=Role.mentee))
        rel = store.save_relationship(Relationship(id="r1", profile_id=ana.id, other_name="Bo",
                                                   mentee_name="Ana", mentor_name="Bo"))
        made = header(rel.id, id="s1")
        store.create_conversation(made)
        store.append_entry(made.id, entry(1))
        store.append_entry(made.id, entry(2))
    return {"index": data_dir / "index.json", "relationship": data_dir / "relationships" / "r1.json",
            "session": data_dir / "sessions" / "s1.json"}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_index_is_one_line_naming_it(data_dir: Path, filled: dict[str, Path], damage: str) -> None:
    DAMAGE[damage](filled["index"])
    error = _in_time(lambda: Store(data_dir).close())
    assert error is not None
    message = _one_line_naming(error, filled["index"])
    assert "restore it from a backup" in message.lower() or "move it" in message.lower()


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_relationship_file_costs_only_that_relationship(
    data_dir: Path, filled: dict[str, Path], damage: str
) -> None:
    DAMAGE[damage](filled["relationship"])
    with Store(data_dir) as store:  # the index is fine: the store opens
        assert [p.name for p in store.list_profiles()] == ["Ana"]
        error = _in_time(lambda: store.summaries("r1"))
        assert error is not None
        _one_line_naming(error, filled["relationship"])


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_session_is_set_aside_with_a_note(data_dir: Path, filled: dict[str, Path], damage: str) -> None:
    DAMAGE[damage](filled["session"])
    with Store(data_dir) as store:
        error = _in_time(lambda: store.load_conversation("s1"))
        assert isinstance(error, CorruptDataError | UnreadableFileError)
        _one_line_naming(error, filled["session"])
        assert store.problems("r1") == {}
        where = store.set_aside("s1", error)
        assert where == str(data_dir / "damaged")
        assert not os.path.lexists(filled["session"]) and not os.path.lexists(filled["session"].with_suffix(".journal"))
        moved = sorted(p.name for p in (data_dir / "damaged").iterdir())
        assert {"s1.json", "s1.journal", "s1.txt"} <= set(moved)
        note = note_path(store.layout, "s1").read_text(encoding="utf-8")
        assert "s1" in note and "move them back" in note
        assert store.load_conversation("s1") is None  # the rest works: nothing left to trip on
        (problem,) = store.problems("r1").values()
        assert "set aside" in problem and str(data_dir / "damaged") in problem
        store.create_conversation(header("r1", id="s2"))  # and new conversations can be stored
        store.append_entry("s2", entry(1))


def test_only_damage_is_set_aside(data_dir: Path, filled: dict[str, Path]) -> None:
    with Store(data_dir) as store:
        assert store.set_aside("s1", StoreError("something else")) is None
        assert filled["session"].exists()


def test_a_deleted_session_is_reported_as_missing(data_dir: Path, filled: dict[str, Path]) -> None:
    filled["session"].unlink()
    filled["session"].with_suffix(".journal").unlink()
    with Store(data_dir) as store:
        (problem,) = store.problems("r1").values()
    assert "missing its file" in problem and str(filled["session"]) in problem and "backup" in problem


def test_a_file_where_the_sessions_folder_belongs(data_dir: Path, filled: dict[str, Path]) -> None:
    sessions = filled["session"].parent
    for child in sessions.iterdir():
        child.unlink()
    sessions.rmdir()
    sessions.write_text("not a folder", encoding="utf-8")
    error = _in_time(lambda: Store(data_dir).close())
    assert isinstance(error, DataDirError)
    message = _one_line_naming(error, sessions)
    assert "a file, not a folder" in message and "disk space" not in message


def test_a_read_the_os_refuses_is_permission_denied(
    data_dir: Path, filled: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated, because chmod does not stop root (the real case runs below when not root)."""
    real_open = os.open

    def refusing(path: object, *args: object, **kwargs: object) -> int:
        if str(path) == str(filled["relationship"]):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jsonfile_module.os, "open", refusing)
    with Store(data_dir) as store, pytest.raises(UnreadableFileError) as raised:
        store.summaries("r1")
    message = _one_line_naming(raised.value, filled["relationship"])
    assert "permission denied" in message and "chmod" in message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_permission_denied(data_dir: Path, filled: dict[str, Path]) -> None:
    filled["relationship"].chmod(0)
    try:
        with Store(data_dir) as store, pytest.raises(UnreadableFileError) as raised:
            store.summaries("r1")
        assert "permission denied" in _one_line_naming(raised.value, filled["relationship"])
    finally:
        filled["relationship"].chmod(0o600)


@pytest.mark.parametrize(
    ("code", "said", "not_said"),
    [
        (errno.ENOSPC, "free some disk space", "not a folder"),
        (errno.ENOTDIR, "is a file, not a folder", "disk space"),
        (errno.EACCES, "permission denied", "disk space"),
        (errno.EROFS, "read-only", "disk space"),
        (errno.EISDIR, "a folder where a file belongs", "disk space"),
    ],
)
def test_a_refused_write_says_why(tmp_path: Path, code: int, said: str, not_said: str) -> None:
    message = str(StoreWriteError(tmp_path / "x.json", OSError(code, os.strerror(code))))
    assert said in message and not_said not in message and "\n" not in message
    assert str(tmp_path / "x.json") in message


def test_an_empty_data_dir_is_an_error_not_the_default(tmp_path: Path) -> None:
    with pytest.raises(DataDirError, match="empty"):
        resolve_data_dir("")
    with pytest.raises(DataDirError, match="empty"):
        resolve_data_dir("   ")


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_a_data_dir_under_proc(tmp_path: Path) -> None:
    with pytest.raises(DataDirError) as raised:
        resolve_data_dir("/proc/coach-data")
    assert "/proc/coach-data" in _one_line_naming(raised.value, Path("/proc/coach-data"))


def test_a_data_dir_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(DataDirError) as raised:
        resolve_data_dir(str(tmp_path / "plain" / "data"))
    message = _one_line_naming(raised.value, tmp_path / "plain" / "data")
    assert f"{tmp_path / 'plain'} is a file, not a folder" in message
    with pytest.raises(DataDirError, match="it is a file, not a folder"):
        resolve_data_dir(str(tmp_path / "plain"))


def test_read_raw_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    error = _in_time(lambda: jsonfile_module.read_raw(tmp_path / "pipe.json"), 5.0)
    assert isinstance(error, UnreadableFileError) and "not a regular file" in str(error)
