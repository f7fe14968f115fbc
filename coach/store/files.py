"""Opens the TinyDB for each data file, and runs write transactions under the lock.

One :class:`DataFiles` per open store: its cache remembers what this process read and wrote,
keyed by file identity, so it is shared by every TinyDB it opens.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from coach.store import archive
from coach.store.cache import ValidationCache
from coach.store.durable import ensure_dir
from coach.store.journal import JOURNAL_SUFFIX, JournaledJSONStorage
from coach.store.layout import Layout
from coach.store.lock import FileLock
from coach.store.schema import INDEX, RELATIONSHIP, SESSION, FileSchema
from coach.store.storage import AtomicJSONStorage, open_db


class DataFiles:
    def __init__(self, layout: Layout, lock: FileLock) -> None:
        self.layout = layout
        self.lock = lock
        self.cache = ValidationCache()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the inter-process lock: reads inside see the latest data, writes are exclusive."""
        with self.lock.hold():
            yield

    def _guard(self) -> bool:
        return self.lock.held

    def _open(self, path: Path, schema: FileSchema, storage: type[Storage] = AtomicJSONStorage) -> TinyDB:
        return open_db(path, schema, self.cache, self._guard, storage)

    def index(self) -> TinyDB:
        return self._open(self.layout.index_file, INDEX)

    def relationship(self, relationship_id: str | None) -> TinyDB:
        return self._open(self.layout.relationship_file(relationship_id), RELATIONSHIP, JournaledJSONStorage)

    def relationship_storage(self, relationship_id: str | None) -> JournaledJSONStorage:
        """The relationship file's storage itself, to read and replace all its tables at once: a
        snapshot and a journal of changes, like a session's, so storing a stage's effects writes the
        size of the change, not of the file."""
        path = self.layout.relationship_file(relationship_id)
        return JournaledJSONStorage(path, schema=RELATIONSHIP, cache=self.cache, guard=self._guard)

    def history(self, relationship_id: str | None) -> list[TinyDB]:
        """A relationship's history files (coach.store.archive), newest first; read only."""
        return [self._open(path, RELATIONSHIP) for path in self.layout.history_files(relationship_id)]

    def whole_table(self, relationship_id: str | None, table: str) -> list[dict[str, Any]]:
        """One table of a relationship with its history's (coach.store.archive): each id once, the
        relationship file's copy first, then the newest history file's."""
        live = self.relationship(relationship_id).table(table).all()
        return archive.merged(live, [db.table(table).all() for db in self.history(relationship_id)])

    def session(self, session_id: str) -> TinyDB:
        return self._open(self.layout.session_file(session_id), SESSION, JournaledJSONStorage)

    def ensure_dirs(self) -> None:
        for directory in self.layout.data_dirs():
            ensure_dir(directory)

    def schema_for(self, path: Path) -> FileSchema | None:
        """Which schema a live data file follows, by where it is (None for unknown files)."""
        if path == self.layout.index_file:
            return INDEX
        if path.parent == self.layout.sessions_dir:
            return SESSION
        if path.parent in (self.layout.relationships_dir, self.layout.history_dir):
            return RELATIONSHIP
        return None

    def verify(self, path: Path) -> None:
        """Fully validate one file from :meth:`Layout.data_files` (a journal with its snapshot)."""
        if path.suffix == JOURNAL_SUFFIX:
            snapshot = path.with_suffix(".json")
            if not snapshot.exists():  # else verified with its snapshot
                JournaledJSONStorage(snapshot, schema=self.schema_for(snapshot) or SESSION, cache=self.cache).verify()
            return
        schema = self.schema_for(path)
        if schema is SESSION or (schema is RELATIONSHIP and path.parent == self.layout.relationships_dir):
            JournaledJSONStorage(path, schema=schema, cache=self.cache).verify()
        elif schema is not None:
            AtomicJSONStorage(path, schema=schema, cache=self.cache).verify()
