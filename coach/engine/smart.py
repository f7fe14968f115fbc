"""The SMART check of a goal, from its words: is it specific, measurable and time-bound?

Pure functions of the text, read with the lexicon of its language (`lexicon/<locale>/smart.yaml`; see
coach.engine.probes for the vague words it relies on)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.content.lexicon import Lexicon
from coach.engine import probes

# The words are the lexicon's (`lexicon/<locale>/smart.yaml`); what is compiled from them is kept on it.


@dataclass(frozen=True)
class _Patterns:
    time_bound: re.Pattern[str]
    measurable: re.Pattern[str]


def _compile(lex: Lexicon) -> _Patterns:
    return _Patterns(time_bound=re.compile(lex.regex("smart.time_bound_re"), re.IGNORECASE),
                     measurable=re.compile(lex.regex("smart.measurable_re"), re.IGNORECASE))


def _patterns(lex: Lexicon) -> _Patterns:
    return lex.memo("smart", _compile)


_SPECIFIC_MIN_WORDS = 4


def goal_is_specific(text: str, lex: Lexicon | None = None) -> bool:
    """The goal names a concrete thing: at least four words, and nothing vague unless it comes
    with a count."""
    return probes.word_count(text) >= _SPECIFIC_MIN_WORDS and (not probes.is_vague(text, lex) or _has_count(text, lex))


def _has_count(text: str, lex: Lexicon | None = None) -> bool:
    """A number that is not part of a date ("3 more clients" is concrete despite the word "more")."""
    lex = lex or Lexicon.load()
    return re.search(r"\d", _patterns(lex).time_bound.sub(" ", lex.fold(text))) is not None


def goal_is_time_bound(text: str, lex: Lexicon | None = None) -> bool:
    """A date, a deadline or a duration: "by June", "in 3 months", "2027-03-31", "next quarter"."""
    lex = lex or Lexicon.load()
    return _patterns(lex).time_bound.search(lex.fold(text)) is not None


def goal_is_measurable(text: str, lex: Lexicon | None = None) -> bool:
    """A number, a metric word or an observable outcome, not counting the numbers of a date."""
    lex = lex or Lexicon.load()
    p = _patterns(lex)
    return p.measurable.search(p.time_bound.sub(" ", lex.fold(text))) is not None


def clearest(parts: list[str], lex: Lexicon | None = None) -> list[str]:
    """The parts without the short, vague ones that carry no number or date (all, if none is left)."""
    def unclear(part: str) -> bool:
        return (probes.is_vague(part, lex) and probes.word_count(part) < 5
                and not goal_is_measurable(part, lex) and not goal_is_time_bound(part, lex))

    return [part for part in parts if not unclear(part)] or parts
