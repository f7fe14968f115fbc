"""``JournaledJSONStorage``: a TinyDB storage made of a snapshot plus an append-only diff journal.

A session gets one new input per answer.  Rewriting its whole file each time would cost more as
the session grows; appending one line to a file that already exists and flushing it costs a
single fdatasync and the size of the change.  So a session is kept as:

* ``<id>.json``: a TinyDB snapshot written by :class:`AtomicJSONStorage`, whose ``_meta``
  records the sequence number ``seq`` of the state it holds;
* ``<id>.journal``: JSON lines, each holding only what changed since the previous state (see
  :mod:`coach.store.diff`), appended and flushed before a write returns.  Appending one
  input is one line the size of that input, whatever the length of the session.

The current state is the snapshot with every journal line of a higher ``seq`` applied in order
(those must follow on from the snapshot's ``seq`` one by one).  When the journal would grow past
``max(COMPACT_BYTES, size of the snapshot)`` the state is written as a new snapshot and the
journal is emptied, so the bytes written per append stay constant on average.  A crash between
the two leaves journal lines whose ``seq`` is not above the snapshot's: they are skipped.

The journal is read before the snapshot: a snapshot is only ever replaced by a newer one holding
every line written before it, so even a reader without the lock gets one whole state that was
written.  A final line without its newline is the remains of a write that was killed before it
returned, so it was never acknowledged: it is ignored, and cut off before the next append.
Anything else that is not as written (a complete line that is not JSON, a wrong shape, a
document that does not validate, seqs out of order or with a gap) raises a one-line
:class:`StoreError` like any other data file, and a line from a newer coach raises
:class:`NewerVersionError`.

Decoded states are cached per file (see :class:`coach.store.cache.JournalState`), keyed by the
identity of both files: reading an unchanged session costs two ``stat`` calls, and writing one
compares the new state with the cached one to find what changed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from coach.content.messages import Later, message
from coach.store.cache import JournalState, ValidationCache
from coach.store.diff import Change, apply, diff, encode_line, parse_line
from coach.store.durable import FILE_MODE, FileIdentity, flush_file
from coach.store.errors import CorruptDataError, StoreWriteError
from coach.store.jsonfile import Tables, corrupt, read_raw
from coach.store.schema import META_TABLE, FileSchema
from coach.store.storage import AtomicJSONStorage, check_documents

JOURNAL_SUFFIX = ".journal"
COMPACT_BYTES = 64 * 1024
_O_BINARY = getattr(os, "O_BINARY", 0)


def journal_path_for(path: Path) -> Path:
    return path.with_suffix(JOURNAL_SUFFIX)


class JournaledJSONStorage(Storage):
    """TinyDB storage for one session file pair of the given :class:`FileSchema`.

    ``read`` returns a fresh dict per table and a shallow copy of each document (TinyDB mutates
    what it is given); ``write`` stores only the documents that differ from the current state.
    """

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
        self.compact_bytes = compact_bytes

    # --- reading ------------------------------------------------------------------------------

    def read(self) -> Tables | None:
        tables = self.current().tables
        if tables is None:
            return None
        return {name: {doc_id: dict(doc) for doc_id, doc in table.items()} for name, table in tables.items()}

    def current(self) -> JournalState:
        """The latest state on disk; from the cache when neither file changed since it was read."""
        journal, snapshot = _identity(self.journal), _identity(self.path)
        cached = self.cache.state(self.path)
        if cached is not None and cached.journal == journal and cached.snapshot == snapshot:
            return cached
        state = self._load()
        self.cache.keep_state(self.path, state)
        return state

    def _load(self) -> JournalState:
        journal = read_raw(self.journal)  # before the snapshot: see the module docstring
        snapshot = read_raw(self.path)
        tables: Tables | None = None
        seq = 0
        if snapshot is not None:
            tables, meta = self.snapshot.decode(*snapshot)
            seq = _seq_in_meta(self.path, snapshot[0], meta)
        snapshot_identity, snapshot_size = (None, 0) if snapshot is None else (snapshot[1], len(snapshot[0]))
        if journal is None:
            return JournalState(snapshot_identity, None, tables, seq, 0, snapshot_size)
        raw, journal_identity = journal
        good_end = raw.rfind(b"\n") + 1  # a final line without its newline is torn: ignored
        tables, seq = self._replay(raw[: max(good_end - 1, 0)], raw, tables, seq)
        return JournalState(snapshot_identity, journal_identity, tables, seq, good_end, snapshot_size)

    def _replay(self, complete: bytes, raw: bytes, tables: Tables | None, seq: int) -> tuple[Tables | None, int]:
        """Apply the journal's ``complete`` lines newer than the snapshot (state ``tables`` at ``seq``)."""
        previous = 0
        for number, line in enumerate(complete.split(b"\n") if complete else [], start=1):
            line_seq, change = parse_line(self.journal, raw, line, number)
            if line_seq <= previous:
                raise corrupt(self.journal, raw, message("errors.journal.out_of_order", line=number, seq=line_seq))
            previous = line_seq
            if line_seq <= seq:
                continue  # already in the snapshot
            if tables is None:
                raise corrupt(self.journal, raw, message("errors.journal.no_snapshot", line=number,
                                                          name=self.path.name))
            if line_seq != seq + 1:
                raise corrupt(self.journal, raw, message("errors.journal.jumps", line=number, seq=seq, next=line_seq))
            check_documents(self.journal, raw, change.set, self.schema, Later("errors.journal.at_line", line=number))
            try:
                tables = apply(tables, change)
            except KeyError as missing:
                raise corrupt(self.journal, raw, message("errors.journal.deletes_missing", line=number,
                                                          document=missing)) from None
            seq = line_seq
        return tables, seq

    # --- writing ------------------------------------------------------------------------------

    def write(self, data: Tables) -> None:
        self.snapshot.check_guard()
        current = self.current()
        new = {name: table for name, table in data.items() if name != META_TABLE}
        change = None if current.tables is None else diff(current.tables, new)
        if change is not None and change.empty:
            return  # nothing changed: the state on disk is already this one
        seq = current.seq + 1
        if change is None or current.journal is None:
            self._compact(current, new, seq)
            return
        line = encode_line(seq, change)
        limit = max(COMPACT_BYTES if self.compact_bytes is None else self.compact_bytes, current.snapshot_size)
        if current.good_end + len(line) > limit:
            self._compact(current, new, seq)
        else:
            self._append(current, line, seq, change)

    def _append(self, current: JournalState, line: bytes, seq: int, change: Change) -> None:
        assert current.tables is not None
        try:
            fd = os.open(self.journal, os.O_WRONLY | _O_BINARY)
        except OSError as error:
            raise StoreWriteError(self.journal, error) from error
        try:
            size = os.fstat(fd).st_size
            if size < current.good_end:
                raise CorruptDataError(self.journal, message("errors.journal.shrank"), None)
            if size > current.good_end:
                os.ftruncate(fd, current.good_end)  # drop a torn, never acknowledged last line
            offset = current.good_end
            view = memoryview(line)
            while view:
                written = _pwrite(fd, view, offset)
                view, offset = view[written:], offset + written
            flush_file(fd)
            identity = FileIdentity.of(os.fstat(fd))
        except OSError as error:
            _truncate_quietly(fd, current.good_end)
            self.cache.forget(self.path)
            raise StoreWriteError(self.journal, error) from error
        finally:
            os.close(fd)
        tables = apply(current.tables, change)
        state = JournalState(current.snapshot, identity, tables, seq, offset, current.snapshot_size)
        self.cache.keep_state(self.path, state)

    def _compact(self, current: JournalState, new: Tables, seq: int) -> None:
        if current.journal is None:
            # Created before the snapshot, whose directory fsync then makes both names durable.
            try:
                fd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | _O_BINARY, FILE_MODE)
            except OSError as error:
                raise StoreWriteError(self.journal, error) from error
            os.close(fd)
        snapshot = self.snapshot.write_with_meta(new, {"seq": seq})
        good_end = current.good_end
        try:
            fd = os.open(self.journal, os.O_WRONLY | _O_BINARY)
            try:
                os.ftruncate(fd, 0)
                flush_file(fd)
                good_end = 0
            finally:
                os.close(fd)
        except OSError:
            # The snapshot holds the new state already; the journal's lines have lower seqs and
            # are skipped, so failing to empty it loses nothing.
            pass
        tables = {name: {doc_id: dict(doc) for doc_id, doc in table.items()} for name, table in new.items()}
        state = JournalState(snapshot, _identity(self.journal), tables, seq, good_end, snapshot.size)
        self.cache.keep_state(self.path, state)

    def verify(self) -> None:
        """Read and fully validate the snapshot and the journal, ignoring the cache."""
        self.cache.forget(self.path)
        self.cache.forget(self.journal)
        self.current()


def _identity(path: Path) -> FileIdentity | None:
    try:
        return FileIdentity.of(os.stat(path))
    except FileNotFoundError:
        return None


def _seq_in_meta(path: Path, raw: bytes, meta: dict[str, Any]) -> int:
    seq = meta.get("seq", 0)
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise corrupt(path, raw, message("errors.journal.meta_seq"))
    return seq


def _pwrite(fd: int, data: memoryview, offset: int) -> int:
    if hasattr(os, "pwrite"):
        return os.pwrite(fd, data, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # pragma: no cover - Windows has no pwrite
    return os.write(fd, data)  # pragma: no cover


def _truncate_quietly(fd: int, length: int) -> None:
    with contextlib.suppress(OSError):
        os.ftruncate(fd, length)
