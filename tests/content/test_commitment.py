"""commitment: the commitment_plan schedule arithmetic, the time-of-day slot, and snapshots of
the mentoring agreement and the meeting agenda for both roles."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from content_helpers import MarkdownSnapshot, ctx, load_case
from syrupy.assertion import SnapshotAssertion
from test_conversations import play

from coach.content.library import FlowLibrary
from coach.engine.compute import commitment_plan
from coach.engine.conversation import Conversation, Engine
from coach.engine.dates import clock_time, long_date, meeting_on_or_after, next_meeting_after, nth_weekday
from coach.engine.turns import BotTurn

CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17:30", "17:30"), ("9:05", "09:05"), ("08.15", "08:15"), ("17h30", "17:30"), ("5pm", "17:00"),
        ("5:30 pm", "17:30"), ("5.30p.m.", "17:30"), ("12am", "00:00"), ("12pm", "12:00"), ("9 AM", "09:00"),
        ("17", None), ("25:00", None), ("13pm", None), ("half five", None), ("", None), (None, None),
    ],
)
def test_clock_time(text: Any, expected: str | None) -> None:
    assert clock_time(text) == expected


def test_the_time_slot_reads_what_clock_time_reads_as_the_same_clock(library: FlowLibrary) -> None:
    from coach.content.schema import SlotType
    from coach.engine.answers import Invalid, parse

    slot = library.flow("commitment").slots["meeting_time"]
    assert slot.type == SlotType.time
    for ok in ("17:30", "9:05", "08.15", "17h30", "5pm", "5:30 pm", "5.30p.m.", "12am", "9 AM"):
        assert parse(slot, ok, date(2026, 12, 2)) == clock_time(ok), ok
    for bad in ("17", "25:00", "13pm", "half five", "after lunch", "5:30pm-ish"):
        with pytest.raises(Invalid):
            parse(slot, bad, date(2026, 12, 2))


def test_nth_weekday_and_the_next_meeting() -> None:
    assert nth_weekday(date(2026, 12, 3)) == 1
    assert nth_weekday(date(2026, 12, 24)) == 4
    assert nth_weekday(date(2026, 12, 31)) == -1  # a fifth Thursday: "the last"
    first = date(2026, 12, 3)
    assert next_meeting_after(first, "weekly") == date(2026, 12, 10)
    assert next_meeting_after(first, "fortnightly") == date(2026, 12, 17)
    assert next_meeting_after(first, "monthly") == date(2027, 1, 7)  # first Thursday of January
    assert next_meeting_after(date(2026, 12, 31), "monthly") == date(2027, 1, 28)  # last Thursday
    assert next_meeting_after(date(2027, 1, 29), "monthly") == date(2027, 2, 26)  # last Friday


def test_the_review_is_held_at_a_regular_meeting() -> None:
    first = date(2026, 12, 31)  # the last Thursday of the month
    assert meeting_on_or_after(first, "monthly", date(2027, 4, 2)) == date(2027, 4, 29)  # the last, not the 4th
    assert meeting_on_or_after(first, "monthly", date(2027, 1, 28)) == date(2027, 1, 28)
    assert meeting_on_or_after(first, "weekly", date(2027, 1, 1)) == date(2027, 1, 7)
    assert meeting_on_or_after(first, "fortnightly", date(2027, 1, 1)) == date(2027, 1, 14)
    assert meeting_on_or_after(first, "fortnightly", date(2026, 12, 1)) == first


def test_long_date_is_english_and_unpadded() -> None:
    assert long_date(date(2027, 3, 4)) == "Thursday 4 March 2027"


def test_commitment_plan() -> None:
    out = commitment_plan(
        {
            "cadence": "monthly",
            "first_meeting": "2026-12-08",
            "meeting_time": "6pm",
            "duration_months": 4,
            "agenda_topics": ["Delegation -> one task handed over", "Roadmap", "Hiring: a shortlist"],
        },
        ctx("mentee"),
    )
    assert out == {
        "meeting_length": 60,
        "meeting_clock": "18:00",
        "meeting_schedule": "Every month on the second Tuesday at 18:00, for 60 minutes",
        "first_meeting_long": "Tuesday 8 December 2026",
        "second_meeting": "2027-01-12",
        "second_meeting_long": "Tuesday 12 January 2027",
        "review_date": "2027-02-09",
        "review_date_long": "Tuesday 9 February 2027",
        "end_date": "2027-04-08",
        "end_date_long": "Thursday 8 April 2027",
        "agenda_plan": [
            "Delegation — desired outcome: one task handed over",
            "Roadmap — desired outcome: to agree at the start",
            "Hiring — desired outcome: a shortlist",
        ],
    }


def test_commitment_plan_without_a_date_or_time_sets_what_it_can() -> None:
    out = commitment_plan({"meeting_minutes": 30, "cadence": "weekly"}, ctx("mentor"))
    assert out == {"meeting_length": 30}


def _artifacts(library: FlowLibrary, name: str) -> dict[str, Any]:
    case = yaml.safe_load((CONVERSATIONS / f"{name}.yaml").read_text(encoding="utf-8"))
    _, store, _ = play(library, case, name)
    return {a.kind: a for a in store.artifacts.values()}


def test_the_agreement_carries_the_data_the_calendar_needs(library: FlowLibrary) -> None:
    arts = _artifacts(library, "commitment_mentee_happy")
    assert set(arts) == {"mentoring_agreement", "meeting_agenda"}
    data = arts["mentoring_agreement"].data
    assert {k: data[k] for k in ("cadence", "first_meeting", "meeting_clock", "meeting_length", "channel")} == {
        "cadence": "fortnightly", "first_meeting": "2026-12-03", "meeting_clock": "17:30", "meeting_length": 45,
        "channel": "video",
    }
    assert all(a.stage == "commitment" for a in arts.values())


@pytest.mark.parametrize("name", ["commitment_mentee_happy", "commitment_mentor_happy"])
@pytest.mark.parametrize("kind", ["mentoring_agreement", "meeting_agenda"])
def test_artifact_snapshot(library: FlowLibrary, snapshot: SnapshotAssertion, name: str, kind: str) -> None:
    art = _artifacts(library, name)[kind]
    assert f"<!-- title: {art.title} -->\n{art.markdown}\n" == snapshot(extension_class=MarkdownSnapshot)


# --- the drafts: numbered and read back as the picker shows them ---------------------------------------


def _at_the_drafts(library: FlowLibrary, purpose: str | None = None) -> tuple[Conversation, BotTurn]:
    case = load_case("commitment_mentee_happy")
    answers = [str(t["user"]) for t in case["turns"] if "user" in t]
    assert answers[-1] == "keep"
    if purpose is not None:
        answers[0] = purpose
    conv = Engine(library, today=lambda: date.fromisoformat(str(case["today"]))).new(
        "commitment", "mentee", conversation_id="drafts", context=case.get("context"))
    conv.start()
    for answer in answers[:-1]:
        turn = conv.reply(answer)
    assert conv.mode == "drafting" and turn.question is not None
    return conv, turn


def test_the_drafts_are_numbered_in_the_text_as_the_options_are(library: FlowLibrary) -> None:
    _conv, turn = _at_the_drafts(library)
    labels = [c.label for c in turn.question.choices]
    assert labels[0].startswith("Keep") and all(label.startswith("Edit: ") for label in labels[1:])
    for n, label in enumerate(labels, 1):
        assert f"{n}. {label}" in turn.text


@pytest.mark.parametrize("pick", ["number", "label"])
def test_picking_an_edit_option_by_number_or_label_opens_that_document(library: FlowLibrary, pick: str) -> None:
    conv, turn = _at_the_drafts(library)
    second = turn.question.choices[2]  # the second document
    turn = conv.reply("3" if pick == "number" else second.label)
    assert conv.mode == "writing" and turn.question.type == "draft"
    assert second.label.removeprefix("Edit: ") in turn.text


@pytest.mark.parametrize("keep", ["1", "Keep them as they are", "keep"])
def test_the_first_option_or_its_label_keeps_the_drafts(library: FlowLibrary, keep: str) -> None:
    conv, turn = _at_the_drafts(library)
    turn = conv.reply(keep)
    assert turn.done and turn.artifacts


def test_a_number_past_the_options_asks_again(library: FlowLibrary) -> None:
    conv, turn = _at_the_drafts(library)
    turn = conv.reply(str(len(turn.question.choices) + 1))
    assert conv.mode == "drafting" and [m.key for m in turn.messages] == ["common.drafts.which"]


def test_edit_with_a_number_means_the_option_of_that_number(library: FlowLibrary) -> None:
    conv, turn = _at_the_drafts(library)
    assert turn.question is not None
    third = turn.question.choices[2]
    turn = conv.reply("edit 3")
    assert conv.mode == "writing" and third.label.removeprefix("Edit: ") in turn.text


def test_a_draft_reads_without_markdown_escapes_in_a_plain_terminal(library: FlowLibrary) -> None:
    _conv, turn = _at_the_drafts(library, "Lead a team of *four* by June [2027], in ~2 months of prep_work")
    drafts = [m for m in turn.messages if m.kind == "draft"]
    assert drafts and any("\\" in m.markdown for m in drafts)  # the Markdown keeps user text literal...
    assert not any(re.search(r"\\[^\w\s]", m.text) for m in drafts)  # ...the plain text shows no backslashes
    assert any("Lead a team of *four* by June [2027], in ~2 months of prep_work" in m.text for m in drafts)


def test_the_schedule_is_worded_in_the_conversations_language_with_the_hours_plural() -> None:
    plan = {"cadence": "monthly", "first_meeting": "2026-12-13", "meeting_time": "1:00pm", "meeting_minutes": 45}
    assert commitment_plan(plan, ctx("mentee", "es"))["meeting_schedule"] == (
        "Cada mes, el segundo domingo a las 13:00, durante 45 minutos")
    one = commitment_plan({**plan, "meeting_time": "1:00", "cadence": "weekly"}, ctx("mentee", "es"))
    assert one["meeting_schedule"] == "Cada semana, los domingos a la 01:00, durante 45 minutos"
    assert one["first_meeting_long"] == "domingo 13 de diciembre de 2026"
