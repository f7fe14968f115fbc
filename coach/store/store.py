"""``Store``: the durable, crash-safe home of profiles, relationships, conversations and their output.

It implements the application's ``Repository`` protocol (``coach.app.ports``) structurally, and
offers a repository per kind of record.  Every write is one transaction under an inter-process
file lock that re-reads the file it changes, and reaches the disk (fsync) before the call returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType

from coach.models import (
    Artifact,
    Commitment,
    CommitmentStatus,
    ConversationHeader,
    LogEntry,
    OwnStage,
    PartnerStage,
    Profile,
    Relationship,
    SessionSummary,
)
from coach.store.artifacts import ArtifactRepository
from coach.store.commitments import CommitmentRepository
from coach.store.conversations import ConversationRepository
from coach.store.damaged import problems, set_aside
from coach.store.durable import ensure_dir, stale_temp_files
from coach.store.errors import StoreError
from coach.store.files import DataFiles
from coach.store.layout import Layout
from coach.store.lock import FileLock
from coach.store.migrations import prepare
from coach.store.partners import PartnerRepository
from coach.store.profiles import ProfileRepository
from coach.store.relationships import RelationshipRepository


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
        self.conversations = ConversationRepository(self._files)
        self.commitments = CommitmentRepository(self._files)
        self.artifacts = ArtifactRepository(self._files)
        self.partners = PartnerRepository(self._files)

    @property
    def data_dir(self) -> Path:
        return self.layout.root

    # --- people -------------------------------------------------------------------------------

    def list_profiles(self) -> list[Profile]:
        """All profiles, oldest first."""
        return self.profiles.list()

    def save_profile(self, profile: Profile) -> Profile:
        return self.profiles.add(profile)

    def list_relationships(self, profile_id: str) -> list[Relationship]:
        """The profile's relationships, oldest first."""
        return self.relationships.list_for_profile(profile_id)

    def get_relationship(self, relationship_id: str) -> Relationship | None:
        return self.relationships.get(relationship_id)

    def save_relationship(self, relationship: Relationship) -> Relationship:
        return self.relationships.add(relationship)

    # --- conversations ------------------------------------------------------------------------

    def create_conversation(self, header: ConversationHeader) -> None:
        """Store a new conversation: its summary first, then its session file."""
        self.conversations.create(header)

    def append_entry(self, conversation_id: str, entry: LogEntry, *, done: bool = False) -> None:
        """Store the next input with its effects, durably; LogConflict if ``entry.seq`` is not next."""
        self.conversations.append(conversation_id, entry, done=done)

    def load_conversation(self, conversation_id: str) -> tuple[ConversationHeader, list[LogEntry]] | None:
        """The header and the inputs (sorted by seq) of a conversation, or None."""
        return self.conversations.load(conversation_id)

    def summaries(self, relationship_id: str | None) -> list[SessionSummary]:
        """The conversations of a relationship (None: not tied to one), oldest first: the unfinished
        ones and the newest finished one of each stage and side at least (see coach.store.archive)."""
        return self.conversations.summaries(relationship_id)

    def history_summaries(self, relationship_id: str | None) -> list[SessionSummary]:
        """Every conversation of a relationship, those moved to its history too, oldest first."""
        return self.conversations.history_summaries(relationship_id)

    def last_activity(self, conversation_id: str) -> datetime | None:
        """When the conversation's files last changed (UTC); None if it is not stored."""
        return self.conversations.last_activity(conversation_id)

    def finish_pending(self, relationship_id: str | None) -> int:
        """Complete the storing of effects a crash interrupted; returns how many were fixed."""
        return self.conversations.finish_pending(relationship_id)

    def set_aside(self, conversation_id: str, error: Exception) -> str | None:
        """Move a conversation whose files ``error`` says are damaged into ``damaged/`` (with a
        note); the folder it went to, or None if ``error`` is not damage (see :mod:`coach.store.damaged`)."""
        with self._files.transaction():
            where = set_aside(self.layout, conversation_id, error)
        return None if where is None else str(where)

    def problems(self, relationship_id: str | None) -> dict[str, str]:
        """One line per conversation of the relationship that was set aside or is missing its file."""
        return problems(self.layout, self.summaries(relationship_id))

    # --- what conversations produced ----------------------------------------------------------

    def list_commitments(self, relationship_id: str | None) -> list[Commitment]:
        """All commitments of a relationship (None: not tied to one), oldest first."""
        return self.commitments.list_for_relationship(relationship_id)

    def update_commitment(self, commitment_id: str, status: CommitmentStatus, reason: str | None = None, *,
                          relationship_id: str | None) -> Commitment:
        """Set a commitment's status (and why); KeyError if the relationship has no such commitment."""
        return self.commitments.update_status(commitment_id, status, reason, relationship_id=relationship_id)

    def list_artifacts(self, relationship_id: str | None) -> list[Artifact]:
        """All artifacts of a relationship (None: not tied to one), its history's too, oldest first."""
        return self.artifacts.list_for_relationship(relationship_id)

    def list_open_commitments(self, relationship_id: str | None) -> list[Commitment]:
        return self.commitments.list_open(relationship_id)

    def list_recent_artifacts(self, relationship_id: str | None) -> list[Artifact]:
        return self.artifacts.list_recent(relationship_id)

    # --- what the other person shared ---------------------------------------------------------

    def list_partner_stages(self, relationship_id: str) -> list[PartnerStage]:
        """What the other person of a relationship shared, one record per stage."""
        return self.partners.list_for_relationship(relationship_id)

    def list_own_stages(self, relationship_id: str) -> list[OwnStage]:
        """This person's seals and signatures in a relationship, one record per stage."""
        return self.partners.own_for_relationship(relationship_id)

    def save_exchange(self, relationship_id: str, *, partner: PartnerStage | None = None,
                      own: OwnStage | None = None, artifacts: list[Artifact] | None = None) -> None:
        """Store what the other person shared, this person's seal or signature, and the joint
        documents built from them, at once."""
        self.partners.save(relationship_id, partner=partner, own=own, artifacts=artifacts)

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
