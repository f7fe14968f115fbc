"""Spotting vague answers worth one more question: too few words, vague words, or a goal or
commitment with no number and no date."""

from __future__ import annotations

import re

from coach.content.schema import ProbeSpec

VAGUE_PATTERNS = [
    r"\bmaybe\b", r"\bstuff\b", r"\bthings?\b", r"\bnot sure\b", r"\bunsure\b", r"\bsomehow\b",
    r"\bkind of\b", r"\bsort of\b", r"\bwhatever\b", r"\bidk\b", r"\bdunno\b", r"\bi don'?t know\b",
    r"\bsomething\b", r"\betc\.?", r"\bi guess\b", r"\bperhaps\b", r"\bprobably\b", r"\bwe'?ll see\b",
    r"\bsome ?time\b", r"\bat some point\b", r"\bin general\b", r"\bbetter\b", r"\bmore\b", r"\bhopefully\b",
]
_VAGUE = re.compile("|".join(VAGUE_PATTERNS), re.IGNORECASE)

_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                 r"once|twice|half|dozen|hundred")
_MONTHS = (r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|"
           r"oct(ober)?|nov(ember)?|dec(ember)?")
_TIME_WORDS = (r"day|days|week|weeks|weekly|month|months|monthly|quarter|quarterly|year|years|yearly|"
               r"annually|tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
               r"q[1-4]|h[12]|deadline|eoy|end of|by|before|until|within")
_MEASURABLE = re.compile(rf"\d|\b({_NUMBER_WORDS}|{_MONTHS}|{_TIME_WORDS})\b|%", re.IGNORECASE)


def word_count(text: str) -> int:
    return len(text.split())


def is_vague(text: str) -> bool:
    return _VAGUE.search(text) is not None


def has_number_or_date(text: str) -> bool:
    return _MEASURABLE.search(text) is not None


def detect(spec: ProbeSpec, text: str, already: list[str]) -> list[str]:
    """The probe kinds that apply to `text`, in asking order, without those already asked."""
    kinds: list[str] = []
    if spec.few_words and word_count(text) < spec.few_words:
        kinds.append("few_words")
    if spec.vague and is_vague(text):
        kinds.append("vague")
    if spec.needs_number_or_date and not has_number_or_date(text):
        kinds.append("measurable")
    return [k for k in kinds if k not in already]
