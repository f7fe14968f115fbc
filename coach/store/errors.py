"""What can go wrong with the data on disk, each as a one-line message a user can act on.

``str(error)`` is always a single line naming the file involved and what to do next, so a CLI or
TUI can show it as is.
"""

from __future__ import annotations

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
            f"coach cannot read {path}: {self.reason}. The file was left untouched{kept}. "
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


class StoreWriteError(StoreError):
    """The operating system refused a write (disk full, permissions, ...); nothing was changed."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.error = error
        reason = error.strerror or str(error)
        super().__init__(
            f"coach could not save {path}: {reason}. Nothing was changed on disk; "
            "free some disk space or fix the permissions, then try again.",
            path,
        )
