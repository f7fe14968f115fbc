"""The input under the conversation, shaped by the open question.

A picker (options, a scale, yes/no) when the question has a fixed set of answers, above a line
where anything can be typed (another wording, or a command such as ``/back``); a text area for
long answers and lists, and for a draft (a document to edit as a whole, filled in to start
from). Whatever the widget, :class:`AnswerBar.Submitted` carries plain text that the engine
parses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, TextArea

from coach.engine.answers import parse_date
from coach.engine.text import parse_command
from coach.engine.turns import Question
from coach.literal import visible_chars
from coach.tui.i18n import UiTexts, texts_of, ui_texts
from coach.tui.text import LiteralHighlighter
from coach.tui.widgets.pickers import (
    ButtonRow,
    ChoicePicker,
    MultiPicker,
    NumberedList,
    Picked,
    ScalePicker,
    YesNoPicker,
)

SEND_KEYS = "ctrl+s,ctrl+enter,ctrl+j"
HINT_KEYS: Mapping[str, str] = {"send": "Ctrl+S", "skip": "Ctrl+N"}
"""The keys the hints name; an app that binds others (the served app) says which in its HINT_KEYS."""


def read_date(value: str, today: date, locale: str) -> date | None:
    """The date `value` is, as the engine reads it in `locale` (its lexicon's words for days and
    relative dates; the pseudo-locale reads English)."""
    from coach.content.lexicon import Lexicon

    return parse_date(value, today, Lexicon.load(locale))


class DateValidator(Validator):
    """Accepts what the engine reads as a date (and commands such as /skip). Where the TUI cannot
    read the language's dates itself, it lets the engine decide."""

    def __init__(self, today: date, ui: UiTexts | None = None) -> None:
        self.ui = ui or ui_texts()
        super().__init__(self.ui.t("answer.not_a_date_yet"))
        self.today = today

    def validate(self, value: str) -> ValidationResult:
        if not value.strip() or parse_command(value) is not None or read_date(value, self.today, self.ui.locale):
            return self.success()
        return self.failure()


def date_preview(value: str, today: date, ui: UiTexts | None = None) -> str | None:
    """The date `value` reads as, written out in the user's language (None: not a date)."""
    from coach.engine.dates import long_date

    if parse_command(value) is not None:
        return None
    ui = ui or ui_texts()
    d = read_date(value, today, ui.locale)
    return ui.t("answer.date_preview", date=long_date(d, ui.locale)) if d else None


def make_picker(question: Question, ui: UiTexts | None = None) -> Widget | None:
    ui = ui or ui_texts()
    if question.type in ("choice", "confirm") and question.choices:
        return ui.localized(ChoicePicker)(question)
    if question.type == "multichoice" and question.choices:
        return ui.localized(MultiPicker)(question)
    if question.type == "scale":
        return ui.localized(ScalePicker)(question)
    if question.type == "yes_no":
        return ui.localized(YesNoPicker)(question)
    return None


HINTS = {"choice": "choice", "confirm": "choice", "multichoice": "multichoice", "scale": "scale",
         "yes_no": "yes_no", "date": "date", "number": "number", "list": "list", "draft": "draft"}
"""Question type -> its hint (tui.answer.hint.<name>)."""


def hint_for(question: Question | None, keys: Mapping[str, str] = HINT_KEYS, ui: UiTexts | None = None) -> str:
    t = (ui or ui_texts()).t
    if question is None:
        return t("answer.hint.done")
    values = {"n": len(question.choices), "send": keys["send"], "skip": keys["skip"],
              "low": int(question.min if question.min is not None else 1),
              "high": int(question.max if question.max is not None else 5)}
    if question.probing:
        hint = t("answer.hint.probing", **values)
    elif question.type == "text":
        hint = t("answer.hint.multiline" if question.multiline else "answer.hint.text", **values)
    else:
        hint = t(f"answer.hint.{HINTS.get(question.type, 'other')}", **values)
    if question.skippable and not question.probing:
        hint += t("answer.hint.skip", **values)
    return hint


