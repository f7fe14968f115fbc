"""Artifacts: what a stage leaves the user with (report, agreement, agenda), per relationship."""

from __future__ import annotations

from tinydb import Query

from coach.models import Artifact
from coach.store.files import DataFiles
from coach.store.schema import ARTIFACTS

TABLE = ARTIFACTS


class ArtifactRepository:
    def __init__(self, files: DataFiles) -> None:
        self._files = files

    def save(self, artifact: Artifact) -> None:
        """Store ``artifact`` in its relationship's file (replacing any with the same id)."""
        with self._files.transaction():
            table = self._files.relationship(artifact.relationship_id).table(TABLE)
            table.upsert(artifact.model_dump(mode="json"), Query().id == artifact.id)

    def list_for_relationship(self, relationship_id: str | None) -> list[Artifact]:
        """All artifacts of a relationship (None: not tied to one), its history's too, oldest first."""
        documents = self._files.whole_table(relationship_id, TABLE)
        return sorted((Artifact.model_validate(d) for d in documents), key=lambda a: a.created_at)

    def list_recent(self, relationship_id: str | None) -> list[Artifact]:
        """The artifacts of the conversations not moved to the history (the unfinished ones and the
        newest finished one of each stage and side) and the joint documents, oldest first."""
        documents = self._files.relationship(relationship_id).table(TABLE).all()
        return sorted((Artifact.model_validate(d) for d in documents), key=lambda a: a.created_at)

    def list_for_session(self, session_id: str, *, relationship_id: str | None) -> list[Artifact]:
        """Artifacts produced by one conversation of the relationship."""
        return [a for a in self.list_for_relationship(relationship_id) if a.session_id == session_id]
