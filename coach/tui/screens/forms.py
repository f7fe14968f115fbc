"""Small dialogs: a new profile (with its first relationship), a new relationship.

A field left empty is named in one line, and keeps the focus, so what is typed next goes in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from coach.tui.text import LiteralHighlighter, displayable, one_line
from coach.tui.widgets.pickers import OFF, ON

NAME_MISSING = "Your name is missing: type it, then press Enter."
OTHER_MISSING = "The other person's name is missing: type it, then Enter."


@dataclass(frozen=True)
class ProfileForm:
    name: str
    role: str  # mentee or mentor
    other_name: str


class MarkedRadioButton(RadioButton):
    """A radio button marked ● when chosen and ○ when not, so it reads without colour too."""

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(label, value, id=id)
        self.BUTTON_INNER = ON if value else OFF

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = ON if self.value else OFF
        self.refresh()


def missing(screen: DOMNode, field: str, message: str) -> bool:
    """Whether the input `field` is empty; if so, say `message` and put the focus in it."""
    box = screen.query_one(field, Input)
    if box.value.strip():
        return False
    screen.query_one("#form-error", Label).update(Content(displayable(message)))
    box.focus()
    return True


class NewProfileScreen(ModalScreen[ProfileForm | None]):
    """Who you are, your side of the mentorship, and who the other person is."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, *, role: str = "mentee", first_run: bool = False) -> None:
        super().__init__()
        self.role = role
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            title = "Welcome to coach" if self.first_run else "New profile"
            yield Label(title, classes="dialog-title")
            if self.first_run:
                yield Label("Tell me who you are and who you're working with.", classes="muted")
            yield Label("Your name")
            yield Input(id="name", placeholder="e.g. Ana", compact=True, highlighter=LiteralHighlighter())
            yield Label("You are the")
            with RadioSet(id="role"):
                yield MarkedRadioButton("mentee", value=self.role != "mentor", id="role-mentee")
                yield MarkedRadioButton("mentor", value=self.role == "mentor", id="role-mentor")
            yield Label("The other person's name (your mentor or mentee)")
            yield Input(id="other", placeholder="e.g. Sam", compact=True, highlighter=LiteralHighlighter())
            yield Label("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", id="create", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted, "#name")
    def _next(self) -> None:
        if not missing(self, "#name", NAME_MISSING):
            self.query_one("#role", RadioSet).focus()

    @on(Input.Changed)
    def _typing(self) -> None:
        self.query_one("#form-error", Label).update("")

    @on(Input.Submitted, "#other")
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        if missing(self, "#name", NAME_MISSING) or missing(self, "#other", OTHER_MISSING):
            return
        name = self.query_one("#name", Input).value.strip()
        other = self.query_one("#other", Input).value.strip()
        mentor = self.query_one("#role-mentor", RadioButton).value
        self.dismiss(ProfileForm(name, "mentor" if mentor else "mentee", other))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class NewRelationshipScreen(ModalScreen[str | None]):
    """Another mentorship for the same profile: the other person's name."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, profile_name: str) -> None:
        super().__init__()
        self.profile_name = profile_name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label("New relationship", classes="dialog-title")
            yield Label(f"Who is {one_line(self.profile_name, 40)} working with?", markup=False)
            yield Input(id="other", placeholder="Their name", compact=True, highlighter=LiteralHighlighter())
            yield Label("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", id="create", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#other", Input).focus()

    @on(Input.Changed)
    def _typing(self) -> None:
        self.query_one("#form-error", Label).update("")

    @on(Input.Submitted, "#other")
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        if not missing(self, "#other", "Their name is missing: type it, then press Enter."):
            self.dismiss(self.query_one("#other", Input).value.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
