"""Commitments: action items with an owner, a due date and a status, kept per relationship."""

from __future__ import annotations

from tinydb import Query

from coach.models import OPEN_COMMITMENTS, Commitment, CommitmentStatus, utcnow
from coach.store.files import DataFiles
from coach.store.schema import COMMITMENTS

TABLE = COMMITMENTS


class CommitmentRepository:
    def __init__(self, files: DataFiles) -> None:
        self._files = files

    def save(self, commitment: Commitment) -> None:
        """Store ``commitment`` in its relationship's file (replacing any with the same id)."""
        with self._files.transaction():
            table = self._files.relationship(commitment.relationship_id).table(TABLE)
            table.upsert(commitment.model_dump(mode="json"), Query().id == commitment.id)

    def get(self, commitment_id: str, *, relationship_id: str | None) -> Commitment | None:
        table = self._files.relationship(relationship_id).table(TABLE)
        document = table.get(Query().id == commitment_id)
        return Commitment.model_validate(document) if isinstance(document, dict) else None

    def list_for_relationship(self, relationship_id: str | None) -> list[Commitment]:
        """All commitments of a relationship (None: not tied to one), its history's too, oldest first."""
        documents = self._files.whole_table(relationship_id, TABLE)
        return sorted((Commitment.model_validate(d) for d in documents), key=lambda c: c.created_at)

    def list_open(self, relationship_id: str | None) -> list[Commitment]:
        """Commitments still to act on: open, partly done or not yet done (not done or dropped).
        They never move to the history, so the relationship file alone has them all."""
        documents = self._files.relationship(relationship_id).table(TABLE).all()
        found = (Commitment.model_validate(d) for d in documents if d.get("status") in OPEN_COMMITMENTS)
        return sorted(found, key=lambda c: c.created_at)

    def update_status(
        self,
        commitment_id: str,
        status: CommitmentStatus,
        reason: str | None = None,
        *,
        relationship_id: str | None,
    ) -> Commitment:
        """Set status and reason (re-read under the lock, so no concurrent update is lost)."""
        with self._files.transaction():
            current = self.get(commitment_id, relationship_id=relationship_id)
            if current is None:
                raise KeyError(commitment_id)
            updated = current.model_copy(update={"status": status, "reason": reason, "updated_at": utcnow()})
            self.save(updated)
        return updated
