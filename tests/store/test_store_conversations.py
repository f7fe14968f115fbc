"""Conversations: header + append-only inputs, LogConflict, effects stored with their input, and
finishing what a crash interrupted."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import effects, entry, header

from coach.models import CommitmentStatus, ConversationStatus, Effects, LogConflict, Relationship, SessionSummary
from coach.store import CorruptDataError, Store, conversations, journal, storage


@pytest.fixture
def relationship_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every write of a data file, in order: a journaled file (relationship, session) by the path of its
    snapshot, once per write whether it appends or compacts, and a file replaced whole (the index)."""
    written: list[Path] = []
    real, real_journaled = storage.atomic_write, journal.JournaledJSONStorage.write

    def whole(path: Path, data: bytes) -> object:
        if path.parent.name not in ("relationships", "sessions"):
            written.append(path)
        return real(path, data)

    def journal_write(self: journal.JournaledJSONStorage, data: object) -> None:
        written.append(self.path)
        real_journaled(self, data)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "atomic_write", whole)
    monkeypatch.setattr(journal.JournaledJSONStorage, "write", journal_write)
    yield written


def _summary(store: Store, relationship_id: str | None, conversation_id: str) -> SessionSummary:
    (summary,) = [s for s in store.summaries(relationship_id) if s.id == conversation_id]
    return summary


def test_create_lists_the_conversation_and_stores_its_header(store: Store, relationship: Relationship) -> None:
    conversation = header(relationship.id, context={"name": "Ana"})
    store.create_conversation(conversation)
    assert store.load_conversation(conversation.id) == (conversation, [])
    summary = _summary(store, relationship.id, conversation.id)
    assert (summary.flow_id, summary.status, summary.pending) == ("fit_check", ConversationStatus.active, None)
    assert summary.started_at == conversation.started_at
    store.create_conversation(conversation)  # again, the same: nothing changes
    assert store.summaries(relationship.id) == [summary]
    with pytest.raises(ValueError, match="already exists"):
        store.create_conversation(conversation.model_copy(update={"flow_hash": "other"}))
    assert store.load_conversation("missing") is None
    assert store.last_activity("missing") is None


def test_inputs_come_back_in_order(store: Store, started) -> None:
    conversation = started(n=12)
    loaded = store.load_conversation(conversation.id)
    assert loaded == (conversation, [entry(n) for n in range(1, 13)])


def test_only_the_next_input_is_accepted(store: Store, started) -> None:
    conversation = started(n=2)
    snapshot = store.layout.session_file(conversation.id)
    files = [snapshot, journal.journal_path_for(snapshot)]
    before = [f.read_bytes() for f in files]
    with pytest.raises(LogConflict) as again:
        store.append_entry(conversation.id, entry(2))  # another window stored 2 already
    assert (again.value.conversation_id, again.value.expected, again.value.found) == (conversation.id, 1, 2)
    with pytest.raises(LogConflict) as ahead:
        store.append_entry(conversation.id, entry(4, effects=effects("x", None, conversation.id)), done=True)
    assert (ahead.value.expected, ahead.value.found) == (3, 2)
    assert [f.read_bytes() for f in files] == before  # nothing stored
    assert _summary(store, None, conversation.id).pending is None
    with pytest.raises(KeyError):
        store.append_entry("missing", entry(1))


def test_an_ordinary_answer_does_not_touch_the_relationship_file(
    store: Store, relationship: Relationship, started, relationship_writes: list[Path]
) -> None:
    conversation = started(relationship.id)
    relationship_writes.clear()
    store.append_entry(conversation.id, entry(1))
    store.append_entry(conversation.id, entry(2, effects=Effects()))  # empty effects: the same
    assert store.layout.relationship_file(relationship.id) not in relationship_writes


@pytest.mark.parametrize("done", [False, True])
def test_effects_are_stored_with_their_input_in_two_writes(
    store: Store, relationship: Relationship, started, relationship_writes: list[Path], done: bool
) -> None:
    conversation = started(relationship.id, n=1)
    relationship_writes.clear()
    produced = effects("k1", relationship.id, conversation.id)
    store.append_entry(conversation.id, entry(2, effects=produced), done=done)
    assert relationship_writes.count(store.layout.relationship_file(relationship.id)) == 2
    assert store.list_artifacts(relationship.id) == produced.artifacts
    assert store.list_commitments(relationship.id) == produced.commitments
    summary = _summary(store, relationship.id, conversation.id)
    assert summary.pending is None
    assert summary.status is (ConversationStatus.done if done else ConversationStatus.active)
    assert store.load_conversation(conversation.id) == (conversation, [entry(1), entry(2, effects=produced)])


