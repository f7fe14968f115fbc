"""Closing a commitment from outside a conversation (the home screen's list)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.app.errors import AppError
from coach.app.memory import MemoryRepository
from coach.app.service import CoachService
from coach.content.library import FlowLibrary
from coach.models import Commitment, CommitmentStatus
from coach.store import Store


@pytest.fixture(params=["memory", "store"])
def service(request: pytest.FixtureRequest, tmp_path: Path) -> CoachService:
    repo = MemoryRepository() if request.param == "memory" else Store(tmp_path / "data")
    return CoachService(FlowLibrary.load(), repo)


def _with_commitment(service: CoachService) -> tuple[str, Commitment]:
    profile = service.add_profile("Ana", "mentee")
    rel = service.add_relationship(profile, "Sam")
    c = Commitment(relationship_id=rel.id, stage="commitment", text="Send the agenda")
    repo = service.repo
    if isinstance(repo, MemoryRepository):
        repo.commitments[c.id] = c
    else:
        assert isinstance(repo, Store)
        repo.commitments.save(c)  # as a stage's effects would
    return rel.id, c


def test_a_closed_commitment_leaves_the_open_list_and_keeps_its_status(service: CoachService) -> None:
    rel, c = _with_commitment(service)
    assert [x.id for x in service.open_commitments(rel)] == [c.id]
    closed = service.close_commitment(rel, c.id)
    assert closed.status == CommitmentStatus.done
    assert service.open_commitments(rel) == []
    assert [x.status for x in service.repo.list_commitments(rel)] == [CommitmentStatus.done]


def test_closing_an_unknown_commitment_or_with_an_open_status_is_a_one_line_error(service: CoachService) -> None:
    rel, c = _with_commitment(service)
    with pytest.raises(AppError, match="no open commitment"):
        service.close_commitment(rel, "nope")
    with pytest.raises(AppError, match="done or dropped"):
        service.close_commitment(rel, c.id, "not_yet")
    assert [x.id for x in service.open_commitments(rel)] == [c.id]
