"""empowerment: the SMART goal checker, the options merge, commitments, the conversation habits
(reflecting back, varied acknowledgements), and a snapshot of each artifact."""

from __future__ import annotations

import itertools
import re

import pytest
import yaml
from content_helpers import CONVERSATIONS, MarkdownSnapshot, ctx, replay
from syrupy.assertion import SnapshotAssertion

from coach.content.library import FlowLibrary
from coach.engine.compute import empowerment_options, empowerment_smart_goal, run
from coach.engine.smart import goal_is_measurable, goal_is_specific, goal_is_time_bound

CASES = ["empowerment_mentee_happy", "empowerment_mentee_probe_back",
         "empowerment_mentor_happy", "empowerment_mentor_probe_back"]


# --- SMART ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "s", "m", "t"),
    [
        ("Lead a team of 4 engineers by June 2027", True, True, True),
        ("Run my first team retrospective by the end of January", True, True, True),
        ("lead a small team at work", True, False, False),
        ("get better at stuff", False, False, False),
        ("publish a blog post about our migration", True, True, False),
        ("speak at two meetups next year", True, True, True),
        ("be ready for a staff role by the end of 2027", True, False, True),  # the year is a date, not a count
        ("get more clients", False, False, False),
        ("get 3 more clients", True, True, False),  # "more" next to a count is concrete
        ("I may want to write more", False, False, False),  # "may" the verb is not the month
        ("done by May", False, False, True),
        ("run the planning meeting in 6 weeks", True, False, True),
    ],
)
def test_smart_checks(goal: str, s: bool, m: bool, t: bool) -> None:
    assert (goal_is_specific(goal), goal_is_measurable(goal), goal_is_time_bound(goal)) == (s, m, t)


def test_smart_goal_puts_together_only_the_follow_ups_it_needed() -> None:
    out = empowerment_smart_goal({"goal": "lead a small team at work", "goal_measure": "4 people report to me",
                                  "goal_deadline": "by June 2027"}, ctx("mentee"))
    assert out == {"goal_specific": True, "goal_measurable": False, "goal_time_bound": False,
                   "goal_smart": "lead a small team at work, 4 people report to me, by June 2027"}
    # a goal edited to one that says it all: answers kept from before do not leak in
    out = empowerment_smart_goal({"goal": "Lead a team of 4 by June 2027", "goal_detail": "old",
                                  "goal_measure": "old", "goal_deadline": "old"}, ctx("mentee"))
    assert out["goal_smart"] == "Lead a team of 4 by June 2027"


def test_smart_goal_leaves_out_a_short_vague_goal_when_a_clearer_part_exists() -> None:
    out = empowerment_smart_goal({"goal": "be more confident",
                                  "goal_detail": "leading the weekly planning meeting",
                                  "goal_measure": "my manager asks me to run it",
                                  "goal_deadline": "before the end of March"}, ctx("mentee"))
    assert out["goal_smart"] == ("leading the weekly planning meeting, my manager asks me to run it, "
                                 "before the end of March")
    # nothing clearer: the user's words stay as they are
    assert empowerment_smart_goal({"goal": "get better at stuff"}, ctx("mentee"))["goal_smart"] == "get better at stuff"


def test_options_merge_without_repeats() -> None:
    out = run("empowerment_options", {"options": ["Ask Dana", "read a book"], "more_options": ["ask  dana", "Shadow"]},
              "mentee")
    assert out == {"all_options": ["Ask Dana", "read a book", "Shadow"]}
    assert empowerment_options({"options": ["a", "b"]}, ctx("mentee")) == {"all_options": ["a", "b"]}


# --- commitments ------------------------------------------------------------------------------------


def test_each_chosen_step_becomes_a_commitment_with_its_own_owner_and_due_date(library: FlowLibrary) -> None:
    store, _ = replay(library, "empowerment_mentee_happy")
    got = sorted((c.text, c.owner, c.due.isoformat() if c.due else None, c.stage) for c in store.commitments.values())
    assert got == [("Ask my manager for a slot in the sprint calendar", "mentee", "2026-12-11", "empowerment"),
                   ("Book a chat with Dana", "both", "2026-12-04", "empowerment")]


def test_the_mentor_prep_makes_no_commitments(library: FlowLibrary) -> None:
    store, _ = replay(library, "empowerment_mentor_happy")
    assert not store.commitments


