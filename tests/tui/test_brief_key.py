"""Pilot: `b` on the home screen opens the brief before the next meeting, as a document to export or copy."""

from __future__ import annotations

from collections.abc import Callable

from tui_helpers import Backend, add_people, settle

from coach.tui.app import CoachApp
from coach.tui.screens.artifacts import ArtifactScreen


async def test_b_opens_the_brief_as_a_document(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, ArtifactScreen), [n.message for n in app._notifications]
        (brief,) = app.screen.artifacts
        assert brief.kind == "brief" and brief.title == "Before your next meeting with Sam"
        assert brief.markdown.startswith("# Before your next meeting with Sam")
        assert "## To open the session with" in brief.markdown
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ArtifactScreen)


async def test_p_without_a_meeting_near_says_so_in_one_line(
        backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert [n.message for n in app._notifications] == [
            "No meeting in the next 3 days: the check-in before a meeting comes up here when one is near."]
