"""What a process remembers about the data files it has read, keyed by their identity on disk.

Every entry is tied to the :class:`FileIdentity` (device, inode, size, mtime) of the file
version it describes, so a file replaced or appended to by another process is never served
from memory: a lookup first stats the file, and only an identical file hits the cache.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.store.durable import FileIdentity
from coach.store.jsonfile import Tables


@dataclass(frozen=True)
class JournalState:
    """The decoded state of one session file pair (snapshot + journal), as last read or written.

    ``tables`` is shared by every reader of the cache and must never be mutated: storages hand
    out copies (see :meth:`coach.store.journal.JournaledJSONStorage.read`)."""

    snapshot: FileIdentity | None
    journal: FileIdentity | None
    tables: Tables | None  # None: no session stored yet
    seq: int  # seq of the state: the snapshot's, or that of the last journal line applied
    good_end: int  # journal length up to the end of its last complete line
    snapshot_size: int


class ValidationCache:
    """Per data file: which version was already validated (or written by this process) with its
    ``_meta`` document; and per session file, its decoded :class:`JournalState`."""

    def __init__(self) -> None:
        self._seen: dict[Path, tuple[FileIdentity, dict[str, Any] | None]] = {}
        self._states: dict[Path, JournalState] = {}
        self._lock = threading.Lock()

    def fresh(self, path: Path, identity: FileIdentity) -> bool:
        with self._lock:
            seen = self._seen.get(path)
            return seen is not None and seen[0] == identity

    def remember(self, path: Path, identity: FileIdentity, meta: dict[str, Any] | None = None) -> None:
        with self._lock:
            self._seen[path] = (identity, meta)

    def state(self, path: Path) -> JournalState | None:
        with self._lock:
            return self._states.get(path)

    def keep_state(self, path: Path, state: JournalState) -> None:
        with self._lock:
            self._states[path] = state

    def forget(self, path: Path) -> None:
        with self._lock:
            self._seen.pop(path, None)
            self._states.pop(path, None)
