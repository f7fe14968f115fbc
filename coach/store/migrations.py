"""Data format versions and the migrations between them.

The format version of a data directory is stored in the ``_meta`` table of ``index.json`` (and
of every other file).  Opening a directory written in an older format runs the registered
migrations in order, after copying every data file to ``backups/pre-v<N>-<timestamp>/``.
A directory written by a newer coach is refused with :class:`NewerVersionError` and left alone.

Format history:

1. everything in one TinyDB file ``coach.json`` (tables ``meta``, ``profiles``,
   ``relationships``, ``sessions``, ``commitments``, ``artifacts``); answers in a session were
   a flat ``{slot: raw text}`` mapping; commitments had a ``done`` flag instead of a status.
2. one file per session and per relationship plus ``index.json`` (see :mod:`coach.store.layout`);
   answers are :class:`coach.models.Answer` records; commitments have ``status``, ``reason``
   and ``updated_at``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from coach.models import Artifact, Commitment, CommitmentStatus, ConversationState, Profile, Relationship
from coach.store.durable import durable_copy, ensure_dir, remove_durably
from coach.store.errors import NewerVersionError
from coach.store.jsonfile import Tables, corrupt, decode_tables, read_raw
from coach.store.layout import Layout
from coach.store.schema import (
    INDEX,
    META_DOC_ID,
    META_TABLE,
    RELATIONSHIP,
    SCHEMA_VERSION,
    SESSION,
    FileSchema,
    SessionSummary,
)
from coach.store.storage import AtomicJSONStorage, describe_validation_error

CURRENT_SCHEMA_VERSION = SCHEMA_VERSION
V1_META_TABLE = "meta"

Migration = Callable[[Layout], None]


def _version_in(tables: Any, meta_table: str) -> int | None:
    meta = tables.get(meta_table, {}).get(META_DOC_ID) if isinstance(tables, dict) else None
    if not isinstance(meta, dict):
        return None
    version = meta.get("schema_version")
    return version if isinstance(version, int) and not isinstance(version, bool) else None


def _read_version(path: Path, meta_table: str, versions: range) -> int | None:
    """The format version recorded in ``path`` (one of ``versions``); None if there is no file."""
    loaded = read_raw(path)
    if loaded is None:
        return None
    raw, _ = loaded
    try:  # a newer coach may have changed more than the version: check that first
        early = _version_in(json.loads(raw), meta_table)
    except ValueError:
        early = None
    if early is not None and early > CURRENT_SCHEMA_VERSION:
        raise NewerVersionError(path, early, CURRENT_SCHEMA_VERSION)
    version = _version_in(decode_tables(path, raw), meta_table)
    if version is None:
        raise corrupt(path, raw, "it has no data format version, so it was not written by coach")
    if version not in versions:
        raise corrupt(path, raw, f"it claims data format {version}, which never had this file")
    return version


def detect_version(layout: Layout) -> int | None:
    """The format version of the data directory, or None if it holds no coach data yet."""
    version = _read_version(layout.index_file, META_TABLE, versions=range(2, CURRENT_SCHEMA_VERSION + 1))
    if version is not None:
        return version
    return _read_version(layout.legacy_v1_file, V1_META_TABLE, versions=range(1, 2))


def write_file(path: Path, schema: FileSchema, tables: Tables) -> None:
    AtomicJSONStorage(path, schema=schema).write(tables)


def initialise(layout: Layout) -> None:
    write_file(layout.index_file, INDEX, {name: {} for name in INDEX.tables})


def backup(layout: Layout, target_version: int) -> Path:
    """Copy every data file to a new ``backups/pre-v<target>-<timestamp>/`` directory."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    destination = layout.backups_dir / f"pre-v{target_version}-{stamp}"
    ensure_dir(destination)
    for source in layout.data_files():
        target = destination / source.relative_to(layout.root)
        ensure_dir(target.parent)
        durable_copy(source, target)
    return destination


def prepare(layout: Layout) -> tuple[int | None, Path | None]:
    """Make the directory current: create it, or migrate it (caller holds the lock).

    Returns the version migrated from and the backup directory (both None if nothing was done).
    """
    version = detect_version(layout)
    if version is None:
        initialise(layout)
        return None, None
    if version > CURRENT_SCHEMA_VERSION:  # pragma: no cover - _read_version raises first
        raise NewerVersionError(layout.index_file, version, CURRENT_SCHEMA_VERSION)
    if version == CURRENT_SCHEMA_VERSION:
        return None, None
    backup_dir = backup(layout, CURRENT_SCHEMA_VERSION)
    for step in range(version, CURRENT_SCHEMA_VERSION):
        MIGRATIONS[step](layout)
    return version, backup_dir


# --- 1 -> 2 -------------------------------------------------------------------------------------


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
        raise corrupt(path, raw, f"it has unexpected tables {sorted(unknown)} for data format 1")
    records: dict[str, list[dict[str, Any]]] = {}
    for name, (model, convert) in _V1_TABLES.items():
        records[name] = []
        for doc_id, document in tables.get(name, {}).items():
            try:
                record = model.model_validate(convert(document))
            except ValidationError as error:
                detail = describe_validation_error(error)
                reason = f"format 1 table {name!r} document {doc_id} cannot be upgraded ({detail})"
                raise corrupt(path, raw, reason) from None
            records[name].append(record.model_dump(mode="json"))
    return records


def _numbered(documents: list[dict[str, Any]]) -> dict[str, Any]:
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
        lambda: {name: [] for name in RELATIONSHIP.tables}
    )
    for state in records["sessions"]:
        write_file(layout.session_file(state["id"]), SESSION, {"conversation": {"1": state}})
        per_relationship[state["relationship_id"]]["sessions"].append(SessionSummary.fields_of(state))
    for name in ("commitments", "artifacts"):
        for document in records[name]:
            per_relationship[document["relationship_id"]][name].append(document)
    for relationship_id, tables in per_relationship.items():
        content = {name: _numbered(documents) for name, documents in tables.items()}
        write_file(layout.relationship_file(relationship_id), RELATIONSHIP, content)
    index = {"profiles": _numbered(records["profiles"]), "relationships": _numbered(records["relationships"])}
    write_file(layout.index_file, INDEX, index)
    remove_durably(source)


MIGRATIONS: dict[int, Migration] = {1: migrate_v1_to_v2}
"""``MIGRATIONS[n]`` upgrades a directory from format ``n`` to ``n + 1`` in place."""
