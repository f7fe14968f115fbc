"""Crisis detection: when someone writes about self-harm or being in danger, coaching stops and
the bot points them to people who can help.  Deliberately simple and conservative."""

from __future__ import annotations

import re

_CRISIS = re.compile(
    r"\b(kill(ing)? myself|end(ing)? my life|suicid(e|al)|self[- ]harm|hurt(ing)? myself|"
    r"want to die|don'?t want to (live|be alive)|no reason to live|take my (own )?life|"
    r"(someone|somebody|he|she|they) (is|are) (hurting|abusing) me|i('m| am) in danger)\b",
    re.IGNORECASE,
)


def in_crisis(text: str) -> bool:
    return _CRISIS.search(text[:20_000]) is not None
