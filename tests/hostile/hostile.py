"""Hostile input for the tests: a seeded generator of what people type, paste or a broken terminal
sends, and the checks that what comes out of coach holds nothing a terminal or viewer would obey.

The parrot flow (flows/parrot.yaml) hands every answer back: in its summary, in a Markdown report
and in a plain-text note, with both names."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from coach.app.memory import MemoryRepository
from coach.app.service import CoachService
from coach.content.library import FlowLibrary

FLOWS = Path(__file__).parent / "flows"
TODAY = date(2026, 11, 27)
# The answers that take the parrot flow to its end: note, items, pick, when, confirm, keep drafts.
PARROT_PATH = ["a note", "x; y", "1", "tomorrow", "yes", "keep"]

# Pieces of hostile text, each a category the issue names.
ESCAPES = [
    "\x1b[2J", "\x1b[H\x1b[2J\x1b[3J", "\x1b]52;c;aGVsbG8=\x07", "\x1b]52;c;aGVsbG8=\x1b\\", "\x1b]0;pwned\x07",
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "\x1b[31mred\x1b[0m", "\x1bP+q544e\x1b\\", "\x1b[6n",
    "\x1b[?1049h", "\x1bc", "\x9b2J", "\x9d52;c;eA==\x9c", "\x90q\x9c", "\x07", "\x08\x08\x08", "\r", "\r\n",
    "abc\rxyz", "\x00", "\x7f", "\x85", "\x0b\x0c", "\x1b", "\x1b[", "\x1b]",
]
SURROGATES = ["\udcff", "\udc80\udcc3", "\ud800", "\udfff", "\ud83d\ude00", "a\udce9b", "\udbff\udfff"]
UNICODE = [
    "\u202e", "\u202eevil\u202c", "\u2066x\u2069", "\u200b", "\u200d", "\ufeff", "\u2028", "\u2029", "\u00a0",
    "👩🏽‍💻", "🧑‍🤝‍🧑", "🏳️‍🌈", "e\u0301\u0301\u0301", "Z̸̡̛̖͚̈́a̶l̵g̷o̴", "ﷺ", "𒐫", "\U000e0041", "\uffff", "\U0010ffff",
    "١٢٣", "²", "½", "Ⅻ",
]
MARKUP = [
    "[bold]b[/bold]", "[/]", "[link=https://x]x[/link]", "[red on blue]", "[@click=app.quit]q[/]", "**b**", "_i_",
    "`code`", "```\nfence\n```", "# head", "> quote", "- item", "1. item", "    indented code", "\tindented",
    "www.example.com", "https://example.com/a?b=1", "mailto:a@b.c", "a@b.com", "<https://x.y>", "&lt;b&gt;",
    "&amp;", "&#x1b;[2J", "&#27;", "<b>bold</b>", "<script>alert(1)</script>", "<!-- c -->", "| a | b |\n|---|---|",
    "[x](javascript:alert(1))", "![i](http://x/i.png)", "[ref]: http://x", "\\", "\\*", "===", "---", "~~s~~",
    "$note ${x} $$", "%s %(x)s {0} {x}", "{{ x }}", "<%= x %>",
]
COMMANDS = ["/back", "/skip", "/help", "/why", "/summary", "/pause", "/nope", "/", "//back", " /back ", "/BACK"]
WORDS = ["yes", "no", "1", "2", "keep", "tomorrow", "next friday", "idk", "tbh", "lol", "red", "a; b; c", "0", "-1"]
PIECES = [ESCAPES, SURROGATES, UNICODE, MARKUP, WORDS]

# What must never come out: C0 (but tab and line feed), DEL, C1, a lone surrogate.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def hostile_inputs(count: int, seed: int = 11, *, huge_every: int = 250) -> Iterator[str]:
    """`count` hostile answers, the same for the same seed: one to five pieces of any category
    glued with words, sometimes random code points, now and then a command or a huge paste."""
    rng = random.Random(seed)
    for n in range(count):
        roll = rng.random()
        if huge_every and n % huge_every == huge_every - 1:
            piece = rng.choice(rng.choice(PIECES))
            yield (piece + " " + rng.choice(WORDS) + " ") * rng.randint(2_000, 20_000)
        elif roll < 0.08:
            yield rng.choice(COMMANDS)
        elif roll < 0.2:
            yield "".join(chr(rng.choice([rng.randint(0, 0x3000), rng.randint(0, 0x10FFFF)]))
                          for _ in range(rng.randint(1, 40)))
        else:
            parts = [rng.choice(rng.choice(PIECES)) for _ in range(rng.randint(1, 5))]
            if rng.random() < 0.3:
                parts.insert(rng.randrange(len(parts) + 1), rng.choice(COMMANDS))
            yield rng.choice([" ", "", "\n", "; "]).join(parts)


def raw_controls(text: str) -> list[str]:
    """The characters in `text` that a terminal or viewer would obey (empty: none)."""
    return RAW_CONTROL.findall(text)


def parrot_library() -> FlowLibrary:
    lib = FlowLibrary.load([FLOWS])
    assert not [e for e in lib.errors if "parrot" in str(e)], lib.errors
    return lib


def parrot_service(library: FlowLibrary | None = None) -> CoachService:
    return CoachService(library or parrot_library(), MemoryRepository(), today=lambda: TODAY)
