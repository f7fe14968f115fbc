"""Data format versions and the migrations between them.

The format version of a data directory is stored in the ``_meta`` table of ``index.json`` (and
of every other file).  Opening a directory written in an older format runs the registered
migrations in order, after copying every data file to ``backups/pre-v<N>-<timestamp>/``.
A directory written by a newer coach is refused with :class:`NewerVersionError` and left alone.

Format history:

1. everything in one TinyDB file ``coach.json`` (tables ``meta``, ``profiles``,
   ``relationships``, ``sessions``, ``commitments``, ``artifacts``); answers in a session were
   a flat ``{slot: raw text}`` mapping; commitments had a ``done`` flag instead of a status.
2. one file per session and per relationship plus ``index.json``; a session file holds the
   engine's whole state (see :mod:`coach.store.legacy_v2`); answers are
   :class:`coach.models.Answer` records; commitments have ``status``, ``reason`` and
   ``updated_at``.  (:mod:`coach.store.migrate_v1`)
3. the same files, but a session holds its header and its log of inputs, with a journal of
   diffs (see :mod:`coach.store.layout`); summaries have ``pending``.
   (:mod:`coach.store.migrate_v2`)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.content.messages import message
from coach.store import storage
from coach.store.durable import durable_copy, ensure_dir
from coach.store.errors import NewerVersionError
from coach.store.jsonfile import corrupt, decode_tables, read_raw
from coach.store.layout import Layout
from coach.store.migrate_v1 import V1_META_TABLE, migrate_v1_to_v2
from coach.store.migrate_v2 import migrate_v2_to_v3
from coach.store.schema import INDEX, META_DOC_ID, META_TABLE, SCHEMA_VERSION

CURRENT_SCHEMA_VERSION = SCHEMA_VERSION

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
    except (ValueError, RecursionError):  # decode_tables below says what is wrong with it
        early = None
    if early is not None and early > CURRENT_SCHEMA_VERSION:
        raise NewerVersionError(path, early, CURRENT_SCHEMA_VERSION)
    version = _version_in(decode_tables(path, raw), meta_table)
    if version is None:
        raise corrupt(path, raw, message("errors.data.no_version"))
    if version not in versions:
        raise corrupt(path, raw, message("errors.data.never_had", version=version))
    return version


def detect_version(layout: Layout) -> int | None:
    """The format version of the data directory, or None if it holds no coach data yet."""
    version = _read_version(layout.index_file, META_TABLE, versions=range(2, CURRENT_SCHEMA_VERSION + 1))
    if version is not None:
        return version
    return _read_version(layout.legacy_v1_file, V1_META_TABLE, versions=range(1, 2))


def initialise(layout: Layout) -> None:
    storage.write_file(layout.index_file, INDEX, {name: {} for name in INDEX.tables})


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


MIGRATIONS: dict[int, Migration] = {1: migrate_v1_to_v2, 2: migrate_v2_to_v3}
"""``MIGRATIONS[n]`` upgrades a directory from format ``n`` to ``n + 1`` in place."""
