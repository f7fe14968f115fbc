"""Judging the question a mentor means to ask a mentee: does it invite the mentee's own thinking?

Used for the mentor's prep in the empowerment stage, where the mentor turns the advice they are tempted to
give into a coaching question. `classify` sorts a question into one of five kinds:

* "open": invites the mentee's own thinking ("what could you hand over?", "how would you know it's
  working?", "tell me about the last time...", "if you had a free day, what would you do with it?");
* "closed": answerable with yes / no or a pick between given options ("do you feel ready?", "have you
  talked to her?", "is it time or confidence?", "what will you do — delegate or keep it?");
* "leading": a question carrying the answer the mentor has in mind ("don't you think you should just say
  no?", "wouldn't it be better to...", "have you considered telling him...", "what if you just...");
* "advice": tells the mentee what to do, even with a question mark ("just delegate it?", "you should say
  no", "I'd write the design doc first");
* "not_a_question": a topic, a note or a remark that asks nothing ("delegation", "ask her what she would
  hand over", "not sure yet").

The words are data, per language (`lexicon/<locale>/openness.yaml`, read through a `Lexicon`). Pure
functions; each lexicon's patterns are compiled once.

Known limits: it reads the form of the question, not its content. A wh-question that smuggles in the
mentor's solution ("how could you delegate the testing to the juniors?") reads as open; a plain yes/no
question that proposes an action ("can you hand it over to someone?") reads as closed, not leading;
questions in a language its lexicon does not know, or with the question word far from the start of a clause,
are misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from coach.content.lexicon import Lexicon

Kind = Literal["open", "closed", "leading", "advice", "not_a_question"]

# The words are the lexicon's (`lexicon/<locale>/openness.yaml`); what is compiled from them is kept on it.

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "¿": "", "¡": ""})


@dataclass(frozen=True)
class _Patterns:
    filler: re.Pattern[str]
    label: re.Pattern[str]
    wh: re.Pattern[str]
    invitation: re.Pattern[str]
    auxiliary: re.Pattern[str]
    leading: re.Pattern[str]
    just_action: re.Pattern[str]
    advice: re.Pattern[str]
    reported: re.Pattern[str]
    subject: re.Pattern[str]
    choice: re.Pattern[str]
    last_option: re.Pattern[str]


def _compile(lex: Lexicon) -> _Patterns:
    def words(*keys: str) -> str:
        """Any of the phrases under `keys` as whole words; longer phrases are tried first."""
        return rf"(?<![\w'])(?:{lex.phrases(*keys)})(?![\w'])"

    def c(pattern: str) -> re.Pattern[str]:
        return re.compile(pattern, re.IGNORECASE)

    actions = words("openness.suggested_actions")
    return _Patterns(
        filler=c(rf"^(?:{words('openness.fillers')}[\s,.!-]*)+"),
        label=c(rf"^{words('openness.labels')}\s*[:\-—–]\s*"),
        wh=c(rf"^{words('openness.wh_words')}"),
        invitation=c(rf"^{words('openness.invitations')}"),
        auxiliary=c(rf"^{words('openness.auxiliaries')}"),
        leading=c("|".join((
            words("openness.leading_phrases"),
            rf"(?:^|[,.;:?!—–]\s*){words('openness.suggesting_openers')}",
            rf"^{words('openness.negative_auxiliaries')}\s+"
            rf"(?:{words('openness.subjects')}|{lex.regex('openness.negative_auxiliary_before_re')})",
            rf"[,—–-]\s*{words('openness.tags')}\s*\?*\s*$",
            rf"\b(?:{lex.phrases('openness.what_about')})\s+{actions}",
        ))),
        just_action=c(rf"\b(?:{lex.phrases('openness.just')})\s+{actions}"),
        advice=c(rf"^(?:{words('openness.softeners')}\s+)*{words('openness.advice_openers')}"),
        reported=c(rf"^(?:(?:{lex.phrases('openness.reported_subjects')})\s+)?{words('openness.reported')}"),
        subject=c(words("openness.subjects")),
        choice=re.compile(lex.regex("openness.choice_re")),
        # what follows the last "or" of a choice ("what will you do — delegate or keep it?")
        last_option=re.compile(rf"^.*\s(?:{lex.phrases('openness.or_words')})\s(.*)$", re.IGNORECASE | re.DOTALL),
    )


def _patterns(lex: Lexicon | None) -> _Patterns:
    return (lex or Lexicon.load()).memo("openness", _compile)


_CLAUSES = re.compile(r"[,;:—–?!.]+|\s-\s")


def _normalised(question: str, p: _Patterns, lex: Lexicon) -> str:
    """Lower case, plain apostrophes, no surrounding quotes, no ¿ ¡, and no fillers or labels in front."""
    t = " ".join(lex.fold(question.translate(_APOSTROPHES)).lower().split()).strip(" \"'")
    while True:
        stripped = p.label.sub("", p.filler.sub("", t)).strip(" \"'")
        if stripped == t:
            return t
        t = stripped


def _asks(t: str) -> bool:
    return "?" in t


def _wh_clause(t: str, p: _Patterns) -> bool:
    """A clause opens with a question word ("if nothing changes, where will you be?")."""
    return any(p.wh.match(p.filler.sub("", c.strip())) for c in _CLAUSES.split(t) if c.strip())


def classify(question: str, lex: Lexicon | None = None) -> Kind:
    """What kind of question `question` is, judged by its form (see the module docstring), read with the
    lexicon of its language (`None`: English)."""
    lex = lex or Lexicon.load()
    p = _patterns(lex)
    t = _normalised(question, p, lex)
    if not t:
        return "not_a_question"
    if p.leading.search(t) or (_asks(t) and p.just_action.search(t) and (p.wh.match(t) or p.auxiliary.match(t))):
        return "leading"
    if p.invitation.match(t):
        return "open"
    if p.reported.match(t):
        return "not_a_question"
    if p.advice.match(t):
        return "advice"
    if p.wh.match(t) or _wh_clause(t, p):
        if p.choice.search(t):
            last = p.last_option.match(t)
            return "open" if last is not None and p.wh.match(last.group(1).strip()) else "closed"
        return "open"
    if p.auxiliary.match(t):
        return "closed"
    if _asks(t) and p.subject.search(t):
        return "closed"
    return "not_a_question"


def is_open(question: str, lex: Lexicon | None = None) -> bool:
    """The question invites the mentee's own thinking (an "open" question)."""
    return classify(question, lex) == "open"
