"""Picking a numbered answer with the digit keys, also past 9 (option 12, a scale from 0 to 10).

A number is taken as soon as no other one starts with the digits typed ("12" of 12 options,
"3" of 12); one that begins a longer number ("1" of 12 options) waits a moment for the next
digit, and is taken after PAUSE seconds, on Enter (the picker calls `flush`), or when the next
digit cannot continue it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widget import Widget

DIGIT_KEYS: list[BindingType] = [Binding(str(n), f"digit({n})", show=False) for n in range(10)]
"""The digit keys, for a picker with an `action_digit(n)` that calls `NumberKeys.type(n)`."""


class NumberKeys:
    """The number being typed on `owner`, one of `low` to `high`.

    `on_number(n)` hears of each number taken; `on_waiting(n)` of a number typed that may still
    grow (so the picker can show it as the one Enter takes)."""

    PAUSE = 0.8
    """Seconds to wait for another digit after one that begins a longer number."""

    def __init__(self, owner: Widget, low: int, high: int, *, on_number: Callable[[int], object],
                 on_waiting: Callable[[int], object] | None = None) -> None:
        self.owner = owner
        self.numbers = frozenset(str(n) for n in range(low, high + 1))
        self.on_number = on_number
        self.on_waiting = on_waiting
        self.typed = ""
        self._timer: Timer | None = None

    @property
    def waiting(self) -> bool:
        return bool(self.typed)

    def _starts(self, digits: str) -> bool:
        return any(n.startswith(digits) for n in self.numbers)

    def _grows(self, digits: str) -> bool:
        return any(n != digits and n.startswith(digits) for n in self.numbers)

    def type(self, digit: int) -> None:
        """One more digit typed."""
        digits = self.typed + str(digit)
        if self.typed and not self._starts(digits):
            self.flush()  # "1" then "5" of 12 options: 1, then 5
            digits = str(digit)
        self._stop_timer()
        if not self._starts(digits):
            self.typed = ""
            return
        if not self._grows(digits):
            self.typed = ""
            self.on_number(int(digits))
            return
        self.typed = digits
        if digits in self.numbers and self.on_waiting is not None:
            self.on_waiting(int(digits))
        self._timer = self.owner.set_timer(self.PAUSE, self.flush, name="number-keys")

    def flush(self) -> None:
        """Take the number typed so far, if it is one (after the pause, or on Enter)."""
        digits = self.typed
        self.clear()
        if digits in self.numbers:
            self.on_number(int(digits))

    def clear(self) -> None:
        """Forget the digits typed (the answer was given another way)."""
        self.typed = ""
        self._stop_timer()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
