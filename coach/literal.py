"""User text kept literal wherever it leaves coach: on a terminal, in a document, in JSON.

Whatever a person types or pastes (escape sequences, C1 controls, a lone surrogate from a
terminal that sent invalid UTF-8, NUL) is stored as it is, and made harmless only at the way out,
always by the functions here:

* :func:`visible` for text shown on a terminal or written into a document: every character that
  could drive a terminal or a viewer is replaced by a visible picture of it, so ``ESC [ 2 J``
  shows as ``␛[2J``, an OSC 52 clipboard write as ``␛]52;c;...␇``, the C1 CSI U+009B as ``␛[``
  and a carriage return as ``␍``; line breaks and tabs are kept, a lone surrogate shows as U+FFFD;
* :func:`visible_chars` for an editing field: the same, character for character;
* :func:`json_text` for JSON that people and other tools read (exports, transcripts): the same
  characters (and lone surrogates) written as ``\\uXXXX`` escapes, which read back as the text;
* :func:`json_bytes` for coach's own data files: compact JSON that reads back as exactly the same
  value for any ``str`` whatsoever (see its docstring for surrogates).

This module imports nothing from coach: every layer may use it.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

# C0 controls but tab and line feed, DEL, the C1 controls, and surrogates (never printable alone).
_UNSAFE = re.compile(r"\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Characters a terminal or a viewer may obey: C0 (but tab and line feed), DEL and C1."""


def _picture(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch == "\r\n":
        return "\n"
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC shows as ␛, CR as ␍
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return "\u241b" + chr(code - 0x40)  # a C1 control as its 7-bit form: CSI U+009B shows as ␛[
    return "\ufffd"  # a lone surrogate


def visible(text: str) -> str:
    """`text` with nothing left that a terminal or a document viewer would obey: C0 controls
    (but tab and line feed), DEL and C1 controls replaced by visible pictures, a CR LF pair read
    as a line break, a lone surrogate as U+FFFD. Everything else (markup-looking text, emoji,
    right-to-left text) is left as it is: it is shown, never interpreted."""
    return _UNSAFE.sub(_picture, text)


_ONE_FOR_ONE = {code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A)}
_ONE_FOR_ONE |= {0x7F: 0x2421} | dict.fromkeys(range(0x80, 0xA0), 0x241B) | dict.fromkeys(range(0xD800, 0xE000), 0xFFFD)


def visible_chars(text: str) -> str:
    """Like :func:`visible`, one character for each character (so an editing field's cursor
    positions still fit): a C1 control shows as ␛, a carriage return as ␍ even before a line feed."""
    return text.translate(_ONE_FOR_ONE)


class VisibleStream:
    """A text stream for a terminal that shows everything written to it with :func:`visible`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


# What JSON may hold raw but is better escaped: DEL and C1 controls, the line and paragraph
# separators (line breaks to some editors and to older JavaScript), the bidirectional overrides
# and isolates (they reorder what is shown around them) and surrogates.
_JSON_ESCAPED = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# The same, except that a high surrogate directly followed by a low one is kept as the pair it
# is: escaped, JSON would read the two back as the one character they encode in UTF-16.
_JSON_ESCAPED_NOT_PAIRS = re.compile(
    r"[\ud800-\udbff][\udc00-\udfff]|[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    found = match.group(0)
    return found if len(found) == 2 else f"\\u{ord(found):04x}"


def json_text(value: Any, *, indent: int | None = None, default: Any = None) -> str:
    """`value` as JSON that is safe to open anywhere: non-ASCII text kept readable, but no raw
    control character, line separator, bidirectional override or surrogate (they are escaped, so
    the JSON still reads back as the same text; two surrogates in a row read back as the
    character they encode). Encodes as UTF-8 without errors."""
    dumped = json.dumps(value, ensure_ascii=False, indent=indent, default=default)
    return _JSON_ESCAPED.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


def json_bytes(value: Any) -> bytes:
    """`value` as compact JSON in UTF-8 that ``json.loads`` reads back as exactly the same value,
    whatever its strings hold. Lone surrogates (what a terminal's invalid UTF-8 becomes under
    ``surrogateescape``) are written as ``\\uXXXX`` escapes, so the bytes stay valid UTF-8. Only a
    high surrogate directly followed by a low one as two code points, which no decoder produces,
    is written as the pair of encoded surrogates (``surrogatepass``): escaped, it would read back as
    the one character it encodes. Readers decode with ``surrogatepass`` (``json.loads`` on bytes does)."""
    dumped = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_ESCAPED_NOT_PAIRS.sub(_escape, dumped).encode("utf-8", "surrogatepass")
