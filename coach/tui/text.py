"""Making any text safe to show on a terminal, without changing what is stored."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 controls (which some terminals obey).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _picture(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def displayable(text: str) -> str:
    """`text` with line endings normalised, tabs expanded, and control characters (ANSI escape
    sequences included) replaced by visible symbols, so nothing typed can drive the terminal.
    Markup-looking text such as ``[bold]`` is left as it is: it is shown, never interpreted."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(_picture, text)


def one_line(text: str, width: int = 60) -> str:
    """A short single-line version of `text` for lists and titles."""
    flat = " ".join(displayable(text).split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