class AnswerArea(TextArea):
    """A text area for long answers and lists; Enter adds a line, except after a lone /command.
    The text is kept as typed or pasted; its control characters are drawn as visible pictures."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        line.plain = visible_chars(line.plain)
        return line

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and parse_command(self.text) is not None:
            event.stop()
            event.prevent_default()
            self.post_message(AnswerBar.Submitted(self.text, self.text))
            return
        await super()._on_key(event)


class AnswerBar(Vertical):
    """Asks for the answer to `question` with the widget that fits it."""

    KEYS_AREA = "answer"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown only for a draft (see check_action); otherwise the same key sends as below.
        Binding("ctrl+s", "send_draft", id="answer.send_draft"),
        Binding(SEND_KEYS, "send_area", show=False, id="answer.send"),  # ids: the served app's keymap
    ]

    class Submitted(Message):
        def __init__(self, answer: str, shown: str) -> None:
            super().__init__()
            self.answer = answer
            self.shown = shown

    def __init__(self, today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.question: Question | None = None
        self.ui = texts_of(self)

    @property
    def hint_keys(self) -> Mapping[str, str]:
        keys: Mapping[str, str] = getattr(self.app, "HINT_KEYS", HINT_KEYS)
        return keys

    def compose(self) -> ComposeResult:
        yield Vertical(id="picker-slot")
        yield Input(id="answer-line", placeholder=self.ui.t("answer.placeholder"), select_on_focus=False,
                    highlighter=LiteralHighlighter())
        yield AnswerArea(id="answer-area", soft_wrap=True, show_line_numbers=False, highlight_cursor_line=False)
        yield Label("", id="answer-hint", markup=False)

    @property
    def line(self) -> Input:
        return self.query_one("#answer-line", Input)

    @property
    def area(self) -> AnswerArea:
        return self.query_one("#answer-area", AnswerArea)

    @property
    def picker(self) -> Widget | None:
        children = self.query_one("#picker-slot").children
        return children[0] if children else None

    @property
    def uses_area(self) -> bool:
        q = self.question
        return q is not None and (q.multiline or q.type in ("list", "draft"))

    @property
    def is_draft(self) -> bool:
        return self.question is not None and self.question.type == "draft"

    async def set_question(self, question: Question | None) -> None:
        """Show the widget for `question` (None: nothing left to answer) and focus it.

        Only what differs from the previous question is touched: every change costs a layout."""
        previous, self.question = self.question, question
        slot = self.query_one("#picker-slot", Vertical)
        if slot.children:
            await slot.remove_children()
        picker = make_picker(question, self.ui) if question is not None else None
        if picker is not None:
            await slot.mount(picker)
        line, area = self.line, self.area
        line.validators = [DateValidator(self.today, self.ui)] if question and question.type == "date" else []
        if line.value:
            line.value = ""
        line.remove_class("-invalid")
        self._fill_area(question)
        uses_area = self.uses_area
        if line.display == uses_area:
            # Show and focus the new input before hiding the old, so focus moves once
            # (each focus change rebuilds the footer).
            shown, hidden = (area, line) if uses_area else (line, area)
            shown.display = True
            if picker is None:
                shown.focus()
            hidden.display = False
        line.placeholder = self._placeholder(question, picker is not None)
        area.placeholder = self._area_placeholder(question)
        hint = hint_for(question, self.hint_keys, self.ui)
        if previous is None or hint != hint_for(previous, self.hint_keys, self.ui):
            self.query_one("#answer-hint", Label).update(hint)
        if (previous is not None and previous.type == "draft") != self.is_draft:
            self.refresh_bindings()
        self.focus_input()

    def _fill_area(self, question: Question | None) -> None:
        """Empty the text area, or for a draft put its text in, the cursor at the start."""
        area = self.area
        draft = question is not None and question.type == "draft"
        area.set_class(draft, "-draft")
        text = (question.default or "") if question is not None and draft else ""
        if area.text != text:
            area.text = text
        if draft:
            area.move_cursor((0, 0))
            area.scroll_home(animate=False)

    def _area_placeholder(self, question: Question | None) -> str:
        if question is not None and question.type == "list":
            return self.ui.t("answer.area_list")
        if question is not None and question.type == "draft":
            return self.ui.t("answer.area_draft")
        return self.ui.t("answer.area_text")

    def clear(self) -> None:
        """Empty the line and the text area (the answer in them has been sent)."""
        self.line.value = ""
        self.area.text = ""

    def _placeholder(self, question: Question | None, picked: bool) -> str:
        t = self.ui.t
        if question is None:
            return t("answer.placeholder_done")
        if question.type == "date":
            return t("answer.placeholder_date")
        if question.type == "number":
            return t("answer.placeholder_number")
        if picked:
            return t("answer.placeholder_picked")
        return t("answer.placeholder")

    def focus_input(self) -> None:
        picker = self.picker
        if isinstance(picker, ButtonRow):
            picker.focus_first()
        elif picker is not None:
            picker.focus()
        else:
            target = self.area if self.uses_area else self.line
            if self.screen.focused is not target:
                target.focus()

    def _submit(self, answer: str, shown: str | None = None) -> None:
        self.post_message(self.Submitted(answer, answer if shown is None else shown))

    # --- events -----------------------------------------------------------------------------

    @on(Picked)
    def _picked(self, event: Picked) -> None:
        event.stop()
        self._submit(event.answer, event.shown)

    @on(Input.Submitted, "#answer-line")
    def _line_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.validation_result is not None and not event.validation_result.is_valid:
            self.query_one("#answer-hint", Label).update(self.ui.t("answer.not_a_date"))
            return
        self._submit(event.value)

    @on(Input.Changed, "#answer-line")
    def _line_changed(self, event: Input.Changed) -> None:
        q = self.question
        if q is not None and q.type == "date":
            preview = date_preview(event.value, self.today, self.ui)
            self.query_one("#answer-hint", Label).update(preview or hint_for(q, self.hint_keys, self.ui))

    def action_send_area(self) -> None:
        if self.uses_area:
            self._submit(self.area.text)

    def action_send_draft(self) -> None:
        """Send the draft, edited or not, as the answer."""
        if self.is_draft:
            self._submit(self.area.text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send_draft":
            return self.is_draft  # hidden otherwise, and Ctrl+S is the plain send
        return True

    def _arrow_to_picker(self, key: str) -> bool:
        """Arrows on the empty answer line move in the picker above it, as its hint says."""
        picker = self.picker
        if isinstance(picker, ScalePicker) and key in ("left", "right"):
            picker.action_move(-1 if key == "left" else 1)
            return True
        if isinstance(picker, NumberedList) and key in ("up", "down"):
            picker.focus()
            step = -1 if key == "up" else 1
            picker.highlighted = min(max((picker.highlighted or 0) + step, 0), picker.option_count - 1)
            return True
        return False

    def on_key(self, event: events.Key) -> None:
        """Typing while a picker has focus goes to the line: start typing to answer in words.
        Arrows on the empty line go to the picker."""
        focused = self.screen.focused
        if focused is self.line and not self.line.value and self._arrow_to_picker(event.key):
            event.stop()
            event.prevent_default()
            return
        if focused is None or focused in (self.line, self.area) or not event.is_printable:
            return
        if event.character is None or event.key in self.screen.active_bindings or self.uses_area:
            return
        event.stop()
        event.prevent_default()
        self.line.focus()
        self.line.insert_text_at_cursor(event.character)
