"""What the other person shared, per relationship and stage (`coach merge`), stored with the joint
documents built from it in one write of the relationship file: both are there, or neither."""

from __future__ import annotations

from coach.models import Artifact, PartnerStage
from coach.store.effects import empty_relationship, upsert
from coach.store.files import DataFiles
from coach.store.schema import ARTIFACTS, PARTNER_STAGES


class PartnerRepository:
    def __init__(self, files: DataFiles) -> None:
        self._files = files

    def save(self, record: PartnerStage, artifacts: list[Artifact]) -> None:
        """Store `record` (replacing the stage's earlier one: the newest wins) and `artifacts`
        (replacing those with the same ids) in its relationship's file, at once."""
        with self._files.transaction():
            storage = self._files.relationship_storage(record.relationship_id)
            tables = storage.read() or empty_relationship()
            tables = {**tables, PARTNER_STAGES: upsert(tables.get(PARTNER_STAGES, {}), [record]),
                      ARTIFACTS: upsert(tables.get(ARTIFACTS, {}), artifacts)}
            storage.write(tables)

    def list_for_relationship(self, relationship_id: str) -> list[PartnerStage]:
        """The stages the other person shared, oldest packet first."""
        documents = self._files.relationship(relationship_id).table(PARTNER_STAGES).all()
        return sorted((PartnerStage.model_validate(d) for d in documents), key=lambda p: p.created_at)
