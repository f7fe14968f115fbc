"""Which file holds what inside the data directory (format version 2).

::

    coach.lock                  lock taken for each write transaction (holds the writer's pid)
    index.json                  profiles and relationships (small: grows with people, not answers)
    relationships/<id>.json     one per relationship: session summaries, commitments, artifacts
    relationships/_unassigned.json   the same for sessions not (yet) tied to a relationship
    sessions/<id>.json          one per session (one run of a flow): its full engine state, as a
    sessions/<id>.journal       snapshot plus an append-only journal of newer states
    backups/                    copies taken before a migration

Writing an answer appends to that session's journal only (see :mod:`coach.store.journal`), so
its cost does not depend on how much history the directory holds.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

_SAFE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
UNASSIGNED = "_unassigned"


def file_key(record_id: str) -> str:
    """A file name stem for an id: the id itself when safe, else a hash (starting with ``_h``)."""
    if _SAFE_KEY.fullmatch(record_id):
        return record_id
    return "_h" + hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:40]


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def lock_file(self) -> Path:
        return self.root / "coach.lock"

    @property
    def index_file(self) -> Path:
        return self.root / "index.json"

    @property
    def legacy_v1_file(self) -> Path:
        """Format 1 kept everything in this one TinyDB file."""
        return self.root / "coach.json"

    @property
    def sessions_dir(self) -> Path:
        return self.root / "sessions"

    @property
    def relationships_dir(self) -> Path:
        return self.root / "relationships"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    def session_file(self, session_id: str) -> Path:
        return self.sessions_dir / f"{file_key(session_id)}.json"

    def relationship_file(self, relationship_id: str | None) -> Path:
        key = UNASSIGNED if relationship_id is None else file_key(relationship_id)
        return self.relationships_dir / f"{key}.json"

    def data_dirs(self) -> tuple[Path, ...]:
        return (self.root, self.sessions_dir, self.relationships_dir)

    def data_files(self) -> list[Path]:
        """Every live data file (not backups, not corrupt copies, not temporary files)."""
        files: list[Path] = []
        for directory in self.data_dirs():
            if directory.is_dir():
                found = [*directory.glob("*.json"), *directory.glob("*.journal")]
                files.extend(p for p in sorted(found) if not p.name.startswith("."))
        return files
