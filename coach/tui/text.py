"""Making any text safe to show on a terminal, without changing what is stored."""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text

from coach.literal import visible, visible_chars


def displayable(text: str) -> str:
    """`text` with line endings normalised, tabs expanded, and control characters (ANSI escape
    sequences included) replaced by visible symbols (see :func:`coach.literal.visible`), so
    nothing typed can drive the terminal. Markup-looking text such as ``[bold]`` is left as it
    is: it is shown, never interpreted."""
    return visible(text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4))


def one_line(text: str, width: int = 60) -> str:
    """A short single-line version of `text` for lists and titles."""
    flat = " ".join(displayable(text).split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


class LiteralHighlighter(Highlighter):
    """For an Input: what is typed or pasted is kept as it is in the value (and so stored), but
    drawn with its control characters as visible pictures, one for one, so a pasted escape
    sequence never reaches the terminal."""

    def __call__(self, text: str | Text) -> Text:
        shown = text.copy() if isinstance(text, Text) else Text(text)
        shown.plain = visible_chars(shown.plain)
        return shown

    def highlight(self, text: Text) -> None:
        """No styles added."""
