"""What the linter reports: located diagnostics (errors and warnings) and where they are collected."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from coach.content.yamlsource import PathKey, SourceError, YamlDoc

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at `file:line:col` (line 0: the file as a whole, e.g. it does not exist)."""

    file: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        return f"{where}: {'warning: ' if self.severity == 'warning' else ''}{self.message}"

    @classmethod
    def of(cls, e: SourceError, severity: Severity = "error") -> Diagnostic:
        return cls(e.file, e.line, e.col, e.message, severity)


@dataclass
class Sink:
    """Collects diagnostics; `at` locates one at a node of a YAML document."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, d: Diagnostic) -> None:
        self.items.append(d)

    def at(self, doc: YamlDoc, path: PathKey, message: str, *, warning: bool = False, at_key: bool = False) -> None:
        line, col = doc.key_loc(path) if at_key else doc.loc(path)
        self.items.append(Diagnostic(doc.file, line, col, message, "warning" if warning else "error"))

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.file, d.line, d.col, d.severity, d.message))


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for a close known name, else ``; when the two differ by look-alike
    letters (a Cyrillic о for an o), it says which, since they would look identical."""
    close = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=0.75)
    if not close:
        return ""
    return f" (did you mean {close[0]!r}?{lookalike(name, close[0])})"


def code_points(chars: list[str], most: int = 3) -> str:
    """`U+043E CYRILLIC SMALL LETTER O, ...` for each of `chars` (the first `most`)."""
    shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'an unnamed character')}" for c in chars[:most])
    return shown + (f" and {len(chars) - most} more" if len(chars) > most else "")


def lookalike(a: str, b: str) -> str:
    """` 'x' contains U+043E CYRILLIC SMALL LETTER O` when `a` and `b` differ by non-ASCII letters."""
    notes = []
    for one, other in ((a, b), (b, a)):
        odd = [c for c in dict.fromkeys(one) if not c.isascii() and c not in other]
        if odd:
            notes.append(f"{one!r} contains {code_points(odd)}")
    return f" They differ by look-alike letters: {'; '.join(notes)}; ids must be ASCII" if notes else ""


def close_to(name: str, known: Iterable[str]) -> bool:
    return bool(did_you_mean(name, known))
