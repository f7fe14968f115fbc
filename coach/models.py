"""Shared plain-data types: what a conversation is, what it produced.

Everything here is pydantic, JSON-serialisable, and free of behaviour beyond validation, so the
engine, the store and every client can exchange it.  Nothing here imports the engine, the store
or any UI.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt

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


# --- records the store keeps beyond conversations ----------------------------------------------


class Profile(_Data):
    id: str = Field(default_factory=new_id)
    name: str
    role: Role
    timezone: str | None = Field(default=None, description="IANA time zone of this person, e.g. Europe/Lisbon")
    locale: str | None = Field(default=None, description="the language this person uses the coach in, e.g. es")
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


# still to act on: reviewed at a stage's start, listed on the home screen (a StrEnum: stored strings match too)
OPEN_COMMITMENTS = frozenset({CommitmentStatus.open, CommitmentStatus.partly, CommitmentStatus.not_yet})


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
    names: dict[str, str] = Field(default_factory=dict, description="the people: name, other_name, mentee_name, ...")
    format: Literal["markdown", "text"] = Field(default="markdown", description="text: plain, to paste as it is")
    audience: Literal["self", "partner"] = Field(default="self", description="partner: written to be sent")
    timezone: str | None = Field(default=None, description="IANA time zone its times are in (the author's)")
    created_at: datetime = Field(default_factory=utcnow)


# --- what one person shares with the other: `coach share` writes it, `coach merge` reads it ------
# Limits keep a packet from the other person (or from anyone) small and flat: every string, list
# and mapping is bounded, and a value is a scalar or a list of scalars or of flat mappings.

NAME_MAX = 200
TEXT_MAX = 20_000
DOCUMENT_MAX = 200_000
SharedId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
SharedScalar = Annotated[str, Field(max_length=TEXT_MAX)] | StrictBool | StrictInt | StrictFloat | None
SharedItem = SharedScalar | Annotated[dict[SharedId, SharedScalar], Field(max_length=20)]
SharedValue = SharedScalar | Annotated[list[SharedItem], Field(max_length=100)]


class SharedAnswer(_Data):
    """One answer the sender lets the other person see: the slot, its label, the value as stored
    and as shown."""

    slot: SharedId
    label: str = Field(max_length=NAME_MAX)
    value: SharedValue = None
    shown: str = Field(max_length=TEXT_MAX)


class SharedDocument(_Data):
    """A document of the stage written to be sent (audience: partner), as the sender kept it."""

    kind: SharedId
    title: str = Field(max_length=NAME_MAX)
    markdown: str = Field(max_length=DOCUMENT_MAX)
    format: Literal["markdown", "text"] = "markdown"


class SharedPart(_Data):
    """What a later kind of exchange adds to a stage (a seal, a signature): a kind and flat data.
    Nothing in the first version makes one; a reader keeps what it is given."""

    kind: SharedId
    data: Annotated[dict[SharedId, SharedValue], Field(max_length=50)] = Field(default_factory=dict)


class SharedStage(_Data):
    """One stage as one side lets the other see it: generic over stages (answers by slot, the
    documents written to be sent, and parts for later kinds of exchange)."""

    stage: SharedId
    flow_id: SharedId
    role: Role
    finished_at: datetime
    answers: Annotated[list[SharedAnswer], Field(max_length=300)] = Field(default_factory=list)
    documents: Annotated[list[SharedDocument], Field(max_length=20)] = Field(default_factory=list)
    parts: Annotated[list[SharedPart], Field(max_length=20)] = Field(default_factory=list)

    def values(self) -> dict[str, Any]:
        """The shared answers' values by slot."""
        return {a.slot: a.value for a in self.answers}


class PartnerStage(_Data):
    """A stage the other person shared, as merged into one relationship (the newest per stage)."""

    id: str
    relationship_id: str
    stage: str
    sender_name: str = Field(max_length=NAME_MAX)
    sender_role: Role
    created_at: datetime = Field(description="when the other person wrote the packet")
    received_at: datetime = Field(default_factory=utcnow)
    checksum: str
    shared: SharedStage

    @staticmethod
    def key(relationship_id: str, stage: str) -> str:
        return f"{relationship_id}.partner.{stage}"


class Seal(_Data):
    """This person's sealed share of a stage (two-way feedback with a fair reveal): the content as
    it was sealed, the random salt and the hash the other person was sent first. The content is
    revealed (sent) only once the other person's seal has been merged, and it is this content, not
    a later conversation, that is revealed."""

    session_id: str
    salt: str = Field(pattern=r"^[0-9a-f]{32}$")
    hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")
    sealed_at: datetime
    content: SharedStage
    revealed_at: datetime | None = None
    partner_hash: str | None = Field(default=None, description="the other person's seal this one was revealed against")


class Signature(_Data):
    """One person's signature of a joint agreement: who, when, and the hash of the agreed text
    they signed (a later change of the text makes it a signature of an earlier version)."""

    name: str = Field(max_length=NAME_MAX)
    role: Role
    text_hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")
    signed_at: datetime


