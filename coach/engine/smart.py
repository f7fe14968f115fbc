"""The SMART check of a goal, from its words: is it specific, measurable and time-bound?

Pure functions of the text (see coach.engine.probes for the vague words it relies on)."""

from __future__ import annotations

import re

from coach.engine import probes

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
           r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_PERIODS = r"days?|weeks?|months?|quarters?|years?|terms?|semesters?|sprints?"
_SEASONS = r"summer|winter|spring|autumn|fall|christmas|new year"
_COUNTS = (r"\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|a couple of|"
           r"couple of|few")
_TIME_BOUND = re.compile(
    "|".join([
        rf"\b(?:{_MONTHS})\b",
        r"\b(?:by|in|before|until|till|end of|mid|early|late)\s+may\b",  # "may" alone is usually the verb
        r"\bmay\s+\d{4}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+may\b",
        r"\b(?:19|20)\d{2}\b",
        r"\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b",
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight)\b",
        rf"\b(?:next|this|coming|following)\s+(?:{_PERIODS}|{_SEASONS})\b",
        rf"\b(?:within|in|after|for|over)\s+(?:the\s+)?(?:next\s+)?(?:{_COUNTS})\s+(?:{_PERIODS})\b",
        rf"\b\d+\s*(?:{_PERIODS})\b",
        rf"\b(?:by|before|until|till)\s+(?:the\s+)?(?:end|{_SEASONS})\b",
        r"\bend of\b|\b(?:eoy|eom|eow|deadline|due)\b|\bq[1-4]\b|\bh[12]\b",
    ]),
    re.IGNORECASE,
)
_MEASURABLE = re.compile(
    "|".join([
        r"\d", r"%",
        r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|fifty|"
        r"hundred|thousand|once|twice|half|dozen|double|triple|couple)\b",
        r"\b(?:percent|per cent|rate|score|rating|target|kpi|metric|at least|at most|number of|per|every|times)\b",
        # an observable, done-or-not-done outcome
        r"\b(?:launch(?:ed)?|publish(?:ed)?|ship(?:ped)?|pass(?:ed)?|complet(?:e|ed)|finish(?:ed)?|"
        r"submit(?:ted)?|deliver(?:ed)?|release(?:d)?|win|won|earn(?:ed)?|hired?|promot(?:ed|ion)|"
        r"certifi(?:ed|cation)|certificate|graduat(?:e|ed)|sign(?:ed)? off|get (?:the|a|an) (?:job|offer|role)|"
        r"(?:my|a|the|our) first)\b",
    ]),
    re.IGNORECASE,
)
_SPECIFIC_MIN_WORDS = 4


def goal_is_specific(text: str) -> bool:
    """The goal names a concrete thing: at least four words, and nothing vague unless it comes
    with a count."""
    return probes.word_count(text) >= _SPECIFIC_MIN_WORDS and (not probes.is_vague(text) or _has_count(text))


def _has_count(text: str) -> bool:
    """A number that is not part of a date ("3 more clients" is concrete despite the word "more")."""
    return re.search(r"\d", _TIME_BOUND.sub(" ", text)) is not None


def goal_is_time_bound(text: str) -> bool:
    """A date, a deadline or a duration: "by June", "in 3 months", "2027-03-31", "next quarter"."""
    return _TIME_BOUND.search(text) is not None


def goal_is_measurable(text: str) -> bool:
    """A number, a metric word or an observable outcome, not counting the numbers of a date."""
    return _MEASURABLE.search(_TIME_BOUND.sub(" ", text)) is not None



def clearest(parts: list[str]) -> list[str]:
    """The parts without the short, vague ones that carry no number or date (all, if none is left)."""
    def unclear(part: str) -> bool:
        return (probes.is_vague(part) and probes.word_count(part) < 5
                and not goal_is_measurable(part) and not goal_is_time_bound(part))

    return [part for part in parts if not unclear(part)] or parts

