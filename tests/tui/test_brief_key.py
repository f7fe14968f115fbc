"""Pilot: `b` on the home screen opens the brief before the next meeting, as a document to export or copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static
from tui_helpers import NOON, Backend, add_people, make_app, make_backend, settle

from coach.content.library import FlowLibrary
from coach.models import Artifact, Relationship
from coach.tui.app import CoachApp
from coach.tui.screens.artifacts import ArtifactScreen
from coach.tui.screens.chat import ChatScreen


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


def _agreed_rhythm(backend: Backend, rel: Relationship, first_meeting: str) -> None:
    """An agreement a finished commitment stage left: weekly meetings from `first_meeting`."""
    backend.repo.artifacts["agreement"] = Artifact(
        id="agreement", relationship_id=rel.id, session_id="conv-agreed", stage="commitment", kind="agreement",
        title="Mentoring agreement", markdown="# Mentoring agreement", created_at=NOON,
        data={"first_meeting": first_meeting, "cadence": "weekly", "meeting_time": "17:30"})


async def test_a_meeting_within_three_days_offers_prepare_and_p_opens_the_check_in(tmp_path: Path) -> None:
    backend = make_backend(FlowLibrary.load(), tmp_path / "exports")  # the product's flows: prepare is one
    _, rel = add_people(backend)
    _agreed_rhythm(backend, rel, "2026-11-23")  # weekly on Mondays: the next is 30 November, in 3 days (27th)
    app = make_app(backend)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        hint = str(app.screen.query_one("#continue-hint", Static).render())
        assert "p prepare for the meeting on 30 Nov 2026  b brief" in hint
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        assert app.screen.chat.conversation.header.flow_id == "prepare"


async def test_a_meeting_further_off_leaves_the_hint_without_prepare(tmp_path: Path) -> None:
    backend = make_backend(FlowLibrary.load(), tmp_path / "exports")
    _, rel = add_people(backend)
    _agreed_rhythm(backend, rel, "2026-11-19")  # weekly on Thursdays: the next is 3 December, 6 days off
    app = make_app(backend)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "prepare" not in str(app.screen.query_one("#continue-hint", Static).render())


async def test_the_brief_exports_as_a_file_and_copies(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        (written,) = (backend.export_dir / "sam").glob("*.md")
        assert written.read_text(encoding="utf-8").startswith("# Before your next meeting with Sam")
        await pilot.press("c")
        assert app.clipboard.startswith("# Before your next meeting with Sam")
