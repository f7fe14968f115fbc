"""What the linter reports: located diagnostics (errors and warnings) and where they are collected."""

from __future__ import annotations

import difflib
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
    """` (did you mean 'x'?)` for a close known name, else ``."""
    close = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def close_to(name: str, known: Iterable[str]) -> bool:
    return bool(did_you_mean(name, known))
