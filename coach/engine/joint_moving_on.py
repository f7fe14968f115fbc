"""The joint decision on moving on: both sides' moving_on, side by side (pure; codes and values, no texts).

Each side decides `continue`, `change_format` or `close`. Put together, the two decisions are the
same (`agree`), a step apart (continue or close against a change of format), far apart (continue
against close), or known from one side only. Whatever they decide, the pair keeps in touch: the
ways both named (or, if they named none in common, every way either named), and how often (the
same, or the more frequent of the two, so that no one drifts away); never nothing. The dates each
named for the plan (review, closing conversation, first check-in) are compared, and questions to
ask each other are drawn from the gaps. `coach.app.joint_moving_on` words it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

DECISIONS = ("continue", "change_format", "close")
STEP = {"continue": 0, "change_format": 1, "close": 2}
OFTEN = ("monthly", "quarterly", "twice_a_year", "yearly")  # most frequent first; "milestones" stands apart
DATES = ("review_date", "closing_date", "first_check_in")
MAX_QUESTIONS = 3

Together = Literal["agree", "step", "far", "mentee_only", "mentor_only", "neither"]


@dataclass(frozen=True)
class KeepInTouch:
    """How the pair stays in touch: `how` (ways both named, else every way either named),
    `often` (agreed, or the more frequent), and whether they `agree` on it."""

    mentee_how: tuple[str, ...]
    mentor_how: tuple[str, ...]
    how: tuple[str, ...]
    how_shared: bool  # the ways are ones both named
    mentee_often: str | None
    mentor_often: str | None
    often: str | None
    agree: bool  # the same ways and the same rhythm


@dataclass(frozen=True)
class DateView:
    """A date of the plan: each side's (ISO), and whether they are the same (None: one did not name it)."""

    code: str
    mentee: str | None
    mentor: str | None
    same: bool | None


@dataclass(frozen=True)
class JointMovingOn:
    mentee: str | None  # each side's decision
    mentor: str | None
    together: Together
    decision: str | None  # the pair's decision once both decided alike; None: talk it through
    keep_in_touch: KeepInTouch
    dates: list[DateView] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)  # codes, at most MAX_QUESTIONS

    @property
    def agreed(self) -> bool:
        return self.decision is not None

    def date(self, code: str) -> DateView:
        return next(d for d in self.dates if d.code == code)


def _decision(value: Any) -> str | None:
    return value if isinstance(value, str) and value in STEP else None


def _ways(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return tuple(dict.fromkeys(str(v) for v in items if isinstance(v, str) and v))


def _often(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _together(mentee: str | None, mentor: str | None) -> Together:
    if mentee is None or mentor is None:
        return "neither" if mentee is None and mentor is None else "mentee_only" if mentor is None else "mentor_only"
    gap = abs(STEP[mentee] - STEP[mentor])
    return "agree" if gap == 0 else "step" if gap == 1 else "far"


def keep_in_touch(mentee: Mapping[str, Any], mentor: Mapping[str, Any]) -> KeepInTouch:
    a, b = _ways(mentee.get("keep_in_touch_how")), _ways(mentor.get("keep_in_touch_how"))
    both = tuple(w for w in a if w in b)
    how = both or tuple(dict.fromkeys((*a, *b)))
    oa, ob = _often(mentee.get("keep_in_touch_often")), _often(mentor.get("keep_in_touch_often"))
    if oa is None or ob is None or oa == ob:
        often = oa or ob
    else:  # the more frequent of two rhythms; a rhythm before "at milestones"
        ranked = [o for o in (oa, ob) if o in OFTEN]
        often = min(ranked, key=OFTEN.index) if ranked else oa
    agree = bool(a) and set(a) == set(b) and oa is not None and oa == ob
    return KeepInTouch(a, b, how, bool(both), oa, ob, often, agree)


def _date(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def joint_moving_on(mentee: Mapping[str, Any], mentor: Mapping[str, Any]) -> JointMovingOn:
    """The pair's decision from the values each side shared (slot -> value of their moving_on)."""
    a, b = _decision(mentee.get("decision")), _decision(mentor.get("decision"))
    together = _together(a, b)
    decision = a if together == "agree" else None
    touch = keep_in_touch(mentee, mentor)
    dates = []
    for code in DATES:
        da, db = _date(mentee.get(code)), _date(mentor.get(code))
        dates.append(DateView(code, da, db, None if da is None or db is None else da == db))
    questions: list[str] = []
    if together in ("mentee_only", "mentor_only", "neither"):
        questions.append("ask_decision")
    elif together == "far":
        questions += ["ask_why", "ask_middle"]
    elif together == "step":
        questions += ["ask_why", "ask_format"]
    if not touch.agree:
        questions.append("ask_keep_in_touch")
    if together == "agree" and any(d.same is False for d in dates):
        questions.append("ask_dates")
    if not questions:
        questions.append("ask_next")
    return JointMovingOn(a, b, together, decision, touch, dates, questions[:MAX_QUESTIONS])
