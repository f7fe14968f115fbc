"""The TUI shows user text literally in every bubble, header and document: no autolink
(``www.example.com`` stays text), no decoded entity (``&lt;b&gt;`` stays as typed), no code block
from an indented line, no Rich markup, and nothing on screen a terminal would obey (an escape
sequence typed or pasted shows as ␛...)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from textual import events
from textual.widget import Widget
from textual.widgets import Input
from textual.widgets._markdown import MarkdownBlock, MarkdownFence
from tui_helpers import Backend, screen_text, settle

from coach.models import Profile, Relationship, Role
from coach.tui.app import CoachApp
from coach.tui.screens.artifacts import ArtifactScreen
from coach.tui.screens.chat import ChatScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.widgets.answer_bar import AnswerArea
from coach.tui.widgets.messages import BotBubble, UserBubble

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
GOAL = "see www.example.com or https://example.org, mail a@b.com, &lt;b&gt; &amp; [bold]not bold[/bold] **no**"
STORY = "first line\n\n    an indented line\n\ttabbed &#x1b;[2J \x1b]52;c;aGk=\x07 \x9b2J end of the story here"
NAME = "Ana [bold]\x1b[2J\x1b]0;title\x07"


def links_and_code(widgets: Iterable[Widget]) -> list[str]:
    """What a Markdown widget made of the text that the text did not say: links, code blocks."""
    found: list[str] = []
    for widget in widgets:
        for block in widget.query(MarkdownBlock):
            if isinstance(block, MarkdownFence):
                found.append(f"code block: {block.source!r}")
            rendered = block.render()
            for span in getattr(rendered, "spans", []):
                if "link(" in str(span.style):
                    found.append(f"link in {block.source!r}")
    return found


def shown_text(widgets: Iterable[Widget]) -> str:
    return "\n".join(str(block.render()) for w in widgets for block in w.query(MarkdownBlock))


def add_hostile_people(backend: Backend) -> None:
    noon = backend.service.now()
    profile = backend.repo.save_profile(Profile(id="p-ana", name=NAME, role=Role.mentee, created_at=noon))
    backend.repo.save_relationship(Relationship(id="r-sam", profile_id=profile.id, other_name="Sam\x9b31m www.x.com",
                                                mentee_name=NAME, mentor_name="Sam", created_at=noon))


async def test_answers_render_literally_in_bubbles_and_documents(
    backend: Backend, app_factory: Callable[..., CoachApp]
) -> None:
    add_hostile_people(backend)
    app = app_factory()
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        home = screen_text(app)
        assert RAW_CONTROL.findall(home) == [] and "Ana [bold]␛[2J" in home
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        for answer in (GOAL, STORY, "/summary"):
            screen.send(answer)
            await settle(pilot)
        conv = screen.chat.conversation
        assert conv.answers["goal"].raw == GOAL and conv.answers["story"].raw == STORY  # kept as typed
        bots = list(screen.query(BotBubble))
        assert links_and_code(bots) == []
        summary = shown_text([b for b in bots if b.message.kind == "summary"])
        for literal in ("www.example.com", "https://example.org", "a@b.com", "&lt;b&gt; &amp;", "[bold]not bold[/bold]",
                        "**no**", "&#x1b;[2J", "␛]52;c;aGk=␇", "␛[2J"):
            assert literal in summary, literal
        users = [str(u.render()) for u in screen.query(UserBubble)]
        assert GOAL in users and "an indented line" in users[1] and "␛]52;c;aGk=␇" in users[1]
        shot = screen_text(app)
        assert RAW_CONTROL.findall(shot) == []
        assert "Ana [bold]␛[2J␛]0;title␇" in shot  # the header's subtitle: the name as typed, shown
        assert "Sam␛[31m www.x.com" in shot

        # The rest of the tour, then its documents (Markdown) on their own screen.
        for answer in ("a; b", "2", "1, 3", "4", "yes", "5", "next friday", "yes", "keep"):
            screen.send(answer)
            await settle(pilot)
        assert isinstance(app.screen, ArtifactScreen)
        documents = list(app.screen.query("Markdown"))
        assert documents and links_and_code(documents) == []
        text = shown_text(documents)
        assert "www.example.com" in text and "&lt;b&gt;" in text and "[bold]not bold[/bold]" in text
        assert RAW_CONTROL.findall(screen_text(app)) == []


async def test_a_pasted_escape_sequence_shows_as_pictures_and_is_sent_as_pasted(
    backend: Backend, app_factory: Callable[..., CoachApp]
) -> None:
    add_hostile_people(backend)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        line = screen.query_one("#answer-line", Input)
        line.focus()
        pasted = "goal \x1b[2J\x1b]52;c;aGk=\x07 \x9b31m"
        line.post_message(events.Paste(pasted))
        await pilot.pause()
        assert line.value == pasted
        drawn = screen_text(app)
        assert RAW_CONTROL.findall(drawn) == [] and "goal ␛[2J␛]52;c;aGk=" in drawn
        await pilot.press("enter")
        await settle(pilot)
        assert screen.chat.conversation.answers["goal"].raw == pasted
        area = screen.query_one(AnswerArea)  # the story: a text area
        area.focus()
        area.post_message(events.Paste("story \x1b[2J\n\x1b]52;c;aGk=\x07 more words to make it long enough"))
        await pilot.pause()
        assert "\x1b" in area.text and RAW_CONTROL.findall(screen_text(app)) == []
        assert "story ␛[2J" in screen_text(app)