class OwnStage(_Data):
    """This person's side of an exchange of one stage: what they last sent the other person (the
    joint documents are built from it, so both sides build the same), their seal, the other
    person's seals they have revealed theirs against, their signatures."""

    id: str
    relationship_id: str
    stage: str
    sent: SharedStage | None = None
    sent_at: datetime | None = None
    seal: Seal | None = None
    answered: list[str] = Field(default_factory=list)
    signatures: list[Signature] = Field(default_factory=list)

    @staticmethod
    def key(relationship_id: str, stage: str) -> str:
        return f"{relationship_id}.own.{stage}"


# --- a conversation: who and what it is, and what the user did ---------------------------------


class ConversationStatus(StrEnum):
    active = "active"
    paused = "paused"
    done = "done"


class ConversationHeader(_Data):
    """What a conversation is, apart from what the user did in it: written once, when it starts.

    Everything else about a conversation (where it is, the answers, the documents) is derived by
    replaying its log of :class:`LogEntry` records through the flow."""

    id: str = Field(default_factory=new_id)
    flow_id: str
    flow_hash: str
    role: Role
    locale: str = "en"
    relationship_id: str | None = None
    context: dict[str, str] = Field(default_factory=dict)
    timezone: str | None = Field(default=None, description="IANA time zone of the person talking")
    memory: dict[str, Any] = Field(default_factory=dict, description="what earlier stages hold (offered back)")
    review: list[Commitment] = Field(default_factory=list, description="open commitments reviewed first")
    started_at: datetime = Field(default_factory=utcnow)
    migrated_from: int | None = Field(default=None, description="data format this log was rebuilt from")


Span = tuple[int, int]


class Effects(_Data):
    """What one input produced beyond the conversation itself, to be stored with it: the stage's
    documents and commitments at its end, and the review of earlier commitments. Ids are derived
    from the conversation, so storing the same effects twice stores nothing new."""

    artifacts: list[Artifact] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    reviewed: list[Commitment] = Field(default_factory=list, description="earlier commitments with a new status")

    @property
    def empty(self) -> bool:
        return not (self.artifacts or self.commitments or self.reviewed)


class LogEntry(_Data):
    """One thing the user did in a conversation, in order: an answer (to whatever prompt was
    open) or a command (`skip`, `back`). `prompt` names the prompt it was given at, so a replay
    into an edited flow can tell which question an answer belongs to.

    `keep`, when set, rewrites the effective list of inputs after this entry is added: it
    becomes the given half-open spans of that list, in order (a `/back` drops the inputs it
    undoes; an edit from the summary puts the new answer where the old one was). Entries are
    only ever appended; the effective list is derived from them (see `effective_inputs`)."""

    seq: int = Field(ge=1)
    kind: Literal["answer", "command", "flow_changed"]
    text: str = ""
    prompt: str = ""
    at: datetime = Field(default_factory=utcnow)
    today: date
    keep: list[Span] | None = None
    flow_hash: str | None = Field(default=None, description="flow_changed: the flow version replayed into")
    effects: Effects | None = None


class DataError(Exception):
    """The data folder could not be read or written as asked (the store's errors are these);
    `str(error)` is one line that says what to do."""


class LogConflict(Exception):
    """The conversation's stored log moved on (another window added to it) since it was read.
    Never shown to a user (the service catches it and replays), so its text is for developers."""

    def __init__(self, conversation_id: str, expected: int, found: int) -> None:
        super().__init__(f"log conflict: conversation {conversation_id}, expected {expected} stored inputs, "
                         f"found {found}")
        self.conversation_id = conversation_id
        self.expected = expected
        self.found = found


def effective_inputs(entries: list[LogEntry]) -> list[LogEntry]:
    """The inputs that count, in order: every entry appended, then each `keep` applied."""
    current: list[LogEntry] = []
    for entry in entries:
        current.append(entry)
        if entry.keep is not None:
            current = [e for start, end in entry.keep for e in current[start:end]]
    return current


class SessionSummary(_Data):
    """What a relationship remembers about each of its conversations, to list them without
    opening each: the flow, whose side, whether it is done, and (`pending`) the input whose
    effects are being stored, while that happens."""

    id: str
    flow_id: str
    relationship_id: str | None
    role: Role
    status: ConversationStatus = ConversationStatus.active
    started_at: datetime
    pending: int | None = None
    finished_at: datetime | None = None  # when its last input was given (done conversations)

    @staticmethod
    def newest_finished(summaries: Iterable[SessionSummary]) -> dict[tuple[str, str], SessionSummary]:
        """By (flow id, role), the conversation finished last (its start, for ones stored before
        finished_at was)."""
        newest: dict[tuple[str, str], SessionSummary] = {}
        for s in summaries:
            if s.status == ConversationStatus.done:
                key = (s.flow_id, s.role.value)
                if key not in newest or (s.finished_at or s.started_at) >= (newest[key].finished_at
                                                                            or newest[key].started_at):
                    newest[key] = s
        return newest

    @classmethod
    def of(cls, header: ConversationHeader) -> SessionSummary:
        """The summary of a conversation that has just started."""
        return cls(id=header.id, flow_id=header.flow_id, relationship_id=header.relationship_id,
                   role=header.role, started_at=header.started_at)
