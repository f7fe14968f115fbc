"""``Store``: the durable, crash-safe home of profiles, relationships, sessions and their output.

It implements the engine's ``ConversationStore`` protocol (``save_conversation``,
``load_conversation``, ``save_commitment``, ``save_artifact``) and offers a repository per kind
of record.  Every write is one transaction under an inter-process file lock that re-reads the
file it changes, and reaches the disk (fsync) before the call returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from coach.models import Artifact, Commitment, ConversationState
from coach.store.artifacts import ArtifactRepository
from coach.store.commitments import CommitmentRepository
from coach.store.durable import ensure_dir, stale_temp_files
from coach.store.errors import StoreError
from coach.store.files import DataFiles
from coach.store.layout import Layout
from coach.store.lock import FileLock
from coach.store.migrations import prepare
from coach.store.profiles import ProfileRepository
from coach.store.relationships import RelationshipRepository
from coach.store.sessions import SessionRepository


class Store:
    """Open the data directory ``data_dir`` (created if needed, migrated if old).

    Raises :class:`StoreError` subclasses with a one-line message if the directory cannot be
    used: a damaged index (``CorruptDataError``), data from a newer coach
    (``NewerVersionError``), or another process holding the lock for longer than
    ``lock_timeout`` seconds (``StoreLockedError``).
    """

    def __init__(self, data_dir: Path, *, lock_timeout: float = 5.0) -> None:
        self.layout = Layout(Path(data_dir))
        ensure_dir(self.layout.root)
        self._lock = FileLock(self.layout.lock_file, lock_timeout)
        self._files = DataFiles(self.layout, self._lock)
        try:
            with self._lock.hold():
                self.migrated_from, self.backup_dir = prepare(self.layout)
                self._files.ensure_dirs()
                self._remove_stale_temp_files()
                self._files.index().tables()  # read and validate the index now
        except BaseException:
            self._lock.close()
            raise
        self.profiles = ProfileRepository(self._files)
        self.relationships = RelationshipRepository(self._files)
        self.sessions = SessionRepository(self._files)
        self.commitments = CommitmentRepository(self._files)
        self.artifacts = ArtifactRepository(self._files, self.sessions)

    @property
    def data_dir(self) -> Path:
        return self.layout.root

    # --- the engine's ConversationStore protocol ----------------------------------------------

    def save_conversation(self, state: ConversationState) -> None:
        """Persist the whole state durably (on disk when this returns)."""
        self.sessions.save(state)

    def load_conversation(self, conversation_id: str) -> ConversationState | None:
        return self.sessions.load(conversation_id)

    def save_commitment(self, commitment: Commitment) -> None:
        self.commitments.save(commitment)

    def save_artifact(self, artifact: Artifact) -> None:
        self.artifacts.save(artifact)

    # --- transactions, checks, lifetime -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the write lock across several calls, for a read-modify-write of your own."""
        with self._files.transaction():
            yield

    def verify(self) -> list[StoreError]:
        """Read and fully validate every data file; return the problems found (empty if none)."""
        problems: list[StoreError] = []
        for path in self.layout.data_files():
            try:
                self._files.verify(path)
            except StoreError as error:
                problems.append(error)
        return problems

    def _remove_stale_temp_files(self) -> None:
        # Every write happens under the lock, which we hold: any temporary file is a leftover
        # of a writer that died before renaming it.
        for directory in self.layout.data_dirs():
            for temp in stale_temp_files(directory):
                temp.unlink(missing_ok=True)

    def close(self) -> None:
        self._lock.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