def test_finishing_without_effects_writes_the_summary(
    store: Store, relationship: Relationship, started, relationship_writes: list[Path]
) -> None:
    conversation = started(relationship.id, n=1)
    relationship_writes.clear()
    store.append_entry(conversation.id, entry(2), done=True)
    assert relationship_writes.count(store.layout.relationship_file(relationship.id)) == 2
    summary = _summary(store, relationship.id, conversation.id)
    assert (summary.status, summary.pending) == (ConversationStatus.done, None)


def test_the_same_effects_twice_leave_one_record_per_id(store: Store, relationship: Relationship, started) -> None:
    first = started(relationship.id)
    produced = effects("same", relationship.id, first.id)
    store.append_entry(first.id, entry(1, effects=produced))
    store.append_entry(first.id, entry(2, effects=produced))  # e.g. a replay after a crash
    assert [a.id for a in store.list_artifacts(relationship.id)] == ["a-same"]
    assert [c.id for c in store.list_commitments(relationship.id)] == ["c-same"]

    # a later conversation reviews that commitment: the record is replaced, not duplicated
    reviewed = produced.commitments[0].model_copy(update={"status": CommitmentStatus.partly, "reason": "half"})
    later = started(relationship.id)
    store.append_entry(later.id, entry(1, effects=Effects(reviewed=[reviewed])))
    assert store.list_commitments(relationship.id) == [reviewed]
    store.finish_pending(relationship.id)
    assert store.list_commitments(relationship.id) == [reviewed]


def test_crash_before_the_input_is_stored(
    store: Store, relationship: Relationship, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation = started(relationship.id, n=1)
    produced = effects("k", relationship.id, conversation.id)

    _session_writes_raise(monkeypatch, KeyboardInterrupt)  # the process dies between steps 1 and 2
    with pytest.raises(KeyboardInterrupt):
        store.append_entry(conversation.id, entry(2, effects=produced), done=True)
    monkeypatch.undo()

    summary = _summary(store, relationship.id, conversation.id)
    assert (summary.pending, summary.status) == (2, ConversationStatus.done)
    assert store.load_conversation(conversation.id) == (conversation, [entry(1)])
    assert store.finish_pending(relationship.id) == 1
    summary = _summary(store, relationship.id, conversation.id)
    assert (summary.pending, summary.status) == (None, ConversationStatus.active)  # it never ended
    assert store.list_artifacts(relationship.id) == [] and store.list_commitments(relationship.id) == []
    assert store.finish_pending(relationship.id) == 0

    store.append_entry(conversation.id, entry(2, effects=produced), done=True)  # the retry
    assert store.list_artifacts(relationship.id) == produced.artifacts
    assert _summary(store, relationship.id, conversation.id).status is ConversationStatus.done


def _session_writes_raise(monkeypatch: pytest.MonkeyPatch, error: type[BaseException]) -> None:
    """Writing a session file (its journal or snapshot) raises `error`: the process dies there."""
    real = journal.JournaledJSONStorage.write

    def write(self: journal.JournaledJSONStorage, data: object) -> None:
        if self.path.parent.name == "sessions":
            raise error
        real(self, data)  # type: ignore[arg-type]

    monkeypatch.setattr(journal.JournaledJSONStorage, "write", write)


def _crash_after_storing_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object) -> None:
        raise KeyboardInterrupt  # the process dies between steps 2 and 3

    monkeypatch.setattr(conversations, "with_effects", crash)


