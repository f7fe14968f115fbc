"""The conversation with the coach for one stage."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from coach.app.views import Chat, StageStatus
from coach.engine.text import md_escape
from coach.engine.turns import BotMessage, BotTurn
from coach.models import Artifact, Profile, Relationship
from coach.tui.i18n import UiTexts, texts_of, ui_texts
from coach.tui.screens.artifacts import ArtifactScreen
from coach.tui.screens.base import coach_app
from coach.tui.widgets.answer_bar import AnswerBar
from coach.tui.widgets.chat_log import ChatLog
from coach.tui.widgets.footer import KeyFooter
from coach.tui.widgets.header import CoachHeader
from coach.tui.widgets.stages import StageProgress, StageSidebar

if TYPE_CHECKING:
    from coach.tui.app import CoachApp


QUICK_REPLY = 0.05
"""Seconds to wait for the engine before drawing the user's answer on its own."""


@dataclass
class ChatSession:
    """What the chat screen needs: the open conversation, whose it is, and the stages around it."""

    chat: Chat
    profile: Profile
    relationship: Relationship
    stages: list[StageStatus] = field(default_factory=list)


def conversation_markdown(title: str, name: str, other_name: str,
                          exchanges: Iterable[tuple[str | None, Sequence[BotMessage]]],
                          documents: Iterable[Artifact], ui: UiTexts | None = None) -> str:
    """A conversation as Markdown: who with whom, each thing said (the user's words literal),
    then the documents it produced."""
    t = (ui or ui_texts()).t
    head = "# " + t("chat.export_heading", title=title, name=md_escape(name), other=md_escape(other_name))
    you, coach = md_escape(t("chat.export_you")), md_escape(t("chat.export_coach"))
    blocks: list[str] = []
    for said, messages in exchanges:
        if said is not None:
            blocks.append(f"**{you}**\n\n{md_escape(said)}")
        blocks.extend(f"**{coach}**\n\n{m.markdown}" for m in messages)
    extra = "\n\n".join(a.markdown for a in documents)
    return "\n\n".join(p for p in (head, "\n\n".join(blocks), extra) if p)


