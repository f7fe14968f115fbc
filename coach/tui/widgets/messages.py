"""One message in the conversation: the bot's (Markdown) or the user's (always literal)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Markdown, Static

from coach.engine.turns import BotMessage
from coach.tui.text import displayable


class BotBubble(Markdown):
    """A bot message. The engine escapes user values in `markdown`, so they render literally."""

    def __init__(self, message: BotMessage) -> None:
        super().__init__(displayable(message.markdown), open_links=False, classes=f"bot -{message.kind}")
        self.message = message


class UserBubble(Static):
    """What the user sent, shown exactly as typed: never read as markup, control characters made visible."""

    def __init__(self, text: str, *, command: bool = False) -> None:
        shown = displayable(text) if text.strip() else "(empty)"
        super().__init__(Content(shown), classes="user -command" if command else "user")
        self.text = text
