"""The persona at the keyboard: thinks, types its next answer a few characters at a time, sends it.

Pure logic, no textual: the demo app calls :meth:`Typist.tick` on a timer while it plays and the
chat waits for an answer, and applies what comes back (show a note, show the text typed so far,
send the answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coach.tui.demo.personas import Persona, PersonaAnswer

DEFAULT_SPEED = 25.0  # characters per second: a calm, readable typing pace
SEND_BEAT = 0.5  # seconds the typed answer stays visible before it is sent (at DEFAULT_SPEED)


@dataclass(frozen=True)
class Thinking:
    """The persona starts on answer `index` (show its note)."""

    index: int
    answer: PersonaAnswer


@dataclass(frozen=True)
class Typed:
    """The first characters of the answer, as typed so far."""

    text: str


@dataclass(frozen=True)
class Send:
    """The whole answer is typed: send it."""

    index: int
    text: str


Event = Thinking | Typed | Send
Phase = Literal["idle", "thinking", "typing", "typed"]


class Typist:
    def __init__(self, persona: Persona, speed: float = DEFAULT_SPEED) -> None:
        if speed <= 0:
            raise ValueError(f"speed={speed!r}")  # `coach demo --speed` accepts only positive ones
        self.persona = persona
        self.chars_per_second = speed * persona.typing.speed
        self.scale = DEFAULT_SPEED / speed  # pauses shrink as the speed grows
        self.index = 0
        self.phase: Phase = "idle"
        self.typed = 0
        self._wait = 0.0
        self._time = 0.0

    @property
    def total(self) -> int:
        return len(self.persona.answers)

    @property
    def exhausted(self) -> bool:
        return self.index >= self.total

    @property
    def current(self) -> PersonaAnswer | None:
        return None if self.exhausted else self.persona.answers[self.index]

    def restart_answer(self) -> None:
        """Forget what was typed of the current answer (it will be thought about and typed again)."""
        self.phase = "idle"
        self.typed = 0
        self._time = 0.0

    def tick(self, dt: float, *, think: bool = True) -> Event | None:
        """Let `dt` more seconds pass; returns the next thing that happened by then, if any (call
        again with dt=0 for the following one). `think=False` skips the pause before typing
        (stepping one answer at a time)."""
        answer = self.current
        if answer is None:
            return None
        self._time += dt
        if self.phase == "idle":
            self.phase = "thinking"
            self._wait = self.persona.think(self.index) * self.scale if think else 0.0
            return Thinking(self.index, answer)
        if self.phase == "thinking":
            if think and self._time < self._wait:
                return None
            self._time = max(0.0, self._time - self._wait) if think else 0.0
            self.phase = "typing"
            self.typed = 0
        if self.phase == "typing":
            left = len(answer.text) - self.typed
            step = min(left, int(self._time * self.chars_per_second))
            if step == 0:
                return None
            self._time -= step / self.chars_per_second
            self.typed += step
            if self.typed >= len(answer.text):
                self.phase = "typed"
                self._wait = SEND_BEAT * self.scale
            return Typed(answer.text[: self.typed])
        # typed: a short beat, then send
        if self._time < self._wait:
            return None
        sent = Send(self.index, answer.text)
        self.index += 1
        self.restart_answer()
        return sent
