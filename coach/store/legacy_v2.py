"""Data format 2, kept to read (and, from format 1, write) it during a migration.

Format 2 stored each session as the engine's whole state, :class:`ConversationState`, in
``sessions/<id>.json`` (a TinyDB snapshot whose ``_meta`` has the ``seq`` of that state) plus
``sessions/<id>.journal`` (JSON lines ``{"seq": n, "v": 2, "tables": {...}}``, each a complete
newer state).  The latest state is the one with the highest ``seq`` among the snapshot and the
complete journal lines; a final line without its newline was never acknowledged and is ignored.
Relationship files summarised sessions with :class:`SessionSummaryV2`.

The models below are those of format 2, unchanged; nothing outside the migrations uses them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.content.messages import Later, message
from coach.models import Answer, Artifact, Commitment, Profile, Relationship, Role, new_id, utcnow
from coach.store.jsonfile import check_shape, corrupt, decode_tables, read_raw
from coach.store.schema import META_DOC_ID, META_TABLE, FileSchema
from coach.store.storage import check_meta, describe_validation_error

V2 = 2


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class SessionSummaryV2(_Data):
    """What a format-2 relationship file remembered about each session."""

    id: str
    flow_id: str
    relationship_id: str | None
    role: Role
    status: ConversationStatus
    started_at: datetime

    @classmethod
    def fields_of(cls, document: Mapping[str, Any]) -> dict[str, Any]:
        """The summary fields of a (JSON-dumped) conversation state, as plain JSON values."""
        return {name: document.get(name) for name in cls.model_fields}


INDEX_V2 = FileSchema("index", {"profiles": Profile, "relationships": Relationship}, version=V2)
RELATIONSHIP_V2 = FileSchema(
    "relationship", {"sessions": SessionSummaryV2, "commitments": Commitment, "artifacts": Artifact}, version=V2
)
SESSION_V2 = FileSchema("session", {"conversation": ConversationState}, version=V2)


def read_v2_session(snapshot: Path, journal: Path) -> ConversationState | None:
    """The latest state of a format-2 session file pair; None if it holds none.  Raises
    CorruptDataError (the bytes set aside) for anything format 2 never wrote."""
    document: Any = None
    seq, path = 0, snapshot
    loaded = read_raw(snapshot)
    if loaded is not None:
        raw = loaded[0]
        tables = decode_tables(snapshot, raw)
        check_meta(snapshot, raw, tables, SESSION_V2)
        seq = tables[META_TABLE][META_DOC_ID].get("seq", 0)
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise corrupt(snapshot, raw, message("errors.journal.meta_seq"))
        document = tables.get("conversation", {}).get("1")
    journal_loaded = read_raw(journal)
    if journal_loaded is not None:
        raw = journal_loaded[0]
        end = raw.rfind(b"\n")
        lines = raw[:end].split(b"\n") if end >= 0 else []
        previous = 0
        for number, line in enumerate(lines, start=1):
            line_seq, tables = _v2_line(journal, raw, line, number)
            if line_seq <= previous:
                raise corrupt(journal, raw, message("errors.journal.out_of_order", line=number, seq=line_seq))
            previous = line_seq
            if line_seq > seq:
                seq, document, path = line_seq, tables.get("conversation", {}).get("1"), journal
    if document is None:
        return None
    try:
        return ConversationState.model_validate(document)
    except ValidationError as error:
        source = read_raw(path)
        reason = message("errors.data.cannot_upgrade", detail=describe_validation_error(error))
        raise corrupt(path, b"" if source is None else source[0], reason) from None


def _v2_line(path: Path, raw: bytes, line: bytes, number: int) -> tuple[int, dict[str, dict[str, Any]]]:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        raise corrupt(path, raw, message("errors.journal.not_json_v2", line=number)) from None
    seq = data.get("seq") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("v") != V2 or not isinstance(seq, int) or isinstance(seq, bool):
        raise corrupt(path, raw, message("errors.journal.not_entry_v2", line=number))
    return seq, check_shape(path, raw, data.get("tables"), Later("errors.journal.at_line", line=number))
