"""A re-entrant inter-process lock on a file, taken for each write transaction.

Two coach processes on the same data can both be open (two terminals); each read-modify-write
runs under this lock and re-reads the files inside it, so neither loses the other's updates.
A process that cannot get the lock within ``timeout`` seconds gets :class:`StoreLockedError`
naming the pid of the holder.  The kernel releases the lock when its holder dies (even on
SIGKILL), so a crash never leaves the data locked.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coach.store.durable import FILE_MODE
from coach.store.errors import StoreLockedError, StoreWriteError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class FileLock:
    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0
        self._owner: int | None = None
        self._threads = threading.RLock()

    def open(self) -> None:
        if self._fd is None:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            except OSError as error:
                raise StoreWriteError(self.path, error) from error

    def close(self) -> None:
        with self._threads:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
                self._depth = 0

    @property
    def held(self) -> bool:
        """True if the calling thread holds the lock."""
        return self._depth > 0 and self._owner == threading.get_ident()

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for the ``with`` block (re-entrant within a process and thread)."""
        with self._threads:
            if self._depth == 0:
                self._acquire()
                self._owner = threading.get_ident()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._owner = None
                    self._release()

    def holder_pid(self) -> int | None:
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return int(text) if text.isascii() and text.isdigit() else None

    def _acquire(self) -> None:
        self.open()
        fd = self._fd
        assert fd is not None
        if fcntl is None:  # pragma: no cover - Windows: no inter-process lock
            return
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= self.timeout:
                    raise StoreLockedError(self.path, self.holder_pid(), waited) from None
                # Short randomised naps: holders keep the lock for about a millisecond.
                time.sleep(random.uniform(0.0002, 0.002))
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except OSError:
            pass  # the pid is only informative

    def _release(self) -> None:
        if fcntl is None or self._fd is None:  # pragma: no cover
            return
        fcntl.flock(self._fd, fcntl.LOCK_UN)
