"""The scrolling conversation: bot and user messages, newest at the bottom.

Only the newest messages stay live widgets (Markdown for the bot): enough to fill the log's
height and half as much again above it, and at least LIVE. Older ones are folded, a chunk at a
time, into compact read-only blocks of plain text, merged as they age. The log keeps its full
scrollback, while the number of widgets Textual lays out and draws on each reply stays small
(about what a screenful holds + CHUNK + log2 of the folded chunks), however long the stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from coach.engine.text import parse_command
from coach.engine.turns import BotMessage
from coach.tui.i18n import UiTexts, texts_of, ui_texts
from coach.tui.text import displayable
from coach.tui.widgets.messages import BotBubble, UserBubble


def _user_bubble(text: str, ui: UiTexts) -> UserBubble:
    return UserBubble(text, command=parse_command(text) is not None, empty=ui.t("chat.empty_answer"))


class Note(Static):
    """A line from the app itself (not the coach): e.g. "Welcome back"."""

    def __init__(self, text: str) -> None:
        super().__init__(Content(displayable(text)), classes="note")
        self.text = text


def _folded(widget: Widget, ui: UiTexts) -> Content:
    if isinstance(widget, BotBubble):
        return Content.assemble((f"{ui.t('chat.folded_coach')} ", "bold $text-secondary"),
                                displayable(widget.message.text))
    if isinstance(widget, UserBubble):
        return Content.assemble((f"  {ui.t('chat.folded_you')} ", "bold $text-primary"), displayable(widget.text))
    if isinstance(widget, Note):
        return Content.styled(displayable(widget.text), "italic $text-muted")
    return Content("")


class FoldedMessages(Static):
    """Older messages as plain text: one widget for a whole run of them."""

    def __init__(self, content: Content, count: int) -> None:
        super().__init__(content, classes="folded")
        self.folded = content
        self.count = count

    @classmethod
    def of(cls, widgets: Sequence[Widget], ui: UiTexts | None = None) -> FoldedMessages:
        ui = ui or ui_texts()
        return cls(Content("\n\n").join(_folded(w, ui) for w in widgets), len(widgets))

    def merged_with(self, newer: FoldedMessages) -> FoldedMessages:
        return FoldedMessages(Content("\n\n").join([self.folded, newer.folded]), self.count + newer.count)


class ChatLog(VerticalScroll, can_focus=True):
    """Messages, kept scrolled to the newest unless the user scrolls up."""

    LIVE = 8
    """Messages always kept as live widgets."""
    CHUNK = 6
    """The oldest CHUNK are folded into one block once there are LIVE + CHUNK live messages and
    the newer ones alone fill the log's height and half as much again (or MOST are live)."""
    MOST = 45
    """Live messages never outnumber this, however small they are (or not laid out yet)."""

    @property
    def ui(self) -> UiTexts:
        return texts_of(self)

    def on_mount(self) -> None:
        self.anchor()

    async def add_bot(self, messages: Iterable[BotMessage]) -> list[BotBubble]:
        bubbles = [BotBubble(m) for m in messages]
        await self._add(bubbles)
        return bubbles

    async def add_user(self, text: str) -> UserBubble:
        bubble = _user_bubble(text, self.ui)
        await self._add([bubble])
        return bubble

    async def add_exchange(self, answer: str | None, messages: Iterable[BotMessage]) -> None:
        """The user's answer (None: already shown) and the bot's reply, mounted together."""
        widgets: list[Widget] = [] if answer is None else [_user_bubble(answer, self.ui)]
        widgets.extend(BotBubble(m) for m in messages)
        await self._add(widgets)

    async def add_note(self, text: str) -> Note:
        note = Note(text)
        await self._add([note])
        return note

    @property
    def live(self) -> list[Widget]:
        return [w for w in self.children if not isinstance(w, FoldedMessages)]

    @property
    def message_count(self) -> int:
        folded = sum(w.count for w in self.children if isinstance(w, FoldedMessages))
        return folded + len(self.live)

    async def _add(self, widgets: Sequence[Widget]) -> None:
        if not widgets:
            return
        await self.mount_all(widgets)
        live = self.live
        if self._foldable(live):
            oldest = live[: self.CHUNK]
            await self.mount(FoldedMessages.of(oldest, self.ui), before=oldest[0])
            await self.remove_children(oldest)
            await self._merge_folded()
        self.anchor()

    def _foldable(self, live: Sequence[Widget]) -> bool:
        """Whether the oldest CHUNK live messages are out of sight (see CHUNK). Messages just
        mounted have no height yet: they count as none, so a fold comes a reply late, never early."""
        if len(live) >= self.MOST:
            return True
        if len(live) < self.LIVE + self.CHUNK:
            return False
        shown = sum(w.outer_size.height for w in live[self.CHUNK:])
        return shown >= self.size.height * 3 // 2

    async def _merge_folded(self) -> None:
        """Merge the two newest folded blocks while they hold as many messages as each other (a
        binary counter): a few blocks however long the conversation, each message re-folded only
        a logarithmic number of times."""
        while True:
            folded = [w for w in self.children if isinstance(w, FoldedMessages)]
            if len(folded) < 2 or folded[-2].count != folded[-1].count:
                return
            older, newer = folded[-2], folded[-1]
            await self.mount(older.merged_with(newer), before=older)
            await self.remove_children([older, newer])
