"""What an answer says, as a document should carry it: asides trimmed, and follow-ups folded in.

The answer as typed is always kept (`Answer.raw`, the follow-ups in `Answer.probes`); the slot's
value, which the documents use, is the refined answer:

* an aside around the point ("like I said, ...", "..., I guess", "same as above really") and
  fillers at its edges ("um", "well", "idk") are trimmed;
* a follow-up to a vague or too-short answer restates it: it replaces the answer (a short label
  like "promotion" stays in front: "promotion: her case for senior engineer"), unless it goes on
  from it ("get better at leading, so that I can run my own team");
* a follow-up asking for a number or a date adds to the answer ("lead a small team, by June"),
  or replaces it if it was vague ("sometime soon" -> "before the end of March"); a follow-up
  that restates the whole answer replaces it.

Never "a — b — c". The asides are the words of the answer's language (`lexicon/<locale>/refine.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.content.lexicon import Lexicon, sub
from coach.engine import probes

# The words are the lexicon's (`lexicon/<locale>/refine.yaml`); what is compiled from them is kept on it.


@dataclass(frozen=True)
class _Patterns:
    aside: re.Pattern[str]
    tail: re.Pattern[str]
    continues: re.Pattern[str]
    stop: frozenset[str]
    dont_know: re.Pattern[str]
    interjection: re.Pattern[str]


def _compile(lex: Lexicon) -> _Patterns:
    leading, with_comma = lex.regex("refine.leading_re"), lex.regex("refine.leading_with_comma_re")
    return _Patterns(
        aside=re.compile(rf"^\s*(?:(?:(?:{leading})\b[\s,.;:!-]*|(?:{with_comma})\s*,[\s,]*))+", re.IGNORECASE),
        tail=re.compile(rf"(?:[\s,;-]+\b(?:{lex.regex('refine.trailing_re')}))+[\s.!]*$", re.IGNORECASE),
        # A follow-up that starts like this goes on from the answer ("... so that I can ...", "... by June").
        continues=re.compile(rf"^(?:{lex.phrases('refine.continues')})\b", re.IGNORECASE),
        stop=frozenset(lex.words("refine.restate_ignore")),
        dont_know=re.compile(rf"^\s*(?:{lex.regex('refine.dont_know_re')})\b[\s.!?]*"
                             rf"(?:(?:{lex.regex('refine.dont_know_after_re')})[\s.!?]*)?$", re.IGNORECASE),
        # Interjections that are never content, wherever they are ("the prep part tbh, showing up prepared").
        interjection=re.compile(rf"\s*\b(?:{lex.regex('refine.interjections_re')})\b[.!]*", re.IGNORECASE),
    )


def _patterns(lex: Lexicon) -> _Patterns:
    return lex.memo("refine", _compile)


_WORD = re.compile(r"[\w']+")
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?])(?=\s|$)")
_REPEATED = re.compile(r"([!?])\1+")


def tidy(text: str) -> str:
    """Spacing as in print: one space between words, none before a comma or a full stop, "!!" as "!"."""
    t = " ".join(text.split())
    return _REPEATED.sub(r"\1", _SPACE_BEFORE.sub(r"\1", t))


def _trimmed(text: str, lex: Lexicon) -> str:
    p = _patterns(lex)
    t = tidy(sub(p.interjection, "", tidy(text), lex))
    return sub(p.tail, "", sub(p.aside, "", t, lex), lex).strip(" ,;-")


def says_nothing(text: str, lex: Lexicon | None = None) -> bool:
    """Only an aside or a filler ("same as above really", "like I said", "idk"): nothing a document can carry."""
    return bool(text.strip()) and not _WORD.findall(_trimmed(text, lex or Lexicon.load()))


def dont_know(text: str, lex: Lexicon | None = None) -> bool:
    """The whole answer is "I don't know" ("idk", "no idea", "not sure yet")."""
    lex = lex or Lexicon.load()
    return _patterns(lex).dont_know.match(lex.fold(text)) is not None


def clean(text: str, lex: Lexicon | None = None) -> str:
    """`text` without asides and fillers at its edges; the text itself if nothing would be left."""
    t = tidy(text)
    trimmed = _trimmed(t, lex or Lexicon.load())
    if len(_WORD.findall(trimmed)) < 1:
        return t
    return trimmed[0].upper() + trimmed[1:] if t[:1].isupper() else trimmed


def _content(text: str, lex: Lexicon) -> set[str]:
    stop = _patterns(lex).stop
    return {w for w in (lex.fold(m).casefold() for m in _WORD.findall(text)) if w not in stop}


def _restates(followup: str, answer: str, lex: Lexicon) -> bool:
    """The follow-up says most of what the answer said (the user put it all again)."""
    said = _content(answer, lex)
    return bool(said) and len(said & _content(followup, lex)) >= 0.6 * len(said)


def join(first: str, *more: str) -> str:
    """Parts of one statement as one sentence: "Lead a team, by June, with two seniors"."""
    text = first.rstrip(" .!")
    for part in more:
        part = part.strip()
        if part:
            text = f"{text}, {part[0].lower() + part[1:] if not part[:2].isupper() else part}".rstrip(" .!")
    return text


def _says_little(text: str, lex: Lexicon) -> bool:
    return len(_WORD.findall(text)) <= 2 and probes.is_vague(text, lex)


def refine(answer: str, followups: list[tuple[str, str]], lex: Lexicon | None = None) -> str:
    """The answer with its follow-ups `(probe kind, what the user said)` folded in."""
    lex = lex or Lexicon.load()
    current = clean(answer, lex)
    for kind, said in followups:
        addition = clean(said, lex)
        if not addition.strip() or says_nothing(said, lex) or _says_little(addition, lex):
            continue  # "maybe": nothing to fold in
        if _restates(addition, current, lex) or (kind == "measurable" and _says_little(current, lex)):
            current = addition  # said again, or "sometime soon" made a date
        elif kind == "measurable" or _patterns(lex).continues.match(lex.fold(addition)):
            current = join(current, addition)
        elif kind == "few_words" and len(_WORD.findall(current)) <= 2 and not probes.is_vague(current, lex):
            current = f"{current}: {addition}"  # a label, elaborated
        else:
            current = addition
    return current
