"""Any unicode input — Rich/Textual markup, ANSI escapes, control characters, a 1 MB paste —
never crashes the engine, at any kind of question, and is kept verbatim."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.content.library import FlowLibrary
from coach.engine.conversation import Conversation, Engine
from coach.engine.refine import clean

NASTY = [
    "[bold]", "[/]", "[link=x]click[/link]", "[red on blue]x", "\x1b[31mred\x1b[0m", "\x1b]8;;http://x\x07",
    "\x00\x01\x02\x7f", "\r\n\r", "\u202e\u200b\ufeff", "👩🏽‍💻🧑‍🤝‍🧑", "$goal ${x} $$", "%s %(x)s {0} {x}",
    "**bold** _it_ `code` # head", "<script>", "/back now", "/", "//back", "\t", "  ", "", "²", "٣", "1²", "½",
]
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=300), st.lists(st.sampled_from(NASTY)).map("".join))

# Inputs that move through the echo flow's questions (one of each slot type).
PATH = ["a note", "x; y", "navy", "1, bananas", "4", "yep", "7", "2026-12-24"]


def _echo(lib: FlowLibrary) -> Conversation:
    conv = Engine(lib, today=lambda: date(2026, 11, 27)).new("echo", "mentee")
    conv.start()
    return conv


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), depth=st.integers(min_value=0, max_value=len(PATH)))
def test_any_input_at_any_question_never_crashes(echo_library: FlowLibrary, data: st.DataObject, depth: int) -> None:
    conv = _echo(echo_library)
    for t in PATH[:depth]:
        conv.reply(t)
    for _ in range(3):
        s = data.draw(text)
        turn = conv.reply(s)
        assert turn.messages, "the bot always answers"
        for m in turn.messages:
            assert isinstance(m.text, str) and isinstance(m.markdown, str)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=text)
def test_free_text_is_kept_verbatim(echo_library: FlowLibrary, s: str) -> None:
    conv = _echo(echo_library)
    conv.reply(s)
    ans = conv.answers.get("note")
    if s.strip() and not s.strip().startswith("/") and ans is not None:
        assert ans.raw == s  # as typed; the value the documents use has asides trimmed
        value = conv.slots["note"]
        assert value == clean(s)
        # echoed back literally: the Markdown form escapes user text so it cannot become formatting
        summary = conv.summary()
        assert any(value.strip().splitlines()[0][:20] in m.text for m in summary.messages) or not value.strip()


def test_one_megabyte_paste_kept(echo_library: FlowLibrary) -> None:
    big = ("[bold]paste\x1b[0m 👩🏽‍💻 " * 50_000)[: 1 << 20]
    conv = _echo(echo_library)
    turn = conv.reply(big)
    assert turn.messages
    assert conv.answers["note"].raw == big and len(big) == 1 << 20


def test_markup_in_answers_is_escaped_for_markdown(echo_library: FlowLibrary) -> None:
    conv = _echo(echo_library)
    conv.reply("**not bold** [link=x]y[/link]")
    summary = conv.summary()
    md = "\n".join(m.markdown for m in summary.messages)
    assert "\\*\\*not bold\\*\\*" in md and "\\[link=x\\]" in md
