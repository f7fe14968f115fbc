"""Flow patterns (`pattern:` of a text slot, op `matches`) match in linear time: a pattern that would
make a backtracking matcher take exponential time cannot hang the conversation, even one the schema
was never asked about."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest

from coach.content import patterns
from coach.content.schema import Slot, SlotCond, SlotType
from coach.engine import answers
from coach.engine.answers import Invalid
from coach.engine.conditions import Facts, evaluate

FLAGGED = [r"(\w+\s?)+$", r"(a+)+$", r"(x+x+)+y"]
CATASTROPHIC = [*FLAGGED, r"^(a|aa)+$"]  # the last one is not flagged by the lint, and must not hang either
# 16 words and a full stop: with Python's `re`, `(\w+\s?)+$` tries about 2**80 ways to split them.
ANSWER = " ".join(["aaaa"] * 16) + "!"


def _fast(call: object, *args: object, **kw: object) -> float:
    start = time.perf_counter()
    call(*args, **kw)  # type: ignore[operator]
    return time.perf_counter() - start


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_an_unchecked_catastrophic_pattern_still_answers_at_once(pattern: str) -> None:
    slot = Slot.model_construct(type=SlotType.text, pattern=pattern, choices=[], min_words=None, max_words=None)
    hostile = ANSWER if "\\w" in pattern else "a" * 5000 + "!"
    start = time.perf_counter()
    with pytest.raises(Invalid):
        answers.parse(slot, hostile, date(2026, 1, 1))
    assert time.perf_counter() - start < 0.5


def test_the_answer_that_hangs_python_re_is_what_the_test_uses() -> None:
    """Self-test: such an answer does make a backtracking matcher slow: 18 letters already take
    Python's `re` tens of milliseconds, and each letter more doubles it (16 words would take ages)."""
    shorter = "a" * 18 + "!"
    assert _fast(re.search, r"(\w+\s?)+$", shorter) > 10 * _fast(patterns.search, r"(\w+\s?)+$", shorter) + 0.01


def test_a_matches_condition_is_linear_too() -> None:
    cond = SlotCond.model_construct(slot="motto", op="matches", value=r"(\w+\s?)+$")
    facts = Facts(slots={"motto": ANSWER}, visited=set(), attempts={}, role="mentee")
    assert _fast(evaluate, cond, facts) < 0.5
    assert evaluate(cond, facts) is False


def test_patterns_still_match_what_they_should() -> None:
    time_of_day = (r"(?i)^(?:(?:[01]?\d|2[0-3])[:.h][0-5]\d|(?:0?[1-9]|1[0-2])(?:[:.][0-5]\d)?\s*[ap]\.?\s*m\.?)$")
    assert patterns.search(time_of_day, "10:30") and patterns.search(time_of_day, "3 PM")
    assert not patterns.search(time_of_day, "tea time")
    assert patterns.search(r"\b(lazy|rude)\b", "Quite RUDE today", ignore_case=True)
    assert not patterns.search(r"\b(lazy|rude)\b", "Quite RUDE today")


def test_an_answer_with_a_lone_surrogate_is_matched_not_a_crash() -> None:
    assert patterns.search(r"x", "\ud800 x")
    slot = Slot(type=SlotType.text, pattern=r"^\d+$")
    with pytest.raises(Invalid):
        answers.parse(slot, "12\udcff", date(2026, 1, 1))


@pytest.mark.parametrize("pattern", FLAGGED)
def test_the_schema_names_what_is_wrong_with_a_catastrophic_pattern(pattern: str) -> None:
    problem = patterns.check(pattern)
    assert problem is not None and "repeats a group that itself repeats" in problem


@pytest.mark.parametrize("pattern", [r"^\d{4}-\d{2}$", r"(?:yes|no)+", r"^(ab){1,3}$", r"[\w\s]+", r"(a{1,3}){2}"])
def test_ordinary_patterns_are_not_flagged(pattern: str) -> None:
    assert patterns.check(pattern) is None
