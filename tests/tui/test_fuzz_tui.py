"""Fuzz, the TUI part (see tests/hostile/test_hostile_fuzz.py for the split): 160 hostile inputs
(and one 200 kB paste) sent through the chat screen with Pilot (the tour flow: text, list, choice, scale, date ...
questions; commands mixed in; conversations finished and begun again). 0 crashes, every user
bubble shows exactly the text as typed (control characters as pictures), no link or code block
made from it, and nothing on screen a terminal would obey."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from test_literal_render import RAW_CONTROL, add_hostile_people, links_and_code
from tui_helpers import Backend, screen_text, settle

from coach.tui.app import CoachApp
from coach.tui.screens.chat import ChatScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.text import displayable
from coach.tui.widgets.messages import BotBubble, UserBubble

sys.path.insert(0, str(Path(__file__).parents[1] / "hostile"))
from hostile import hostile_inputs


async def test_160_hostile_inputs_through_the_chat_screen(
    backend: Backend, app_factory: Callable[..., CoachApp]
) -> None:
    add_hostile_people(backend)
    app = app_factory()
    problems: list[str] = []
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        inputs = list(hostile_inputs(160, seed=21, huge_every=0))
        inputs[80] = "\x1b[2J [bold]paste[/] www.example.com 👩🏽‍💻 " * 5_000  # one huge paste
        for n, text in enumerate(inputs):
            if not isinstance(app.screen, ChatScreen) or app.screen.chat.done:
                while not isinstance(app.screen, HomeScreen):
                    app.pop_screen()
                    await settle(pilot)
                await pilot.press("1")
                await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ChatScreen)
            screen.send(text)
            await settle(pilot)
            assert app.is_running, f"the app stopped after {text[:80]!r}"
            if n % 10 == 9 and isinstance(app.screen, ChatScreen):
                shown = {str(u.render()) for u in app.screen.query(UserBubble)}
                sent = {u.text for u in app.screen.query(UserBubble)}
                if not all((displayable(t) if t.strip() else "(empty)") in shown for t in sent):
                    problems.append(f"a bubble not as typed near {text[:60]!r}")
                if bad := links_and_code(app.screen.query(BotBubble)):
                    problems.append(f"{bad[:3]} near {text[:60]!r}")
                if found := RAW_CONTROL.findall(screen_text(app)):
                    problems.append(f"raw {sorted(set(found))[:5]} on screen near {text[:60]!r}")
    assert problems == []
