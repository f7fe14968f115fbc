"""Text helpers shared by the engine and its clients: user text made literal for Markdown, bot
texts for plain terminals, and telling a typed `/command` from an answer."""

from __future__ import annotations

import re

COMMANDS = ("back", "skip", "help", "why", "summary", "pause")
"""What a user may type as `/name` in any conversation."""

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&@])")  # & keeps "&lt;" as typed, @ keeps an e-mail address unlinked
_MD_LINE_START = re.compile(r"^(\s*(?:\d+(?=[.)]))?)([.)#>+=-])", re.MULTILINE)
# What an autolinking viewer (GitHub's "www." and "scheme://", linkify's bare "example.com") would
# turn into a link: a dot inside a word, a colon before "//".
_MD_AUTOLINK = re.compile(r"(?<=\w)(\.(?=\w)|:(?=//))")
# A line's indentation: four spaces or a tab make a code block, fewer may nest it in a list.
_MD_INDENT = re.compile(r"^[ \t]+(?=\S)", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def md_escape(text: str) -> str:
    """User text made literal for Markdown: inline markers and entities escaped, line starts that
    would become headings, quotes or list items, what a viewer would autolink ("www.x.org",
    "https://", "example.com", an e-mail address), and indentation that would make a code block (kept as
    no-break spaces)."""
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_AUTOLINK.sub(r"\\\1", text)
    text = _MD_INDENT.sub(lambda m: m.group(0).replace("\t", "    ").replace(" ", "\u00a0"), text)
    return _MD_LINE_START.sub(r"\1\\\2", text)


# A line's first word, after a list mark or a heading mark ("- ", "## "); not after a bold label, where
# a template may go on in lower case ("**Review:** on Thursday ...").
_LINE_START = re.compile(r"^(\s*(?:[-*] |\d+\. |#+ |> )?)([a-z])(?=[a-z']*(?:[\s,;.!?]|$))", re.MULTILINE)


_LOWER_I = re.compile(r"(?<![\w'’\\.-])i(?=(?:['’](?:m|ll|d|ve)\b)|[\s,;!?]|\.(?!\w)|$)")


# Days and months as a person writes them in a letter ("may", which is mostly a verb, stays as typed).
_CALENDAR_WORDS = re.compile(
    r"(?<![\w\\-])(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|"
    r"july|august|september|october|november|december)(?=['’]s\b|[\s,;.!?)]|$)")


def capitalise_lines(text: str) -> str:
    """Each line and list item of a document starts with a capital letter, "i" is "I" and days and
    months have their capitals, as a person would write it ("- run my first retro" -> "- Run my first
    retro"); words like "iPhone", e-mail addresses and links are left as they are."""
    text = _LINE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return _CALENDAR_WORDS.sub(lambda m: m.group(1).capitalize(), _LOWER_I.sub("I", text))


def lines_joined(text: str) -> str:
    """A multi-line answer on one line: its non-empty lines, stripped, joined by " / "."""
    return " / ".join(line.strip() for line in text.splitlines() if line.strip())


_MD_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def md_unescape(text: str) -> str:
    """Markdown for reading as plain text: the escapes that keep the user's words literal taken out."""
    return _MD_ESCAPED.sub(r"\1", text)


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
