"""Sessions: one run of a flow, stored as its full engine state in files of its own.

Saving a conversation (after every answer) appends its new state to ``sessions/<id>.journal``
(compacted into ``sessions/<id>.json`` now and then), whose size depends on that session alone.
The relationship file's summary of the session is rewritten only when a summarised field changes
(a new session, a status change, a new relationship), and it is written *before* the session
file, so a session on disk is always listed.
"""

from __future__ import annotations

from typing import Any

from tinydb import Query

from coach.models import ConversationState, ConversationStatus, utcnow
from coach.store.files import DataFiles
from coach.store.schema import SessionSummary

CONVERSATION = "conversation"
SUMMARIES = "sessions"
DOC_ID = 1


class SessionRepository:
    def __init__(self, files: DataFiles) -> None:
        self._files = files

    def save(self, state: ConversationState) -> None:
        """Persist the whole state durably: on disk when this returns."""
        data = state.model_dump(mode="json")
        summary = SessionSummary.fields_of(data)
        with self._files.transaction():
            # One read and one write of the session's TinyDB storage (rather than a table get
            # followed by a table update, which would read it twice).
            storage = self._files.session(state.id).storage
            old = ((storage.read() or {}).get(CONVERSATION) or {}).get(str(DOC_ID))
            old_summary = SessionSummary.fields_of(old) if isinstance(old, dict) else None
            if summary != old_summary:
                self._write_summary(summary, old_summary)
            storage.write({CONVERSATION: {str(DOC_ID): data}})

    def _write_summary(self, summary: dict[str, Any], old: dict[str, Any] | None) -> None:
        session_id = summary["id"]
        if old is not None and old["relationship_id"] != summary["relationship_id"]:
            self._files.relationship(old["relationship_id"]).table(SUMMARIES).remove(Query().id == session_id)
        table = self._files.relationship(summary["relationship_id"]).table(SUMMARIES)
        table.upsert(summary, Query().id == session_id)

    def load(self, session_id: str) -> ConversationState | None:
        document = self._files.session(session_id).table(CONVERSATION).get(doc_id=DOC_ID)
        if not isinstance(document, dict) or document.get("id") != session_id:
            return None
        return ConversationState.model_validate(document)

    def summaries(self, relationship_id: str | None) -> list[SessionSummary]:
        """Summaries of the sessions of a relationship (None: not tied to one), oldest first."""
        documents = self._files.relationship(relationship_id).table(SUMMARIES).all()
        return sorted((SessionSummary.model_validate(d) for d in documents), key=lambda s: s.started_at)

    def list_for_relationship(self, relationship_id: str | None) -> list[ConversationState]:
        """Full states of a relationship's sessions (None: not tied to one), oldest first."""
        states = (self.load(s.id) for s in self.summaries(relationship_id))
        return [state for state in states if state is not None]

    def latest_in_progress(self, relationship_id: str | None, flow_id: str) -> ConversationState | None:
        """The most recently updated session of ``flow_id`` that is not done, if any."""
        candidates = [
            s for s in self.summaries(relationship_id) if s.flow_id == flow_id and s.status != ConversationStatus.done
        ]
        states = [state for state in map(self.load, (s.id for s in candidates)) if state is not None]
        states = [s for s in states if s.status != ConversationStatus.done]
        return max(states, key=lambda s: s.updated_at, default=None)

    def mark_done(self, session_id: str) -> ConversationState:
        """Set a session's status to done (re-read under the lock); KeyError if unknown."""
        with self._files.transaction():
            state = self.load(session_id)
            if state is None:
                raise KeyError(session_id)
            done = state.model_copy(update={"status": ConversationStatus.done, "updated_at": utcnow()})
            self.save(done)
        return done
