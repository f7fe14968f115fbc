"""Inputs for questions with a fixed set of answers: choices, several choices, a scale, yes/no.

Each picker posts :class:`Picked` with the plain text the engine parses (a label, a number,
"yes"/"no") and the text to show in the conversation.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from coach.engine.turns import Question
from coach.tui.text import displayable

DIGITS: list[BindingType] = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]


class Picked(Message):
    def __init__(self, answer: str, shown: str) -> None:
        super().__init__()
        self.answer = answer
        self.shown = shown


class ChoicePicker(OptionList):
    """One of several options: arrows and Enter, or the option's number."""

    BINDINGS = DIGITS

    def __init__(self, question: Question) -> None:
        self.question = question
        options = [
            Option(Content.assemble((f"{i}. ", "bold"), displayable(c.label)), id=f"choice-{i}")
            for i, c in enumerate(question.choices, 1)
        ]
        super().__init__(*options, id="picker-choice")

    def on_mount(self) -> None:
        self.highlighted = 0

    def _answer(self, index: int) -> None:
        choice = self.question.choices[index]
        # A confirmation is read as yes/no, so it gets the value; other choices, the label.
        answer = choice.value if self.question.type == "confirm" else choice.label
        self.post_message(Picked(answer, choice.label))

    def action_pick(self, n: int) -> None:
        if 1 <= n <= len(self.question.choices):
            self.highlighted = n - 1
            self._answer(n - 1)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._answer(event.option_index)


class MultiPicker(SelectionList[int]):
    """Several options: Space or the number ticks one, Enter sends the ticked ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *DIGITS,
        Binding("space", "select", "Tick", show=False),
        Binding("enter", "send", "Send", show=False),
    ]

    def __init__(self, question: Question) -> None:
        self.question = question
        items = [
            Selection(Content.assemble((f"{i}. ", "bold"), displayable(c.label)), i)
            for i, c in enumerate(question.choices, 1)
        ]
        super().__init__(*items, id="picker-multi")

    def on_mount(self) -> None:
        self.highlighted = 0

    def action_pick(self, n: int) -> None:
        if 1 <= n <= len(self.question.choices):
            self.highlighted = n - 1
            self.toggle(n)

    def action_send(self) -> None:
        picked = sorted(self.selected)
        labels = [self.question.choices[n - 1].label for n in picked]
        self.post_message(Picked(", ".join(str(n) for n in picked), ", ".join(labels)))


class ButtonRow(Horizontal):
    """A row of answer buttons; left/right move between them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "app.focus_previous", "Previous", show=False),
        Binding("right", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, answers: list[tuple[str, str, str]], *, id: str) -> None:
        super().__init__(id=id, classes="buttons")
        self._answers = answers  # (answer, label, button id)

    def compose(self) -> ComposeResult:
        for answer, label, button_id in self._answers:
            button = Button(label, id=button_id, compact=True)
            button.answer = answer  # type: ignore[attr-defined]
            yield button

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        answer: str = getattr(event.button, "answer", "")
        self.post_message(Picked(answer, answer))

    def press(self, button_id: str) -> None:
        self.query_one(f"#{button_id}", Button).press()

    def focus_first(self) -> None:
        buttons = list(self.query(Button))
        if buttons:
            buttons[len(buttons) // 2 if self.id == "picker-scale" else 0].focus()


class ScalePicker(ButtonRow):
    """A whole number on a small scale (1 to 5): a button each, or the digit key."""

    BINDINGS: ClassVar[list[BindingType]] = [*ButtonRow.BINDINGS, *DIGITS[:9]]

    def __init__(self, question: Question) -> None:
        lo = int(question.min if question.min is not None else 1)
        hi = int(question.max if question.max is not None else 5)
        self.low, self.high = lo, hi
        super().__init__([(str(n), f" {n} ", f"scale-{n}") for n in range(lo, hi + 1)], id="picker-scale")

    def action_pick(self, n: int) -> None:
        if self.low <= n <= self.high:
            self.press(f"scale-{n}")


class YesNoPicker(ButtonRow):
    """Yes or no: a button each, or the y / n key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *ButtonRow.BINDINGS,
        Binding("y", "pick('yes')", "Yes", show=False),
        Binding("n", "pick('no')", "No", show=False),
    ]

    def __init__(self, question: Question) -> None:
        super().__init__([("yes", "Yes (y)", "answer-yes"), ("no", "No (n)", "answer-no")], id="picker-yes-no")

    def action_pick(self, answer: str) -> None:
        self.press(f"answer-{answer}")
