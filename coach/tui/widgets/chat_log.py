"""The scrolling conversation: bot and user messages, newest at the bottom."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from coach.engine.conversation import parse_command
from coach.engine.turns import BotMessage
from coach.tui.widgets.messages import BotBubble, UserBubble


class ChatLog(VerticalScroll, can_focus=True):
    """Messages, kept scrolled to the newest unless the user scrolls up."""

    def on_mount(self) -> None:
        self.anchor()

    async def add_bot(self, messages: Iterable[BotMessage]) -> list[BotBubble]:
        bubbles = [BotBubble(m) for m in messages]
        await self._add(bubbles)
        return bubbles

    async def add_user(self, text: str) -> UserBubble:
        bubble = UserBubble(text, command=parse_command(text) is not None)
        await self._add([bubble])
        return bubble

    async def add_note(self, text: str) -> Static:
        note = Static(text, classes="note", markup=False)
        await self._add([note])
        return note

    async def _add(self, widgets: Sequence[Widget]) -> None:
        if widgets:
            await self.mount_all(widgets)
            self.anchor()
