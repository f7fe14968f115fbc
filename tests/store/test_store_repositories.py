"""Repositories: profiles, relationships, sessions, commitments, artifacts, and the engine protocol."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from coach.engine.ports import ConversationStore
from coach.models import (
    Answer,
    Artifact,
    Commitment,
    CommitmentStatus,
    ConversationStatus,
    Profile,
    Relationship,
    RelationshipStatus,
    Role,
    utcnow,
)
from coach.store import Store


def test_store_satisfies_the_engine_protocol(store: Store) -> None:
    engine_view: ConversationStore = store  # structural: checked by mypy, exercised below
    assert engine_view.load_conversation("missing") is None


def test_conversation_round_trip(store: Store, relationship: Relationship, make_state) -> None:
    state = make_state(relationship.id)
    state.answers["goal"] = Answer(slot="goal", raw="Lead a team", value="Lead a team")
    store.save_conversation(state)
    state.answers["time"] = Answer(slot="time", raw="2h a month")
    store.save_conversation(state)
    loaded = store.load_conversation(state.id)
    assert loaded == state
    assert store.load_conversation("nope") is None


def test_conversation_survives_reopening(data_dir: Path, make_state) -> None:
    state = make_state(None)
    state.answers["who"] = Answer(slot="who", raw="my first manager")
    with Store(data_dir) as first:
        first.save_conversation(state)
    with Store(data_dir) as second:
        assert second.load_conversation(state.id) == state


def test_profiles(store: Store) -> None:
    ana = store.profiles.add(Profile(name="Ana Lima", role=Role.mentee))
    bo = store.profiles.add(Profile(name="Bo", role=Role.mentor))
    assert store.profiles.get(ana.id) == ana
    assert store.profiles.get("missing") is None
    assert store.profiles.list() == [ana, bo]
    assert store.profiles.find_by_name("  ana lima ") == ana
    assert store.profiles.find_by_name("Cy") is None
    renamed = ana.model_copy(update={"name": "Ana L."})
    store.profiles.add(renamed)
    assert store.profiles.list() == [renamed, bo]


def test_relationships(store: Store) -> None:
    ana = store.profiles.add(Profile(name="Ana", role=Role.mentee))
    first = store.relationships.add(
        Relationship(profile_id=ana.id, other_name="Bo", mentee_name="Ana", mentor_name="Bo")
    )
    second = store.relationships.add(
        Relationship(profile_id=ana.id, other_name="Cy", mentee_name="Ana", mentor_name="Cy")
    )
    store.relationships.add(Relationship(profile_id="other", other_name="Z", mentee_name="Y", mentor_name="Z"))
    assert store.relationships.list_for_profile(ana.id) == [first, second]
    updated = store.relationships.update_status(first.id, RelationshipStatus.active)
    assert updated.status is RelationshipStatus.active
    assert store.relationships.get(first.id) == updated
    with pytest.raises(KeyError):
        store.relationships.update_status("missing", RelationshipStatus.closed)


def test_sessions_listing_latest_and_done(store: Store, relationship: Relationship, make_state) -> None:
    older = make_state(relationship.id)
    newer = make_state(relationship.id)
    other_flow = make_state(relationship.id, flow_id="feedback")
    unassigned = make_state(None)
    for state in (older, newer, other_flow, unassigned):
        store.save_conversation(state)
    newer.updated_at = utcnow() + timedelta(seconds=5)
    store.save_conversation(newer)

    assert [s.id for s in store.sessions.list_for_relationship(relationship.id)] == [
        older.id,
        newer.id,
        other_flow.id,
    ]
    assert [s.id for s in store.sessions.list_for_relationship(None)] == [unassigned.id]
    assert store.sessions.latest_in_progress(relationship.id, "fit_check") == newer
    assert store.sessions.latest_in_progress(None, "fit_check") == unassigned
    assert store.sessions.latest_in_progress(relationship.id, "moving_on") is None

    done = store.sessions.mark_done(newer.id)
    assert done.status is ConversationStatus.done
    assert store.load_conversation(newer.id) == done
    assert store.sessions.latest_in_progress(relationship.id, "fit_check") == older
    summaries = {s.id: s.status for s in store.sessions.summaries(relationship.id)}
    assert summaries[newer.id] is ConversationStatus.done
    with pytest.raises(KeyError):
        store.sessions.mark_done("missing")


def test_session_moving_to_a_relationship_moves_its_summary(
    store: Store, relationship: Relationship, make_state
) -> None:
    state = make_state(None)
    store.save_conversation(state)
    state.relationship_id = relationship.id
    store.save_conversation(state)
    assert store.sessions.list_for_relationship(None) == []
    assert [s.id for s in store.sessions.list_for_relationship(relationship.id)] == [state.id]


def test_commitments(store: Store, relationship: Relationship) -> None:
    read = Commitment(relationship_id=relationship.id, stage="commitment", text="Read ch. 1", due=date(2025, 1, 31))
    intro = Commitment(relationship_id=relationship.id, stage="commitment", text="Intro to Cy", owner="mentor")
    store.save_commitment(read)
    store.save_commitment(intro)
    store.save_commitment(Commitment(relationship_id=None, stage="feedback", text="unassigned"))
    assert store.commitments.list_open(relationship.id) == [read, intro]

    done = store.commitments.update_status(read.id, CommitmentStatus.done, relationship_id=relationship.id)
    partly = store.commitments.update_status(
        intro.id, CommitmentStatus.partly, "met one of two", relationship_id=relationship.id
    )
    assert done.status is CommitmentStatus.done and done.updated_at >= read.updated_at
    assert partly.reason == "met one of two"
    assert store.commitments.list_open(relationship.id) == [partly]
    assert store.commitments.list_for_relationship(relationship.id) == [done, partly]
    assert [c.text for c in store.commitments.list_open(None)] == ["unassigned"]
    with pytest.raises(KeyError):
        store.commitments.update_status("missing", CommitmentStatus.done, relationship_id=relationship.id)


def test_artifacts(store: Store, relationship: Relationship, make_state) -> None:
    state = make_state(relationship.id)
    store.save_conversation(state)
    agreement = Artifact(
        relationship_id=relationship.id,
        session_id=state.id,
        stage="fit_check",
        kind="agreement",
        title="Agreement",
        markdown="# Agreement",
    )
    agenda = Artifact(relationship_id=relationship.id, stage="feedback", kind="agenda", title="A", markdown="-")
    store.save_artifact(agreement)
    store.save_artifact(agenda)
    assert store.artifacts.list_for_relationship(relationship.id) == [agreement, agenda]
    assert store.artifacts.list_for_session(state.id) == [agreement]
    assert store.artifacts.list_for_session(state.id, relationship_id=relationship.id) == [agreement]
    assert store.artifacts.list_for_session("missing") == []


def test_writes_need_a_transaction(store: Store) -> None:
    from coach.store.schema import INDEX
    from coach.store.storage import open_db

    db = open_db(store.layout.index_file, INDEX, guard=lambda: False)
    with pytest.raises(RuntimeError, match="outside a store transaction"):
        db.table("profiles").insert({"id": "x"})


def test_odd_ids_become_safe_file_names(store: Store, make_state) -> None:
    state = make_state("../../etc/passwd")
    state.id = "../escape me"
    store.save_conversation(state)
    assert store.load_conversation(state.id) == state
    files = store.layout.data_files()
    assert all(store.data_dir in f.parents for f in files)
    assert all(".." not in f.name for f in files)
