"""`coach demo`: the coach app with a sample persona at the keyboard.

The persona's answers are typed into the chat's answer box at a readable pace and sent, exactly
as a person would; everything else is the ordinary app (the TUI's own screens). Keys: space
pauses and resumes, n (or .) types just the next answer, t lets you take over the typing, r starts
again with a fresh store, q quits. Nothing is written to your data folder: the demo keeps its
data in memory (exports go to a temporary folder, removed on exit).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import shutil
import tempfile
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from coach.content.library import FlowLibrary
from coach.tui.app import CoachApp
from coach.tui.demo.personas import Persona
from coach.tui.demo.typist import DEFAULT_SPEED, Thinking, Typed, Typist
from coach.tui.screens.chat import ChatScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.service import DataService
from coach.tui.text import one_line
from coach.tui.widgets.answer_bar import AnswerBar
from coach.tui.widgets.chat_log import ChatLog

if TYPE_CHECKING:
    from coach.app.documents import ChatExports
    from coach.app.service import CoachService

TICK = 1 / 30  # seconds between two typing steps (about a frame)


class Mode(StrEnum):
    playing = "playing"
    paused = "paused"
    stepping = "stepping"  # one answer, then paused
    takeover = "takeover"  # the facilitator (or a participant) types
    finished = "finished"


# keys that are letters: they control the demo, except while someone types their own answers
DEMO_KEYS = {
    "demo_toggle": {"space"},
    "demo_step": {"n", "full_stop"},
    "demo_take_over": {"t"},
    "demo_reset": {"r"},
    "demo_quit": {"q"},
}
LETTER_ACTIONS = frozenset(DEMO_KEYS)


def screen_keys(screen: Screen[object]) -> set[str]:
    """The keys a screen binds itself (in its class's BINDINGS, or inherited ones)."""
    keys: set[str] = set()
    for cls in type(screen).__mro__:
        for binding in cls.__dict__.get("BINDINGS", []):
            key = binding.key if isinstance(binding, Binding) else binding[0]
            keys.update(k.strip() for k in key.split(","))
    return keys


class DemoBar(Static):
    """Who is typing and what the demo is doing, above the conversation."""

    DEFAULT_CSS = """
    DemoBar {
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $boost;
        color: $text;
        border-bottom: hkey $accent;
    }
    """


class DemoApp(CoachApp):
    KEYS_AREA = "demo"
    # Textual reads a relative CSS_PATH beside the running class's module: name the app's in full.
    CSS_PATH = str(Path(inspect.getfile(CoachApp)).with_name(CoachApp.CSS_PATH))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "demo_toggle", priority=True),
        Binding("n,full_stop", "demo_step", priority=True),
        Binding("t", "demo_take_over", priority=True),
        Binding("r", "demo_reset", priority=True),
        Binding("q", "demo_quit", priority=True),
        Binding("f6", "demo_hand_back", priority=True),
        Binding("f7", "demo_reset_typing", priority=True),
    ]

    def __init__(
        self, persona: Persona, library: FlowLibrary, *, speed: float = DEFAULT_SPEED, theme: str = "dark",
        locale: str = "en",
    ) -> None:
        self.persona = persona
        self.library = library
        self.speed = speed
        self._scratch: Path | None = None
        super().__init__(self.new_service, start_flow=persona.flow, start_role=persona.role, theme=theme,
                         locale=locale)
        self.title = self.ui.t("demo.title")
        self.typist = Typist(persona, speed)
        self.mode = Mode.playing
        self.note = ""
        self.runs = 1
        self._last_tick = time.monotonic()

    # --- the store: in memory, one per run ----------------------------------------------------

    @property
    def scratch(self) -> Path:
        """A temporary folder for exports, made when first needed and removed when the app ends."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="coach-demo-"))
        return self._scratch

    def new_service(self) -> CoachService:
        """A fresh in-memory store holding only the persona's profile and relationship."""
        from coach.app.memory import MemoryRepository
        from coach.app.service import CoachService

        service = CoachService(self.library, MemoryRepository())
        profile = service.add_profile(self.persona.display_name, self.persona.role)
        service.add_relationship(profile, self.persona.other_name)
        return service

    def exports(self) -> ChatExports:
        return self.data.service.exports(self.scratch / "exports")

    def on_mount(self) -> None:
        self.sub_title = self.ui.t("demo.sub_title", name=self.persona.display_name,
                                   role=self.ui.t(f"roles.{self.persona.role.value}"))
        self._last_tick = time.monotonic()
        self.set_interval(TICK, self._tick)

    def on_unmount(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    # --- the chat being played ----------------------------------------------------------------

    @property
    def chat(self) -> ChatScreen | None:
        if not self.screen_stack:  # before the first screen, or after the last one closed (quitting)
            return None
        screen = self.screen
        return screen if isinstance(screen, ChatScreen) else None

    def _awaiting_answer(self, chat: ChatScreen) -> bool:
        """The chat is composed and waits for an answer (not busy with the last one, not finished)."""
        bars = chat.query(AnswerBar)
        return bool(bars) and not chat.busy and bars.first().question is not None

    def _tick(self) -> None:
        now = time.monotonic()
        dt, self._last_tick = min(now - self._last_tick, 0.25), now
        chats = [s for s in self.screen_stack if isinstance(s, ChatScreen)]
        if chats and chats[-1].chat.done and not chats[-1].busy:  # (its documents may be shown on top)
            if self.mode in (Mode.playing, Mode.paused, Mode.stepping):
                self._set_mode(Mode.finished)
            return
        chat = self.chat
        if chat is None or not chat.query(AnswerBar):
            return
        self._ensure_bar(chat)
        self._keep_keys(chat)
        if self.mode not in (Mode.playing, Mode.stepping) or not self._awaiting_answer(chat):
            return
        if self.typist.exhausted:
            self.note = self.ui.t("demo.no_more_answers")
            self._set_mode(Mode.paused)
            return
        think = self.mode == Mode.playing
        typed: str | None = None
        event = self.typist.tick(dt, think=think)
        while event is not None:  # everything due by now (at high speeds, a whole answer per tick)
            if isinstance(event, Thinking):
                self.note = event.answer.note
            elif isinstance(event, Typed):
                typed = event.text
            else:
                self._show_typed(chat, event.text)
                chat.send(event.text)
                if self.mode == Mode.stepping:
                    self._set_mode(Mode.paused)
                typed = None
                break
            event = self.typist.tick(0.0, think=think)
        if typed is not None:
            self._show_typed(chat, typed)
            self.idle_gc.touch()  # as a key press would: no pause for garbage collection mid-word
        self._update_bar()

    def _keep_keys(self, chat: ChatScreen) -> None:
        """While the persona plays, the answer box must not take the focus: it would take the
        letter keys (space, n, t, r, q) as typing. The conversation gets it (arrows scroll it)."""
        typing_ok = self.mode == Mode.takeover
        for box in chat.query("AnswerBar Input, AnswerBar TextArea"):
            box.can_focus = typing_ok
        if not typing_ok and isinstance(chat.focused, Input | TextArea):
            logs = chat.query(ChatLog)
            chat.set_focus(logs.first() if logs else None)

    def _show_typed(self, chat: ChatScreen, text: str) -> None:
        bar = chat.answer_bar
        if bar.uses_area:
            bar.area.text = text
            bar.area.move_cursor(bar.area.document.end)
        else:
            bar.line.value = text
            bar.line.cursor_position = len(text)

    def _clear_typed(self) -> None:
        chat = self.chat
        if chat is not None and chat.query(AnswerBar):
            self._show_typed(chat, "")

    # --- the status bar -----------------------------------------------------------------------

    def _ensure_bar(self, chat: ChatScreen) -> None:
        if not chat.query(DemoBar):
            chat.mount(DemoBar(self._bar_content(), id="demo-bar"), before=0)

    def _bar_content(self) -> Content:
        p = self.persona
        shown = min(self.typist.index + 1, self.typist.total)
        status = self.ui.t(f"demo.{self.mode.value}")
        progress = self.ui.t("demo.progress", role=self.ui.t(f"roles.{p.role.value}"), n=shown,
                             total=self.typist.total)
        line = Content.assemble((one_line(p.display_name, 30), "bold"), f" {progress}  ", (status, "$text-muted"))
        note = self.note or (one_line(p.bio, 200) if self.typist.index == 0 else "")
        if note:
            line = Content.assemble(line, "\n", (one_line(note, 200), "italic $text-accent"))
        return line

    def _update_bar(self) -> None:
        chat = self.chat
        if chat is not None:
            for bar in chat.query(DemoBar):
                bar.update(self._bar_content())

    def _set_mode(self, mode: Mode) -> None:
        self.mode = mode
        if mode == Mode.finished:
            self.note = ""
        self.refresh_bindings()
        self._update_bar()

    # --- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.mode == Mode.takeover:
            return action not in LETTER_ACTIONS  # letters go to the answer box
        if not self.screen_stack:  # starting or quitting: no screen to ask
            return None
        screen = self.screen
        if action in LETTER_ACTIONS and not isinstance(screen, ChatScreen) and DEMO_KEYS[action] & screen_keys(screen):
            return False  # elsewhere, a key the screen uses is the screen's (q closes a document, n on home...)
        if action == "demo_hand_back":
            return False
        if action == "demo_reset_typing":
            return False  # `r` does it
        if action in ("demo_toggle", "demo_step") and self.mode == Mode.finished:
            return None  # shown, but disabled
        return True

    def action_demo_toggle(self) -> None:
        if self.mode == Mode.playing:
            self._set_mode(Mode.paused)
        elif self.mode in (Mode.paused, Mode.stepping):
            self._set_mode(Mode.playing)

    def action_demo_step(self) -> None:
        if self.mode in (Mode.paused, Mode.playing, Mode.stepping):
            self._set_mode(Mode.stepping)

    def action_demo_take_over(self) -> None:
        self.typist.restart_answer()
        self._clear_typed()
        self.note = ""
        self._set_mode(Mode.takeover)
        chat = self.chat
        if chat is not None and chat.query(AnswerBar):
            self._keep_keys(chat)
            chat.answer_bar.focus_input()

    def action_demo_hand_back(self) -> None:
        self._clear_typed()
        self._set_mode(Mode.playing)
        chat = self.chat
        if chat is not None and chat.query(AnswerBar):
            self._keep_keys(chat)

    async def action_demo_reset(self) -> None:
        """Start over: a new in-memory store, the persona from its first answer.

        Each run lives in its own Textual mode (its own screen stack): the old run's screens are
        removed without ever becoming active again. (The first run's screens are in the default
        mode, which Textual cannot remove; they stay suspended.)"""
        self.mode = Mode.paused
        deadline = time.monotonic() + 5

        def unsettled() -> bool:  # a reply still landing, or a screen (its documents) still opening
            return any((isinstance(s, ChatScreen) and s.busy) or not s.is_mounted for s in self.screen_stack)

        while unsettled() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)  # removing screens half-way through either is not clean
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.screen.wait_for_refresh(), 1)
        old_mode, old_data = self.current_mode, self.data
        self.runs += 1
        self.data = DataService(self.new_service)
        self.typist = Typist(self.persona, self.speed)
        self.note = ""
        self.start_flow = self.persona.flow
        mode = f"run-{self.runs}"
        self.add_mode(mode, self.ui.localized(HomeScreen))
        await self.switch_mode(mode)
        if old_mode != "_default":
            await self.remove_mode(old_mode)
        old_data.close(wait=False)
        self._set_mode(Mode.playing)

    async def action_demo_reset_typing(self) -> None:
        await self.action_demo_reset()

    def action_demo_quit(self) -> None:
        self.exit()
