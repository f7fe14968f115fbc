"""fit_check: the fit_score rules, and a snapshot of each role's fit report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from content_helpers import MarkdownSnapshot, ctx
from syrupy.assertion import SnapshotAssertion
from test_conversations import play

from coach.content.library import FlowLibrary
from coach.engine.compute import fit_score, run

CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"


def _mentee(**kw: Any) -> dict[str, Any]:
    slots: dict[str, Any] = {
        "goal": "Lead a team of 4 by June 2027",
        "goals_match": 5,
        "expectations": ["honest feedback", "introductions", "mock interviews", "a fourth"],
        "expectations_agreed": "agreed",
        "hours_per_month": 4,
        "other_hours": 4,
        "cadence": "fortnightly",
        "other_active": 5,
        "other_enthusiasm": 5,
    }
    slots.update(kw)
    return slots


def _mentor(**kw: Any) -> dict[str, Any]:
    slots = _mentee()
    for k in ("other_active", "other_enthusiasm"):
        del slots[k]
    slots.update(other_engaged=5, mentor_growth=["leadership", "people_management"], growth_fit=5)
    slots.update(kw)
    return slots


def test_all_strong_is_go_with_a_default_question() -> None:
    out = fit_score(_mentee(), ctx("mentee"))
    assert out["recommendation"] == "go"
    assert {out[f"fit_{d}"] for d in ("goals", "expectations", "commitment", "standing", "enthusiasm")} == {"strong"}
    assert "fit_engagement" not in out and "fit_growth" not in out
    assert out["fit_reasons"] == [
        "Strong on goals and vision, expectations, commitment level, mentor's standing in the field "
        "and mentor's enthusiasm."
    ]
    assert out["first_talk_questions"] == [
        "What would make this mentorship a success for each of us six months from now?"
    ]


def test_one_partial_is_still_go_and_names_the_point_to_settle() -> None:
    out = fit_score(_mentee(expectations_agreed="mostly"), ctx("mentee"))
    assert out["recommendation"] == "go"
    assert out["fit_reasons"][0].endswith("One point to settle early: expectations.")
    assert out["fit_reasons"][1] == "Expectations (partial): you mostly agree, with a few open points."
    # the question quotes at most three of the user's expectations
    assert out["first_talk_questions"][0].startswith(
        "Here is what I hope for from you: honest feedback; introductions; mock interviews. What do you"
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"goals_match": 3, "other_enthusiasm": 3}, "talk_first"),  # two partial
        ({"other_active": 2}, "talk_first"),  # one weak
        ({"other_active": 2, "expectations_agreed": "differ"}, "not_a_fit"),  # two weak
        ({"other_hours": 1}, "talk_first"),  # 4 h vs 1 h: weak commitment
        ({"other_hours": 2.5}, "go"),  # 2.5 / 4 = 0.625: partial commitment only
    ],
)
def test_recommendation_rules(changes: dict[str, Any], expected: str) -> None:
    assert fit_score(_mentee(**changes), ctx("mentee"))["recommendation"] == expected


def test_commitment_dimension() -> None:
    def commitment(**kw: Any) -> tuple[str, str]:
        out = fit_score(_mentee(**kw), ctx("mentee"))
        return out["fit_commitment"], out["fit_commitment_note"]

    assert commitment(other_hours=3) == ("strong", "You can give 4 h a month; you think they can give 3 h.")
    assert commitment(other_hours=None)[0] == "partial"
    assert "you don't know yet" in commitment(other_hours=None)[1]
    assert commitment(other_hours=1)[0] == "weak"
    assert commitment(other_hours=0)[0] == "weak"
    assert commitment(cadence="ad_hoc") == (
        "partial", "You can give 4 h a month; you think they can give 4 h. There is no regular rhythm yet "
        "(you said: as needed).",
    )
    assert commitment(hours_per_month=0.5, other_hours=0.5)[0] == "partial"
    assert commitment(hours_per_month=None)[0] == "partial"


def test_unanswered_ratings_are_partial_not_errors() -> None:
    slots = _mentee()
    del slots["other_active"]
    out = fit_score(slots, ctx("mentee"))
    assert out["fit_standing"] == "partial"
    assert out["fit_standing_note"].startswith("Not rated yet")


def test_mentor_dimensions_growth_and_engagement() -> None:
    out = fit_score(_mentor(), ctx("mentor"))
    assert out["recommendation"] == "go"
    assert "fit_standing" not in out
    weak = fit_score(_mentor(other_engaged=2), ctx("mentor"))
    assert weak["recommendation"] == "talk_first"
    # a disengaged mentee leaves little room for the mentor's own growth
    assert weak["fit_growth"] == "partial"
    assert weak["fit_growth_note"].endswith("But a disengaged mentee leaves little room to grow.")
    assert weak["first_talk_questions"][0].startswith("What will you do between our meetings")
    low_growth = fit_score(_mentor(growth_fit=3), ctx("mentor"))
    assert any("grow my leadership and people management skills" in q for q in low_growth["first_talk_questions"])


def test_questions_follow_the_weak_and_partial_dimensions_and_the_worry() -> None:
    out = fit_score(_mentee(goals_match=1, other_enthusiasm=3, concerns="She is very busy"), ctx("mentee"))
    assert out["recommendation"] == "talk_first"
    qs = out["first_talk_questions"]
    assert qs[0] == (
        "What would you like this mentorship to achieve — and can it help me with “Lead a team of 4 by June 2027”?"
    )
    assert qs[1].startswith("What do you enjoy about mentoring")
    assert qs[2] == ("There's something I'd like us to be able to talk about openly from the start. "
                     "How would you like us to raise worries when we have them?")
    assert not any("busy" in q for q in qs)  # the worry itself is not put into a question for the mentor
    assert len(qs) == 3


def test_fit_score_is_registered() -> None:
    assert run("fit_score", _mentee(), ctx("mentee"))["recommendation"] == "go"


def _fit_report(library: FlowLibrary, name: str) -> str:
    case = yaml.safe_load((CONVERSATIONS / f"{name}.yaml").read_text(encoding="utf-8"))
    _, store, _ = play(library, case, name)
    (report,) = [a for a in store.artifacts.values() if a.kind == "fit_report"]
    assert report.stage == "fit_check"
    return f"<!-- title: {report.title} -->\n{report.markdown}\n"


@pytest.mark.parametrize("name", ["fit_check_mentee_happy", "fit_check_mentor_happy", "fit_check_mentor_probe_back"])
def test_fit_report_snapshot(library: FlowLibrary, snapshot: SnapshotAssertion, name: str) -> None:
    assert _fit_report(library, name) == snapshot(extension_class=MarkdownSnapshot)
