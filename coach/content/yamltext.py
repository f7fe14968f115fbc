"""The text of a data file before YAML reads it: characters YAML and editors disagree on.

Positions are the ones an editor shows: only `\\n`, `\\r\\n` and `\\r` end a line (YAML 1.1, which
PyYAML reads, also breaks lines at NEL, U+2028 and U+2029; editors do not), columns count characters.

    text, problems = screen(text)   # or a fatal TextProblem for characters no YAML file may hold

`screen` replaces each NEL, U+2028 and U+2029 by a space (so every later position is an editor's)
and reports the first of each with how many there are; `indent_spaces` finds lines indented with a
non-breaking (or other non-ASCII) space, which YAML takes for text, not indentation.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Final, NamedTuple

Loc = tuple[int, int]  # 1-based line, column


class TextProblem(NamedTuple):
    line: int
    col: int
    message: str

# Characters YAML does not allow anywhere (the YAML 1.1 printable set, which also lets NEL through).
_NOT_PRINTABLE: Final = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAKS: Final = re.compile("[\x85\u2028\u2029]")
_LINE_END: Final = re.compile(r"\r\n|\r|\n")
# A line whose leading white space holds a space YAML does not take for indentation.
_ODD_SPACE: Final = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff"
_ODD_INDENT: Final = re.compile(f"^[ \\t{_ODD_SPACE}]*?([{_ODD_SPACE}])[ \\t{_ODD_SPACE}]*", re.MULTILINE)

_NAMES: Final = {
    0x00: "a NUL byte (U+0000)",
    0x1B: "an escape character (U+001B, ESC)",
    0x7F: "a delete character (U+007F, DEL)",
    0x85: "a NEXT LINE character (U+0085, NEL)",
    0x2028: "a LINE SEPARATOR (U+2028)",
    0x2029: "a PARAGRAPH SEPARATOR (U+2029)",
    0xA0: "a non-breaking space (U+00A0)",
    0xFEFF: "a zero-width no-break space (U+FEFF)",
}


def char_name(c: str) -> str:
    """`a NUL byte (U+0000)`, `a control character (U+0007)`, `an IDEOGRAPHIC SPACE (U+3000)`."""
    cp = ord(c)
    if cp in _NAMES:
        return _NAMES[cp]
    if 0xD800 <= cp <= 0xDFFF:
        return f"a lone surrogate (U+{cp:04X})"
    name = unicodedata.name(c, "")
    if not name or unicodedata.category(c) == "Cc":
        return f"a control character (U+{cp:04X})"
    return f"{'an' if name[0] in 'AEIOU' else 'a'} {name} (U+{cp:04X})"


@dataclass(frozen=True)
class Lines:
    """Editor positions of a text: character index -> 1-based (line, column)."""

    starts: list[int]

    @classmethod
    def of(cls, text: str) -> Lines:
        return cls([0, *(m.end() for m in _LINE_END.finditer(text))])

    def loc(self, index: int) -> Loc:
        i = bisect.bisect_right(self.starts, index) - 1
        return i + 1, index - self.starts[i] + 1


def _more(n: int, what: str = "in this file") -> str:
    return f" (and {n} more {what})" if n else ""


def not_printable(text: str) -> TextProblem | None:
    """The first character no YAML file may hold (a NUL, a control character), with a count."""
    bad = _NOT_PRINTABLE.search(text)
    if not bad:
        return None
    others = len(_NOT_PRINTABLE.findall(text, bad.end()))
    line, col = Lines.of(text).loc(bad.start())
    hint = " (is this a text file?)" if bad.group() == "\x00" else ""
    return TextProblem(line, col, f"{char_name(bad.group())} is not allowed in a YAML file{_more(others)}; "
                                  f"remove it{hint}")


def screen(text: str) -> tuple[str, list[TextProblem]]:
    """`text` with NEL/U+2028/U+2029 made spaces, and a problem for the first of each (with a count)."""
    errors: list[TextProblem] = []
    if not _BREAKS.search(text):
        return text, errors
    lines = Lines.of(text)
    for c in "\x85\u2028\u2029":
        first = text.find(c)
        if first < 0:
            continue
        line, col = lines.loc(first)
        errors.append(TextProblem(line, col, f"{char_name(c)}: YAML reads it as a line break but editors do not"
                                             f"{_more(text.count(c) - 1)}; remove it or start a new line"))
    return _BREAKS.sub(" ", text), errors


@dataclass(frozen=True)
class OddIndent:
    """A line whose indentation holds a non-ASCII space: where, which, and the ASCII-only line."""

    line: int
    col: int
    char: str
    start: int  # index of the leading white space in the text
    end: int


def odd_indents(text: str) -> list[OddIndent]:
    """Lines indented with a non-breaking (or other non-ASCII) space, first to last."""
    if not any(c in text for c in "\u00a0\u1680\u202f\u205f\u3000\ufeff") and not re.search("[\u2000-\u200a]", text):
        return []
    lines = Lines.of(text)
    out = []
    for m in _ODD_INDENT.finditer(text):
        line, col = lines.loc(m.start(1))
        out.append(OddIndent(line, col, m.group(1), m.start(), m.end()))
    return out


def as_spaces(text: str, indents: list[OddIndent]) -> str:
    """`text` with the indentation of these lines made of ASCII spaces (same length)."""
    parts, at = [], 0
    for o in indents:
        parts += [text[at:o.start], re.sub(f"[{_ODD_SPACE}]", " ", text[o.start:o.end])]
        at = o.end
    return "".join([*parts, text[at:]])


def indent_problem(indents: list[OddIndent]) -> TextProblem:
    """One problem for all the lines: at the first, naming the others."""
    first, rest = indents[0], [str(o.line) for o in indents[1:]]
    also = ""
    if rest:
        also = f" (also on line{'s' if len(rest) > 1 else ''} {', '.join(rest[:5])}{', ...' if len(rest) > 5 else ''})"
    return TextProblem(first.line, first.col, f"{char_name(first.char)} is used for indentation{also}; "
                                              "use ordinary spaces")
