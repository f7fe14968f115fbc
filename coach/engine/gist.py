"""The gist of an answer, for the coach to reflect back (`$slot__gist`): its key words, not the whole answer.

A coach who listened says back the point, in a few words, from where they sit: "I sent the draft to
two people, and one replied with notes. The other didn't." is reflected as "you sent the draft to
two people". So the gist is the answer's first clause (up to a sentence end, a semicolon, a dash,
", but", ", and", "because"...), at most `MAX_WORDS` words: a longer one ends before its last "and",
"or", "which"... in reach, or else at a word, marked "…". An answer
the user says about themselves ("I ...", "my ...", "we ...") is turned round to the coach's voice
and not quoted (it is no longer the user's words); any other answer keeps the user's own words,
in quotes: “pair with Dana on the retro”. The words are the language's (`lexicon/<locale>/gist.yaml`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from coach.content.lexicon import Lexicon

MAX_WORDS = 16

# The words are the lexicon's (`lexicon/<locale>/gist.yaml`); what is compiled from them is kept on it.


@dataclass(frozen=True)
class _Words:
    clause_end: re.Pattern[str]  # where a statement's first clause ends (the gist goes no further)
    turned: dict[str, str]  # the first person, from the coach's side (a whole word, any case)
    turned_after: dict[str, str]  # ... right after `after_word` only ("am"/"was" after "I")
    after_word: str
    first_person: re.Pattern[str]
    dangling: frozenset[str]  # words a cut phrase should not end on ("pair with Dana on the" -> "pair with Dana")
    joins: frozenset[str]  # where a long clause can end without losing its point
    quotes: tuple[str, str]


def _compile(lex: Lexicon) -> _Words:
    return _Words(
        clause_end=re.compile(
            rf"[.!?](?=\s|$)|;|\n|\s[—–-]\s|,\s+(?:{lex.phrases('gist.clause_joins')})\b"
            rf"|\s(?:{lex.phrases('gist.clause_breaks')})\s", re.IGNORECASE),
        turned=lex.table("gist.turned"),
        turned_after=lex.table("gist.turned_after"),
        after_word=lex.key(lex.setting("gist.after_word")),
        first_person=re.compile(rf"^(?:{lex.phrases('gist.first_person')})\b", re.IGNORECASE),
        dangling=frozenset(lex.words("gist.dangling")),
        joins=frozenset(lex.words("gist.joins")),
        quotes=(lex.setting("gist.quote_open"), lex.setting("gist.quote_close")),
    )


def _words(lex: Lexicon | None) -> _Words:
    return (lex or Lexicon.load()).memo("gist", _compile)


_WORDS = re.compile(r"[\w'’]+|[^\w\s'’]+|\s+")


def first_clause(text: str, lex: Lexicon | None = None) -> str:
    """The answer's first clause of three words or more ("Promotion. I want to lead" -> "I want to lead"),
    or all of it if it has none."""
    lex = lex or Lexicon.load()
    flat = " ".join(text.split("\n")[0].split()) if text.strip() else ""
    if lex.folds:  # matched without accents, cut from the text as typed
        flat = unicodedata.normalize("NFC", flat)
    start = 0
    for m in [*_words(lex).clause_end.finditer(lex.fold(flat)), None]:
        clause = flat[start:m.start() if m else len(flat)].strip(" ,")
        if len(clause.split()) >= 3:
            return clause
        start = m.end() if m else start
    return flat.strip(" ,")


def _shorten(text: str, lex: Lexicon) -> str:
    w = _words(lex)
    words = text.split()
    if len(words) <= MAX_WORDS:
        return text.rstrip(" .,;:!")
    joins = [i for i, word in enumerate(words[:MAX_WORDS + 1]) if i >= 4 and lex.key(word) in w.joins]
    kept = words[:joins[-1]] if joins else words[:MAX_WORDS]  # "catching up and run out of time" -> "catching up"
    while len(kept) > 3 and lex.key(kept[-1]).strip(",;:") in w.dangling:
        kept.pop()
    return " ".join(kept).rstrip(" .,;:!") + ("" if joins else "…")


def _turned(text: str, lex: Lexicon) -> str:
    w = _words(lex)
    out: list[str] = []
    previous = ""
    for token in _WORDS.findall(text):
        key = lex.key(token).replace("’", "'")
        if key in w.turned:
            word = w.turned[key]
            token = word if "’" not in token else word.replace("'", "’")
        elif key in w.turned_after and previous == w.after_word:
            token = w.turned_after[key]
        if token.strip():
            previous = key
        out.append(token)
    return "".join(out)


def gist(text: str, lex: Lexicon | None = None) -> str:
    """The key words of `text` as the coach says them back (see the module's docstring), read with the
    lexicon of its language (`None`: English): a language whose lexicon turns no first person round
    always quotes the user's words."""
    lex = lex or Lexicon.load()
    clause = _shorten(first_clause(text, lex), lex)
    if not clause:
        return ""
    w = _words(lex)
    if w.turned and w.first_person.match(lex.fold(clause)):
        return _turned(clause, lex)
    return f"{w.quotes[0]}{clause}{w.quotes[1]}"
