"""The service tells an observer where each input lands, and what kind it is, never its text."""

from __future__ import annotations

from coach.app.memory import MemoryRepository
from coach.app.room import RoomEvent
from coach.app.service import CoachService
from coach.content.library import FlowLibrary


def _service(events: list[RoomEvent]) -> CoachService:
    return CoachService(FlowLibrary.load(), MemoryRepository(), observer=events.append)


def test_each_input_is_observed_with_its_stage_step_and_kind_and_no_text() -> None:
    events: list[RoomEvent] = []
    service = _service(events)
    profile = service.add_profile("Ana", "mentee")
    chat = service.open_stage(profile, service.add_relationship(profile, "Sam"), "fit_check")
    first = chat.conversation.step
    service.answer(chat, "I want to grow into leading a small team within a year")
    second = chat.conversation.step
    service.answer(chat, "/why")
    service.answer(chat, "/skip")
    service.answer(chat, "/back")
    assert [(e.stage, e.kind) for e in events] == [("fit_check", "start"), ("fit_check", "answer"),
                                                  ("fit_check", "why"), ("fit_check", "skip"), ("fit_check", "back")]
    assert [e.step for e in events[1:3]] == [first, second]
    assert all(not hasattr(e, "text") for e in events)
    assert "leading" not in repr(events)


def test_without_an_observer_nothing_is_collected() -> None:
    service = CoachService(FlowLibrary.load(), MemoryRepository())
    profile = service.add_profile("Ana", "mentee")
    chat = service.open_stage(profile, service.add_relationship(profile, "Sam"), "fit_check")
    assert service.answer(chat, "/why").messages  # the reply still comes
