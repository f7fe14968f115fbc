"""Migration 2 -> 3: sessions become a header plus a log of inputs; summaries gain ``pending``.

* each session's latest format-2 state (snapshot or journal, see :mod:`coach.store.legacy_v2`)
  is rewritten in place as a format-3 snapshot, its header and synthesized inputs (see
  :mod:`coach.store.v2_inputs`), then its format-2 journal is removed;
* each relationship file is rewritten with format-3 summaries (``paused`` becomes ``active``,
  ``pending`` is None); commitments and artifacts are kept as they are;
* ``index.json`` is rewritten last: until then the directory reads as format 2, so a crash
  part-way re-runs the migration, which skips the files already in format 3.

The caller has copied every file to a backup directory first.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from coach.models import SessionSummary
from coach.store import storage
from coach.store.durable import ensure_dir, remove_durably
from coach.store.journal import JOURNAL_SUFFIX, journal_path_for
from coach.store.jsonfile import Tables, read_raw
from coach.store.layout import Layout
from coach.store.legacy_v2 import INDEX_V2, RELATIONSHIP_V2, ConversationStatus, read_v2_session
from coach.store.migrate_v1 import numbered
from coach.store.schema import (
    CONVERSATION,
    HEADER_DOC_ID,
    INDEX,
    INPUTS,
    META_DOC_ID,
    META_TABLE,
    RELATIONSHIP,
    SCHEMA_VERSION,
    SESSION,
    SUMMARIES,
)
from coach.store.v2_inputs import header_from_v2, inputs_from_v2


def migrate_v2_to_v3(layout: Layout) -> None:
    for directory in layout.data_dirs():
        ensure_dir(directory)
    for snapshot in _session_files(layout.sessions_dir):
        _migrate_session(snapshot)
    if layout.relationships_dir.is_dir():
        for path in sorted(layout.relationships_dir.glob("*.json")):
            if not path.name.startswith(".") and not _already_current(path):
                _migrate_relationship(path)
    index = storage.AtomicJSONStorage(layout.index_file, schema=INDEX_V2).read() or {}
    storage.write_file(layout.index_file, INDEX, index)


def _session_files(directory: Path) -> list[Path]:
    """The snapshot path of every session, including one that only has a journal."""
    if not directory.is_dir():
        return []
    stems = {p.with_suffix(".json") for p in (*directory.glob("*.json"), *directory.glob(f"*{JOURNAL_SUFFIX}"))}
    return sorted(p for p in stems if not p.name.startswith("."))


def _already_current(path: Path) -> bool:
    """True if ``path`` was already rewritten in format 3 by an interrupted run."""
    loaded = read_raw(path)
    if loaded is None:
        return False
    try:
        meta = json.loads(loaded[0])[META_TABLE][META_DOC_ID]
    except (ValueError, KeyError, TypeError, RecursionError):
        return False  # the format-2 reader reports what is wrong with it
    return isinstance(meta, dict) and meta.get("schema_version") == SCHEMA_VERSION


def _migrate_session(snapshot: Path) -> None:
    journal = journal_path_for(snapshot)
    if not _already_current(snapshot):
        state = read_v2_session(snapshot, journal)
        if state is not None:
            header = header_from_v2(state)
            inputs = {str(e.seq): e.model_dump(mode="json") for e in inputs_from_v2(state)}
            tables: Tables = {CONVERSATION: {HEADER_DOC_ID: header.model_dump(mode="json")}, INPUTS: inputs}
            storage.write_file(snapshot, SESSION, tables, {"seq": 0})
            # The file's time is when the conversation last changed (what `last_activity` reads).
            changed = state.updated_at.timestamp()
            os.utime(snapshot, (changed, changed))
    remove_durably(journal)  # format-2 lines; the first format-3 write starts a new journal


def _migrate_relationship(path: Path) -> None:
    tables = storage.AtomicJSONStorage(path, schema=RELATIONSHIP_V2).read() or {}
    summaries = [_summary_v2_to_v3(d) for d in tables.get(SUMMARIES, {}).values()]
    content = {name: dict(tables.get(name, {})) for name in RELATIONSHIP.tables}
    content[SUMMARIES] = numbered(summaries)
    storage.write_file(path, RELATIONSHIP, content)


def _summary_v2_to_v3(document: dict[str, Any]) -> dict[str, Any]:
    status = document.get("status")
    fields = {**document, "status": "active" if status == ConversationStatus.paused.value else status}
    return SessionSummary.model_validate(fields).model_dump(mode="json")
