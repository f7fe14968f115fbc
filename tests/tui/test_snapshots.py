"""SVG snapshots (pytest-textual-snapshot) of home, the chat with each kind of input, the summary,
the drafts, the documents, help, and the first-run dialog, at 80x24 and 120x40, dark and light.

Update after a deliberate change with `pytest tests/tui --snapshot-update`, and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from tui_helpers import TOUR_ANSWERS, Backend, add_people, make_app, seed_history, settle

from coach.tui.screens.chat import ChatScreen

SMALL = (80, 24)
LARGE = (120, 40)

Before = Callable[[Pilot[Any]], Awaitable[None]]


def at_question(n: int, *, then: Callable[[Pilot[Any]], Awaitable[None]] | None = None) -> Before:
    """Open the tour stage and answer its first `n` questions."""

    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        for answer in TOUR_ANSWERS[:n]:
            screen = pilot.app.screen
            assert isinstance(screen, ChatScreen)
            screen.send(answer)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)

    return before


async def home(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def snap(snap_compare: Any, backend: Backend, before: Before, size: tuple[int, int], *, dialog: bool = False,
         **kw: Any) -> None:
    """`dialog`: `before` leaves a dialog open whose worker waits for it (so only pause)."""

    async def steady(pilot: Pilot[Any]) -> None:
        await before(pilot)
        # A blinking cursor would make the picture depend on timing: keep it on.
        for box in pilot.app.screen.query("Input, TextArea"):
            box.cursor_blink = False  # type: ignore[attr-defined]
        await (pilot.pause(0.3) if dialog else settle(pilot))

    app = make_app(backend, **kw)
    assert snap_compare(app, terminal_size=size, run_before=steady)


# --- home -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
def test_home(snap_compare: Any, backend: Backend, size: tuple[int, int]) -> None:
    seed_history(backend)
    snap(snap_compare, backend, home, size)


def test_home_light(snap_compare: Any, backend: Backend) -> None:
    seed_history(backend)
    snap(snap_compare, backend, home, LARGE, theme="light")


def test_first_run(snap_compare: Any, backend: Backend) -> None:
    snap(snap_compare, backend, home, SMALL)


# --- the chat, one snapshot per kind of input (the tour flow asks one of each, in this order) ----


async def type_in_line(pilot: Pilot[Any], text: str) -> None:
    line = pilot.app.screen.query_one("#answer-line", Input)
    line.focus()
    line.insert_text_at_cursor(text)


async def type_date(pilot: Pilot[Any]) -> None:
    await type_in_line(pilot, "next friday")


async def type_list(pilot: Pilot[Any]) -> None:
    pilot.app.screen.query_one("#answer-area", TextArea).insert("honest feedback\nintroductions [to] managers")


async def edit_report(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    screen.send("edit tour report")


KINDS: dict[str, tuple[int, Callable[[Pilot[Any]], Awaitable[None]] | None]] = {
    "text": (0, None),
    "multiline": (1, None),
    "list": (2, type_list),
    "choice": (3, None),
    "multichoice": (4, None),
    "scale": (5, None),
    "yes_no": (6, None),
    "number": (7, None),
    "date": (8, type_date),
    "summary": (9, None),  # the stage summary, confirmed with a choice
    "drafts": (10, None),  # the documents as drafts: keep them, or edit one
    "draft": (10, edit_report),  # one of them in the editor
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_chat_input(snap_compare: Any, backend: Backend, kind: str) -> None:
    add_people(backend)
    n, then = KINDS[kind]
    snap(snap_compare, backend, at_question(n, then=then), LARGE)


@pytest.mark.parametrize("kind", ["text", "choice", "scale", "draft"])
def test_chat_input_small(snap_compare: Any, backend: Backend, kind: str) -> None:
    add_people(backend)
    n, then = KINDS[kind]
    snap(snap_compare, backend, at_question(n, then=then), SMALL)


def test_chat_light(snap_compare: Any, backend: Backend) -> None:
    add_people(backend)
    snap(snap_compare, backend, at_question(3), LARGE, theme="light")


async def nasty_answer(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    screen.send("[bold]not bold[/] [link=x]no link[/link] \x1b[31mnot red\x1b[0m 🎉 *not em*")


def test_chat_literal_text(snap_compare: Any, backend: Backend) -> None:
    add_people(backend)
    snap(snap_compare, backend, at_question(0, then=nasty_answer), SMALL)


# --- summary, help, documents ------------------------------------------------------------------


async def ask_summary(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+r")


async def ask_help(pilot: Pilot[Any]) -> None:
    await pilot.press("f1")


async def keys_help(pilot: Pilot[Any]) -> None:
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("f1")


def test_summary_so_far(snap_compare: Any, backend: Backend) -> None:
    add_people(backend)
    snap(snap_compare, backend, at_question(4, then=ask_summary), LARGE)


def test_help_in_chat(snap_compare: Any, backend: Backend) -> None:
    add_people(backend)
    snap(snap_compare, backend, at_question(3, then=ask_help), LARGE)


def test_keys_and_commands(snap_compare: Any, backend: Backend) -> None:
    add_people(backend)
    snap(snap_compare, backend, at_question(0, then=keys_help), LARGE)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
def test_documents(snap_compare: Any, backend: Backend, size: tuple[int, int]) -> None:
    add_people(backend)
    snap(snap_compare, backend, at_question(len(TOUR_ANSWERS)), size)


async def home_documents(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("d")


def test_home_documents(snap_compare: Any, backend: Backend) -> None:
    seed_history(backend)
    snap(snap_compare, backend, home_documents, SMALL)


async def finished_stage(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("1")
    await pilot.pause(0.3)


def test_finished_stage(snap_compare: Any, backend: Backend) -> None:
    seed_history(backend)
    snap(snap_compare, backend, finished_stage, SMALL, dialog=True)
