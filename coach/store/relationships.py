"""Relationships: a mentee and a mentor, seen from one profile, with the stage they are at."""

from __future__ import annotations

from tinydb import Query

from coach.models import Relationship, RelationshipStatus
from coach.store.files import DataFiles

TABLE = "relationships"


class RelationshipRepository:
    def __init__(self, files: DataFiles) -> None:
        self._files = files

    def add(self, relationship: Relationship) -> Relationship:
        """Store ``relationship`` (replacing any with the same id) and return it."""
        with self._files.transaction():
            table = self._files.index().table(TABLE)
            table.upsert(relationship.model_dump(mode="json"), Query().id == relationship.id)
        return relationship

    def get(self, relationship_id: str) -> Relationship | None:
        document = self._files.index().table(TABLE).get(Query().id == relationship_id)
        return Relationship.model_validate(document) if isinstance(document, dict) else None

    def list_for_profile(self, profile_id: str) -> list[Relationship]:
        """The profile's relationships, oldest first."""
        documents = self._files.index().table(TABLE).search(Query().profile_id == profile_id)
        return sorted((Relationship.model_validate(d) for d in documents), key=lambda r: r.created_at)

    def update_status(self, relationship_id: str, status: RelationshipStatus) -> Relationship:
        """Set the relationship's status (re-read under the lock); KeyError if it does not exist."""
        with self._files.transaction():
            table = self._files.index().table(TABLE)
            document = table.get(Query().id == relationship_id)
            if not isinstance(document, dict):
                raise KeyError(relationship_id)
            updated = Relationship.model_validate(document).model_copy(update={"status": status})
            table.update(updated.model_dump(mode="json"), Query().id == relationship_id)
        return updated