# --- the mentor's question, judged --------------------------------------------------------------------

MENTOR_TO_REFRAME = ["preparing her promotion case", "get promoted to senior engineer at the March review", "3",
                     "You should collect evidence of your impact every week"]


def _mentor_at_reframe(library: FlowLibrary):  # type: ignore[no-untyped-def]
    from datetime import date

    from coach.engine.conversation import Engine

    conv = Engine(library, today=lambda: date(2026, 11, 27)).new("empowerment", "mentor", conversation_id="reframe")
    conv.start()
    for answer in MENTOR_TO_REFRAME:
        conv.reply(answer)
    return conv


@pytest.mark.parametrize(("question", "nudge"), [
    ("Do you feel ready to make the case?", "empowerment.ask.reframe_closed"),
    ("Is it time or confidence that holds you back?", "empowerment.ask.reframe_closed"),
    ("Wouldn't it be better to start a brag document?", "empowerment.ask.reframe_leading"),
    ("Have you considered keeping a weekly log?", "empowerment.ask.reframe_leading"),
    ("Just keep a weekly log?", "empowerment.ask.reframe_advice"),
    ("evidence of impact", "empowerment.ask.reframe_again"),
])
def test_a_question_that_is_not_open_gets_the_nudge_for_its_kind_without_thanks(
        library: FlowLibrary, question: str, nudge: str) -> None:
    conv = _mentor_at_reframe(library)
    keys = [m.key for m in conv.reply(question).messages]
    assert keys == [nudge]  # no "thanks" before a nudge


def test_an_open_question_is_taken_at_once(library: FlowLibrary) -> None:
    conv = _mentor_at_reframe(library)
    keys = [m.key for m in conv.reply("What would convince you if you sat on the panel?").messages]
    assert keys == ["common.ack", "empowerment.ask.mentee_strengths"]


def test_the_second_try_is_kept_as_written_after_one_nudge(library: FlowLibrary) -> None:
    conv = _mentor_at_reframe(library)
    conv.reply("Do you feel ready?")
    keys = [m.key for m in conv.reply("Are you ready now?").messages]
    assert keys == ["common.ack", "empowerment.ask.mentee_strengths"]  # never a loop of nudges
    assert conv.slots["reframe"] == "Are you ready now?"


# --- conversation habits ----------------------------------------------------------------------------


def _acks(library: FlowLibrary) -> set[str]:
    return set(library.prompts.entry("common.ack").phrasings("mentee"))


@pytest.mark.parametrize("name", CASES)
def test_no_two_consecutive_messages_open_the_same_way(library: FlowLibrary, name: str) -> None:
    texts = replay(library, name)[1]
    acks = [t for t in texts if t in _acks(library)]
    assert all(a != b for a, b in itertools.pairwise(acks)), acks
    openers = [" ".join(t.split()[:2]) for t in texts]
    assert all(a != b for a, b in itertools.pairwise(openers)), openers


@pytest.mark.parametrize(("name", "at_least"), [("empowerment_mentee_happy", 1), ("empowerment_mentee_probe_back", 4),
                                                ("empowerment_mentor_happy", 2), ("empowerment_mentor_probe_back", 3)])
def test_the_bot_refers_back_to_what_the_user_said(library: FlowLibrary, name: str, at_least: int) -> None:
    case = yaml.safe_load((CONVERSATIONS / f"{name}.yaml").read_text(encoding="utf-8"))
    said = [str(t["user"]) for t in case["turns"] if "user" in t and not str(t["user"]).startswith("/")]
    texts = [t for t in replay(library, name)[1] if not t.startswith(("Here's your", "Let's go back"))]
    quoted = [t for t in texts if any(re.search(f"“{re.escape(s)}", t) for s in said if len(s.split()) > 1)]
    assert len(quoted) >= at_least, texts


# --- artifacts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_artifact_snapshot(library: FlowLibrary, snapshot: SnapshotAssertion, name: str) -> None:
    store, _ = replay(library, name)
    (art,) = store.artifacts.values()
    assert art.stage == "empowerment"
    assert art.kind == ("plan" if "mentee" in name else "prep_sheet")
    assert "$" not in art.markdown
    assert f"<!-- {art.kind}: {art.title} -->\n{art.markdown}\n" == snapshot(extension_class=MarkdownSnapshot)
