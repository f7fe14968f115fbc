"""Shared plain-data types: what a conversation is, what it produced.

Everything here is pydantic, JSON-serialisable, and free of behaviour beyond validation, so the
engine, the store and every client can exchange it.  Nothing here imports the engine, the store
or any UI.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Literal
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field

STAGES: tuple[str, ...] = ("fit_check", "commitment", "feedback", "empowerment", "gratitude", "moving_on")
# Names a client passes in a conversation's context; flow texts may use them as $name etc.
# The engine fills in neutral defaults ("you", "your mentor") when a client knows none.
CONTEXT_NAMES: tuple[str, ...] = ("name", "other_name", "mentee_name", "mentor_name")


class Role(StrEnum):
    mentee = "mentee"
    mentor = "mentor"


def new_id() -> str:
    return uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso_date(value: Any) -> date | None:
    """The date of an ISO `YYYY-MM-DD` string (how date slots are stored), else None."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Probe(_Data):
    """One follow-up question asked about a vague answer, and what the user said to it."""

    kind: str
    prompt_key: str
    answer: str | None = None


class Answer(_Data):
    """What the user said for one slot: the raw text, the parsed value, and any probes."""

    slot: str
    raw: str
    value: Any = None
    probes: list[Probe] = Field(default_factory=list)
    skipped: bool = False
    gave_up: bool = False
    at: datetime = Field(default_factory=utcnow)

    @property
    def text(self) -> str:
        """The raw answer followed by the answers to its probes."""
        parts = [self.raw, *(p.answer for p in self.probes if p.answer)]
        return " — ".join(p for p in parts if p)


class Event(_Data):
    """One entry of a conversation's event log."""

    kind: str
    step: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    at: datetime = Field(default_factory=utcnow)


class Frame(_Data):
    """One level of the flow call stack: which flow, which step, and where to go back to."""

    flow_id: str
    step: str
    return_step: str | None = None


class PendingProbe(_Data):
    slot: str
    step: str
    kinds_asked: list[str] = Field(default_factory=list)


class Checkpoint(_Data):
    """The state as it was when a question was first put to the user (for /back)."""

    stack: list[Frame]
    slots: dict[str, Any]
    answers: dict[str, Answer]
    attempts: dict[str, int]
    visited: list[str]


class ReviewItem(_Data):
    """A commitment from an earlier session, reviewed at the start of this one."""

    commitment: Commitment
    status: str | None = None
    reason: str | None = None


class ConversationStatus(StrEnum):
    active = "active"
    paused = "paused"
    done = "done"


class ConversationState(_Data):
    """Everything needed to resume a conversation exactly where it was: plain data, never pickles."""

    schema_version: int = 1
    id: str = Field(default_factory=new_id)
    flow_id: str
    flow_hash: str
    role: Role
    locale: str = "en"
    relationship_id: str | None = None
    status: ConversationStatus = ConversationStatus.active
    stack: list[Frame] = Field(default_factory=list)
    slots: dict[str, Any] = Field(default_factory=dict)
    answers: dict[str, Answer] = Field(default_factory=dict)
    attempts: dict[str, int] = Field(default_factory=dict)
    visited: list[str] = Field(default_factory=list)
    phrase_counts: dict[str, int] = Field(default_factory=dict)
    last_ack: str | None = None
    mode: Literal["answer", "probe", "confirm", "pick_edit", "review", "review_reason"] = "answer"
    review: list[ReviewItem] = Field(default_factory=list)
    review_index: int = 0
    pending_probe: PendingProbe | None = None
    edit_return: str | None = None
    context: dict[str, str] = Field(default_factory=dict)
    checkpoints: list[Checkpoint] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    started_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def step(self) -> str | None:
        return self.stack[-1].step if self.stack else None


# --- records the store keeps beyond conversations ----------------------------------------------


class Profile(_Data):
    id: str = Field(default_factory=new_id)
    name: str
    role: Role
    created_at: datetime = Field(default_factory=utcnow)


class RelationshipStatus(StrEnum):
    exploring = "exploring"
    active = "active"
    transitioning = "transitioning"
    closed = "closed"


class Relationship(_Data):
    id: str = Field(default_factory=new_id)
    profile_id: str
    other_name: str
    mentee_name: str
    mentor_name: str
    status: RelationshipStatus = RelationshipStatus.exploring
    created_at: datetime = Field(default_factory=utcnow)


class CommitmentStatus(StrEnum):
    open = "open"
    done = "done"
    partly = "partly"
    not_yet = "not_yet"
    dropped = "dropped"


class Commitment(_Data):
    """An action item someone committed to during a stage."""

    id: str = Field(default_factory=new_id)
    relationship_id: str | None = None
    session_id: str | None = None
    stage: str
    text: str
    owner: Literal["mentee", "mentor", "both"] = "mentee"
    due: date | None = None
    status: CommitmentStatus = CommitmentStatus.open
    reason: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


ReviewItem.model_rebuild()
ConversationState.model_rebuild()


class Artifact(_Data):
    """Something a stage leaves the user with: a report, an agreement, an agenda, a message."""

    id: str = Field(default_factory=new_id)
    relationship_id: str | None = None
    session_id: str | None = None
    stage: str
    kind: str
    title: str
    markdown: str
    data: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime = Field(default_factory=utcnow)
