"""The words the writers put into files, in the reader's language: coach.export never reads a text
itself. The caller (coach.app.documents) passes `Words`: `say(key, **values)` renders the key of
`prompts/<locale>/export.yaml` (e.g. `calendar.summary.pair`), and `stand_ins` are the names a
conversation uses where no relationship gives one ("you", "your mentor", in every language), which
are not people's names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


class Say(Protocol):
    def __call__(self, key: str, /, **values: object) -> str: ...


@dataclass(frozen=True)
class Words:
    say: Say
    stand_ins: frozenset[str] = field(default_factory=frozenset)  # casefolded

    @classmethod
    def of(cls, say: Say, stand_ins: Iterable[str] = ()) -> Words:
        return cls(say, frozenset(name.strip().casefold() for name in stand_ins))

    def stands_in(self, name: str) -> bool:
        """Whether `name` is a conversation's stand-in ("you"), not a person's name."""
        return name.strip().casefold() in self.stand_ins
