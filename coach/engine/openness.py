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

All the English word lists are the constants at the top (a later change moves them into per-locale data
files). Pure functions; the patterns are compiled once at import.

Known limits: it reads the form of the question, not its content. A wh-question that smuggles in the
mentor's solution ("how could you delegate the testing to the juniors?") reads as open; a plain yes/no
question that proposes an action ("can you hand it over to someone?") reads as closed, not leading;
questions in other languages, or with the question word far from the start of a clause, are misread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

Kind = Literal["open", "closed", "leading", "advice", "not_a_question"]

# --- word lists (English) ---------------------------------------------------------------------------
# Phrases are matched whole-word and case-insensitively; a space inside a phrase matches any run of spaces.

# Said before the question without changing it ("ok so what would you do first").
FILLERS = (
    "ok", "okay", "so", "um", "umm", "uh", "er", "erm", "hmm", "and", "well", "right", "alright", "now", "then",
    "but", "also", "hey", "oh", "like", "yeah", "and so", "so then", "basically",
)
# Labels a mentor puts before the question itself ("Question: what would...", "I'd ask: ...").
LABELS = ("question", "my question", "q", "i'd ask", "i would ask", "i'll ask", "i will ask", "ask")
# Question words that open an open question.
WH_WORDS = (
    "what", "what's", "whats", "what'd", "what're", "how", "how's", "hows", "how'd", "which", "where", "where's",
    "who", "who's", "whom", "whose", "when", "why", "in what way", "in what ways", "to what extent", "in which",
    "at what point", "by what",
)
# Openers of an invitation that is not worded as a question but asks for the mentee's thinking.
INVITATIONS = (
    "tell me", "talk me through", "walk me through", "take me through", "describe", "explain", "help me understand",
    "i'm curious", "im curious", "i am curious", "i wonder what", "i wonder how", "i wonder which", "say more",
    "share", "imagine", "picture",
)
# Openers of a yes/no question.
AUXILIARIES = (
    "do", "does", "did", "is", "are", "was", "were", "have", "has", "had", "will", "would", "can", "could",
    "should", "shall", "may", "might", "am", "any", "anything", "anyone", "anybody", "got", "is there", "are there",
    "you're", "youre", "you are", "it's", "its",
)
# Anywhere in the text, these put the mentor's answer into the question.
LEADING_PHRASES = (
    "don't you think", "dont you think", "do you not think", "what if you", "how about", "what about just",
    "why don't you", "why dont you", "why not", "would it help", "would it be better", "would it be worth",
    "would it make sense", "wouldn't it", "wouldnt it", "do you think it'd", "do you think it would",
    "do you agree", "surely", "could you maybe", "could you just", "can you just", "can't you just",
    "the obvious answer", "the real problem is", "if you tried", "if you just", "isn't it time", "isnt it time",
    "is it not",
)
# Opening a question (not after a question word: "what have you tried?" is open), these suggest the answer.
SUGGESTING_OPENERS = (
    "have you considered", "have you thought about", "have you thought of", "have you tried", "did you consider",
    "did you think about", "did you try",
)
# At the start and before a subject or an -ing form, a negative auxiliary makes a leading question
# ("shouldn't you...", "isn't that...", "wouldn't delegating..."); before a verb it is advice ("don't overthink it").
NEGATIVE_AUXILIARIES = (
    "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "wouldn't", "wouldnt", "shouldn't", "shouldnt",
    "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt", "won't", "wont", "couldn't", "couldnt", "can't", "cant",
    "haven't", "havent", "hasn't", "hasnt",
)
# At the end, a tag that asks for agreement ("..., right?", "..., aren't you?").
TAGS = (
    "right", "no", "yeah", "yes", "surely", "don't you think", "dont you think", "isn't it", "isnt it",
    "aren't you", "arent you", "don't you", "dont you", "wouldn't you", "wouldnt you", "won't you", "isn't that so",
    "am i right", "agreed", "correct",
)
# What "what about" / "just" lead into when they suggest an action.
SUGGESTED_ACTIONS = (
    "ask", "asking", "tell", "telling", "say", "saying", "delegate", "delegating", "hand", "handing", "hire",
    "hiring", "block", "blocking", "let", "letting", "quit", "quitting", "leave", "leaving", "drop", "dropping",
    "stop", "stopping", "push", "pushing", "talk", "talking", "give", "giving", "send", "sending", "move", "moving",
    "do", "doing", "go", "going", "write", "writing", "try", "trying",
)
# Openers of advice: a statement of what the mentee should do.
ADVICE_OPENERS = (
    "you should", "you shouldn't", "you need to", "you must", "you have to", "you ought to", "you could try",
    "you might want to", "you may want to", "you'd better", "you had better", "you could just", "you can just",
    "you just need", "you'd be better", "i'd", "id", "i would", "i'd just", "if i were you", "in your shoes",
    "my advice", "my suggestion", "i suggest", "i recommend", "i'd suggest", "the best thing", "the best way",
    "the best option", "it's better", "it's best", "its better", "its best", "it's worth", "it's important",
    "better to", "best to", "just", "try", "go for it", "don't", "dont", "do not", "never", "always", "stop",
    "start", "make", "let", "tell", "talk to", "ask for", "ask your", "ask the", "say", "delegate", "hand", "push",
    "block", "write", "send", "book", "focus", "prioritise", "prioritize", "take", "get", "keep", "be", "hire",
    "loop", "set", "give", "use", "move", "pick", "drop", "put", "schedule", "plan", "call", "email", "quit",
    "leave", "accept", "decline", "learn", "read", "practise", "practice", "speak", "raise", "skip",
)
# Softeners before an advice opener that keep it advice ("maybe just ask for help?").
SOFTENERS = ("maybe", "perhaps", "just", "honestly", "simply")
# "ask her what ..." / "I want to ask him about ...": the mentor describing a question, not asking it.
REPORTED = (
    "ask her", "ask him", "ask them", "ask my mentee", "ask the mentee", "want to ask", "going to ask", "will ask",
    "i'll ask her", "i'll ask him", "something about", "the question about", "a question about",
)
# Pronouns that make a bare "...?" a yes/no question ("you're going to tell him?").
SUBJECTS = ("you", "he", "she", "they", "it", "that", "this", "we", "i", "there")


