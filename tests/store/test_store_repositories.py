"""Repositories: profiles, relationships, commitments, artifacts, and the application's protocol."""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path

import pytest
from store_helpers import header

from coach.app.ports import Repository
from coach.models import Artifact, Commitment, CommitmentStatus, Profile, Relationship, RelationshipStatus, Role
from coach.store import Store


def test_store_implements_the_repository_protocol(store: Store) -> None:
    repository: Repository = store  # structural: checked by mypy where it is used, and below
    wanted = {name for name, value in vars(Repository).items() if inspect.isfunction(value) and name[0] != "_"}
    assert wanted <= set(dir(store))
    for name in wanted:
        expected = inspect.signature(getattr(Repository, name))
        actual = inspect.signature(getattr(Store, name))
        assert list(actual.parameters.values()) == list(expected.parameters.values()), name
        assert actual.return_annotation == expected.return_annotation, name
    assert repository.load_conversation("missing") is None


def test_profiles(store: Store) -> None:
    ana = store.save_profile(Profile(name="Ana Lima", role=Role.mentee))
    bo = store.save_profile(Profile(name="Bo", role=Role.mentor))
    assert store.profiles.get(ana.id) == ana
    assert store.profiles.get("missing") is None
    assert store.list_profiles() == [ana, bo]
    assert store.profiles.find_by_name("  ana lima ") == ana
    assert store.profiles.find_by_name("Cy") is None
    renamed = ana.model_copy(update={"name": "Ana L."})
    store.save_profile(renamed)
    assert store.list_profiles() == [renamed, bo]


def test_profiles_survive_reopening(data_dir: Path) -> None:
    with Store(data_dir) as first:
        ana = first.save_profile(Profile(name="Ana", role=Role.mentee))
    with Store(data_dir) as second:
        assert second.list_profiles() == [ana]


def test_relationships(store: Store) -> None:
    ana = store.save_profile(Profile(name="Ana", role=Role.mentee))
    first = store.save_relationship(
        Relationship(profile_id=ana.id, other_name="Bo", mentee_name="Ana", mentor_name="Bo")
    )
    second = store.save_relationship(
        Relationship(profile_id=ana.id, other_name="Cy", mentee_name="Ana", mentor_name="Cy")
    )
    store.save_relationship(Relationship(profile_id="other", other_name="Z", mentee_name="Y", mentor_name="Z"))
    assert store.list_relationships(ana.id) == [first, second]
    assert store.get_relationship(second.id) == second
    assert store.get_relationship("missing") is None
    updated = store.relationships.update_status(first.id, RelationshipStatus.active)
    assert updated.status is RelationshipStatus.active
    assert store.get_relationship(first.id) == updated
    moved_on = store.save_relationship(updated.model_copy(update={"status": RelationshipStatus.closed}))
    assert store.list_relationships(ana.id) == [moved_on, second]
    with pytest.raises(KeyError):
        store.relationships.update_status("missing", RelationshipStatus.closed)


def test_commitments(store: Store, relationship: Relationship) -> None:
    read = Commitment(relationship_id=relationship.id, stage="commitment", text="Read ch. 1", due=date(2025, 1, 31))
    intro = Commitment(relationship_id=relationship.id, stage="commitment", text="Intro to Cy", owner="mentor")
    store.commitments.save(read)
    store.commitments.save(intro)
    store.commitments.save(Commitment(relationship_id=None, stage="feedback", text="unassigned"))
    assert store.list_commitments(relationship.id) == [read, intro]
    assert store.commitments.list_open(relationship.id) == [read, intro]

    done = store.commitments.update_status(read.id, CommitmentStatus.done, relationship_id=relationship.id)
    partly = store.commitments.update_status(
        intro.id, CommitmentStatus.partly, "met one of two", relationship_id=relationship.id
    )
    assert done.status is CommitmentStatus.done and done.updated_at >= read.updated_at
    assert partly.reason == "met one of two"
    assert store.commitments.list_open(relationship.id) == [partly]
    assert store.list_commitments(relationship.id) == [done, partly]
    assert [c.text for c in store.list_commitments(None)] == ["unassigned"]
    with pytest.raises(KeyError):
        store.commitments.update_status("missing", CommitmentStatus.done, relationship_id=relationship.id)


def test_artifacts(store: Store, relationship: Relationship) -> None:
    conversation = header(relationship.id)
    store.create_conversation(conversation)
    agreement = Artifact(
        relationship_id=relationship.id,
        session_id=conversation.id,
        stage="fit_check",
        kind="agreement",
        title="Agreement",
        markdown="# Agreement",
    )
    agenda = Artifact(relationship_id=relationship.id, stage="feedback", kind="agenda", title="A", markdown="-")
    store.artifacts.save(agreement)
    store.artifacts.save(agenda)
    assert store.list_artifacts(relationship.id) == [agreement, agenda]
    assert store.artifacts.list_for_session(conversation.id, relationship_id=relationship.id) == [agreement]
    assert store.artifacts.list_for_session("missing", relationship_id=relationship.id) == []
    assert store.list_artifacts(None) == []


def test_writes_need_a_transaction(store: Store) -> None:
    from coach.store.schema import INDEX
    from coach.store.storage import open_db

    db = open_db(store.layout.index_file, INDEX, guard=lambda: False)
    with pytest.raises(RuntimeError, match="outside a store transaction"):
        db.table("profiles").insert({"id": "x"})
    session = store._files.session("s1")
    with pytest.raises(RuntimeError, match="outside a store transaction"):
        session.table("conversation").insert(header(id="s1").model_dump(mode="json"))
