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

Never "a — b — c".
"""

from __future__ import annotations

import re

from coach.engine import probes

# Phrases that wrap an answer without adding to it, at its start or its end (any case). Some
# only count as asides when a comma follows ("so, ..." but not "so that ...").
_LEADING = [r"um+", r"uh+", r"erm+", r"hmm+", r"like i said", r"as i said", r"same as (?:above|before)(?: really)?",
            r"idk", r"i don'?t know"]
_LEADING_WITH_COMMA = [r"so", r"well", r"ok(?:ay)?", r"honestly", r"basically", r"i mean", r"i guess", r"i think",
                       r"probably", r"maybe", r"not sure", r"yeah", r"really", r"tbh", r"lol", r"anyway"]
_TRAILING = [r"i guess", r"i think", r"really", r"lol", r"haha", r"tbh", r"i suppose", r"or something", r"idk"]
_ASIDE = re.compile(
    rf"^\s*(?:(?:(?:{'|'.join(_LEADING)})\b[\s,.;:!-]*|(?:{'|'.join(_LEADING_WITH_COMMA)})\s*,[\s,]*))+",
    re.IGNORECASE)
_TAIL = re.compile(rf"(?:[\s,;-]+\b(?:{'|'.join(_TRAILING)}))+[\s.!]*$", re.IGNORECASE)
# A follow-up that starts like this goes on from the answer ("... so that I can ...", "... by June").
_CONTINUES = re.compile(
    r"^(?:so|because|and|but|which|that|to|by|before|after|within|with|without|at|on|in|every|each|for|when|"
    r"while|until|unless|as|or|from|through|via|starting|including|especially)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w']+")
_STOP = frozenset({"a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "with", "and", "or", "my", "our",
                   "i", "me", "we", "it", "is", "be"})


_SPACE_BEFORE = re.compile(r"\s+([,.;:!?])(?=\s|$)")
_REPEATED = re.compile(r"([!?])\1+")
_DONT_KNOW = re.compile(r"^\s*(?:idk|i don'?t know|dunno|no idea|not sure)\b[\s.!?]*(?:(?:really|tbh|yet)[\s.!?]*)?$",
                        re.IGNORECASE)


def tidy(text: str) -> str:
    """Spacing as in print: one space between words, none before a comma or a full stop, "!!" as "!"."""
    t = " ".join(text.split())
    return _REPEATED.sub(r"\1", _SPACE_BEFORE.sub(r"\1", t))


# Interjections that are never content, wherever they are ("the prep part tbh, showing up prepared").
_INTERJECTION = re.compile(r"\s*\b(?:tbh|lol|lmao|haha+|ngl)\b[.!]*", re.IGNORECASE)


def _trimmed(text: str) -> str:
    t = tidy(_INTERJECTION.sub("", tidy(text)))
    return _TAIL.sub("", _ASIDE.sub("", t)).strip(" ,;-")


def says_nothing(text: str) -> bool:
    """Only an aside or a filler ("same as above really", "like I said", "idk"): nothing a document can carry."""
    return bool(text.strip()) and not _WORD.findall(_trimmed(text))


def dont_know(text: str) -> bool:
    """The whole answer is "I don't know" ("idk", "no idea", "not sure yet")."""
    return _DONT_KNOW.match(text) is not None


def clean(text: str) -> str:
    """`text` without asides and fillers at its edges; the text itself if nothing would be left."""
    t = tidy(text)
    trimmed = _trimmed(t)
    if len(_WORD.findall(trimmed)) < 1:
        return t
    return trimmed[0].upper() + trimmed[1:] if t[:1].isupper() else trimmed


def _content(text: str) -> set[str]:
    return {w for w in (m.casefold() for m in _WORD.findall(text)) if w not in _STOP}


def _restates(followup: str, answer: str) -> bool:
    """The follow-up says most of what the answer said (the user put it all again)."""
    said = _content(answer)
    return bool(said) and len(said & _content(followup)) >= 0.6 * len(said)


def join(first: str, *more: str) -> str:
    """Parts of one statement as one sentence: "Lead a team, by June, with two seniors"."""
    text = first.rstrip(" .!")
    for part in more:
        part = part.strip()
        if part:
            text = f"{text}, {part[0].lower() + part[1:] if not part[:2].isupper() else part}".rstrip(" .!")
    return text


def _says_little(text: str) -> bool:
    return len(_WORD.findall(text)) <= 2 and probes.is_vague(text)


def refine(answer: str, followups: list[tuple[str, str]]) -> str:
    """The answer with its follow-ups `(probe kind, what the user said)` folded in."""
    current = clean(answer)
    for kind, said in followups:
        addition = clean(said)
        if not addition.strip() or says_nothing(said) or _says_little(addition):
            continue  # "maybe": nothing to fold in
        if _restates(addition, current) or (kind == "measurable" and _says_little(current)):
            current = addition  # said again, or "sometime soon" made a date
        elif kind == "measurable" or _CONTINUES.match(addition):
            current = join(current, addition)
        elif kind == "few_words" and len(_WORD.findall(current)) <= 2 and not probes.is_vague(current):
            current = f"{current}: {addition}"  # a label, elaborated
        else:
            current = addition
    return current
