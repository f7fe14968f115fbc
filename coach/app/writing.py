"""Writing exported documents safely: private, whole, inside the folder asked for, never over an edit.

* Every file is written to a fresh temporary file made in its own folder with ``O_EXCL`` (so a
  name planted there, a symbolic link included, is never followed), set to 0600 whatever the
  umask (the documents are personal), flushed, and renamed over the target.
* Nothing is written through a symbolic link that leads out of the export folder: a folder or
  file on the way that is such a link stops the export with one line.
* Each name on the way is kept under the file system's limit (see `coach.export.fit_name`).
* ``.coach-export.json`` in the export folder remembers a hash of every file coach wrote there:
  a file that still has it is coach's own and may be replaced; a file that differs was edited
  (or is not coach's), and is only overwritten when the user says so (``force``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path, PurePath

from coach.app.errors import AppError
from coach.content.messages import message
from coach.export import fit_name

FILE_MODE = 0o600
DIR_MODE = 0o700
MANIFEST = ".coach-export.json"


class ExportConflict(AppError):
    """Files in the export folder were changed since coach wrote them; nothing was written."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        more = message("errors.write.and_more", n=len(paths) - 1) if len(paths) > 1 else ""
        super().__init__(message("errors.write.changed", path=paths[0], more=more))


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def place(root: Path, relative: PurePath) -> Path:
    """The path to write ``relative`` under ``root``: each name fitted, each folder on the way
    created (0700) or checked; AppError if a symbolic link on the way leads out of ``root``."""
    parts = [fit_name(part) for part in relative.parts]
    folder = root
    for part in parts[:-1]:
        folder = folder / part
        _check_link(folder, root)
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise AppError(message("errors.write.not_a_folder", path=folder)) from None
        except OSError as error:
            raise AppError(message("errors.write.cannot_create", path=folder, reason=_why(error))) from None
    target = folder / parts[-1]
    _check_link(target, root)
    return target


def _why(error: OSError) -> str:
    """The operating system's reason, as it words it."""
    return (error.strerror or str(error)).lower()


def _check_link(path: Path, root: Path) -> None:
    if path.is_symlink() and not _inside(path, root):
        raise AppError(message("errors.write.link_out", path=path, root=root))


def write_private(target: Path, content: bytes) -> Path:
    """Replace ``target`` with ``content`` whole: a fresh 0600 temporary file beside it, renamed
    over it (a symbolic link at ``target`` is replaced, never written through)."""
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".coach-", suffix=".tmp")
    except OSError as error:
        raise AppError(message("errors.write.cannot_write", path=target, reason=_why(error))) from None
    try:
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise AppError(message("errors.write.cannot_write", path=target, reason=_why(error))) from None
    return target


def read_existing(path: Path) -> bytes | None:
    """The bytes of a regular file at ``path`` (not following a link); None if nothing is there,
    b"" marks something that is not a regular file (a folder, a link, a pipe: never coach's)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return b""
    if not stat.S_ISREG(st.st_mode):
        return b""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as file:
            return file.read()
    except OSError:
        return b""


class Manifest:
    """What coach last wrote in an export folder: relative path -> hash of the content."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / MANIFEST
        raw = read_existing(self.path)
        try:
            data = json.loads(raw) if raw else {}
        except (ValueError, RecursionError):
            data = {}
        self.hashes: dict[str, str] = (
            {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
        )

    def key(self, target: Path) -> str:
        return target.relative_to(self.root).as_posix()

    def wrote(self, target: Path, content: bytes) -> bool:
        """True if ``content`` is what coach last wrote at ``target``."""
        return self.hashes.get(self.key(target)) == digest(content)

    def remember(self, target: Path, content: bytes) -> None:
        self.hashes[self.key(target)] = digest(content)

    def save(self) -> None:
        if self.root.is_dir():
            write_private(self.path, json.dumps(self.hashes, indent=1, sort_keys=True).encode("utf-8"))