def _phrases(words: Iterable[str]) -> str:
    """A pattern matching any of `words` as whole words; longer phrases are tried first."""
    alts = sorted({w.lower() for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alts)
    return rf"(?<![\w'])(?:{body})(?![\w'])"


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})
_FILLER = re.compile(rf"^(?:{_phrases(FILLERS)}[\s,.!-]*)+", re.IGNORECASE)
_LABEL = re.compile(rf"^{_phrases(LABELS)}\s*[:\-—–]\s*", re.IGNORECASE)
_WH = re.compile(rf"^{_phrases(WH_WORDS)}", re.IGNORECASE)
_INVITATION = re.compile(rf"^{_phrases(INVITATIONS)}", re.IGNORECASE)
_AUXILIARY = re.compile(rf"^{_phrases(AUXILIARIES)}", re.IGNORECASE)
_LEADING = re.compile(
    "|".join((
        _phrases(LEADING_PHRASES),
        rf"(?:^|[,.;:?!—–]\s*){_phrases(SUGGESTING_OPENERS)}",
        rf"^{_phrases(NEGATIVE_AUXILIARIES)}\s+(?:{_phrases(SUBJECTS)}|the|\w+ing\b)",
        rf"[,—–-]\s*{_phrases(TAGS)}\s*\?*\s*$",
        rf"\bwhat about\s+{_phrases(SUGGESTED_ACTIONS)}",
    )),
    re.IGNORECASE,
)
_JUST_ACTION = re.compile(rf"\bjust\s+{_phrases(SUGGESTED_ACTIONS)}", re.IGNORECASE)
_ADVICE = re.compile(rf"^(?:{_phrases(SOFTENERS)}\s+)*{_phrases(ADVICE_OPENERS)}", re.IGNORECASE)
_REPORTED = re.compile(rf"^(?:i\s+)?{_phrases(REPORTED)}", re.IGNORECASE)
_SUBJECT = re.compile(_phrases(SUBJECTS), re.IGNORECASE)
_CLAUSES = re.compile(r"[,;:—–?!.]+|\s-\s")
# "... — delegate or keep it?": a pick between given options at the end of a wh-question.
_CHOICE = re.compile(r"(?:^|[,:—–-])\s*(?:to\s+)?\w+(?:\s+\w+){0,3}\s+or\s+\w+(?:\s+\w+){0,3}\s*\?*\s*$")


def _normalised(question: str) -> str:
    """Lower case, plain apostrophes, no surrounding quotes, and no fillers or labels in front."""
    t = " ".join(question.translate(_APOSTROPHES).lower().split()).strip(" \"'")
    while True:
        stripped = _LABEL.sub("", _FILLER.sub("", t)).strip(" \"'")
        if stripped == t:
            return t
        t = stripped


def _asks(t: str) -> bool:
    return "?" in t


def _wh_clause(t: str) -> bool:
    """A clause opens with a question word ("if nothing changes, where will you be?")."""
    return any(_WH.match(_FILLER.sub("", c.strip())) for c in _CLAUSES.split(t) if c.strip())


def classify(question: str) -> Kind:
    """What kind of question `question` is, judged by its form (see the module docstring)."""
    t = _normalised(question)
    if not t:
        return "not_a_question"
    if _LEADING.search(t) or (_asks(t) and _JUST_ACTION.search(t) and (_WH.match(t) or _AUXILIARY.match(t))):
        return "leading"
    if _INVITATION.match(t):
        return "open"
    if _REPORTED.match(t):
        return "not_a_question"
    if _ADVICE.match(t):
        return "advice"
    if _WH.match(t) or _wh_clause(t):
        return "closed" if _CHOICE.search(t) and not _WH.match(t.rsplit(" or ", 1)[-1].strip()) else "open"
    if _AUXILIARY.match(t):
        return "closed"
    if _asks(t) and _SUBJECT.search(t):
        return "closed"
    return "not_a_question"


def is_open(question: str) -> bool:
    """The question invites the mentee's own thinking (an "open" question)."""
    return classify(question) == "open"
