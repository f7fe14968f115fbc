"""Migration 1 -> 2: split ``coach.json`` into format-2 files and upgrade its records.

Format 1 kept everything in one TinyDB file ``coach.json`` (tables ``meta``, ``profiles``,
``relationships``, ``sessions``, ``commitments``, ``artifacts``); answers in a session were a
flat ``{slot: raw text}`` mapping; commitments had a ``done`` flag instead of a status.  The
result is a format-2 directory (see :mod:`coach.store.legacy_v2`), which migration 2 -> 3 then
upgrades.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from coach.content.messages import message
from coach.models import Artifact, Commitment, CommitmentStatus, Profile, Relationship
from coach.store import storage
from coach.store.durable import ensure_dir, remove_durably
from coach.store.jsonfile import corrupt, decode_tables, read_raw
from coach.store.layout import Layout
from coach.store.legacy_v2 import INDEX_V2, RELATIONSHIP_V2, SESSION_V2, ConversationState, SessionSummaryV2
from coach.store.storage import describe_validation_error

V1_META_TABLE = "meta"


def _session_v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
    migrated = dict(document)
    at = document.get("updated_at") or document.get("started_at")
    answers: dict[str, Any] = {}
    for slot, raw in (document.get("answers") or {}).items():
        text = "" if raw is None else str(raw)
        answers[slot] = {"slot": slot, "raw": text, "value": raw, "skipped": raw is None, "at": at}
    migrated["answers"] = answers
    return migrated


def _commitment_v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
    migrated = {key: value for key, value in document.items() if key != "done"}
    done = bool(document.get("done", False))
    migrated["status"] = CommitmentStatus.done.value if done else CommitmentStatus.open.value
    migrated.setdefault("reason", None)
    migrated.setdefault("updated_at", document.get("created_at"))
    return migrated


_V1_TABLES: dict[str, tuple[type[BaseModel], Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "profiles": (Profile, dict),
    "relationships": (Relationship, dict),
    "sessions": (ConversationState, _session_v1_to_v2),
    "commitments": (Commitment, _commitment_v1_to_v2),
    "artifacts": (Artifact, dict),
}


def _v1_records(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every v1 record converted to v2 and validated, as JSON documents, by v1 table name."""
    loaded = read_raw(path)
    assert loaded is not None
    raw, _ = loaded
    tables = decode_tables(path, raw)
    unknown = set(tables) - set(_V1_TABLES) - {V1_META_TABLE}
    if unknown:
        raise corrupt(path, raw, message("errors.data.v1_unexpected_tables", tables=sorted(unknown)))
    records: dict[str, list[dict[str, Any]]] = {}
    for name, (model, convert) in _V1_TABLES.items():
        records[name] = []
        for doc_id, document in tables.get(name, {}).items():
            try:
                record = model.model_validate(convert(document))
            except ValidationError as error:
                detail = describe_validation_error(error)
                reason = message("errors.data.v1_cannot_upgrade", table=repr(name), document=doc_id, detail=detail)
                raise corrupt(path, raw, reason) from None
            records[name].append(record.model_dump(mode="json"))
    return records


def numbered(documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {str(number): document for number, document in enumerate(documents, start=1)}


def migrate_v1_to_v2(layout: Layout) -> None:
    """Split ``coach.json`` into per-session and per-relationship files; upgrade the records.

    ``index.json`` is written last: until it exists the directory still reads as format 1, so a
    crash part-way simply re-runs the migration.  ``coach.json`` is removed once it is written
    (the caller has copied it to the backup directory).
    """
    source = layout.legacy_v1_file
    records = _v1_records(source)
    for directory in layout.data_dirs():
        ensure_dir(directory)
    per_relationship: dict[str | None, dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {name: [] for name in RELATIONSHIP_V2.tables}
    )
    for state in records["sessions"]:
        storage.write_file(layout.session_file(state["id"]), SESSION_V2, {"conversation": {"1": state}})
        per_relationship[state["relationship_id"]]["sessions"].append(SessionSummaryV2.fields_of(state))
    for name in ("commitments", "artifacts"):
        for document in records[name]:
            per_relationship[document["relationship_id"]][name].append(document)
    for relationship_id, tables in per_relationship.items():
        content = {name: numbered(documents) for name, documents in tables.items()}
        storage.write_file(layout.relationship_file(relationship_id), RELATIONSHIP_V2, content)
    index = {"profiles": numbered(records["profiles"]), "relationships": numbered(records["relationships"])}
    storage.write_file(layout.index_file, INDEX_V2, index)
    remove_durably(source)
