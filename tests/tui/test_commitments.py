"""Pilot tests of the home screen's open commitments: one page at a time with a count, and closed
from the list (x done, Delete dropped) through the service, its refusals said in one line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tui_helpers import NOON, Backend, add_people, screen_text, settle

from coach.models import Commitment, CommitmentStatus
from coach.tui.app import CoachApp
from coach.tui.screens.home import HomeScreen
from coach.tui.widgets.commitments import CommitmentList


def open_commitments(backend: Backend, n: int) -> list[Commitment]:
    """Ana and Sam with `n` open commitments, "Task 1" to "Task n"."""
    _, rel = add_people(backend)
    made = [Commitment(id=f"c{i:03d}", relationship_id=rel.id, stage="fit_check", text=f"Task {i}",
                       due=date(2026, 12, 4), created_at=NOON, updated_at=NOON) for i in range(1, n + 1)]
    for c in made:
        backend.repo.commitments[c.id] = c
    return made


def shown_texts(app: CoachApp) -> list[str]:
    listed = app.screen.query_one(CommitmentList)
    return [str(listed.get_option_at_index(i).prompt).split("  ")[0].removeprefix("• ")
            for i in range(listed.option_count)]


async def focus_list(app: CoachApp) -> CommitmentList:
    listed = app.screen.query_one(CommitmentList)
    listed.focus()
    return listed


async def test_a_long_list_shows_one_page_with_the_count_and_turns_pages(
        backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    open_commitments(backend, 23)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert shown_texts(app) == [f"Task {i}" for i in range(1, 11)]
        assert "23 open · 1–10" in screen_text(app)
        await focus_list(app)
        await pilot.press("right")
        await settle(pilot)
        assert shown_texts(app) == [f"Task {i}" for i in range(11, 21)]
        assert "23 open · 11–20" in screen_text(app)
        await pilot.press("right", "right")  # the last page, and no further
        await settle(pilot)
        assert shown_texts(app) == ["Task 21", "Task 22", "Task 23"]
        assert "23 open · 21–23" in screen_text(app)
        await pilot.press("left")
        await settle(pilot)
        assert shown_texts(app) == [f"Task {i}" for i in range(11, 21)]


async def test_a_short_list_shows_the_count_without_pages(
        backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    open_commitments(backend, 3)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert shown_texts(app) == ["Task 1", "Task 2", "Task 3"]
        assert "3 open" in text and "·" not in text.split("3 open")[1].split("\n")[0]
        assert "x mark done" in text and "Del drop" in text and "pages" not in text


async def test_x_marks_the_highlighted_commitment_done_and_it_leaves_the_list(
        backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    open_commitments(backend, 12)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await focus_list(app)
        await pilot.press("down", "x")  # Task 2
        await settle(pilot)
        assert backend.repo.commitments["c002"].status == CommitmentStatus.done
        assert "c002" not in [c.id for c in backend.service.open_commitments("r-sam")]
        assert shown_texts(app) == ["Task 1", *(f"Task {i}" for i in range(3, 12))]  # Task 11 moves up
        assert "11 open · 1–10" in screen_text(app)
        assert [n.message for n in app._notifications] == ["Done: Task 2"]


async def test_delete_drops_the_highlighted_commitment_and_the_last_page_empties(
        backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    open_commitments(backend, 11)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await focus_list(app)
        await pilot.press("right", "delete")  # Task 11, alone on the second page
        await settle(pilot)
        assert backend.repo.commitments["c011"].status == CommitmentStatus.dropped
        assert len(backend.service.open_commitments("r-sam")) == 10
        assert shown_texts(app) == [f"Task {i}" for i in range(1, 11)]  # back on the page that is left
        assert "10 open" in screen_text(app)


async def test_closing_the_last_one_says_none_open(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    open_commitments(backend, 1)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await focus_list(app)
        await pilot.press("x")
        await settle(pilot)
        assert backend.service.open_commitments("r-sam") == []
        assert "None open." in screen_text(app)
        await pilot.press("x")  # nothing highlighted to close: nothing happens
        await settle(pilot)


async def test_a_refusal_of_the_service_is_a_one_line_notice_and_the_commitment_stays(
        backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    open_commitments(backend, 2)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        del backend.repo.commitments["c001"]  # gone behind the screen's back: the service refuses
        await focus_list(app)
        await pilot.press("x")
        await settle(pilot)
        notices = list(app._notifications)
        assert len(notices) == 1
        notice = notices[0]
        assert notice.severity == "error" and notice.title == "Could not close the commitment"
        assert "\n" not in notice.message and "Traceback" not in notice.message and "c001" in notice.message
        assert shown_texts(app) == ["Task 1", "Task 2"]


async def test_the_list_costs_one_page_of_options_however_many_are_open(
        backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    open_commitments(backend, 1500)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listed = app.screen.query_one(CommitmentList)
        assert listed.option_count == CommitmentList.PAGE
        assert not listed.children  # options, not one widget per commitment
        assert "1500 open · 1–10" in screen_text(app)
