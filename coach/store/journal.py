"""``JournaledJSONStorage``: a TinyDB storage made of a snapshot plus an append-only journal.

Session files are rewritten after every answer.  Replacing a whole file durably costs a new
inode, two flushes and a rename (over a millisecond on some disks); appending one line to a file
that already exists and flushing it costs a single fdatasync.  So a session is kept as:

* ``<id>.json``: a TinyDB snapshot written by :class:`AtomicJSONStorage`, whose ``_meta``
  records the sequence number ``seq`` of the state it holds;
* ``<id>.journal``: JSON lines ``{"seq": n, "v": <format>, "tables": {...}}``, each the complete
  new content (not a diff), appended and flushed before a write returns.

The current state is the one with the highest ``seq`` among the snapshot and the last complete
journal line.  When the journal grows past ``compact_bytes`` the state is written as a new
snapshot and the journal is emptied (a crash between the two leaves journal lines with a lower
``seq`` than the snapshot, which are ignored).

A final line without its newline is the remains of a write that was killed before it returned,
so it was never acknowledged: it is ignored, and cut off before the next append.  Anything else
that is not as written (a complete line that is not JSON, a wrong shape, a newer format, seqs
out of order) raises a one-line :class:`StoreError` like any other data file.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from tinydb.storages import Storage

from coach.store.durable import FILE_MODE, FileIdentity, flush_file
from coach.store.errors import CorruptDataError, NewerVersionError, StoreWriteError
from coach.store.jsonfile import Tables, check_shape, corrupt, read_raw
from coach.store.schema import SCHEMA_VERSION, FileSchema
from coach.store.storage import AtomicJSONStorage, ValidationCache, check_documents

JOURNAL_SUFFIX = ".journal"
COMPACT_BYTES = 256 * 1024
MIN_APPENDS_PER_COMPACTION = 8


def journal_path_for(path: Path) -> Path:
    return path.with_suffix(JOURNAL_SUFFIX)


class Entry(NamedTuple):
    seq: int
    tables: Tables


class JournaledJSONStorage(Storage):
    def __init__(
        self,
        path: str | Path,
        *,
        schema: FileSchema,
        cache: ValidationCache | None = None,
        guard: Callable[[], bool] | None = None,
        compact_bytes: int | None = None,
    ) -> None:
        self.snapshot = AtomicJSONStorage(path, schema=schema, cache=cache, guard=guard)
        self.path = self.snapshot.path
        self.journal = journal_path_for(self.path)
        self.schema = schema
        self.cache = self.snapshot.cache
        self.compact_bytes = COMPACT_BYTES if compact_bytes is None else compact_bytes
        self._seq: int | None = None  # seq of the state last read; None until read
        self._good_end = 0  # journal length up to the end of its last complete line
        self._journal_exists = False

    # --- reading ------------------------------------------------------------------------------

    def read(self) -> Tables | None:
        # The snapshot is read before the journal; each holds complete states only, so even
        # without the lock a reader gets one whole state (maybe not the very latest).
        snapshot = read_raw(self.path)
        self._journal_exists, self._good_end = False, 0
        entry: Entry | None = None
        loaded = read_raw(self.journal)
        if loaded is not None:
            self._journal_exists = True
            entry = self._last_entry(*loaded)
        tables: Tables | None = None
        seq = 0
        if snapshot is not None:
            known = self.cache.known_meta(self.path, snapshot[1])
            if known is not None and entry is not None and entry.seq > _seq_in_meta(self.path, known):
                seq = _seq_in_meta(self.path, known)  # superseded, and checked before: skip decoding
            else:
                tables, meta = self.snapshot.decode(*snapshot)
                seq = _seq_in_meta(self.path, meta)
        if entry is not None and entry.seq > seq:
            tables, seq = entry.tables, entry.seq
        self._seq = seq
        return tables

    def _last_entry(self, raw: bytes, identity: FileIdentity) -> Entry | None:
        self._good_end = raw.rfind(b"\n") + 1
        if self._good_end == 0:
            return None
        if self.cache.fresh(self.journal, identity):
            start = raw.rfind(b"\n", 0, self._good_end - 1) + 1
            return self._parse(raw, raw[start : self._good_end - 1], None)
        lines = raw[: self._good_end - 1].split(b"\n")
        previous = 0
        entry: Entry | None = None
        for number, line in enumerate(lines, start=1):
            entry = self._parse(raw, line, number)
            if entry.seq <= previous:
                raise corrupt(self.journal, raw, f"line {number} is out of order (seq {entry.seq})")
            previous = entry.seq
        assert entry is not None
        check_documents(self.journal, raw, entry.tables, self.schema)
        self.cache.remember(self.journal, identity)
        return entry

    def _parse(self, raw: bytes, line: bytes, number: int | None) -> Entry:
        where = "the last line" if number is None else f"line {number}"
        try:
            data = json.loads(line)
        except ValueError:
            raise corrupt(self.journal, raw, f"{where} is not valid JSON") from None
        if not isinstance(data, dict):
            raise corrupt(self.journal, raw, f"{where} is not a journal entry")
        version, seq = data.get("v"), data.get("seq")
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise NewerVersionError(self.journal, version, SCHEMA_VERSION)
        if version != SCHEMA_VERSION or not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise corrupt(self.journal, raw, f"{where} has no valid format version and seq")
        tables = check_shape(self.journal, raw, data.get("tables"), f"{where}: ")
        return Entry(seq, tables)

    # --- writing ------------------------------------------------------------------------------

    def write(self, data: Tables) -> None:
        self.snapshot.check_guard()
        if self._seq is None:
            self.read()
        assert self._seq is not None
        seq = self._seq + 1
        line = _encode_entry(seq, data)
        limit = max(self.compact_bytes, MIN_APPENDS_PER_COMPACTION * len(line))
        if not self._journal_exists or self._good_end + len(line) > limit:
            self._compact(data, seq)
        else:
            self._append(line)
        self._seq = seq

    def _append(self, line: bytes) -> None:
        try:
            fd = os.open(self.journal, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        except OSError as error:
            raise StoreWriteError(self.journal, error) from error
        try:
            size = os.fstat(fd).st_size
            if size < self._good_end:
                raise CorruptDataError(self.journal, "it shrank while coach was writing to it", None)
            if size > self._good_end:
                os.ftruncate(fd, self._good_end)  # drop a torn, never acknowledged last line
            offset = self._good_end
            view = memoryview(line)
            while view:
                written = _pwrite(fd, view, offset)
                view, offset = view[written:], offset + written
            flush_file(fd)
            identity = FileIdentity.of(os.fstat(fd))
        except OSError as error:
            _truncate_quietly(fd, self._good_end)
            raise StoreWriteError(self.journal, error) from error
        finally:
            os.close(fd)
        self._good_end = offset
        self.cache.remember(self.journal, identity)

    def _compact(self, data: Tables, seq: int) -> None:
        if not self._journal_exists:
            # Created before the snapshot, whose directory fsync then makes both names durable.
            try:
                fd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), FILE_MODE)
            except OSError as error:
                raise StoreWriteError(self.journal, error) from error
            os.close(fd)
            self._journal_exists = True
        self.snapshot.write_with_meta(data, {"seq": seq})
        try:
            fd = os.open(self.journal, os.O_WRONLY | getattr(os, "O_BINARY", 0))
            try:
                os.ftruncate(fd, 0)
                flush_file(fd)
                self.cache.remember(self.journal, FileIdentity.of(os.fstat(fd)))
            finally:
                os.close(fd)
            self._good_end = 0
        except OSError:
            # The snapshot holds the new state already; the journal's lines are older (lower
            # seq) and are ignored, so failing to empty it loses nothing.
            pass

    def verify(self) -> None:
        """Read and fully validate the snapshot and the journal, ignoring the cache."""
        self.cache.forget(self.path)
        self.cache.forget(self.journal)
        self.read()


def _encode_entry(seq: int, tables: Tables) -> bytes:
    entry: dict[str, Any] = {"seq": seq, "v": SCHEMA_VERSION, "tables": tables}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _seq_in_meta(path: Path, meta: dict[str, Any]) -> int:
    seq = meta.get("seq", 0)
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise CorruptDataError(path, "its _meta seq is not a number", None)
    return seq


def _pwrite(fd: int, data: memoryview, offset: int) -> int:
    if hasattr(os, "pwrite"):
        return os.pwrite(fd, data, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # pragma: no cover - Windows has no pwrite
    return os.write(fd, data)  # pragma: no cover


def _truncate_quietly(fd: int, length: int) -> None:
    with contextlib.suppress(OSError):
        os.ftruncate(fd, length)
