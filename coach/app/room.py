"""What a workshop room's facilitator may learn from a participant: where they are and what kind of
thing they just did, never what they typed (see `coach serve --facilitator`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EventKind = Literal["start", "answer", "skip", "back", "why", "help", "give_up", "done"]
COMMANDS: dict[str, EventKind] = {"/skip": "skip", "/back": "back", "/why": "why", "/help": "help"}


@dataclass(frozen=True)
class RoomEvent:
    """One input of a participant: the stage (flow id), the step it was given at (a flow's step id,
    not content) and its kind."""

    stage: str
    step: str | None
    kind: EventKind


def kind_of(text: str) -> EventKind:
    """The kind of a typed line: one of the room's commands, else an answer. The text itself goes
    no further than this function."""
    words = text.strip().split()
    return COMMANDS.get(words[0].casefold(), "answer") if words else "answer"
