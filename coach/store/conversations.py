"""Conversations: a header written once and an append-only log of inputs, in files of their own.

``sessions/<id>.json`` (+ ``.journal``) holds the tables ``conversation`` (document "1": the
:class:`ConversationHeader`) and ``inputs`` (document ``str(seq)``: the :class:`LogEntry`).
Appending an input appends one journal line the size of that input, whatever the length of
the conversation; an ordinary answer does not touch the relationship file at all.

An input with effects (or the one that finishes the conversation) is stored in three steps, each
durable, under one lock:

1. the relationship file's summary gets ``pending = seq`` (and ``status = done`` if it is the last);
2. the input is appended to the session;
3. one write of the relationship file upserts the effects by id and clears ``pending``.

A crash between 1 and 2 leaves ``pending`` pointing at an input that is not stored; between 2
and 3, at one whose effects are not: :meth:`ConversationRepository.finish_pending` tells them
apart and completes (or undoes) the step, and upserting by id makes a repeat harmless.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from tinydb import TinyDB
from tinydb.table import Document

from coach.models import (
    ConversationHeader,
    ConversationStatus,
    Effects,
    LogConflict,
    LogEntry,
    SessionSummary,
)
from coach.store import archive
from coach.store.effects import (
    empty_relationship,
    find_summary,
    pending,
    with_effects,
    with_summary,
)
from coach.store.errors import StoreError
from coach.store.files import DataFiles
from coach.store.journal import JournaledJSONStorage, journal_path_for
from coach.store.jsonfile import Tables
from coach.store.schema import CONVERSATION, HEADER_DOC_ID, INPUTS, RELATIONSHIP, SUMMARIES
from coach.store.storage import write_file


class ConversationRepository:
    def __init__(self, files: DataFiles) -> None:
        self._files = files

    # --- writing ------------------------------------------------------------------------------

    def create(self, header: ConversationHeader) -> None:
        """Store a new conversation: its session file first, then its summary (so a listed
        conversation can always be opened; a crash in between leaves an unlisted file with no
        inputs, which loses nothing).  Creating one that is already stored with the same header
        does nothing; with another header, ValueError."""
        with self._files.transaction():
            session = self._files.session(header.id)
            existing = _header(session, header.id)
            if existing is not None:
                if existing != header:
                    raise ValueError(f"conversation {header.id} already exists")
                return
            session.table(CONVERSATION).insert(Document(header.model_dump(mode="json"), doc_id=int(HEADER_DOC_ID)))
            storage = self._relationship(header.relationship_id)
            tables = storage.read() or empty_relationship()
            storage.write(with_summary(tables, SessionSummary.of(header)))

    def append(self, conversation_id: str, entry: LogEntry, *, done: bool = False) -> None:
        """Store ``entry`` as the next input, with its effects (see the module docstring).

        Raises LogConflict (storing nothing) unless ``entry.seq`` is the number of stored inputs
        plus one, and KeyError if the conversation does not exist."""
        with self._files.transaction():
            session = self._files.session(conversation_id)
            journaled = session.storage
            assert isinstance(journaled, JournaledJSONStorage)
            current = journaled.current().tables or {}  # read-only: saves copying the whole log
            header = _header_in(current, conversation_id)
            if header is None:
                raise KeyError(conversation_id)
            inputs = session.table(INPUTS)
            stored = len(current.get(INPUTS, {}))
            if entry.seq != stored + 1:
                raise LogConflict(conversation_id, expected=entry.seq - 1, found=stored)
            effects = entry.effects if entry.effects is not None and not entry.effects.empty else None
            document = Document(entry.model_dump(mode="json"), doc_id=entry.seq)
            if effects is None and not done:
                inputs.insert(document)  # an ordinary answer: the session's journal only
                return
            storage = self._relationship(header.relationship_id)
            tables = self._mark(storage, header, entry.seq, done, entry.at)
            inputs.insert(document)
            summary = find_summary(tables, conversation_id)
            assert summary is not None
            tables = with_summary(with_effects(tables, effects), summary.model_copy(update={"pending": None}))
            if done:
                tables = self._move_history(header.relationship_id, tables)
            storage.write(tables)

    def _move_history(self, relationship_id: str | None, tables: Tables) -> Tables:
        """The relationship file's next content once enough finished conversations have moved to a
        new history file (written first; see coach.store.archive)."""
        parts = archive.split(tables)
        if parts is None:
            return tables
        stay, moved = parts
        write_file(self._files.layout.next_history_file(relationship_id), RELATIONSHIP, moved)
        return stay

    def _mark(self, storage: JournaledJSONStorage, header: ConversationHeader, seq: int, done: bool,
              at: datetime) -> Tables:
        """Step 1: write the summary with ``pending = seq``; return the relationship file's tables."""
        tables = storage.read() or empty_relationship()
        summary = find_summary(tables, header.id) or SessionSummary.of(header)
        if summary.pending is not None and summary.pending != seq:
            # An earlier input's effects were interrupted and not finished yet: it is stored
            # (it precedes this one), so store its effects now rather than forget them.
            tables = with_effects(tables, self._effects_of(header.id, summary.pending))
        status = ConversationStatus.done if done else summary.status
        finished = at if done else summary.finished_at
        tables = with_summary(tables, summary.model_copy(update={"pending": seq, "status": status,
                                                                 "finished_at": finished}))
        storage.write(tables)
        return tables

    def finish_pending(self, relationship_id: str | None) -> int:
        """Complete what a crash interrupted: for each summary with ``pending = n``, store the
        effects of input n if it is stored, else (it never was) clear ``pending`` and set the
        status back to active.  At most one write of the relationship file; returns how many
        summaries were fixed.  One whose session file cannot be read is left for later (the
        error is raised when that conversation is opened)."""
        with self._files.transaction():
            storage = self._relationship(relationship_id)
            tables = storage.read()
            if tables is None:
                return 0
            fixed = 0
            for summary in pending(tables):
                assert summary.pending is not None
                try:
                    entry = self._entry(summary.id, summary.pending)
                except StoreError:
                    continue  # its session file is damaged: reported when it is opened; left as is
                fixed += 1
                if entry is not None:
                    tables = with_effects(tables, entry.effects)
                    summary = summary.model_copy(update={"pending": None})
                else:
                    summary = summary.model_copy(update={"pending": None, "status": ConversationStatus.active,
                                                         "finished_at": None})
                tables = with_summary(tables, summary)
            if fixed:
                storage.write(tables)
            return fixed

    # --- reading ------------------------------------------------------------------------------

    def load(self, conversation_id: str) -> tuple[ConversationHeader, list[LogEntry]] | None:
        """The header and the inputs (by seq) of a conversation; None if it is not stored."""
        session = self._files.session(conversation_id)
        tables = session.storage.read() or {}
        header = _header_in(tables, conversation_id)
        if header is None:
            return None
        entries = [LogEntry.model_validate(d) for d in tables.get(INPUTS, {}).values()]
        return header, sorted(entries, key=lambda e: e.seq)

    def summaries(self, relationship_id: str | None) -> list[SessionSummary]:
        """Summaries of the conversations of a relationship (None: not tied to one), oldest first:
        the unfinished ones and the newest finished one of each stage and side at least (older
        finished ones may have moved to the history: see `history_summaries`)."""
        documents = self._files.relationship(relationship_id).table(SUMMARIES).all()
        return sorted((SessionSummary.model_validate(d) for d in documents), key=lambda s: s.started_at)

    def history_summaries(self, relationship_id: str | None) -> list[SessionSummary]:
        """Summaries of every conversation of a relationship, the history's too, oldest first."""
        documents = self._files.whole_table(relationship_id, SUMMARIES)
        return sorted((SessionSummary.model_validate(d) for d in documents), key=lambda s: s.started_at)

    def last_activity(self, conversation_id: str) -> datetime | None:
        """When the conversation's files last changed (UTC), from their mtimes; None if not stored."""
        snapshot = self._files.layout.session_file(conversation_id)
        times: list[int] = []
        for path in (snapshot, journal_path_for(snapshot)):
            try:
                times.append(os.stat(path).st_mtime_ns)
            except FileNotFoundError:
                if path == snapshot:
                    return None
        return datetime.fromtimestamp(max(times) / 1e9, tz=UTC)

    def _entry(self, conversation_id: str, seq: int) -> LogEntry | None:
        document = self._files.session(conversation_id).table(INPUTS).get(doc_id=seq)
        return LogEntry.model_validate(document) if isinstance(document, dict) else None

    def _effects_of(self, conversation_id: str, seq: int) -> Effects | None:
        entry = self._entry(conversation_id, seq)
        return None if entry is None else entry.effects

    def _relationship(self, relationship_id: str | None) -> JournaledJSONStorage:
        return self._files.relationship_storage(relationship_id)


def _header_in(tables: Tables, conversation_id: str) -> ConversationHeader | None:
    document = tables.get(CONVERSATION, {}).get(HEADER_DOC_ID)
    if not isinstance(document, dict) or document.get("id") != conversation_id:
        return None  # not stored (or another id whose file name hashes alike)
    return ConversationHeader.model_validate(document)


def _header(session: TinyDB, conversation_id: str) -> ConversationHeader | None:
    return _header_in(session.storage.read() or {}, conversation_id)
