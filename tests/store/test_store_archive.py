"""Finished conversations move to history files: the relationship file stays the size of what is live."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import START, effects, entry, header

from coach.models import CommitmentStatus, ConversationStatus, Relationship
from coach.store import Store, archive
from coach.store.schema import RELATIONSHIP
from coach.store.storage import write_file


def _finish(store: Store, relationship_id: str, key: str, *, flow_id: str = "fit_check",
            minutes: int = 0) -> str:
    """One finished conversation whose last input leaves a document and a commitment."""
    created = header(relationship_id, flow_id=flow_id)
    store.create_conversation(created)
    at = START + timedelta(minutes=minutes)
    store.append_entry(created.id, entry(1, at=at))
    store.append_entry(created.id, entry(2, effects=effects(key, relationship_id, created.id), at=at), done=True)
    return created.id


def _size(store: Store, relationship_id: str) -> int:
    return store.layout.relationship_file(relationship_id).stat().st_size


def test_finished_conversations_move_to_a_history_file_and_every_reader_of_the_whole_history_sees_them_once(
        store: Store, relationship: Relationship) -> None:
    ids = [_finish(store, relationship.id, f"k{i}", minutes=i) for i in range(archive.BATCH + 1)]
    history = store.layout.history_files(relationship.id)
    assert len(history) == 1
    live = {s.id for s in store.summaries(relationship.id)}
    assert live == {ids[-1]}  # the newest finished one of the stage stays
    assert [s.id for s in store.history_summaries(relationship.id)] == ids
    assert sorted(a.id for a in store.list_artifacts(relationship.id)) == sorted(f"a-k{i}" for i in range(len(ids)))
    assert [a.id for a in store.list_recent_artifacts(relationship.id)] == [f"a-k{len(ids) - 1}"]
    assert len(store.list_commitments(relationship.id)) == len(ids)


def test_open_commitments_and_unfinished_conversations_never_move(store: Store, relationship: Relationship) -> None:
    unfinished = header(relationship.id, flow_id="feedback")
    store.create_conversation(unfinished)
    store.append_entry(unfinished.id, entry(1))
    for i in range(archive.BATCH + 1):
        _finish(store, relationship.id, f"k{i}", minutes=i)
    assert store.layout.history_files(relationship.id)
    assert unfinished.id in {s.id for s in store.summaries(relationship.id)}
    opened = store.list_open_commitments(relationship.id)
    assert len(opened) == archive.BATCH + 1  # none was closed: all still where the home screen reads them
    closed = store.update_commitment(opened[0].id, CommitmentStatus.done, relationship_id=relationship.id)
    assert closed.id not in {c.id for c in store.list_open_commitments(relationship.id)}


def test_the_newest_finished_run_of_each_stage_stays(store: Store, relationship: Relationship) -> None:
    stages = ["fit_check", "commitment", "feedback"]
    newest = {}
    for i in range(archive.BATCH + len(stages)):
        flow = stages[i % len(stages)]
        newest[flow] = _finish(store, relationship.id, f"k{i}", flow_id=flow, minutes=i)
    assert store.layout.history_files(relationship.id)
    live = {s.flow_id: s.id for s in store.summaries(relationship.id) if s.status == ConversationStatus.done}
    assert live == newest


def test_the_relationship_file_does_not_grow_with_the_history(store: Store, relationship: Relationship) -> None:
    for i in range(archive.BATCH + 1):
        _finish(store, relationship.id, f"a{i}", minutes=i)
    after_one_move = _size(store, relationship.id)
    for i in range(4 * archive.BATCH):
        _finish(store, relationship.id, f"b{i}", minutes=100 + i)
    # every commitment is still open (they stay), so allow for those; the documents and summaries moved
    grown = _size(store, relationship.id) - after_one_move
    per_commitment = 400
    assert grown < 4 * archive.BATCH * per_commitment
    assert len(store.layout.history_files(relationship.id)) >= 4


def test_a_crash_between_the_history_file_and_the_relationship_file_shows_nothing_twice(
        store: Store, relationship: Relationship, data_dir: Path) -> None:
    ids = [_finish(store, relationship.id, f"k{i}", minutes=i) for i in range(archive.BATCH)]
    assert not store.layout.history_files(relationship.id)  # not yet enough to move
    path = store.layout.relationship_file(relationship.id)
    tables = store._files.relationship_storage(relationship.id).read()
    assert tables is not None
    parts = archive.split(tables, batch=1)
    assert parts is not None
    write_file(store.layout.next_history_file(relationship.id), RELATIONSHIP, parts[1])  # step 1 only: then a crash
    assert path.exists()
    with Store(data_dir) as reopened:
        assert [s.id for s in reopened.history_summaries(relationship.id)] == ids
        assert len(reopened.list_artifacts(relationship.id)) == len(ids)
        assert len(reopened.list_commitments(relationship.id)) == len(ids)
        assert reopened.verify() == []


@pytest.mark.parametrize("batch", [1, 3])
def test_split_moves_nothing_until_a_batch_is_there(batch: int) -> None:
    assert archive.split({"sessions": {}, "artifacts": {}, "commitments": {}}, batch=batch) is None


def test_a_commitment_closed_after_its_conversation_moved_goes_at_the_next_move(
        store: Store, relationship: Relationship) -> None:
    first = [_finish(store, relationship.id, f"k{i}", minutes=i) for i in range(archive.BATCH + 1)]
    old = next(c for c in store.list_open_commitments(relationship.id) if c.session_id == first[0])
    store.update_commitment(old.id, CommitmentStatus.done, relationship_id=relationship.id)
    for i in range(archive.BATCH + 1):
        _finish(store, relationship.id, f"m{i}", minutes=100 + i)
    live = store._files.relationship(relationship.id).table("commitments").all()
    assert old.id not in {d["id"] for d in live}
    assert [c.status for c in store.list_commitments(relationship.id) if c.id == old.id] == [CommitmentStatus.done]
