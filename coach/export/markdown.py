"""An artifact as a Markdown file."""

from __future__ import annotations

from coach.models import Artifact


def markdown_document(artifact: Artifact) -> str:
    """The artifact's Markdown as written by its stage (user text already escaped there), with
    exactly one final newline and no trailing spaces."""
    lines = [line.rstrip() for line in artifact.markdown.strip("\n").splitlines()]
    return "\n".join(lines) + "\n"
