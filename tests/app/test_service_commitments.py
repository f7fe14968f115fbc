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


def test_a_stage_reviews_at_most_five_commitments_overdue_first_then_soonest_due() -> None:
    from datetime import date, timedelta

    from coach.app.service import REVIEW_MAX, to_review

    today = date(2026, 12, 2)
    def c(text: str, due: date | None) -> Commitment:
        return Commitment(stage="commitment", text=text, due=due)
    items = [c("later", today + timedelta(days=9)), c("undated", None), c("overdue 1 day", today - timedelta(days=1)),
             c("soon", today + timedelta(days=1)), c("overdue 5 days", today - timedelta(days=5)),
             c("next week", today + timedelta(days=7)), c("undated 2", None)]
    picked = [x.text for x in to_review(items, today)]
    assert len(picked) == REVIEW_MAX == 5
    assert picked == ["overdue 5 days", "overdue 1 day", "soon", "next week", "later"]