def test_crash_after_the_input_is_stored(
    store: Store, relationship: Relationship, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation = started(relationship.id, n=1)
    produced = effects("k", relationship.id, conversation.id)
    _crash_after_storing_the_input(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        store.append_entry(conversation.id, entry(2, effects=produced), done=True)
    monkeypatch.undo()

    assert store.load_conversation(conversation.id) == (conversation, [entry(1), entry(2, effects=produced)])
    assert _summary(store, relationship.id, conversation.id).pending == 2
    assert store.list_artifacts(relationship.id) == []
    assert store.finish_pending(relationship.id) == 1
    summary = _summary(store, relationship.id, conversation.id)
    assert (summary.pending, summary.status) == (None, ConversationStatus.done)
    assert store.list_artifacts(relationship.id) == produced.artifacts
    assert store.list_commitments(relationship.id) == produced.commitments
    assert store.finish_pending(relationship.id) == 0
    assert store.verify() == []


def test_finish_pending_fixes_every_conversation_in_one_write(
    store: Store, relationship: Relationship, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored, lost = started(relationship.id), started(relationship.id)
    _crash_after_storing_the_input(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        store.append_entry(stored.id, entry(1, effects=effects("s", relationship.id, stored.id)))
    monkeypatch.undo()
    _session_writes_raise(monkeypatch, SystemExit)
    with pytest.raises(SystemExit):
        store.append_entry(lost.id, entry(1, effects=effects("l", relationship.id, lost.id)))
    monkeypatch.undo()

    written: list[Path] = []
    real = journal.JournaledJSONStorage.write
    monkeypatch.setattr(journal.JournaledJSONStorage, "write",
                        lambda self, data: (written.append(self.path), real(self, data))[1])
    assert store.finish_pending(relationship.id) == 2
    assert written == [store.layout.relationship_file(relationship.id)]
    assert [a.id for a in store.list_artifacts(relationship.id)] == ["a-s"]
    assert all(s.pending is None for s in store.summaries(relationship.id))


def test_an_unfinished_input_is_finished_by_the_next_one_with_effects(
    store: Store, relationship: Relationship, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation = started(relationship.id)
    _crash_after_storing_the_input(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        store.append_entry(conversation.id, entry(1, effects=effects("one", relationship.id, conversation.id)))
    monkeypatch.undo()
    store.append_entry(conversation.id, entry(2))  # an ordinary answer leaves it pending...
    assert _summary(store, relationship.id, conversation.id).pending == 1
    store.append_entry(conversation.id, entry(3, effects=effects("three", relationship.id, conversation.id)))
    assert [a.id for a in store.list_artifacts(relationship.id)] == ["a-one", "a-three"]  # ...not forgotten
    assert _summary(store, relationship.id, conversation.id).pending is None


def test_summaries_are_listed_oldest_first_per_relationship(store: Store, relationship: Relationship) -> None:
    now = datetime.now(UTC)
    newer = header(relationship.id, started_at=now)
    older = header(relationship.id, flow_id="feedback", started_at=now - timedelta(days=1))
    solo = header(None)
    for conversation in (newer, older, solo):
        store.create_conversation(conversation)
    assert [s.id for s in store.summaries(relationship.id)] == [older.id, newer.id]
    assert [s.id for s in store.summaries(None)] == [solo.id]
    assert store.summaries("no such relationship") == []
    assert store.finish_pending("no such relationship") == 0


def test_last_activity_is_the_newest_file_time(store: Store, started) -> None:
    conversation = started()
    created = store.last_activity(conversation.id)
    assert created is not None and created.tzinfo is not None and created.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=1)
    snapshot = store.layout.session_file(conversation.id)
    old = created.timestamp() - 3600
    os.utime(snapshot, (old, old))
    os.utime(journal.journal_path_for(snapshot), (old, old))
    assert store.last_activity(conversation.id) == datetime.fromtimestamp(old, UTC)
    store.append_entry(conversation.id, entry(1))
    latest = store.last_activity(conversation.id)
    assert latest is not None and latest > datetime.fromtimestamp(old, UTC) + timedelta(minutes=59)


def test_odd_ids_become_safe_file_names(store: Store) -> None:
    conversation = header("../../etc/passwd", id="../escape me")
    store.create_conversation(conversation)
    first = entry(1, effects=effects("odd", "../../etc/passwd", conversation.id))
    store.append_entry(conversation.id, first)
    assert store.load_conversation(conversation.id) == (conversation, [first])
    assert [a.id for a in store.list_artifacts("../../etc/passwd")] == ["a-odd"]
    files = store.layout.data_files()
    assert all(store.data_dir in f.parents for f in files)
    assert all(".." not in f.name for f in files)


def test_a_damaged_session_does_not_block_finishing_the_others(
    store: Store, relationship: Relationship, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged, fine = started(relationship.id), started(relationship.id)
    _crash_after_storing_the_input(monkeypatch)
    for conversation in (damaged, fine):
        with pytest.raises(KeyboardInterrupt):
            store.append_entry(
                conversation.id, entry(1, effects=effects(conversation.id, relationship.id, conversation.id))
            )
    monkeypatch.undo()
    store.layout.session_file(damaged.id).write_bytes(b"{not json")
    assert store.finish_pending(relationship.id) == 1
    assert [a.id for a in store.list_artifacts(relationship.id)] == [f"a-{fine.id}"]
    assert _summary(store, relationship.id, damaged.id).pending == 1  # left until it can be read
    with pytest.raises(CorruptDataError):
        store.load_conversation(damaged.id)
