"""Both sides of an exchange, per relationship and stage (`coach share`, `coach merge`, `coach
sign`): what the other person shared, this person's own seals and signatures, and the joint
documents built from both, stored in one write of the relationship file: all there, or none."""

from __future__ import annotations

from coach.models import Artifact, OwnStage, PartnerStage
from coach.store.effects import empty_relationship, upsert
from coach.store.files import DataFiles
from coach.store.schema import ARTIFACTS, OWN_STAGES, PARTNER_STAGES


class PartnerRepository:
    def __init__(self, files: DataFiles) -> None:
        self._files = files

    def save(self, relationship_id: str, *, partner: PartnerStage | None = None, own: OwnStage | None = None,
             artifacts: list[Artifact] | None = None) -> None:
        """Store `partner` (replacing the stage's earlier one: the newest wins), `own` and
        `artifacts` (replacing those with the same ids) in the relationship's file, at once."""
        with self._files.transaction():
            storage = self._files.relationship_storage(relationship_id)
            tables = storage.read() or empty_relationship()
            tables = dict(tables)
            if partner is not None:
                tables[PARTNER_STAGES] = upsert(tables.get(PARTNER_STAGES, {}), [partner])
            if own is not None:
                tables[OWN_STAGES] = upsert(tables.get(OWN_STAGES, {}), [own])
            if artifacts:
                tables[ARTIFACTS] = upsert(tables.get(ARTIFACTS, {}), artifacts)
            storage.write(tables)

    def list_for_relationship(self, relationship_id: str) -> list[PartnerStage]:
        """The stages the other person shared, oldest packet first."""
        documents = self._files.relationship(relationship_id).table(PARTNER_STAGES).all()
        return sorted((PartnerStage.model_validate(d) for d in documents), key=lambda p: p.created_at)

    def own_for_relationship(self, relationship_id: str) -> list[OwnStage]:
        """This person's seals and signatures, per stage."""
        documents = self._files.relationship(relationship_id).table(OWN_STAGES).all()
        return sorted((OwnStage.model_validate(d) for d in documents), key=lambda o: o.stage)
