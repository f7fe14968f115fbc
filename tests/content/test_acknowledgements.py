"""Acknowledgements that fit what was said: a worry is met with warmth (whatever the question), a step the
user commits to with recognition, anything else with a plain thanks."""

from __future__ import annotations

from datetime import date

import pytest

from coach.content.library import FlowLibrary
from coach.engine import probes
from coach.engine.conversation import Conversation, Engine


@pytest.mark.parametrize("text", [
    "i'm worried she won't have time for me", "Honestly a bit nervous about asking", "I struggle to say no",
    "scared of looking stupid in front of the panel", "I feel out of my depth", "he's kind of dismissive",
    "it's hard for me to ask for help", "I doubt I'm ready", "overwhelmed by the roadmap work",
])
def test_a_worry_is_heard_as_a_worry(text: str) -> None:
    assert probes.sounds_worried(text)


@pytest.mark.parametrize("text", [
    "ask my manager for a slot in the sprint calendar", "every other Thursday at 5", "the release in March",
    "she is organised and people trust her", "no worries, it went fine",
    "not worried about the timeline", "get promoted to senior engineer",
])
def test_a_plain_answer_is_not_heard_as_a_worry(text: str) -> None:
    assert not probes.sounds_worried(text)


def _conv(library: FlowLibrary, flow: str, answers: list[str]) -> Conversation:
    conv = Engine(library, today=lambda: date(2026, 11, 27)).new(flow, "mentee", conversation_id=f"acks-{flow}")
    conv.start()
    for answer in answers:
        conv.reply(answer)
    return conv


FIT_TO_CONCERNS = ["Move from senior engineer to engineering manager within 18 months",
                   "Lead a platform group of three teams", "4", "regular honest feedback; introductions", "yes",
                   "4", "4", "2", "5", "5"]


def test_a_worry_at_the_worries_question_gets_warmth_not_noted(library: FlowLibrary) -> None:
    conv = _conv(library, "fit_check", FIT_TO_CONCERNS)
    assert conv.step == "ask_concerns"
    turn = conv.reply("She is very senior and I worry I'll waste her time")
    acks = [m for m in turn.messages if m.kind == "ack"]
    assert [m.key for m in acks] == ["common.ack_warm"]
    assert acks[0].text in library.prompts.entry("common.ack_warm").phrasings("mentee")


def test_a_worry_at_any_question_gets_warmth(library: FlowLibrary) -> None:
    conv = _conv(library, "fit_check", [])
    turn = conv.reply("Become a manager within 18 months, though I'm nervous I'm not ready for it")
    assert [m.key for m in turn.messages if m.kind == "ack"] == ["common.ack_warm"]


def test_a_step_the_user_commits_to_gets_recognition(library: FlowLibrary) -> None:
    conv = _conv(library, "gratitude", [])
    while conv.step != "ask_next_steps":
        step = conv.step
        conv.reply({"ask_mentor_name": "Sam"}.get(step, "She told me to write the design doc before any code"))
        assert conv.step != step or conv.step == "ask_next_steps", f"stuck at {step}"
    turn = conv.reply("share the next draft at the review on 10 December")
    assert [m.key for m in turn.messages if m.kind == "ack"] == ["common.ack_plan"]
