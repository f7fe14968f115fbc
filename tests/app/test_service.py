"""The application service's use cases, over the in-memory repository (same rules as the store)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from coach.app.errors import AppError
from coach.app.memory import MemoryRepository
from coach.app.service import CoachService
from coach.app.views import Chat
from coach.content.library import FlowLibrary
from coach.models import CommitmentStatus, LogEntry, Profile, Relationship, Role

FLOWS_OK = Path(__file__).resolve().parents[1] / "flows_ok"


@pytest.fixture
def service() -> CoachService:
    return CoachService(FlowLibrary.load([FLOWS_OK]), MemoryRepository(), today=lambda: date(2026, 11, 27))


def _people(service: CoachService, role: Role = Role.mentee) -> tuple[Profile, Relationship]:
    profile = service.add_profile("Ana", role)
    return profile, service.add_relationship(profile, "Sam")


def _finish_after_summary(service: CoachService, chat: Chat, goal: str, step: str) -> None:
    for text in (goal, "yes", step, "keep"):
        service.answer(chat, text)
    assert chat.done


def test_names_cannot_be_empty(service: CoachService) -> None:
    with pytest.raises(AppError, match="needs a name"):
        service.add_profile("   ", "mentee")
    profile = service.add_profile("Ana", "mentee")
    with pytest.raises(AppError, match="other person's name"):
        service.add_relationship(profile, "")


def test_an_unknown_stage_is_one_line(service: CoachService) -> None:
    profile, rel = _people(service)
    with pytest.raises(AppError, match=r"^unknown flow 'nope'; known flows: after_summary, commitment, echo, "):
        service.open_stage(profile, rel, "nope")


def test_the_next_stage_begins_by_reviewing_the_open_commitments(service: CoachService) -> None:
    profile, rel = _people(service)
    _finish_after_summary(service, service.open_stage(profile, rel, "after_summary"), "lead a team", "book a room")
    chat = service.open_stage(profile, rel, "echo")
    assert [m.key for m in chat.opening.messages] == ["common.review.intro", "common.review.ask"]
    assert "“Book a room”" in chat.opening.text  # as a document writes it
    service.answer(chat, "done")
    (commitment,) = service.repo.list_commitments(rel.id)
    assert commitment.status is CommitmentStatus.done and service.open_commitments(rel.id) == []


def test_a_finished_stage_opens_again_from_the_start(service: CoachService) -> None:
    profile, rel = _people(service)
    first = service.open_stage(profile, rel, "after_summary")
    _finish_after_summary(service, first, "lead a team", "book a room")
    again = service.open_stage(profile, rel, "after_summary")
    assert again.again and not again.resumed and again.id != first.id


def test_only_the_unfinished_stage_of_the_same_side_is_continued(service: CoachService) -> None:
    profile, rel = _people(service)
    chat = service.open_stage(profile, rel, "echo")
    service.answer(chat, "a note")
    assert service.unfinished(rel.id, "echo", Role.mentor) is None
    saved = service.unfinished(rel.id, "echo", Role.mentee)
    assert saved is not None and saved.id == chat.id
    resumed = service.open_stage(profile, rel, "echo")
    assert resumed.resumed and resumed.id == chat.id and resumed.conversation.slots["note"] == "a note"


def test_a_second_window_on_a_moved_on_conversation_is_told_and_overwrites_nothing(service: CoachService) -> None:
    profile, rel = _people(service)
    left = service.open_stage(profile, rel, "echo")
    service.answer(left, "a note")
    right = service.resume(left.id)  # a second window, at the tags question
    service.answer(left, "x; y")  # the first window answers it
    turn = service.answer(right, "p; q")  # the second window, still showing the tags question
    assert turn.messages[0].key == "common.moved_on_elsewhere" and turn.entry is None
    assert right.conversation.step == "ask_pick" and right.conversation.slots["tags"] == ["x", "y"]
    service.answer(right, "red")  # from here on the second window works on the shared history
    service.answer(left, "apples")  # and the first window, behind now, answers the question it shows
    entries = service.repo.load_conversation(left.id)[1]  # type: ignore[index]
    assert [e.text for e in entries] == ["a note", "x; y", "red"]


def test_an_answer_to_the_question_still_open_in_the_other_window_joins_the_shared_history(
    service: CoachService,
) -> None:
    profile, rel = _people(service)
    left = service.open_stage(profile, rel, "echo")
    service.answer(left, "a note")
    right = service.resume(left.id)
    service.answer(left, "")  # not a list: asked again, and stored as a try
    turn = service.answer(right, "p; q")  # the same question is still open: this answers it
    assert turn.entry is not None and turn.entry.seq == 3 and right.conversation.slots["tags"] == ["p", "q"]


class FailingRepository(MemoryRepository):
    fail = False

    def append_entry(self, conversation_id: str, entry: LogEntry, *, done: bool = False) -> None:
        if self.fail:
            raise OSError("disk full")
        super().append_entry(conversation_id, entry, done=done)


def test_an_answer_that_cannot_be_stored_changes_nothing() -> None:
    repo = FailingRepository()
    service = CoachService(FlowLibrary.load([FLOWS_OK]), repo)
    profile, rel = _people(service)
    chat = service.open_stage(profile, rel, "echo")
    service.answer(chat, "a note")
    repo.fail = True
    with pytest.raises(OSError, match="disk full"):
        service.answer(chat, "x; y")
    assert chat.conversation.step == "ask_tags" and "tags" not in chat.conversation.slots
    repo.fail = False
    service.answer(chat, "x; y")
    assert [e.seq for e in repo.logs[chat.id]] == [1, 2]


def test_opening_a_conversation_whose_flow_was_edited_stores_the_move_once(
    service: CoachService, tmp_path: Path
) -> None:
    profile, rel = _people(service)
    chat = service.open_stage(profile, rel, "echo")
    for text in ("a note", "x; y"):
        service.answer(chat, text)
    folder = tmp_path / "flows"
    shutil.copytree(FLOWS_OK, folder)
    flow = folder / "echo.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace("label: Pick", "label: Colour"), encoding="utf-8")
    edited = CoachService(FlowLibrary.load([folder]), service.repo)
    opened = edited.open_stage(profile, rel, "echo")
    assert opened.opening.messages[0].key == "common.flow_changed.none" and opened.conversation.step == "ask_pick"
    assert [e.kind for e in service.repo.load_conversation(chat.id)[1]] == ["answer", "answer", "flow_changed"]  # type: ignore[index]
    again = edited.open_stage(profile, rel, "echo")
    assert again.conversation.notice is None and len(again.conversation.entries) == 3
