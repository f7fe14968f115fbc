"""Spotting answers worth one more question: too few words, an answer that says little concrete, or a
goal or commitment with no number and no date.

The words are data, per language (`lexicon/<locale>/probes.yaml`, read through a `Lexicon`); the
functions below only combine them. Each takes the conversation's lexicon (`None`: English, for tools
and tests). Everything here is a pure function of the text: no state, no I/O, each lexicon's patterns
compiled once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.content.lexicon import Lexicon
from coach.content.schema import ProbeSpec

# The words are the lexicon's (`lexicon/<locale>/probes.yaml`); what is compiled from them is kept on it.


@dataclass(frozen=True)
class _Patterns:
    filler: re.Pattern[str]
    compared: re.Pattern[str]
    area: re.Pattern[str]
    unspecific: re.Pattern[str]
    change: re.Pattern[str]
    trait: re.Pattern[str]
    verdict: re.Pattern[str]
    action: re.Pattern[str]
    action_noun: re.Pattern[str]
    not_content: frozenset[str]
    word: re.Pattern[str]
    measurable: re.Pattern[str]
    anchor: re.Pattern[str]
    worry: re.Pattern[str]
    advice_request: re.Pattern[str]


def _compile(lex: Lexicon) -> _Patterns:
    forms = lex.table("probes.person_forms")

    def phrases(*keys: str, ending: str = "") -> str:
        """Any of the phrases under `keys` as whole words, each optionally followed by `ending` (a
        pattern); longer phrases are tried first, and "my" / "myself" in a phrase match any person's."""
        body = lex.phrases(*keys)
        for word, alternatives in forms.items():
            body = re.sub(rf"\b{re.escape(word)}\b", alternatives.replace("\\", "\\\\"), body)
        return rf"(?<![\w'])(?:{body}){ending}(?![\w'])"

    def c(pattern: str) -> re.Pattern[str]:
        return re.compile(pattern, re.IGNORECASE)

    numbers = lex.regex("probes.number_words_re")
    months = lex.regex("probes.months_re")
    times = lex.regex("probes.time_words_re")
    return _Patterns(
        filler=c(phrases("probes.fillers")),
        compared=c(phrases("probes.compared")),
        area=c(phrases("probes.area_openers") + r"([^,.;:!?—–-]*)"),
        unspecific=c(phrases("probes.placeholders", "probes.dont_know", "probes.hedges", "probes.time_hedges",
                             "probes.cliches")),
        change=c(phrases("probes.generic_change", "probes.generic_asks",
                         ending=lex.setting("probes.change_endings_re"))),
        # The trait verb opens the answer, perhaps after a subject or "to" ("to be reliable", "she wants to be ...").
        trait=c(rf"^\W*(?:{phrases('probes.trait_subjects')}\s+)*{phrases('probes.trait_verbs')}"),
        verdict=c(phrases("probes.verdicts")),
        action=c(phrases("probes.action_verbs", ending=lex.setting("probes.action_endings_re"))),
        action_noun=c(phrases("probes.action_nouns", ending=lex.setting("probes.action_noun_endings_re"))),
        not_content=frozenset(w.lower() for w in lex.words("probes.stopwords") + lex.words("probes.abstract")),
        word=re.compile(lex.setting("probes.word_re")),
        measurable=c(rf"\d|\b(?:{numbers}|{months}|{times})\b|%"),
        anchor=c(rf"\d|\b(?:{lex.regex('probes.anchors_re')})\b"),
        worry=c(rf"\b(?:{lex.regex('probes.worry_re')})"),
        advice_request=c(lex.regex("probes.advice_request_re")),
    )


def _patterns(lex: Lexicon | None) -> _Patterns:
    return (lex or Lexicon.load()).memo("probes", _compile)


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@dataclass(frozen=True)
class Reading:
    """What `is_vague` weighed: the vague signals and the concrete content it found in an answer."""

    unspecific: int  # placeholders, don't-knows, hedges and non-times
    change: int  # "better", "more", "improve" ... with nothing to say at what or how much
    verdicts: int  # "good", "great", "confident" ...: judgements with nothing observable
    content: tuple[str, ...]  # words naming something (not function words, themes or verdicts)
    actions: int  # concrete action verbs among them
    anchored: bool  # a number or a date
    trait: bool  # it opens with "be ...", "become ...", "feel ...": a way to be, not a thing to do

    @property
    def concrete(self) -> bool:
        """Enough concrete content to act on: a number or date with something named, an action on an
        object, or a description naming several things."""
        named = len(self.content)
        if self.anchored and named >= 1:
            return True
        if self.unspecific + self.change >= named:  # as much hedging as content
            return False
        if self.actions >= 1 and named >= 2:
            return True
        return named >= 3 and named > self.unspecific + self.change + self.verdicts


