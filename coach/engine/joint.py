"""The joint fit check: both sides' fit checks, side by side (pure; no texts: codes and values).

Each side's fit check (`fit_score`) rates the dimensions it can see: both rate goals, expectations
and commitment; only the mentee rates the mentor's standing and enthusiasm, only the mentor the
mentee's engagement and the room for their own growth. Put together, each dimension is where the
two views agree, differ by a step, or are far apart; the answers both gave (the rhythm, the hours
each can give and the other expects) are compared; the pair gets one recommendation with its
reasons, and questions to ask each other, drawn from the gaps. `coach.app.partnership` words it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

DIMENSIONS = ("goals", "expectations", "commitment", "standing", "enthusiasm", "engagement", "growth")
RANK = {"weak": 0, "partial": 1, "strong": 2}
RECOMMENDATIONS = ("go", "talk_first", "not_a_fit")
HOURS_GAP = 1.0  # hours a month between what one can give and the other expects, still "the same"
RATING_GAP = 1  # points on the 1-5 goals rating, still "the same"

Together = Literal["agree", "differ", "apart", "mentee_only", "mentor_only"]


@dataclass(frozen=True)
class DimensionView:
    dimension: str
    mentee: str | None  # strong / partial / weak, or None: not rated on that side
    mentor: str | None
    together: Together
    level: str  # the lower of the two views: what the pair can count on


@dataclass(frozen=True)
class Comparison:
    """One thing both answered: `code` (goals_rating, mentee_hours, mentor_hours, cadence,
    expectations_agreed), each side's value, and whether they fit (None: one side did not say)."""

    code: str
    mentee: Any
    mentor: Any
    fits: bool | None


@dataclass(frozen=True)
class Note:
    """A reason or a question: a code the texts word, and the dimensions or values it is about."""

    code: str
    dimensions: tuple[str, ...] = ()
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class JointFit:
    dimensions: list[DimensionView]
    comparisons: list[Comparison]
    recommendation: str
    reasons: list[Note] = field(default_factory=list)
    questions: list[Note] = field(default_factory=list)

    def where(self, *together: Together) -> list[str]:
        return [d.dimension for d in self.dimensions if d.together in together]


def _level(value: Any) -> str | None:
    return value if isinstance(value, str) and value in RANK else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _view(dimension: str, mentee: str | None, mentor: str | None) -> DimensionView | None:
    if mentee is None and mentor is None:
        return None
    if mentee is None or mentor is None:
        one = mentee or mentor
        assert one is not None
        return DimensionView(dimension, mentee, mentor, "mentee_only" if mentor is None else "mentor_only", one)
    gap = abs(RANK[mentee] - RANK[mentor])
    together: Together = "agree" if gap == 0 else "differ" if gap == 1 else "apart"
    return DimensionView(dimension, mentee, mentor, together, min(mentee, mentor, key=RANK.__getitem__))


def _close(a: float | None, b: float | None, gap: float) -> bool | None:
    return None if a is None or b is None else abs(a - b) <= gap


def joint_fit(mentee: Mapping[str, Any], mentor: Mapping[str, Any]) -> JointFit:
    """The pair's fit from the values each side shared (slot -> value of their fit check)."""
    views = [v for d in DIMENSIONS if (v := _view(d, _level(mentee.get(f"fit_{d}")), _level(mentor.get(f"fit_{d}"))))]
    comparisons = [
        Comparison("goals_rating", mentee.get("goals_match"), mentor.get("goals_match"),
                   _close(_number(mentee.get("goals_match")), _number(mentor.get("goals_match")), RATING_GAP)),
        # what each can give, against what the other expects of them
        Comparison("mentee_hours", mentee.get("hours_per_month"), mentor.get("other_hours"),
                   _close(_number(mentee.get("hours_per_month")), _number(mentor.get("other_hours")), HOURS_GAP)),
        Comparison("mentor_hours", mentor.get("hours_per_month"), mentee.get("other_hours"),
                   _close(_number(mentor.get("hours_per_month")), _number(mentee.get("other_hours")), HOURS_GAP)),
        Comparison("cadence", mentee.get("cadence"), mentor.get("cadence"),
                   None if not (mentee.get("cadence") and mentor.get("cadence"))
                   else mentee.get("cadence") == mentor.get("cadence")),
        Comparison("expectations_agreed", mentee.get("expectations_agreed"), mentor.get("expectations_agreed"),
                   None if not (mentee.get("expectations_agreed") and mentor.get("expectations_agreed"))
                   else mentee.get("expectations_agreed") == mentor.get("expectations_agreed") == "agreed"),
    ]
    by_code = {c.code: c for c in comparisons}
    weak = [v.dimension for v in views if v.level == "weak"]
    partial = [v.dimension for v in views if v.level == "partial"]
    apart = [v.dimension for v in views if v.together == "apart"]
    differ = [v.dimension for v in views if v.together == "differ"]
    agree = [v.dimension for v in views if v.together == "agree"]
    misfits = [c.code for c in comparisons if c.fits is False]
    sides = (mentee.get("recommendation"), mentor.get("recommendation"))

    if len(weak) >= 2 or sides == ("not_a_fit", "not_a_fit"):
        recommendation = "not_a_fit"
    elif weak or apart or len(partial) >= 2 or misfits or any(s != "go" for s in sides):
        recommendation = "talk_first"
    else:
        recommendation = "go"

    reasons = [Note("sides", values=sides)]
    if agree:
        reasons.append(Note("agree", tuple(agree)))
    if apart:
        reasons.append(Note("apart", tuple(apart)))
    if differ:
        reasons.append(Note("differ", tuple(differ)))
    if weak:
        reasons.append(Note("weak", tuple(weak)))
    elif len(partial) >= 2:
        reasons.append(Note("partial", tuple(partial)))
    for code in misfits:
        if code != "expectations_agreed":
            c = by_code[code]
            reasons.append(Note(f"{code}_differ", values=(c.mentee, c.mentor)))

    questions: list[Note] = []
    for v in views:  # the gaps between the two views, and what one side rates low
        if v.together in ("differ", "apart") or (v.together in ("mentee_only", "mentor_only") and v.level != "strong"):
            questions.append(Note(f"ask_{v.dimension}", (v.dimension,)))
    for code in ("cadence", "mentee_hours", "mentor_hours"):
        c = by_code[code]
        if c.fits is False:
            questions.append(Note(f"ask_{code}", values=(c.mentee, c.mentor)))
        elif code != "cadence" and c.fits is None and c.mentee is not None:  # what one gives, the other did not know
            questions.append(Note(f"ask_{code}_unknown", values=(c.mentee, c.mentor)))
    if by_code["expectations_agreed"].fits is not True and not any(q.code == "ask_expectations" for q in questions):
        questions.append(Note("ask_expectations", ("expectations",)))
    if len(questions) < 2:
        questions.append(Note("ask_success"))
    return JointFit(views, comparisons, recommendation, reasons, questions)
