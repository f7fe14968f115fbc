"""The pseudo-locale (every text accented and ~40% longer, coach.content.pseudo) at 80x24: snapshots of
home, a question in the chat and the help screen, so a text that does not come from the prompt files
(plain English on screen) or that a longer language would cut off shows in review.

Update after a deliberate change with `pytest tests/tui --snapshot-update`, and look at the SVGs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from test_snapshots import SMALL, at_question, home
from textual.pilot import Pilot
from tui_helpers import Backend, add_people, make_app, seed_history, settle

from coach.content.pseudo import PSEUDO
from coach.tui.screens.help import HelpScreen


def pseudo_backend(backend: Backend) -> Backend:
    """The same service speaking the pseudo-locale (its flows' labels and the stage texts too)."""
    service = replace(backend.service, locale=PSEUDO, library=backend.service.engine.library)
    return replace(backend, service=service)


def snap(snap_compare: Any, backend: Backend, before: Any) -> None:
    async def steady(pilot: Pilot[Any]) -> None:
        await before(pilot)
        for box in pilot.app.screen.query("Input, TextArea"):
            box.cursor_blink = False  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(make_app(pseudo_backend(backend), locale=PSEUDO), terminal_size=SMALL, run_before=steady)


def test_home_in_the_pseudo_locale(snap_compare: Any, backend: Backend) -> None:
    seed_history(backend)
    snap(snap_compare, backend, home)


def test_a_choice_question_in_the_pseudo_locale(snap_compare: Any, backend: Backend) -> None:
    add_people(backend)
    snap(snap_compare, backend, at_question(2))


async def open_help(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("f1")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HelpScreen)


def test_help_in_the_pseudo_locale(snap_compare: Any, backend: Backend) -> None:
    seed_history(backend)
    snap(snap_compare, backend, open_help)