class ChatScreen(Screen[None]):
    KEYS_AREA = "chat"
    # The ids let the served app give these actions keys a browser does not take (ServeApp's keymap).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b,f2", "back", id="chat.back"),
        Binding("ctrl+n,f3", "skip", id="chat.skip"),
        Binding("f1", "help", id="chat.help"),
        Binding("ctrl+r,f4", "summary", id="chat.summary"),
        Binding("ctrl+o,f5", "export", id="chat.export"),
        Binding("escape", "home", id="chat.home"),
    ]

    def __init__(self, session: ChatSession) -> None:
        super().__init__()
        self.session = session
        self.busy = False
        self.transcript: list[tuple[str, str]] = []  # (speaker, markdown) of what this screen showed
        self.artifacts: list[Artifact] = []
        self.flow_title = session.chat.title
        self.title = session.chat.title
        self.ui = texts_of(self)
        role = self.ui.t(f"roles.{session.profile.role.value}")
        self.sub_title = self.ui.t("chat.sub_title", name=session.profile.name, role=role,
                                   other=session.relationship.other_name)

    @property
    def coach_app(self) -> CoachApp:
        return coach_app(self)

    @property
    def chat(self) -> Chat:
        return self.session.chat

    def compose(self) -> ComposeResult:
        yield CoachHeader()
        with Vertical(id="chat-main"):
            yield StageProgress(id="top-progress")
            with Horizontal(id="chat-body"):
                yield ChatLog(id="log")
                yield StageSidebar(self.chat.flow_id, self.session.stages, id="sidebar")
            yield self.ui.localized(AnswerBar)(self.coach_app.data.service.today(), id="answer-bar")
        yield KeyFooter()

    @property
    def chat_log(self) -> ChatLog:
        return self.query_one("#log", ChatLog)

    @property
    def answer_bar(self) -> AnswerBar:
        return self.query_one("#answer-bar", AnswerBar)

    async def on_mount(self) -> None:
        if self.chat.note:
            await self.chat_log.add_note(self.chat.note)
        if self.chat.resumed:
            await self.chat_log.add_note(self.ui.t("chat.welcome_back"))
        await self.show_turn(self.chat.opening)

    # --- turns ------------------------------------------------------------------------------

    async def show_turn(self, turn: BotTurn, *, answer: str | None = None) -> None:
        """Draw `turn` (after the user's `answer`, if not shown yet) in one batch."""
        with self.app.batch_update():
            await self.chat_log.add_exchange(answer, turn.messages)
            await self._update_for(turn)
        self.coach_app.idle_gc.touch()

    async def _update_for(self, turn: BotTurn) -> None:
        self.transcript.extend(("Coach", m.markdown) for m in turn.messages)
        done, total = turn.progress
        self.query_one("#sidebar", StageSidebar).set_progress(done, total)
        self.query_one("#top-progress", StageProgress).set(done, total)
        question = turn.question if turn.question is not None or turn.done else self.chat.question()
        await self.answer_bar.set_question(None if turn.done else question)
        if turn.artifacts:
            self.artifacts.extend(turn.artifacts)
            self.app.push_screen(self.ui.localized(ArtifactScreen)(turn.artifacts,
                                                                    self.session.relationship.other_name))

    @on(AnswerBar.Submitted)
    def _submitted(self, event: AnswerBar.Submitted) -> None:
        event.stop()
        self.send(event.answer, event.shown)

    def send(self, answer: str, shown: str | None = None) -> None:
        """Send `answer` to the engine (off the UI thread) and show the reply."""
        if self.busy:
            return
        self.busy = True
        self.run_worker(self._exchange(answer, answer if shown is None else shown), group="reply")

    async def _exchange(self, answer: str, shown: str) -> None:
        """Show the answer and the bot's reply. The engine (which saves) runs on the data thread;
        a quick reply is drawn in the same frame as the answer, a slow one after it."""
        try:
            self.transcript.append(("You", md_escape(shown)))
            data = self.coach_app.data
            reply = asyncio.ensure_future(data.call(data.service.answer, self.chat, answer))
            done, _ = await asyncio.wait({reply}, timeout=QUICK_REPLY)
            if not done:
                self.answer_bar.clear()
                await self.chat_log.add_user(shown)
            try:
                turn = await reply
            except Exception as error:  # a store that cannot save: say so, keep the conversation open
                self.notify(str(error), title=self.ui.t("common.could_not_save"), severity="error", markup=False)
                turn = await data.call(data.service.current, self.chat)
            await self.show_turn(turn, answer=shown if done else None)
        finally:
            self.busy = False

    # --- actions ----------------------------------------------------------------------------

    def action_back(self) -> None:
        self.send("/back")

    def action_skip(self) -> None:
        self.send("/skip")

    def action_help(self) -> None:
        self.send("/help")

    def action_why(self) -> None:
        self.send("/why")

    def action_summary(self) -> None:
        self.send("/summary")

    async def action_home(self) -> None:
        """Pause (saved) and return to the home screen."""
        if self.busy:
            return
        if not self.chat.done:
            try:
                await self.coach_app.data.call(self.coach_app.data.service.pause, self.chat)
            except Exception as error:
                self.notify(str(error), title=self.ui.t("common.could_not_save"), severity="error", markup=False)
                return
        data = self.coach_app.data
        self.dismiss(None)
        await data.call(data.service.leave, self.chat)

    async def action_export(self) -> None:
        """Save the whole conversation, from its beginning (also when it was resumed here)."""
        data, session = self.coach_app.data, self.session
        try:
            exchanges = await data.call(data.service.transcript, self.chat)
            markdown = conversation_markdown(self.flow_title, session.profile.name, session.relationship.other_name,
                                             exchanges, self.artifacts, self.ui)
            path = await data.call(self.coach_app.exports().markdown, f"{self.chat.flow_id}-conversation", markdown,
                                   session.relationship.other_name)
        except Exception as error:
            self.notify(str(error), title=self.ui.t("common.export_failed"), severity="error", markup=False)
            return
        self.notify(self.coach_app.saved_line([path]), title=self.ui.t("common.exported"), markup=False)

    def action_show_artifacts(self) -> None:
        if self.artifacts:
            self.app.push_screen(self.ui.localized(ArtifactScreen)(self.artifacts,
                                                                    self.session.relationship.other_name))
        else:
            self.notify(self.ui.t("chat.no_documents_yet"), markup=False)

    def palette_commands(self) -> Iterator[SystemCommand]:
        t = self.ui.t
        if self.answer_bar.is_draft:
            yield SystemCommand(t("palette.chat.send_draft"), t("palette.chat.send_draft_help"),
                                self.answer_bar.action_send_draft)
        for name, action in (("back", self.action_back), ("skip", self.action_skip), ("help", self.action_help),
                             ("why", self.action_why), ("summary", self.action_summary),
                             ("export", self.action_export), ("documents", self.action_show_artifacts),
                             ("home", self.action_home)):
            yield SystemCommand(t(f"palette.chat.{name}"), t(f"palette.chat.{name}_help"), action)
