"""The joint decision on moving on from both sides' shared values: the same decision or how far
apart, keeping in touch always (what both named, else all either named; the more frequent rhythm),
the plan's dates side by side, and 1-3 questions drawn from the gaps."""

from __future__ import annotations

from typing import Any

import pytest

from coach.engine.joint_moving_on import MAX_QUESTIONS, joint_moving_on, keep_in_touch


def _side(decision: str | None, how: list[str] | None = None, often: str | None = "quarterly",
          **more: Any) -> dict[str, Any]:
    side: dict[str, Any] = {"keep_in_touch_how": ["call"] if how is None else how, "keep_in_touch_often": often,
                            **more}
    if decision is not None:
        side["decision"] = decision
    return side


def test_the_same_decision_is_the_pairs() -> None:
    result = joint_moving_on(_side("close", closing_date="2026-12-03"), _side("close", closing_date="2026-12-03"))
    assert (result.together, result.decision, result.agreed) == ("agree", "close", True)
    assert result.date("closing_date").same is True
    assert result.questions == ["ask_next"]


@pytest.mark.parametrize(("mentee", "mentor", "together"), [
    ("continue", "close", "far"), ("close", "continue", "far"),
    ("continue", "change_format", "step"), ("change_format", "close", "step"),
])
def test_different_decisions_are_a_step_or_far_apart_and_talked_through(mentee: str, mentor: str,
                                                                       together: str) -> None:
    result = joint_moving_on(_side(mentee), _side(mentor))
    assert (result.mentee, result.mentor, result.together) == (mentee, mentor, together)
    assert result.decision is None and not result.agreed
    assert result.questions[0] == "ask_why"
    assert result.questions[1] == ("ask_middle" if together == "far" else "ask_format")
    assert 1 <= len(result.questions) <= MAX_QUESTIONS


def test_a_decision_from_one_side_only_is_asked_about() -> None:
    result = joint_moving_on(_side("continue"), _side(None))
    assert (result.together, result.decision) == ("mentee_only", None)
    assert result.questions[0] == "ask_decision"
    assert joint_moving_on({}, {}).together == "neither"
    assert joint_moving_on(_side("karaoke"), _side("close")).together == "mentor_only"  # no such decision


def test_keeping_in_touch_takes_what_both_named_and_the_more_frequent_rhythm() -> None:
    touch = keep_in_touch(_side(None, ["coffee", "linkedin"], "quarterly"), _side(None, ["linkedin", "call"], "yearly"))
    assert (touch.how, touch.how_shared, touch.often, touch.agree) == (("linkedin",), True, "quarterly", False)
    touch = keep_in_touch(_side(None, ["coffee"], "milestones"), _side(None, ["call"], "twice_a_year"))
    assert (touch.how, touch.how_shared, touch.often) == (("coffee", "call"), False, "twice_a_year")
    touch = keep_in_touch(_side(None, ["call", "email"], "monthly"), _side(None, ["email", "call"], "monthly"))
    assert touch.agree and touch.often == "monthly"


def test_keeping_in_touch_is_never_dropped_whatever_the_decision() -> None:
    for mentee in ("continue", "change_format", "close"):
        for mentor in ("continue", "change_format", "close"):
            result = joint_moving_on(_side(mentee, ["coffee"], "monthly"), _side(mentor, ["email"], None))
            assert result.keep_in_touch.how == ("coffee", "email")
            assert result.keep_in_touch.often == "monthly"
            assert "ask_keep_in_touch" in result.questions  # they named different ways: settle them together


def test_different_dates_for_an_agreed_plan_are_asked_about() -> None:
    result = joint_moving_on(_side("continue", review_date="2027-02-27"), _side("continue", review_date="2027-03-01"))
    view = result.date("review_date")
    assert (view.mentee, view.mentor, view.same) == ("2027-02-27", "2027-03-01", False)
    assert result.questions == ["ask_dates"]
    assert result.date("first_check_in").same is None
