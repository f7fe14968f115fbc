"""One message in the conversation: the bot's (Markdown) or the user's (always literal)."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.widgets import Markdown, Static

from coach.engine.turns import BotMessage
from coach.tui.i18n import ui_texts
from coach.tui.text import displayable


@cache
def literal_markdown_parser() -> MarkdownIt:
    """Markdown as coach writes it (GFM tables and strikethrough), with nothing added to what
    people typed: no autolinks ("www.example.com" stays text), no HTML, no entities ("&lt;b&gt;"
    stays as typed), no code block from an indented line. The engine escapes user text as well
    (md_escape); this keeps it literal whatever a template does."""
    return MarkdownIt("gfm-like", {"linkify": False, "html": False}).disable(["code", "entity", "linkify"])


def _parser() -> MarkdownIt:
    return literal_markdown_parser()


class BotBubble(Markdown):
    """A bot message. The engine escapes user values in `markdown`, so they render literally.

    The blocks are built while the bubble is composed, in the same frame as the bubble itself,
    rather than parsed on a worker thread after it mounts (a second layout pass per reply)."""

    def __init__(self, message: BotMessage) -> None:
        super().__init__(None, open_links=False, parser_factory=_parser, classes=f"bot -{message.kind}")
        self.message = message
        self._text = displayable(message.markdown)
        self._composed = False
        self._skip_mount_update = True

    def compose(self) -> ComposeResult:
        parse_blocks = getattr(self, "_parse_markdown", None)  # Textual internals: fall back if gone
        if parse_blocks is None:
            return
        self._markdown = self._text
        self._theme = self.app.theme
        yield from parse_blocks(_parser().parse(self._text))
        self._composed = True

    def update(self, markdown: str) -> AwaitComplete:
        if self._skip_mount_update:  # Markdown's own mount handler, with the blocks already built
            self._skip_mount_update = False
            if self._composed:
                return AwaitComplete(_nothing())
            markdown = self._text
        return super().update(markdown)


async def _nothing() -> None:
    return None


class UserBubble(Static):
    """What the user sent, shown exactly as typed: never read as markup, control characters made visible."""

    def __init__(self, text: str, *, command: bool = False, empty: str | None = None) -> None:
        shown = displayable(text) if text.strip() else empty or ui_texts().t("chat.empty_answer")
        super().__init__(Content(shown), classes="user -command" if command else "user")
        self.text = text
