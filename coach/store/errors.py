"""What can go wrong with the data on disk, each as a one-line message a user can act on.

``str(error)`` is always a single line naming the file involved and what to do next, so a CLI or
TUI can show it as is.
"""

from __future__ import annotations

import errno
from pathlib import Path

from coach.content.messages import message
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
        kept = message("errors.store.copy_saved", backup=backup) if backup is not None else ""
        super().__init__(message("errors.store.corrupt", path=path, reason=self.reason, kept=kept), path)


class NewerVersionError(StoreError):
    """A data file was written by a newer coach than this one."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(message("errors.store.newer", path=path, found=found, supported=supported), path)


class StoreLockedError(StoreError):
    """Another process kept the data directory's lock for longer than we were willing to wait."""

    def __init__(self, path: Path, pid: int | None, waited: float) -> None:
        self.pid = pid
        who = message("errors.store.lock_pid", pid=pid) if pid is not None else message("errors.store.lock_other")
        super().__init__(message("errors.store.locked", who=who, path=path, waited=f"{waited:.1f}"), path)


# errno -> the OS's reason in words a user can act on: `errors.os.<name>.why` (what happened) and
# `errors.os.<name>.todo` (what to do)
_WHY: dict[int, str] = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "quota",
    errno.EACCES: "permission",
    errno.EPERM: "not_permitted",
    errno.EROFS: "read_only",
    errno.ENOTDIR: "not_a_folder",
    errno.EISDIR: "a_folder",
    errno.ENOENT: "no_folder",
    errno.ENAMETOOLONG: "too_long",
    errno.ELOOP: "loop",
    errno.EEXIST: "exists",
}


def os_reason(error: OSError) -> tuple[str, str]:
    """What an OS error means and what the user can do about it, as two short phrases."""
    name = _WHY.get(error.errno) if error.errno is not None else None
    if name is not None:
        return message(f"errors.os.{name}.why"), message(f"errors.os.{name}.todo")
    return (_one_line(error.strerror or type(error).__name__).lower(), message("errors.os.other.todo"))


class StoreWriteError(StoreError):
    """The operating system refused a write (disk full, permissions, ...); nothing was changed."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.error = error
        reason, todo = os_reason(error)
        super().__init__(message("errors.store.cannot_save", path=path, reason=reason, todo=todo), path)


class UnreadableFileError(StoreError):
    """A data file cannot be opened or read (not a regular file, permission denied, ...)."""

    def __init__(self, path: Path, reason: str, todo: str | None = None) -> None:
        self.reason = _one_line(reason)
        todo = todo or message("errors.store.unreadable_todo")
        super().__init__(message("errors.store.unreadable", path=path, reason=self.reason, todo=todo), path)


class DataDirError(StoreError):
    """A folder of the data cannot be used (a file is in its place, it cannot be created, ...)."""

    def __init__(self, path: Path, error: OSError | None = None, reason: str | None = None) -> None:
        what, todo = os_reason(error) if error is not None else (reason or message("errors.store.folder_unusable"), "")
        todo = todo or message("errors.store.folder_todo")
        todo = f"{todo[0].upper()}{todo[1:]}"
        super().__init__(message("errors.store.cannot_use_folder", path=path, what=what, todo=todo), path)
