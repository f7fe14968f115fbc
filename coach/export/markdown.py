"""An artifact as a Markdown file."""

from __future__ import annotations

from coach.literal import visible
from coach.models import Artifact


def markdown_document(artifact: Artifact) -> str:
    """The artifact's Markdown as written by its stage (user text already escaped there), with
    exactly one final newline and no trailing spaces, and no control character a viewer or a
    terminal (`cat`) would obey: those show as pictures (ESC as ␛, see coach.literal.visible)."""
    lines = [line.rstrip() for line in visible(artifact.markdown).strip("\n").split("\n")]
    return "\n".join(lines) + "\n"
