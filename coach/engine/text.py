"""Text helpers shared by the engine and its clients: user text made literal for Markdown, bot
texts for plain terminals, and telling a typed `/command` from an answer."""

from __future__ import annotations

import re

COMMANDS = ("back", "skip", "help", "why", "summary", "pause")
"""What a user may type as `/name` in any conversation."""

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\s*(?:\d+(?=[.)]))?)([.)#>+=-])", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def md_escape(text: str) -> str:
    """User text made literal for Markdown: inline markers escaped, and line starts that would
    become headings, quotes or list items."""
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\1\\\2", text)


def md_bullets(text: str) -> str:
    """A `- item` list of user text, each item made literal."""
    return "\n".join(f"- {md_escape(line[2:])}" if line.startswith("- ") else md_escape(line)
                     for line in text.splitlines())


def strip_emphasis(template: str) -> str:
    """A bot text for plain terminals: Markdown bold/italic markers removed (before values go in)."""
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3), template)


def commands_text() -> str:
    return ", ".join(f"/{c}" for c in COMMANDS)


def parse_command(text: str) -> tuple[str, bool] | None:
    """`/name` typed alone is a command: (name, unknown?). Anything else is an answer."""
    m = re.fullmatch(r"/([A-Za-z]+)", text.strip())
    if not m:
        return None
    name = m.group(1).lower()
    return name, name not in COMMANDS
