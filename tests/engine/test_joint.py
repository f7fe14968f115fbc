"""The joint fit check from both sides' shared values: agreement per dimension, the pair's
recommendation, and questions drawn from the gaps."""

from __future__ import annotations

from typing import Any

from coach.engine.joint import joint_fit

BOTH = {"goals", "expectations", "commitment"}


def _side(level: str, **more: Any) -> dict[str, Any]:
    return {**{f"fit_{d}": level for d in BOTH}, "recommendation": "go", "cadence": "monthly",
            "expectations_agreed": "agreed", **more}


def test_two_strong_sides_that_agree_go_ahead() -> None:
    result = joint_fit(_side("strong", fit_standing="strong", hours_per_month=4, other_hours=4),
                       _side("strong", fit_engagement="strong", hours_per_month=4, other_hours=4))
    assert result.recommendation == "go"
    assert result.where("agree") == ["goals", "expectations", "commitment"]
    assert result.where("mentee_only") == ["standing"] and result.where("mentor_only") == ["engagement"]
    assert [q.code for q in result.questions] == ["ask_success"]


def test_views_far_apart_mean_talk_first_and_are_asked_about() -> None:
    result = joint_fit(_side("strong"), _side("strong", fit_goals="weak"))
    goals = next(v for v in result.dimensions if v.dimension == "goals")
    assert (goals.together, goals.level) == ("apart", "weak")
    assert result.recommendation == "talk_first"
    assert any(n.code == "apart" and n.dimensions == ("goals",) for n in result.reasons)
    assert result.questions[0].code == "ask_goals"


def test_two_weak_dimensions_are_not_a_fit() -> None:
    result = joint_fit(_side("weak"), _side("partial"))
    assert result.recommendation == "not_a_fit"
    assert any(n.code == "weak" for n in result.reasons)


def test_a_different_rhythm_and_time_are_reasons_and_questions() -> None:
    result = joint_fit(_side("strong", cadence="weekly", hours_per_month=2, other_hours=8),
                       _side("strong", cadence="monthly", hours_per_month=8, other_hours=6))
    assert result.recommendation == "talk_first"
    codes = [n.code for n in result.reasons]
    assert "cadence_differ" in codes and "mentee_hours_differ" in codes and "mentor_hours_differ" not in codes
    asks = {n.code: n.values for n in result.questions}
    assert asks["ask_cadence"] == ("weekly", "monthly")
    assert asks["ask_mentee_hours"] == (2, 6)


def test_either_side_unsure_is_talk_first() -> None:
    assert joint_fit(_side("strong"), _side("strong", recommendation="talk_first")).recommendation == "talk_first"
