"""What the application service needs from a store: the `Repository` protocol.

`coach.store.Store` implements it on disk (TinyDB files, crash-safe, locked); `MemoryRepository`
(`coach.app.memory`) in memory, for scripted runs, the demo and tests. Both keep the same rules:

* a conversation is stored as its header and its append-only log of inputs;
* `append_entry` adds exactly the next entry (`entry.seq == stored + 1`), else raises
  `LogConflict` and stores nothing: two windows on one conversation never overwrite each other;
* the entry's effects (documents, commitments, reviewed commitments) are stored with it, keyed by
  their ids, so storing them again after a crash stores nothing twice; a conversation's summary
  says `done` once its final entry is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

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


class Repository(Protocol):
    # --- people ----------------------------------------------------------------------------------
    def list_profiles(self) -> list[Profile]: ...

    def save_profile(self, profile: Profile) -> Profile: ...

    def list_relationships(self, profile_id: str) -> list[Relationship]: ...

    def get_relationship(self, relationship_id: str) -> Relationship | None: ...

    def save_relationship(self, relationship: Relationship) -> Relationship: ...

    # --- conversations -----------------------------------------------------------------------------
    def create_conversation(self, header: ConversationHeader) -> None:
        """Store a new conversation (its header first, then its summary: a listed conversation
        can always be opened)."""

    def append_entry(self, conversation_id: str, entry: LogEntry, *, done: bool = False) -> None:
        """Store the next input of a conversation with its effects, durably, before returning.
        `done`: this entry finishes the conversation. Raises `LogConflict` if `entry.seq` is not
        the next one."""

    def load_conversation(self, conversation_id: str) -> tuple[ConversationHeader, list[LogEntry]] | None: ...

    def summaries(self, relationship_id: str | None) -> list[SessionSummary]:
        """The conversations of a relationship (None: not tied to one), oldest first."""

    def last_activity(self, conversation_id: str) -> datetime | None:
        """When the conversation last changed (its last stored input), if it exists."""

    def finish_pending(self, relationship_id: str | None) -> int:
        """Complete the storing of effects that a crash interrupted; returns how many entries."""

    def set_aside(self, conversation_id: str, error: Exception) -> str | None:
        """Move a conversation whose files `error` says are damaged out of the way (nothing is
        deleted); where it went, or None if `error` is not damage or nothing was moved."""

    def problems(self, relationship_id: str | None) -> dict[str, str]:
        """By conversation id, one line for each listed conversation that was set aside or whose
        file is missing."""

    # --- what conversations produced -------------------------------------------------------------
    def list_commitments(self, relationship_id: str | None) -> list[Commitment]: ...

    def update_commitment(self, commitment_id: str, status: CommitmentStatus, reason: str | None = None, *,
                          relationship_id: str | None) -> Commitment:
        """Set a commitment's status (and why); KeyError if the relationship has no such commitment."""

    def list_artifacts(self, relationship_id: str | None) -> list[Artifact]: ...

    def list_open_commitments(self, relationship_id: str | None) -> list[Commitment]:
        """Commitments still to act on (open, partly, not yet), oldest first; costs the same however
        long the history."""

    def list_recent_artifacts(self, relationship_id: str | None) -> list[Artifact]:
        """The documents of the unfinished conversations, of the newest finished one of each stage
        and side, and the joint ones, oldest first; costs the same however long the history (what
        `list_artifacts` adds are older runs of the stages)."""

    # --- what the other person shared (coach merge) ------------------------------------------------
    def list_partner_stages(self, relationship_id: str) -> list[PartnerStage]:
        """One record per stage the other person shared (the newest packet of each)."""

    def list_own_stages(self, relationship_id: str) -> list[OwnStage]:
        """This person's seals and signatures, one record per stage."""

    def save_exchange(self, relationship_id: str, *, partner: PartnerStage | None = None,
                      own: OwnStage | None = None, artifacts: list[Artifact] | None = None) -> None:
        """Store a stage the other person shared (replacing the stage's earlier record), this
        person's record of the stage and the joint documents (replacing those with the same ids),
        all or none."""

    def close(self) -> None: ...
