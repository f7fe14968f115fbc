"""The gist of an answer, for the coach to reflect back (`$slot__gist`): its key words, not the whole answer.

A coach who listened says back the point, in a few words, from where they sit: "I sent the draft to
two people, and one replied with notes. The other didn't." is reflected as "you sent the draft to
two people". So the gist is the answer's first clause (up to a sentence end, a semicolon, a dash,
", but", ", and", "because"...), at most `MAX_WORDS` words: a longer one ends before its last "and",
"or", "which"... in reach, or else at a word, marked "…". An answer
the user says about themselves ("I ...", "my ...", "we ...") is turned round to the coach's voice
and not quoted (it is no longer the user's words); any other answer keeps the user's own words,
in quotes: “pair with Dana on the retro”.
"""

from __future__ import annotations

import re

MAX_WORDS = 16

# Where a statement's first clause ends (the gist goes no further).
_CLAUSE_END = re.compile(
    r"[.!?](?=\s|$)|;|\n|\s[—–-]\s|,\s+(?:and|but|so|because|although|though|since|which|while|as)\b"
    r"|\s(?:because|but|although|though)\s", re.IGNORECASE)
# The first person, from the coach's side (a whole word, any case); "am"/"was" only right after "I".
_TURNED = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're",
           "im": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "we": "you", "us": "you",
           "our": "your", "ours": "yours", "ourselves": "yourselves", "we're": "you're", "we've": "you've",
           "we'd": "you'd", "we'll": "you'll"}
_AFTER_I = {"am": "are", "was": "were"}
_FIRST_PERSON = re.compile(r"^(?:i|i'm|im|i've|i'd|i'll|my|we|we're|we've|we'd|we'll|our)\b", re.IGNORECASE)
_WORDS = re.compile(r"[\w'’]+|[^\w\s'’]+|\s+")
# Words a cut phrase should not end on ("pair with Dana on the" -> "pair with Dana").
_DANGLING = frozenset({"a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "with", "and", "or", "but",
                       "so", "then", "also", "if", "when", "who", "where", "my", "our", "your", "that", "which",
                       "from", "is", "are", "be", "as", "than"})


# Where a long clause can end without losing its point.
_JOINS = frozenset({"and", "or", "so", "then", "which", "who", "while", "when", "whereas", "until"})


def first_clause(text: str) -> str:
    """The answer's first clause of three words or more ("Promotion. I want to lead" -> "I want to lead"),
    or all of it if it has none."""
    flat = " ".join(text.split("\n")[0].split()) if text.strip() else ""
    start = 0
    for m in [*_CLAUSE_END.finditer(flat), None]:
        clause = flat[start:m.start() if m else len(flat)].strip(" ,")
        if len(clause.split()) >= 3:
            return clause
        start = m.end() if m else start
    return flat.strip(" ,")


def _shorten(text: str) -> str:
    words = text.split()
    if len(words) <= MAX_WORDS:
        return text.rstrip(" .,;:!")
    joins = [i for i, w in enumerate(words[:MAX_WORDS + 1]) if i >= 4 and w.casefold() in _JOINS]
    kept = words[:joins[-1]] if joins else words[:MAX_WORDS]  # "catching up and run out of time" -> "catching up"
    while len(kept) > 3 and kept[-1].casefold().strip(",;:") in _DANGLING:
        kept.pop()
    return " ".join(kept).rstrip(" .,;:!") + ("" if joins else "…")


def _turned(text: str) -> str:
    out: list[str] = []
    previous = ""
    for token in _WORDS.findall(text):
        key = token.casefold().replace("’", "'")
        if key in _TURNED:
            word = _TURNED[key]
            token = word if "’" not in token else word.replace("'", "’")
        elif key in _AFTER_I and previous == "i":
            token = _AFTER_I[key]
        if token.strip():
            previous = key
        out.append(token)
    return "".join(out)


def gist(text: str) -> str:
    """The key words of `text` as the coach says them back (see the module's docstring)."""
    clause = _shorten(first_clause(text))
    if not clause:
        return ""
    if _FIRST_PERSON.match(clause):
        return _turned(clause)
    return f"“{clause}”"