def read(text: str, lex: Lexicon | None = None) -> Reading:
    """The signals `is_vague` judges `text` by (for tests and for explaining a decision)."""
    p = _patterns(lex)
    t = (lex or Lexicon.load()).fold(text.translate(_APOSTROPHES)).lower()
    t = p.compared.sub(" ", p.filler.sub(" ", t))
    trait = p.trait.match(p.unspecific.sub(" ", t).strip(" ,.")) is not None
    area = frozenset(w for m in p.area.finditer(t) for w in p.word.findall(m.group(1)))
    anchored = p.anchor.search(t) is not None
    unspecific = len(p.unspecific.findall(t))
    t = p.unspecific.sub(" ", t)
    change = len(p.change.findall(t))
    t = p.change.sub(" ", t)
    verdicts = len(p.verdict.findall(t))
    t = p.verdict.sub(" ", t)
    content = tuple(w for w in p.word.findall(t) if w not in p.not_content and len(w) > 1)
    actions = sum(1 for w in content if w not in area and (p.action.fullmatch(w) or p.action_noun.fullmatch(w)))
    return Reading(unspecific=unspecific, change=change, verdicts=verdicts, content=content,
                   actions=actions, anchored=anchored, trait=trait)


def word_count(text: str) -> int:
    """The number of whitespace-separated words."""
    return len(text.split())


def is_vague(text: str, lex: Lexicon | None = None) -> bool:
    """The answer as a whole says little one could act on.

    Vague: nothing concrete is named ("good", "it's going well", "same as above really", "time",
    "leadership"), or a vague signal — a placeholder ("stuff", "things", "somehow"), a don't-know
    ("idk", "not sure"), a hedge ("maybe", "probably"), a non-time ("sometime soon"), a change with nothing
    to say at what or how much ("better", "more", "improve") — comes with too little concrete content
    around it. Not vague: the same words inside an answer that names a concrete action on an object,
    something with a number or a date, or several concrete things ("Run two retros by March and get better
    at facilitation", "probably ask Dana for the lead role on the billing project").

    Known limits: it reads words, not meaning, and the lists cannot hold every idiom. Vague answers in
    unlisted words pass as concrete ("wisdom and experience", "get the ball rolling", "in due course");
    concrete answers in words the lists treat as themes, verdicts or traits read as vague ("honest
    feedback", "be on time for our sessions", "improve the onboarding docs"); a "more"/"better" on a concrete
    action with no amount is accepted ("speak up more in design reviews"); English only.
    """
    r = read(text, lex)
    if not r.content or (r.trait and r.actions == 0 and not r.anchored):
        return True
    if r.concrete:
        return False
    if len(r.content) == 1 and r.actions == 0:  # one thing named, and nothing about what to do with it
        return True
    return r.unspecific + r.change + r.verdicts > 0


def has_number_or_date(text: str, lex: Lexicon | None = None) -> bool:
    """A digit, a number word, a month, a weekday or a time word ("weekly", "by", "end of")."""
    return _patterns(lex).measurable.search((lex or Lexicon.load()).fold(text)) is not None


def sounds_worried(text: str, lex: Lexicon | None = None) -> bool:
    """The answer voices a worry, a fear or a hurt — it is met with warmth, not a brisk "Noted."."""
    return _patterns(lex).worry.search((lex or Lexicon.load()).fold(text)) is not None


def asks_for_advice(text: str, lex: Lexicon | None = None) -> bool:
    """The user asks the coach to tell them ("just tell me", "what should I do?", "any advice?")."""
    return _patterns(lex).advice_request.search((lex or Lexicon.load()).fold(text.strip())) is not None


def detect(spec: ProbeSpec, text: str, already: list[str], lex: Lexicon | None = None) -> list[str]:
    """The probe kinds that apply to `text`, in asking order, without those already asked."""
    kinds: list[str] = []
    if spec.few_words and word_count(text) < spec.few_words:
        kinds.append("few_words")
    if spec.vague and is_vague(text, lex):
        kinds.append("vague")
    if spec.needs_number_or_date and not has_number_or_date(text, lex):
        kinds.append("measurable")
    return [k for k in kinds if k not in already]
