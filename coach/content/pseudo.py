"""The pseudo-locale `qps-ploc`: English made to look foreign and about 40% longer, so that a screen
shows at a glance which texts are not translatable (they stay plain English) and where a longer
language would be cut off. `coach --lang qps-ploc`; the TUI tests render it at 80x24.

Placeholders (`$name`, `${name}`), commands (`/help`), Markdown marks and line breaks are kept, so
every text still works."""

from __future__ import annotations

import re

PSEUDO = "qps-ploc"

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀßÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# kept as written: placeholders, commands and option words, URLs, Markdown/HTML marks
_KEEP = re.compile(r"\$\{?\w+\}?|\$\$|(?<![\w/])/\w+|--?\w[\w-]*|https?://\S+|<!--.*?-->|\*\*|`[^`]*`")
EXPANSION = 0.4


def pseudo(text: str) -> str:
    """'Thanks, $name.' -> '⟦Ŧĥàñķš, $name. ·····⟧' (each line of it, blank lines kept)."""
    return "\n".join(_line(line) for line in text.split("\n"))


def _line(line: str) -> str:
    if not line.strip():
        return line
    out, last = [], 0
    for m in _KEEP.finditer(line):
        out.append(line[last:m.start()].translate(_ACCENTED))
        out.append(m.group())
        last = m.end()
    out.append(line[last:].translate(_ACCENTED))
    body = "".join(out)
    indent = len(body) - len(body.lstrip())
    pad = "·" * max(1, round(len(line.strip()) * EXPANSION) - 2)
    return f"{body[:indent]}⟦{body[indent:]} {pad}⟧"
