"""What a relationship file gains from a conversation: its summary, and the effects of its inputs.

Pure functions on a relationship file's tables (``sessions``, ``commitments``, ``artifacts``):
each returns new tables and never mutates its argument, so a caller can compute the whole next
content of the file and write it once.  Records are upserted by their ``id``: applying the same
effects twice leaves exactly one record per id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from coach.models import Effects, SessionSummary
from coach.store.jsonfile import Tables
from coach.store.schema import ARTIFACTS, COMMITMENTS, RELATIONSHIP, SUMMARIES


def empty_relationship() -> Tables:
    return {name: {} for name in RELATIONSHIP.tables}


def upsert(table: Mapping[str, dict[str, Any]], records: Iterable[BaseModel]) -> dict[str, dict[str, Any]]:
    """``table`` with each record replacing the document of the same ``id``, or added after the
    last document id."""
    result = dict(table)
    where = {document.get("id"): doc_id for doc_id, document in result.items()}
    next_id = max((int(doc_id) for doc_id in result), default=0) + 1
    for record in records:
        document = record.model_dump(mode="json")
        doc_id = where.get(document["id"])
        if doc_id is None:
            doc_id = where[document["id"]] = str(next_id)
            next_id += 1
        result[doc_id] = document
    return result


def with_effects(tables: Tables, effects: Effects | None) -> Tables:
    """``tables`` with the artifacts, new commitments and reviewed commitments of ``effects``."""
    if effects is None or effects.empty:
        return tables
    result = dict(tables)
    result[ARTIFACTS] = upsert(tables.get(ARTIFACTS, {}), effects.artifacts)
    result[COMMITMENTS] = upsert(tables.get(COMMITMENTS, {}), [*effects.commitments, *effects.reviewed])
    return result


def with_summary(tables: Tables, summary: SessionSummary) -> Tables:
    result = dict(tables)
    result[SUMMARIES] = upsert(tables.get(SUMMARIES, {}), [summary])
    return result


def find_summary(tables: Tables, conversation_id: str) -> SessionSummary | None:
    for document in tables.get(SUMMARIES, {}).values():
        if document.get("id") == conversation_id:
            return SessionSummary.model_validate(document)
    return None


def pending(tables: Tables) -> list[SessionSummary]:
    """Summaries whose input's effects were being stored when the process stopped."""
    summaries = (SessionSummary.model_validate(d) for d in tables.get(SUMMARIES, {}).values())
    return [s for s in summaries if s.pending is not None]
