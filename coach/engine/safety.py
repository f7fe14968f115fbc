"""Crisis detection: when someone writes about self-harm or being in danger, coaching stops and
the bot points them to people who can help.  Deliberately simple and conservative: the words are
the conversation's language's (`lexicon/<locale>/safety.yaml`), and English's are always read too."""

from __future__ import annotations

import re

from coach.content.lexicon import Lexicon


def _compile(lex: Lexicon) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{lex.regex('safety.crisis_re')})\b", re.IGNORECASE)


def in_crisis(text: str, lex: Lexicon | None = None) -> bool:
    english = Lexicon.load()
    t = text[:20_000]
    readers = dict.fromkeys((lex or english, english))
    return any(one.memo("safety", _compile).search(one.fold(t)) is not None for one in readers)
