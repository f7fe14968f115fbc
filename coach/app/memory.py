"""`MemoryRepository`: the `Repository` in memory, for scripted runs, the demo and tests.

It keeps the rules of the durable store (see `coach.app.ports`): only the next entry may be
appended, effects are upserted by id, a conversation is done once its final entry is stored.
Records are copied in and out, so callers never share state with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from pydantic import BaseModel

from coach.models import (
    OPEN_COMMITMENTS,
    Artifact,
    Commitment,
    CommitmentStatus,
    ConversationHeader,
    ConversationStatus,
    LogConflict,
    LogEntry,
    OwnStage,
    PartnerStage,
    Profile,
    Relationship,
    SessionSummary,
    utcnow,
)

_M = TypeVar("_M", bound=BaseModel)


def _copy(record: _M) -> _M:
    return record.model_copy(deep=True)


class MemoryRepository:
    def __init__(self) -> None:
        self.profiles: dict[str, Profile] = {}
        self.relationships: dict[str, Relationship] = {}
        self.headers: dict[str, ConversationHeader] = {}
        self.logs: dict[str, list[LogEntry]] = {}
        self.summaries_by_id: dict[str, SessionSummary] = {}
        self.commitments: dict[str, Commitment] = {}
        self.artifacts: dict[str, Artifact] = {}
        self.partner_stages: dict[str, PartnerStage] = {}
        self.own_stages: dict[str, OwnStage] = {}

    # --- people ----------------------------------------------------------------------------------

    def list_profiles(self) -> list[Profile]:
        return sorted(map(_copy, self.profiles.values()), key=lambda p: p.created_at)

    def save_profile(self, profile: Profile) -> Profile:
        self.profiles[profile.id] = _copy(profile)
        return profile

    def list_relationships(self, profile_id: str) -> list[Relationship]:
        mine = (r for r in self.relationships.values() if r.profile_id == profile_id)
        return sorted(map(_copy, mine), key=lambda r: r.created_at)

    def get_relationship(self, relationship_id: str) -> Relationship | None:
        found = self.relationships.get(relationship_id)
        return _copy(found) if found else None

    def save_relationship(self, relationship: Relationship) -> Relationship:
        self.relationships[relationship.id] = _copy(relationship)
        return relationship

    # --- conversations ---------------------------------------------------------------------------

    def create_conversation(self, header: ConversationHeader) -> None:
        self.summaries_by_id[header.id] = SessionSummary.of(header)
        self.headers[header.id] = _copy(header)
        self.logs[header.id] = []

    def append_entry(self, conversation_id: str, entry: LogEntry, *, done: bool = False) -> None:
        log = self.logs[conversation_id]
        if entry.seq != len(log) + 1:
            raise LogConflict(conversation_id, entry.seq - 1, len(log))
        log.append(_copy(entry))
        effects = entry.effects
        if effects is not None:
            self.artifacts.update((a.id, _copy(a)) for a in effects.artifacts)
            self.commitments.update((c.id, _copy(c)) for c in [*effects.commitments, *effects.reviewed])
        if done:
            summary = self.summaries_by_id[conversation_id]
            self.summaries_by_id[conversation_id] = summary.model_copy(update={"status": ConversationStatus.done})

    def load_conversation(self, conversation_id: str) -> tuple[ConversationHeader, list[LogEntry]] | None:
        if conversation_id not in self.headers:
            return None
        return _copy(self.headers[conversation_id]), [_copy(e) for e in self.logs[conversation_id]]

    def summaries(self, relationship_id: str | None) -> list[SessionSummary]:
        mine = (s for s in self.summaries_by_id.values() if s.relationship_id == relationship_id)
        return sorted(map(_copy, mine), key=lambda s: s.started_at)

    def last_activity(self, conversation_id: str) -> datetime | None:
        if conversation_id not in self.headers:
            return None
        log = self.logs[conversation_id]
        return log[-1].at if log else self.headers[conversation_id].started_at

    def finish_pending(self, relationship_id: str | None) -> int:
        return 0  # nothing is ever half-stored in memory

    def set_aside(self, conversation_id: str, error: Exception) -> str | None:
        return None  # nothing in memory is ever damaged

    def problems(self, relationship_id: str | None) -> dict[str, str]:
        return {}

    # --- what conversations produced -------------------------------------------------------------

    def list_commitments(self, relationship_id: str | None) -> list[Commitment]:
        mine = (c for c in self.commitments.values() if c.relationship_id == relationship_id)
        return sorted(map(_copy, mine), key=lambda c: c.created_at)

    def update_commitment(self, commitment_id: str, status: CommitmentStatus, reason: str | None = None, *,
                          relationship_id: str | None) -> Commitment:
        current = self.commitments.get(commitment_id)
        if current is None or current.relationship_id != relationship_id:
            raise KeyError(commitment_id)
        self.commitments[commitment_id] = current.model_copy(update={"status": status, "reason": reason,
                                                                      "updated_at": utcnow()})
        return _copy(self.commitments[commitment_id])

    def list_artifacts(self, relationship_id: str | None) -> list[Artifact]:
        mine = (a for a in self.artifacts.values() if a.relationship_id == relationship_id)
        return sorted(map(_copy, mine), key=lambda a: a.created_at)

    def list_open_commitments(self, relationship_id: str | None) -> list[Commitment]:
        return [c for c in self.list_commitments(relationship_id) if c.status in OPEN_COMMITMENTS]

    def list_recent_artifacts(self, relationship_id: str | None) -> list[Artifact]:
        return self.list_artifacts(relationship_id)  # nothing moves to a history in memory

    # --- what the other person shared ---------------------------------------------------------

    def list_partner_stages(self, relationship_id: str) -> list[PartnerStage]:
        mine = (p for p in self.partner_stages.values() if p.relationship_id == relationship_id)
        return sorted(map(_copy, mine), key=lambda p: p.created_at)

    def list_own_stages(self, relationship_id: str) -> list[OwnStage]:
        mine = (o for o in self.own_stages.values() if o.relationship_id == relationship_id)
        return sorted(map(_copy, mine), key=lambda o: o.stage)

    def save_exchange(self, relationship_id: str, *, partner: PartnerStage | None = None,
                      own: OwnStage | None = None, artifacts: list[Artifact] | None = None) -> None:
        if partner is not None:
            self.partner_stages[partner.id] = _copy(partner)
        if own is not None:
            self.own_stages[own.id] = _copy(own)
        self.artifacts.update((a.id, _copy(a)) for a in artifacts or [])

    def close(self) -> None:
        """Nothing to release."""
