"""A relationship's history, kept out of the file that is rewritten: the relationship file stays the
size of what is live, however many stages were finished.

The relationship file (``relationships/<key>.json``) holds what the app works with every day: the
conversations not finished, the latest finished one of each stage and side, the documents of
those, open commitments, and everything of the partnership. When a stage ends and at least
:data:`BATCH` other finished conversations have piled up, they move, with their documents and
their closed commitments (and those closed since their conversation moved), to a new file
``history/<key>.<n>.json`` (same tables, written once, never changed), in the same transaction
as the stage's end:

1. the history file is written (durably, as a new file);
2. the relationship file is rewritten without what moved.

A crash between the two leaves the records in both: readers of the whole history take each id
once (the relationship file's copy wins), and the next move writes them again; nothing is lost
and nothing shows twice. Reading the history is for the documents list and ``export --all``;
the home screen, opening a stage and finishing one read the relationship file only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from coach.models import OPEN_COMMITMENTS, ConversationStatus, SessionSummary
from coach.store.jsonfile import Tables
from coach.store.schema import ARTIFACTS, COMMITMENTS, SUMMARIES

BATCH = 20  # finished conversations moved at once: one history file per this many stages
MOVED = (SUMMARIES, ARTIFACTS, COMMITMENTS)


def split(tables: Tables, batch: int = BATCH) -> tuple[Tables, Tables] | None:
    """(what stays, what moves) when at least `batch` finished conversations can move; else None.
    What stays: every unfinished or half-stored conversation, the newest finished one of each
    stage and side, their documents, open commitments, and every other table."""
    summaries = [SessionSummary.model_validate(d) for d in tables.get(SUMMARIES, {}).values()]
    keep = {s.id for s in SessionSummary.newest_finished(summaries).values()}
    going = {s.id for s in summaries
             if s.status == ConversationStatus.done and s.pending is None and s.id not in keep}
    if len(going) < batch:
        return None
    staying = {s.id for s in summaries} - going

    def moves(table: str, document: dict[str, Any]) -> bool:
        if table == SUMMARIES:
            return document.get("id") in going
        if table == COMMITMENTS:
            # one still to act on stays where it can be reviewed and closed; a closed one goes with
            # its conversation, or at the next move once that conversation went before it was closed
            session = document.get("session_id")
            return document.get("status") not in OPEN_COMMITMENTS and session is not None and session not in staying
        return document.get("session_id") in going

    stay: Tables = dict(tables)
    moved: Tables = {}
    for table in MOVED:
        documents = tables.get(table, {})
        moved[table] = {k: d for k, d in documents.items() if moves(table, d)}
        stay[table] = {k: d for k, d in documents.items() if k not in moved[table]}
    return stay, moved


def merged(live: Iterable[dict[str, Any]], history: Iterable[Iterable[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The documents of one table across the history files and the relationship file, each id once
    (the relationship file's copy first, then the newest history file's)."""
    seen: dict[Any, dict[str, Any]] = {}
    for document in live:
        seen.setdefault(document.get("id"), document)
    for documents in history:
        for document in documents:
            seen.setdefault(document.get("id"), document)
    return list(seen.values())
