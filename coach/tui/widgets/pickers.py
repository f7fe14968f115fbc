"""Inputs for questions with a fixed set of answers: choices, several choices, a scale, yes/no.

Each picker posts :class:`Picked` with the plain text the engine parses (a label, a number,
"yes"/"no") and the text to show in the conversation. The digit keys pick by number, past 9 too
(see :mod:`coach.tui.widgets.number_keys`). What is selected is marked with a symbol (● / ○,
[x] / [ ], [3]), not only a colour, so it reads in monochrome (NO_COLOR) as well.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from coach.engine.turns import Question
from coach.tui.i18n import texts_of
from coach.tui.text import displayable
from coach.tui.widgets.marks import OFF, ON
from coach.tui.widgets.number_keys import DIGIT_KEYS, NumberKeys

TICKED, UNTICKED = "[x]", "[ ]"


class Picked(Message):
    def __init__(self, answer: str, shown: str) -> None:
        super().__init__()
        self.answer = answer
        self.shown = shown


class NumberedList(OptionList):
    """The question's options, numbered from 1, each behind a marker; a number typed highlights
    or picks its option."""

    KEYS_AREA = "answer"
    BINDINGS = DIGIT_KEYS

    def __init__(self, question: Question, *, id: str) -> None:
        self.question = question
        self.number_keys = NumberKeys(self, 1, len(question.choices), on_number=self.number_typed,
                                      on_waiting=self.show_number)
        count = len(question.choices)
        super().__init__(*(Option(self.option_prompt(n), id=f"choice-{n}") for n in range(1, count + 1)), id=id)

    def marker(self, n: int) -> tuple[str, str]:
        """The symbol before option `n`, and its style."""
        raise NotImplementedError

    def number_typed(self, n: int) -> None:
        raise NotImplementedError

    def highlight_moved(self, index: int) -> None:
        """The highlight is now on the option at `index`."""

    def option_prompt(self, n: int) -> Content:
        width = len(str(len(self.question.choices)))
        mark, style = self.marker(n)
        label = displayable(self.question.choices[n - 1].label)
        return Content.assemble((f"{mark} ", style), (f"{n:>{width}}. ", "bold"), label)

    def redraw(self, n: int) -> None:
        self.replace_option_prompt_at_index(n - 1, self.option_prompt(n))

    def on_mount(self) -> None:
        self.highlighted = 0

    def action_digit(self, digit: int) -> None:
        self.number_keys.type(digit)

    def show_number(self, n: int) -> None:
        self.highlighted = n - 1

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.number_keys.waiting and self.number_keys.typed != str(event.option_index + 1):
            self.number_keys.clear()  # moved away with the arrows: forget the digits
        self.highlight_moved(event.option_index)


class ChoicePicker(NumberedList):
    """One of several options: arrows and Enter, or the option's number. The highlighted one
    (what Enter picks) is marked ●."""

    def __init__(self, question: Question) -> None:
        self.marked = 0
        super().__init__(question, id="picker-choice")

    def marker(self, n: int) -> tuple[str, str]:
        return (ON, "bold $accent") if n - 1 == self.marked else (OFF, "$text-muted")

    def highlight_moved(self, index: int) -> None:
        old, self.marked = self.marked, index
        if old != index:
            self.redraw(old + 1)
        self.redraw(index + 1)

    def _answer(self, index: int) -> None:
        choice = self.question.choices[index]
        # A confirmation is read as yes/no, so it gets the value; other choices, the label.
        answer = choice.value if self.question.type == "confirm" else choice.label
        self.post_message(Picked(answer, choice.label))

    def number_typed(self, n: int) -> None:
        self.highlighted = n - 1
        self._answer(n - 1)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.number_keys.clear()
        self._answer(event.option_index)


class MultiPicker(NumberedList):
    """Several options: Space or the number ticks one ([x]), Enter sends the ticked ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *DIGIT_KEYS,
        Binding("space", "tick", show=False),
        Binding("enter", "send", show=False),
    ]

    def __init__(self, question: Question) -> None:
        self.ticked: set[int] = set()
        super().__init__(question, id="picker-multi")

    def marker(self, n: int) -> tuple[str, str]:
        return (TICKED, "bold $accent") if n in self.ticked else (UNTICKED, "$text-muted")

    def toggle(self, n: int) -> None:
        self.ticked ^= {n}
        self.highlighted = n - 1
        self.redraw(n)

    def number_typed(self, n: int) -> None:
        self.toggle(n)

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.number_keys.clear()
            self.toggle(self.highlighted + 1)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.number_keys.clear()
        self.toggle(event.option_index + 1)

    def action_send(self) -> None:
        self.number_keys.flush()  # "1" of 12 options, then Enter: tick 1, then send
        picked = sorted(self.ticked)
        labels = [self.question.choices[n - 1].label for n in picked]
        self.post_message(Picked(", ".join(str(n) for n in picked), ", ".join(labels)))


