"""Setting a damaged conversation aside, so that one unreadable file never locks anyone out.

A session whose files cannot be read (not JSON, truncated, a folder or a pipe in its place, no
permission, ...) is moved, files and all, into ``damaged/`` with a note ``<name>.txt`` saying
what was wrong and how to bring it back.  Nothing is deleted: moving the files back into
``sessions/`` (once repaired) makes the conversation available again.

A conversation the relationship lists whose session file is gone (deleted by hand, a partial
restore) is not set aside: it is *missing*, and reported as such until its file is back.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from coach.content.messages import message
from coach.models import SessionSummary
from coach.store.durable import ensure_dir, fsync_dir, write_new_file
from coach.store.errors import CorruptDataError, UnreadableFileError
from coach.store.journal import journal_path_for
from coach.store.layout import Layout, file_key

DAMAGED_DIR = "damaged"
NOTE_SUFFIX = ".txt"

# What is damage (set aside) rather than a problem with coach or the disk (reported as it is).
DAMAGE = (CorruptDataError, UnreadableFileError)


def damaged_dir(layout: Layout) -> Path:
    return layout.root / DAMAGED_DIR


def note_path(layout: Layout, conversation_id: str) -> Path:
    return damaged_dir(layout) / f"{file_key(conversation_id)}{NOTE_SUFFIX}"


def set_aside(layout: Layout, conversation_id: str, error: Exception) -> Path | None:
    """Move the conversation's files into ``damaged/`` with a note; the folder, or None if
    ``error`` is not damage or there was nothing to move.  Call it holding the store's lock."""
    if not isinstance(error, DAMAGE):
        return None
    snapshot = layout.session_file(conversation_id)
    sources = [p for p in (snapshot, journal_path_for(snapshot)) if os.path.lexists(p)]
    if not sources:
        return None
    folder = damaged_dir(layout)
    ensure_dir(folder)
    moved: list[Path] = []
    for source in sources:
        target = _free_name(folder / source.name)
        os.rename(source, target)
        moved.append(target)
    fsync_dir(snapshot.parent)
    reason = getattr(error, "reason", str(error))
    lines = [
        message("errors.damaged.note.aside", at=datetime.now(UTC).isoformat(timespec="seconds")),
        message("errors.damaged.note.conversation", id=conversation_id),
        message("errors.damaged.note.why", reason=reason),
        *(message("errors.damaged.note.moved", source=source, target=target)
          for source, target in zip(sources, moved, strict=True)),
        "",
        message("errors.damaged.note.bring_back", folder=snapshot.parent),
        "",
    ]
    note = note_path(layout, conversation_id)
    if os.path.lexists(note):
        note = _free_name(note)
    write_new_file(note, "\n".join(lines).encode("utf-8"))
    return folder


def problems(layout: Layout, summaries: list[SessionSummary]) -> dict[str, str]:
    """One line per listed conversation that was set aside or whose file is missing, by id."""
    found: dict[str, str] = {}
    for summary in summaries:
        started = summary.started_at.date().isoformat()
        snapshot = layout.session_file(summary.id)
        if os.path.lexists(note_path(layout, summary.id)) and not os.path.lexists(snapshot):
            found[summary.id] = message("errors.damaged.set_aside", flow=summary.flow_id, started=started,
                                        folder=damaged_dir(layout))
        elif not os.path.lexists(snapshot):
            found[summary.id] = message("errors.damaged.missing", flow=summary.flow_id, started=started, file=snapshot)
    return found


def _free_name(path: Path) -> Path:
    candidate, n = path, 2
    while os.path.lexists(candidate):
        candidate, n = path.with_name(f"{path.stem}-{n}{path.suffix}"), n + 1
    return candidate
