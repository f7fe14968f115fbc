"""Which file holds what inside the data directory (format version 3).

::

    coach.lock                  lock taken for each write transaction (holds the writer's pid)
    index.json                  profiles and relationships (small: grows with people, not answers)
    relationships/<id>.json     one per relationship: conversation summaries, commitments, artifacts
    relationships/<id>.journal  (+ a journal of changes, like a session's)
    relationships/_unassigned.json   the same for conversations not tied to a relationship
    history/<id>.<n>.json       finished conversations moved out of the relationship file, with
                                their documents and closed commitments (see coach.store.archive)
    sessions/<id>.json          one per conversation (one run of a flow): its header and its log of
    sessions/<id>.journal       inputs, as a snapshot plus an append-only journal of changes
    backups/                    copies taken before a migration
    .home-look.json             not the store's: the TUI's home screen as last shown, to draw the
                                next launch's first frame with (coach.tui.paint); any dot file is
                                left out of the data files

Storing an answer appends one line to that conversation's journal only (see
:mod:`coach.store.journal`), so its cost depends neither on how long the conversation is nor on
how much history the directory holds.  A relationship file is journaled the same way and written only
when a conversation starts, ends or produces something (see :mod:`coach.store.conversations`);
it holds what is live, while finished conversations move to history files (see
:mod:`coach.store.archive`), so neither grows with the history.
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

    @staticmethod
    def relationship_key(relationship_id: str | None) -> str:
        """The file name stem of a relationship's files (None: the conversations tied to none)."""
        return UNASSIGNED if relationship_id is None else file_key(relationship_id)

    def relationship_file(self, relationship_id: str | None) -> Path:
        return self.relationships_dir / f"{self.relationship_key(relationship_id)}.json"

    @property
    def history_dir(self) -> Path:
        return self.root / "history"

    def _numbered_history(self, relationship_id: str | None) -> tuple[str, list[tuple[int, Path]]]:
        """The file key of a relationship, and its history files by number, newest first."""
        key = self.relationship_key(relationship_id)
        found = []
        for path in self.history_dir.glob(f"{key}.*.json"):
            number = path.name[len(key) + 1:-len(".json")]
            if number.isdigit():
                found.append((int(number), path))
        return key, sorted(found, reverse=True)

    def history_files(self, relationship_id: str | None) -> list[Path]:
        """A relationship's history files (see coach.store.archive), newest first."""
        return [path for _, path in self._numbered_history(relationship_id)[1]]

    def next_history_file(self, relationship_id: str | None) -> Path:
        key, found = self._numbered_history(relationship_id)
        return self.history_dir / f"{key}.{(found[0][0] + 1 if found else 1):06d}.json"

    def data_dirs(self) -> tuple[Path, ...]:
        return (self.root, self.sessions_dir, self.relationships_dir, self.history_dir)

    def data_files(self) -> list[Path]:
        """Every live data file (not backups, not corrupt copies, not temporary files)."""
        files: list[Path] = []
        for directory in self.data_dirs():
            if directory.is_dir():
                found = [*directory.glob("*.json"), *directory.glob("*.journal")]
                files.extend(p for p in sorted(found) if not p.name.startswith("."))
        return files
