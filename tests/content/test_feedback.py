"""feedback: the verdict follow-up in the behaviour question, feedback_note, and snapshots of the
feedback note for both roles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from content_helpers import MarkdownSnapshot, ctx
from syrupy.assertion import SnapshotAssertion
from test_conversations import play

from coach.content.library import FlowLibrary
from coach.content.schema import AskStep, SlotCond, When
from coach.engine.compute import feedback_note

CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"


def _verdict_pattern(library: FlowLibrary) -> str:
    step = library.flow("feedback").step("ask_behaviour")
    assert isinstance(step, AskStep) and isinstance(step.next, list)
    first = step.next[0]
    assert isinstance(first, When) and isinstance(first.when, SlotCond)
    assert first.goto == "ask_behaviour_observed"
    return str(first.when.value)


@pytest.mark.parametrize(
    "text",
    ["She was unprofessional with the designers", "He is always late", "Great job on the demo",
     "She never listens", "He seemed disengaged", "Bad attitude in the retro"],
)
def test_verdicts_get_a_follow_up(library: FlowLibrary, text: str) -> None:
    assert re.search(_verdict_pattern(library), text, re.IGNORECASE)


@pytest.mark.parametrize(
    "text",
    ["She presented the estimates without checking them with the developers",
     "He cut the designers off twice while they explained the constraints",
     "She asked three questions before giving her view", "Goodness, she sent the agenda a day early"],
)
def test_observable_behaviour_gets_no_follow_up(library: FlowLibrary, text: str) -> None:
    assert not re.search(_verdict_pattern(library), text, re.IGNORECASE)


def test_feedback_note_prefers_what_was_observed() -> None:
    slots: dict[str, Any] = {"behaviour": "She was rude", "behaviour_observed": "She interrupted twice"}
    assert feedback_note(slots, ctx("mentor")) == {"sbi_behaviour": "She interrupted twice"}
    assert feedback_note({"behaviour": "She interrupted twice", "behaviour_observed": ""}, ctx("mentor")) == {
        "sbi_behaviour": "She interrupted twice"
    }
    assert feedback_note({"next_meeting": "2026-12-10"}, ctx("mentee")) == {
        "next_meeting_long": "Thursday 10 December 2026"}
    assert feedback_note({}, ctx("mentee")) == {}


def _note(library: FlowLibrary, name: str) -> tuple[str, list[tuple[str, str]]]:
    case = yaml.safe_load((CONVERSATIONS / f"{name}.yaml").read_text(encoding="utf-8"))
    _, store, _ = play(library, case, name)
    (note,) = [a for a in store.artifacts.values() if a.kind == "feedback_note"]
    owners = [(c.owner, c.due.isoformat() if c.due else "") for c in store.commitments.values()]
    return f"<!-- title: {note.title} -->\n{note.markdown}\n", owners


def test_actions_are_owned_by_the_side_that_commits_and_due_at_the_next_meeting(library: FlowLibrary) -> None:
    assert _note(library, "feedback_mentee_happy")[1] == [("mentee", "2026-12-03")] * 2
    assert _note(library, "feedback_mentor_happy")[1] == [("mentor", "2026-12-10")]
    assert _note(library, "feedback_mentee_probe_back")[1] == [("mentee", "")]  # next meeting skipped


@pytest.mark.parametrize(
    "name", ["feedback_mentee_happy", "feedback_mentor_happy", "feedback_mentor_probe_back"]
)
def test_feedback_note_snapshot(library: FlowLibrary, snapshot: SnapshotAssertion, name: str) -> None:
    assert _note(library, name)[0] == snapshot(extension_class=MarkdownSnapshot)
