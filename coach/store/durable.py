"""Low-level durable file operations: atomic replace with fsync, private permissions.

A file written with :func:`atomic_write` is either the old version or the new one, never a mix,
and once the call returns the new version survives a crash or power loss: the data goes to a
temporary file in the same directory (created 0600), is flushed with fsync, renamed over the
target with ``os.replace``, and the directory itself is flushed so the rename is on disk too.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from coach.content.messages import message
from coach.store.errors import DataDirError, StoreWriteError

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"

_O_BINARY = getattr(os, "O_BINARY", 0)
_CAN_FSYNC_DIRS = os.name != "nt"


class FileIdentity(NamedTuple):
    """Enough of a file's stat to notice that it was replaced or rewritten."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileIdentity:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def flush_file(fd: int) -> None:
    if sys.platform == "darwin":  # pragma: no cover - fsync on macOS does not reach the platter
        import fcntl

        fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
    elif hasattr(os, "fdatasync"):
        # fdatasync flushes the data and the metadata needed to read it back (size, blocks).
        os.fdatasync(fd)
    else:  # pragma: no cover
        os.fsync(fd)


def fsync_dir(directory: Path) -> None:
    """Flush a directory so that files created, renamed or removed in it stay that way."""
    if not _CAN_FSYNC_DIRS:  # pragma: no cover - Windows cannot open directories
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(directory: Path) -> None:
    """Create ``directory`` (and parents) with mode 0700 if missing, durably.

    Raises :class:`DataDirError` (one line) if it cannot be: a file is in the way, permission
    denied, a read-only or special file system (``/proc``), ..."""
    try:
        if directory.is_dir():
            return
        missing: list[Path] = []
        current = directory
        while not current.exists():
            missing.append(current)
            current = current.parent
        if not current.is_dir():
            reason = (message("errors.store.it_is_file") if current == directory
                      else message("errors.store.path_is_file", path=current))
            raise DataDirError(directory, reason=reason)
        for path in reversed(missing):
            try:
                path.mkdir(mode=DIR_MODE)
            except FileExistsError:
                if not path.is_dir():
                    raise DataDirError(directory, reason=message("errors.store.path_is_file", path=path)) from None
                continue
            except FileNotFoundError:  # the parent exists: the file system refuses (e.g. /proc)
                raise DataDirError(directory, reason=message("errors.store.cannot_create_folders")) from None
            fsync_dir(path.parent)
    except OSError as error:
        raise DataDirError(directory, error) from None


def temp_path_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def stale_temp_files(directory: Path) -> Iterator[Path]:
    """Temporary files left behind by a writer that died before renaming them."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return
    for name in names:
        if name.startswith(".") and name.endswith(TEMP_SUFFIX):
            yield directory / name


def atomic_write(path: Path, data: bytes) -> FileIdentity:
    """Replace ``path`` with ``data`` atomically and durably; return the new file's identity.

    Raises :class:`StoreWriteError` if the OS refuses (disk full, permissions); the previous
    content of ``path`` is then untouched and no temporary file is left behind.
    """
    temp = temp_path_for(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, FILE_MODE)
    except OSError as error:
        raise StoreWriteError(path, error) from error
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)  # exactly 0600 whatever the umask
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            flush_file(fd)
            identity = FileIdentity.of(os.fstat(fd))
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as error:
        _remove_quietly(temp)
        raise StoreWriteError(path, error) from error
    except BaseException:
        _remove_quietly(temp)
        raise
    try:
        fsync_dir(path.parent)
    except OSError as error:
        raise StoreWriteError(path, error) from error
    return identity


def write_new_file(target: Path, data: bytes) -> None:
    """Create ``target`` (0600) holding ``data``, flushed to disk; fails if it already exists."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        flush_file(fd)
    finally:
        os.close(fd)
    fsync_dir(target.parent)


def durable_copy(source: Path, target: Path) -> None:
    """Copy ``source`` to a new file ``target`` (0600), flushed to disk; never overwrites."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, FILE_MODE)
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb", closefd=False) as dst:
            shutil.copyfileobj(src, dst)
            dst.flush()
            flush_file(fd)
    finally:
        os.close(fd)
    fsync_dir(target.parent)


def remove_durably(path: Path) -> None:
    """Remove ``path`` if it exists and flush its directory."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    fsync_dir(path.parent)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
