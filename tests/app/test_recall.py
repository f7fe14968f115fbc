"""Memory across stages: what an earlier stage holds is offered back, not asked again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from coach.app.memory import MemoryRepository
from coach.app.service import CoachService
from coach.app.views import Chat
from coach.content.library import FlowLibrary
from coach.models import Profile, Relationship, Role

CONVERSATIONS = Path(__file__).resolve().parents[1] / "conversations"
TODAY = date(2026, 11, 27)


@pytest.fixture
def service(library: FlowLibrary) -> CoachService:
    return CoachService(library, MemoryRepository(), today=lambda: TODAY)


def _people(service: CoachService) -> tuple[Profile, Relationship]:
    ana = service.add_profile("Ana Lima", Role.mentee)
    return ana, service.add_relationship(ana, "Sam Okafor")


def _play(service: CoachService, profile: Profile, rel: Relationship, transcript: str) -> None:
    case = yaml.safe_load((CONVERSATIONS / f"{transcript}.yaml").read_text(encoding="utf-8"))
    chat = service.open_stage(profile, rel, case["flow"])
    for text in (str(t["user"]) for t in case["turns"] if "user" in t):
        service.answer(chat, text)
    assert chat.done, transcript
    service.leave(chat)


def _answers(transcript: str) -> list[str]:
    case = yaml.safe_load((CONVERSATIONS / f"{transcript}.yaml").read_text(encoding="utf-8"))
    return [str(t["user"]) for t in case["turns"] if "user" in t]


def _answer_until(service: CoachService, chat: Chat, step: str, answers: list[str]) -> list[str]:
    """Past the review of earlier commitments ("done"), then answer in order until the question
    at `step` is open; the texts the coach said there."""
    said = [m.text for m in chat.opening.messages]
    while chat.conversation.mode in ("reviewing", "review_reason"):
        said = [m.text for m in service.answer(chat, "done").messages]
    for text in answers:
        if chat.conversation.step == step:
            break
        said = [m.text for m in service.answer(chat, text).messages]
    assert chat.conversation.step == step
    return said


def test_the_agreement_offers_back_the_rhythm_and_purpose_of_the_fit_check(service: CoachService) -> None:
    ana, sam = _people(service)
    _play(service, ana, sam, "fit_check_mentee_happy")  # a monthly rhythm, a goal
    chat = service.open_stage(ana, sam, "commitment")
    opening = [m.key for m in chat.opening.messages]
    assert opening[-2:] == ["commitment.ask_purpose", "common.recall"]
    assert "Present our team roadmap to the leadership group by March 2027" in chat.opening.text
    service.answer(chat, "yes")  # the purpose, kept
    assert chat.conversation.slots["purpose"] == "Present our team roadmap to the leadership group by March 2027"
    said = _answer_until(service, chat, "ask_cadence", ["Run my first team retro by February"])
    assert any("From what you told me before: “Monthly”" in s for s in said)
    service.answer(chat, "")  # Enter keeps it too
    assert chat.conversation.slots["cadence"] == "monthly"
    service.answer(chat, "/back")
    service.answer(chat, "every week")  # or say something new
    assert chat.conversation.slots["cadence"] == "weekly"


def test_feedback_offers_the_next_meeting_by_the_agreed_rhythm(service: CoachService) -> None:
    ana, sam = _people(service)
    _play(service, ana, sam, "commitment_mentee_happy")  # every two weeks, from Thursday 3 December
    later = CoachService(service.library, service.repo, today=lambda: date(2026, 12, 8))
    chat = later.open_stage(ana, sam, "feedback")
    said = _answer_until(later, chat, "ask_next_meeting", _answers("feedback_mentee_happy"))
    # the meeting after 3 December, from 8 December
    assert any("From what you told me before: “Thursday 17 December 2026”" in s for s in said)
    later.answer(chat, "yes")
    assert chat.conversation.slots["next_meeting"] == "2026-12-17"


def _at_next_meeting(service: CoachService) -> tuple[CoachService, Chat]:
    ana, sam = _people(service)
    _play(service, ana, sam, "commitment_mentee_happy")  # every two weeks, from Thursday 3 December
    later = CoachService(service.library, service.repo, today=lambda: date(2026, 12, 8))  # a Tuesday
    chat = later.open_stage(ana, sam, "feedback")
    _answer_until(later, chat, "ask_next_meeting", _answers("feedback_mentee_happy"))
    return later, chat


def test_a_next_meeting_off_the_agreed_rhythm_is_confirmed_with_the_date_on_it(service: CoachService) -> None:
    later, chat = _at_next_meeting(service)
    turn = later.answer(chat, "in two weeks")  # Tuesday 22 December; the rhythm meets on Thursdays
    assert turn.messages[-1].key == "common.which_date_rhythm"
    assert "every two weeks on Thursdays" in turn.text
    assert "Tuesday 22 December 2026" in turn.text and "Thursday 17 December 2026" in turn.text
    assert "next_meeting" not in chat.conversation.slots
    later.answer(chat, "2")
    assert chat.conversation.slots["next_meeting"] == "2026-12-17"


def test_a_date_off_the_rhythm_is_kept_when_the_user_says_so(service: CoachService) -> None:
    later, chat = _at_next_meeting(service)
    later.answer(chat, "2026-12-22")
    later.answer(chat, "1")
    assert chat.conversation.slots["next_meeting"] == "2026-12-22"


def test_another_date_typed_at_the_rhythm_question_is_taken_as_meant(service: CoachService) -> None:
    later, chat = _at_next_meeting(service)
    later.answer(chat, "2026-12-22")
    later.answer(chat, "2026-12-23")  # told the rhythm, the user means this one
    assert chat.conversation.slots["next_meeting"] == "2026-12-23"


def test_a_date_on_the_agreed_rhythm_is_taken_without_a_question(service: CoachService) -> None:
    later, chat = _at_next_meeting(service)
    turn = later.answer(chat, "2026-12-31")  # Thursday, four weeks after the first meeting
    assert "common.which_date_rhythm" not in [m.key for m in turn.messages]
    assert chat.conversation.slots["next_meeting"] == "2026-12-31"


def test_gratitude_knows_the_names_and_the_plan(service: CoachService) -> None:
    ana, sam = _people(service)
    _play(service, ana, sam, "empowerment_mentee_happy")
    chat = service.open_stage(ana, sam, "gratitude")
    said = _answer_until(service, chat, "ask_mentor_name", [])
    assert any("I have “Sam” — say yes to use it" in s for s in said)  # a name known from the relationship
    service.answer(chat, "yes")
    assert chat.conversation.slots["mentor_name"] == "Sam"
    said = _answer_until(service, chat, "ask_next_steps", _answers("gratitude_mentee_happy")[1:])
    plan = "ask my manager for a slot in the sprint calendar; book a chat with Dana"
    assert any(f"From what you told me before: “{plan}”" in s for s in said)
