"""Pilot tests of the answer bar on its own (a tiny app): option numbers past 9, arrows on a scale
from the answer line, selections marked without colour, and the editor for a draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Button, Input, TextArea
from tui_helpers import TODAY, screen_text

from coach.engine.turns import ChoiceOption, Question
from coach.tui.i18n import ui_texts
from coach.tui.widgets.answer_bar import AnswerBar
from coach.tui.widgets.footer import KeyFooter
from coach.tui.widgets.number_keys import NumberKeys
from coach.tui.widgets.pickers import ChoicePicker, MultiPicker

CSS = Path(__file__).parents[2] / "coach" / "tui" / "app.tcss"
AFTER_PAUSE = NumberKeys.PAUSE + 0.4


class BarApp(App[None]):
    """An answer bar and a footer; what the bar submits is kept in `sent`."""

    CSS_PATH = CSS

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[AnswerBar.Submitted] = []

    def compose(self) -> ComposeResult:
        yield ui_texts().localized(AnswerBar)(TODAY, id="answer-bar")  # as the chat makes it
        yield KeyFooter()

    @property
    def bar(self) -> AnswerBar:
        return self.query_one(AnswerBar)

    def on_answer_bar_submitted(self, event: AnswerBar.Submitted) -> None:
        self.sent.append(event)

    def answers(self) -> list[str]:
        return [e.answer for e in self.sent]


def choices(n: int) -> list[ChoiceOption]:
    return [ChoiceOption(value=f"o{i}", label=f"Option {i}") for i in range(1, n + 1)]


def choice(n: int = 12) -> Question:
    return Question(step="pick", slot="pick", type="choice", choices=choices(n))


def several(n: int = 12) -> Question:
    return Question(step="several", slot="several", type="multichoice", choices=choices(n))


def scale(lo: int = 0, hi: int = 10) -> Question:
    return Question(step="rate", slot="rate", type="scale", min=lo, max=hi)


async def ask(pilot: Pilot[None], question: Question) -> None:
    app = pilot.app
    assert isinstance(app, BarApp)
    await app.bar.set_question(question)
    await pilot.pause()


# --- option numbers of 10 and more ---------------------------------------------------------------


async def test_twelve_options_take_one_or_two_digits() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, choice(12))
        assert isinstance(app.focused, ChoicePicker)
        await pilot.press("1", "2")  # no option starts with 12 but 12: taken at once
        await pilot.pause()
        assert app.answers() == ["Option 12"]
        await ask(pilot, choice(12))
        await pilot.press("1", "0")  # 10, not 1 then 0
        await pilot.pause()
        assert app.answers()[-1] == "Option 10"
        await ask(pilot, choice(12))
        await pilot.press("3")  # nothing longer starts with 3: at once
        await pilot.pause()
        assert app.answers()[-1] == "Option 3"
        await ask(pilot, choice(12))
        await pilot.press("1")  # 1 may become 10-12: it waits, highlighted
        await pilot.pause()
        picker = app.bar.picker
        assert isinstance(picker, ChoicePicker) and picker.highlighted == 0
        assert app.answers()[-1] == "Option 3"
        await pilot.pause(AFTER_PAUSE)  # ...and a pause takes it
        assert app.answers()[-1] == "Option 1"
        await ask(pilot, choice(12))
        await pilot.press("1", "enter")  # or Enter, without the pause
        await pilot.pause()
        assert app.answers()[-1] == "Option 1"
        assert len(app.answers()) == 5  # each once


async def test_a_number_that_cannot_grow_is_taken_and_the_next_digit_starts_again() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, choice(12))
        await pilot.press("0")  # no option 0: nothing
        await pilot.press("1")
        await pilot.press("down")  # moved away with the arrows: the digits are forgotten
        await pilot.pause(AFTER_PAUSE)
        assert app.answers() == []
        await pilot.press("enter")  # Enter takes the highlighted one
        await pilot.pause()
        assert app.answers() == ["Option 2"]


async def test_several_options_past_nine() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, several(12))
        assert isinstance(app.focused, MultiPicker)
        await pilot.press("1", "1", "5", "1", "enter")  # 11, 5 (1 then 5 cannot be 15), then 1 on Enter
        await pilot.pause()
        assert app.answers() == ["1, 5, 11"]
        assert app.sent[-1].shown == "Option 1, Option 5, Option 11"


async def test_a_scale_from_0_to_10() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, scale(0, 10))
        assert "Press 0-10" in screen_text(app)
        await pilot.press("0")
        await pilot.pause()
        assert app.answers() == ["0"]
        await ask(pilot, scale(0, 10))
        await pilot.press("1", "0")
        await pilot.pause()
        assert app.answers()[-1] == "10"
        await ask(pilot, scale(0, 10))
        await pilot.press("1")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "scale-1"  # waiting on 1, shown
        await pilot.pause(AFTER_PAUSE)
        assert app.answers()[-1] == "1"
        await ask(pilot, scale(0, 10))
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.answers()[-1] == "1"
        assert len(app.answers()) == 4
        text = screen_text(app)
        assert all(f" {n} " in text or f"[{n}]" in text for n in range(11))  # all eleven fit in 80 columns


# --- arrows on a scale, from the answer line -------------------------------------------------------


async def test_arrows_on_a_scale_work_from_the_answer_line() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, scale(1, 5))
        line = app.bar.line
        line.focus()
        await pilot.pause()
        await pilot.press("right")  # from the line: 3 is the one shown, so 4
        assert isinstance(app.focused, Button) and app.focused.id == "scale-4"
        await pilot.press("right", "right", "right")  # stays on the scale at its end
        assert isinstance(app.focused, Button) and app.focused.id == "scale-5"
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers() == ["5"]

        await ask(pilot, scale(1, 5))
        app.bar.line.focus()
        await pilot.press("left", "enter")
        await pilot.pause()
        assert app.answers()[-1] == "2"

        await ask(pilot, scale(1, 5))
        app.bar.line.focus()
        await pilot.press("x", "left")  # a line with text in it keeps its arrows
        assert isinstance(app.focused, Input) and app.focused.cursor_position == 0


async def test_up_and_down_from_the_answer_line_move_in_the_options() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, choice(3))
        app.bar.line.focus()
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.focused, ChoicePicker)
        assert app.answers() == ["Option 2"]
        await ask(pilot, choice(3))
        app.bar.line.focus()
        await pilot.press("up", "enter")  # at the first already: it stays there
        await pilot.pause()
        assert app.answers()[-1] == "Option 1"


# --- the selection, marked without colour ----------------------------------------------------------


async def test_selections_are_marked_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # Textual reads it when the app is made
    app = BarApp()
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, choice(3))
        text = screen_text(app)
        assert "● 1. Option 1" in text and "○ 2. Option 2" in text and "○ 3. Option 3" in text
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "○ 1. Option 1" in text and "● 2. Option 2" in text

        await ask(pilot, several(3))
        await pilot.press("space", "3")
        await pilot.pause()
        text = screen_text(app)
        assert "[x] 1. Option 1" in text and "[ ] 2. Option 2" in text and "[x] 3. Option 3" in text

        await ask(pilot, scale(1, 5))
        assert "[3]" in screen_text(app) and " 4 " in screen_text(app)
        await pilot.press("right")
        await pilot.pause()
        assert "[4]" in screen_text(app) and "[3]" not in screen_text(app)

        await ask(pilot, Question(step="ready", slot="ready", type="yes_no"))
        assert "[Yes (y)]" in screen_text(app) and " No (n) " in screen_text(app)


async def test_options_past_nine_line_up() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, choice(12))
        picker = app.bar.picker
        assert isinstance(picker, ChoicePicker)
        prompts = [picker.get_option_at_index(i).prompt for i in (0, 11)]
        assert [str(p) for p in prompts] == ["●  1. Option 1", "○ 12. Option 12"]


# --- a draft -----------------------------------------------------------------------------------------

DRAFT = "# Mentoring agreement\n\nWe meet every two weeks.\n\n- Ana brings the agenda"


def draft(text: str = DRAFT) -> Question:
    return Question(type="draft", default=text, step="x", slot=None, skippable=True)


async def test_a_draft_is_edited_in_a_text_area_and_sent_whole() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, draft())
        area = app.bar.area
        assert isinstance(app.focused, TextArea) and app.focused is area
        assert area.text == DRAFT and area.cursor_location == (0, 0)
        assert area.has_class("-draft")
        assert app.screen.active_bindings["ctrl+s"].binding.action == "send_draft"
        assert "^s Send draft" in screen_text(app)
        await pilot.press("down", "down", "end")
        await pilot.press(*" Or monthly.")
        await pilot.press("enter")  # Enter adds a line in a draft
        await pilot.press("ctrl+s")
        await pilot.pause()
        expected = DRAFT.replace("two weeks.", "two weeks. Or monthly.\n")
        assert app.answers() == [expected]
        assert app.sent[0].shown == expected


async def test_the_draft_key_is_only_there_for_a_draft() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, Question(step="story", slot="story", type="text", multiline=True))
        assert app.screen.active_bindings["ctrl+s"].binding.action == "send_area"
        assert "Send draft" not in screen_text(app)
        await ask(pilot, draft("Text"))
        assert "Send draft" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.answers() == ["Text"]
        await ask(pilot, Question(step="story", slot="story", type="text", multiline=True))
        assert app.bar.area.text == "" and not app.bar.area.has_class("-draft")
        assert "Send draft" not in screen_text(app)
        app.bar.area.insert("a story")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.answers()[-1] == "a story"
