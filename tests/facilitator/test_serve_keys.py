"""The served app's keys: none a browser keeps for itself (Ctrl+R reload, N new window, T new tab,
W close tab, Q quit, P print, O open, S save, ..., F5 reload), in its bindings, its footer and its
help; the terminal app's keys are unchanged. (That the served keys reach the app through a real
browser is checked in test_serve_browser.py.)"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Footer

import coach.tui
from coach.content.library import FlowLibrary
from coach.tui.app import CoachApp
from coach.tui.screens.help import help_markdown
from coach.tui.serve_app import BROWSER_KEYS, SERVED_KEYMAP, ServeApp


def coach_bindings() -> list[tuple[type[DOMNode], Binding]]:
    """Every binding a coach class declares (demo aside: `coach demo` is not served)."""
    for info in pkgutil.walk_packages(coach.tui.__path__, "coach.tui."):
        if ".demo" not in info.name:
            importlib.import_module(info.name)
    found: list[tuple[type[DOMNode], Binding]] = []
    seen: set[type[DOMNode]] = set()
    todo: list[type[DOMNode]] = [DOMNode]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls in seen or not cls.__module__.startswith("coach.tui") or ".demo" in cls.__module__:
            continue
        if issubclass(cls, App):  # the served app inherits no app bindings (the walk below checks its own)
            continue
        seen.add(cls)
        found += [(cls, b) for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    return found


def keys_of(binding: Binding) -> set[str]:
    return {k.strip() for k in binding.key.split(",")}


def test_every_browser_key_coach_binds_has_a_served_replacement() -> None:
    bindings = coach_bindings()
    assert any(cls.__name__ == "ChatScreen" for cls, _ in bindings)  # the scan finds the screens
    taken = [(cls.__name__, b.key, b.id) for cls, b in bindings if keys_of(b) & BROWSER_KEYS]
    assert taken, "the terminal app binds browser keys (Ctrl+B, Ctrl+N, Ctrl+R, Ctrl+O, Ctrl+S): found none"
    missing = [(name, key, binding_id) for name, key, binding_id in taken
               if not binding_id or binding_id not in SERVED_KEYMAP]
    assert not missing, f"bound to a browser key with no served key: {missing}"
    served = {k for keys in SERVED_KEYMAP.values() for k in keys.split(",") if k}
    assert served and not served & BROWSER_KEYS
    assert ServeApp.COMMAND_PALETTE_BINDING not in BROWSER_KEYS


def offending(app: App[None]) -> set[tuple[str, str]]:
    """The browser keys bound on the current screen: coach's own and the app's (not the hidden
    editing and scrolling keys of Textual's Input, TextArea and DataTable)."""
    declared = {(b.action, b.description) for _cls, b in coach_bindings()}
    bad: set[tuple[str, str]] = set()
    for key, active in app.screen.active_bindings.items():
        ours = (active.binding.action, active.binding.description) in declared or isinstance(active.node, App)
        if key in BROWSER_KEYS and ours:
            bad.add((type(active.node).__name__, key))
    return bad


def footer_keys(app: App[None]) -> list[str]:
    return [app.get_key_display(active.binding) for active in app.screen.active_bindings.values()
            if active.binding.show] + [app.COMMAND_PALETTE_BINDING]


async def walk(app: App[None]) -> dict[str, tuple[set[tuple[str, str]], list[str]]]:
    """Home, the first-run form, and the chat with a question open: each screen's browser keys and
    the keys its footer shows."""
    seen: dict[str, tuple[set[tuple[str, str]], list[str]]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        async def until(name: str) -> None:
            for _ in range(200):
                await pilot.pause(0.05)
                if type(app.screen).__name__ == name:
                    await pilot.pause(0.2)
                    seen[name] = (offending(app), footer_keys(app))
                    return
            raise AssertionError(f"never reached {name}; at {app.screen}")

        await until("NewProfileScreen")
        await pilot.press(*"Zoltan", "enter", "tab", *"Quinn", "enter")
        await until("ChatScreen")
        footer = app.screen.query_one(Footer)
        assert footer.display
        await pilot.press("escape")
        await until("HomeScreen")
    return seen


async def test_the_served_app_binds_no_browser_key_and_shows_its_own(tmp_path: Path) -> None:
    app = ServeApp(FlowLibrary.load, tmp_path / "data", start_flow="fit_check", start_role="mentee")
    seen = await walk(app)
    app.data.close()
    assert set(seen) == {"NewProfileScreen", "ChatScreen", "HomeScreen"}
    for screen, (bad, _footer) in seen.items():
        assert not bad, f"{screen} binds browser keys: {sorted(bad)}"
    chat_footer = seen["ChatScreen"][1]
    assert {"f2", "f3", "f1", "f4", "f8", "f10"} <= set(chat_footer), chat_footer
    assert not [k for k in chat_footer if k.startswith("^")], chat_footer


async def test_the_terminal_app_keeps_its_keys(tmp_path: Path) -> None:
    """The same walk over the terminal app finds its Ctrl keys: the check above can fail."""
    from coach.app.setup import open_service

    app = CoachApp(lambda: open_service(FlowLibrary.load(), tmp_path / "data"), start_flow="fit_check",
                   start_role="mentee")
    seen = await walk(app)
    app.data.close()
    chat_bad = {key for _node, key in seen["ChatScreen"][0]}
    assert {"ctrl+b", "ctrl+n", "ctrl+r", "ctrl+o", "ctrl+q", "ctrl+s"} <= chat_bad, chat_bad


def test_the_help_shows_the_served_keys() -> None:
    served, terminal = help_markdown(SERVED_KEYMAP), help_markdown()
    assert "Ctrl" not in served, served
    for key in ("`F2`", "`F3`", "`F1`", "`F4`", "`F8`", "`F9`", "`F10`", "`Esc`"):
        assert key in served
    assert "`Ctrl+B` / `F2`" in terminal and "`Ctrl+O` / `F5`" in terminal and "`Ctrl+S`" in terminal
    assert "`F5`" not in served


async def test_the_served_help_screen_is_the_served_one(tmp_path: Path) -> None:
    from textual.widgets import Markdown

    from coach.tui.screens.help import HelpScreen

    app = ServeApp(FlowLibrary.load, tmp_path / "data")
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(200):  # the first-run form opens by itself: the help goes over it
            await pilot.pause(0.05)
            if type(app.screen).__name__ == "NewProfileScreen":
                break
        app.action_keys()
        await pilot.pause(0.2)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        assert "`F8`" in text and "Ctrl" not in text
    app.data.close()


def test_the_hints_name_the_served_keys() -> None:
    from coach.engine.turns import Question
    from coach.tui.widgets.answer_bar import hint_for

    lines = Question(step="ask_goal", slot="goal", type="text", multiline=True, skippable=True)
    served, terminal = hint_for(lines, ServeApp.HINT_KEYS), hint_for(lines)
    assert served == "F9 to send · Enter adds a line · F3 to skip", served
    assert terminal == "Ctrl+S to send · Enter adds a line · Ctrl+N to skip", terminal