class AnswerButton(Button):
    """A button that stands for one answer."""

    def __init__(self, answer: str, label: Content, *, id: str) -> None:
        super().__init__(label, id=id, compact=True)
        self.answer = answer


class ButtonRow(Horizontal):
    """A row of answer buttons: left/right move between them (and stay in the row), Enter presses
    one. The current one is shown in brackets."""

    KEYS_AREA = "answer"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False, id="answer.previous"),
        Binding("right", "move(1)", show=False, id="answer.next"),
    ]

    def __init__(self, answers: list[tuple[str, str, str]], *, id: str, start: int = 0) -> None:
        super().__init__(id=id, classes="buttons")
        self._answers = answers  # (answer, label, button id)
        self.current = start

    def label(self, index: int) -> Content:
        text = self._answers[index][1]
        return Content(f"[{text}]" if index == self.current else f" {text} ")

    def compose(self) -> ComposeResult:
        for i, (answer, _label, button_id) in enumerate(self._answers):
            yield AnswerButton(answer, self.label(i), id=button_id)

    @property
    def buttons(self) -> list[AnswerButton]:
        return list(self.query(AnswerButton))

    def set_current(self, index: int) -> None:
        old, self.current = self.current, index
        buttons = self.buttons
        for i in {old, index}:
            if 0 <= i < len(buttons):
                buttons[i].label = self.label(i)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, AnswerButton):
            self.set_current(self.buttons.index(event.widget))

    def action_move(self, step: int) -> None:
        """Focus the next button to the left or right (from the answer line too)."""
        buttons = self.buttons
        if buttons:
            buttons[min(max(self.current + step, 0), len(buttons) - 1)].focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.answered()
        if isinstance(event.button, AnswerButton):
            self.post_message(Picked(event.button.answer, self.shown_as(event.button.answer)))

    def shown_as(self, answer: str) -> str:
        """How `answer` shows in the conversation."""
        return answer

    def answered(self) -> None:
        """A button was pressed (its answer is on its way)."""

    def press(self, button_id: str) -> None:
        self.query_one(f"#{button_id}", Button).press()

    def focus_first(self) -> None:
        buttons = self.buttons
        if buttons:
            buttons[min(self.current, len(buttons) - 1)].focus()


class ScalePicker(ButtonRow):
    """A whole number on a scale (1 to 5, 0 to 10...): a button each, or its digits."""

    BINDINGS: ClassVar[list[BindingType]] = [*ButtonRow.BINDINGS, *DIGIT_KEYS]

    def __init__(self, question: Question) -> None:
        lo = int(question.min if question.min is not None else 1)
        hi = int(question.max if question.max is not None else 5)
        self.low, self.high = lo, hi
        answers = [(str(n), str(n), f"scale-{n}") for n in range(lo, hi + 1)]
        super().__init__(answers, id="picker-scale", start=len(answers) // 2)
        self.number_keys = NumberKeys(self, lo, hi, on_number=self.action_pick, on_waiting=self.show_number)

    def action_digit(self, digit: int) -> None:
        self.number_keys.type(digit)

    def answered(self) -> None:
        self.number_keys.clear()

    def show_number(self, n: int) -> None:
        self.query_one(f"#scale-{n}", Button).focus()

    def action_pick(self, n: int) -> None:
        if self.low <= n <= self.high:
            self.press(f"scale-{n}")


class YesNoPicker(ButtonRow):
    """Yes or no: a button each, or the y / n key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *ButtonRow.BINDINGS,
        Binding("y", "pick('yes')", show=False, id="answer.yes"),
        Binding("n", "pick('no')", show=False, id="answer.no"),
    ]

    def __init__(self, question: Question) -> None:
        t = texts_of(self).t
        super().__init__([("yes", t("answer.yes"), "answer-yes"), ("no", t("answer.no"), "answer-no")],
                         id="picker-yes-no")
        self.shown = {"yes": t("answer.yes_shown"), "no": t("answer.no_shown")}

    def shown_as(self, answer: str) -> str:
        return self.shown.get(answer, answer)

    def action_pick(self, answer: str) -> None:
        self.press(f"answer-{answer}")
