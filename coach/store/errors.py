"""What can go wrong with the data on disk, each as a one-line message a user can act on.

``str(error)`` is always a single line naming the file involved and what to do next, so a CLI or
TUI can show it as is.
"""

from __future__ import annotations

import errno
from pathlib import Path

from coach.models import DataError


def _one_line(text: str) -> str:
    return " ".join(text.split())


class StoreError(DataError):
    """Base class: the data directory could not be read or written as asked."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        self.message = _one_line(message)
        self.path = path
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class CorruptDataError(StoreError):
    """A data file is empty, truncated, not JSON, or not in the shape coach writes."""

    def __init__(self, path: Path, reason: str, backup: Path | None) -> None:
        self.reason = _one_line(reason)
        self.backup = backup
        kept = f"; a copy was saved as {backup}" if backup is not None else ""
        super().__init__(
            f"cannot read {path}: {self.reason}. The file was left untouched{kept}. "
            "Restore it from a backup or move it out of the data directory, then start coach again.",
            path,
        )


class NewerVersionError(StoreError):
    """A data file was written by a newer coach than this one."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            f"{path} was written by a newer coach (data format {found}, this coach reads up to "
            f"{supported}). The file was left untouched; upgrade coach to use this data.",
            path,
        )


class StoreLockedError(StoreError):
    """Another process kept the data directory's lock for longer than we were willing to wait."""

    def __init__(self, path: Path, pid: int | None, waited: float) -> None:
        self.pid = pid
        who = f"pid {pid}" if pid is not None else "another process"
        super().__init__(
            f"coach is already open on this data and busy writing ({who}, lock file {path}); "
            f"gave up after {waited:.1f}s. Close the other coach or try again in a moment.",
            path,
        )


# errno -> (what happened, what to do): the OS's reason in words a user can act on.
_WHY: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some disk space"),
    errno.EDQUOT: ("your disk quota is used up", "free some disk space"),
    errno.EACCES: ("permission denied", "fix the permissions of the data folder or choose another with --data-dir"),
    errno.EPERM: ("the operation is not permitted", "fix the permissions of the data folder or choose another "
                  "with --data-dir"),
    errno.EROFS: ("the disk is read-only", "choose a data folder on a writable disk with --data-dir"),
    errno.ENOTDIR: ("part of the path is a file, not a folder", "move that file away or choose another folder "
                    "with --data-dir"),
    errno.EISDIR: ("there is a folder where a file belongs", "move that folder away or restore the file from a "
                   "backup"),
    errno.ENOENT: ("a folder on the way does not exist", "create it or choose another folder with --data-dir"),
    errno.ENAMETOOLONG: ("the path is too long", "choose a data folder with a shorter path with --data-dir"),
    errno.ELOOP: ("the path has too many symbolic links", "choose another folder with --data-dir"),
    errno.EEXIST: ("something else is already there", "move it away or choose another folder with --data-dir"),
}


def os_reason(error: OSError) -> tuple[str, str]:
    """What an OS error means and what the user can do about it, as two short phrases."""
    if error.errno in _WHY:
        return _WHY[error.errno]
    return (_one_line(error.strerror or type(error).__name__).lower(), "fix the problem")


class StoreWriteError(StoreError):
    """The operating system refused a write (disk full, permissions, ...); nothing was changed."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.error = error
        reason, todo = os_reason(error)
        super().__init__(
            f"could not save {path}: {reason}. Nothing was changed on disk; {todo}, then try again.",
            path,
        )


class UnreadableFileError(StoreError):
    """A data file cannot be opened or read (not a regular file, permission denied, ...)."""

    def __init__(self, path: Path, reason: str, todo: str = "move it away or restore it from a backup") -> None:
        self.reason = _one_line(reason)
        super().__init__(f"cannot read {path} ({self.reason}). The file was left untouched; {todo}.", path)


class DataDirError(StoreError):
    """A folder of the data cannot be used (a file is in its place, it cannot be created, ...)."""

    def __init__(self, path: Path, error: OSError | None = None, reason: str | None = None) -> None:
        what, todo = os_reason(error) if error is not None else (reason or "it cannot be used", "")
        todo = todo or "move what is in the way or choose another data folder with --data-dir"
        super().__init__(f"cannot use the folder {path}: {what}. {todo[0].upper()}{todo[1:]}.", path)
