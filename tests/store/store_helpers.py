"""Small builders shared by the store tests (imported as a plain module: tests/store is on sys.path)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from coach.models import Artifact, Commitment, ConversationHeader, Effects, LogEntry, Role

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def header(relationship_id: str | None = None, flow_id: str = "fit_check", **fields: Any) -> ConversationHeader:
    return ConversationHeader(
        flow_id=flow_id, flow_hash="h1", role=Role.mentee, relationship_id=relationship_id, **fields
    )


def entry(seq: int, text: str | None = None, *, effects: Effects | None = None, **fields: Any) -> LogEntry:
    return LogEntry(
        seq=seq,
        kind="answer",
        text=f"answer {seq}" if text is None else text,
        prompt=f"fit_check.q{seq}",
        at=fields.pop("at", START + timedelta(seconds=seq)),
        today=date(2026, 12, 1),
        effects=effects,
        **fields,
    )


def effects(key: str, relationship_id: str | None, conversation_id: str, **more: Any) -> Effects:
    """One artifact and one commitment with ids derived from ``key`` (as the engine derives them)."""
    return Effects(
        artifacts=[
            Artifact(
                id=f"a-{key}",
                relationship_id=relationship_id,
                session_id=conversation_id,
                stage="fit_check",
                kind="agreement",
                title=f"Agreement {key}",
                markdown=f"# Agreement {key}",
            )
        ],
        commitments=[
            Commitment(
                id=f"c-{key}",
                relationship_id=relationship_id,
                session_id=conversation_id,
                stage="fit_check",
                text=f"do {key}",
            )
        ],
        **more,
    )
