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

from coach.tui.i18n import texts_of
from coach.tui.screens.base import StyledOnce
from coach.tui.text import LiteralHighlighter, displayable, one_line
from coach.tui.widgets.marks import OFF, ON


@dataclass(frozen=True)
class ProfileForm:
    name: str
    role: str  # mentee or mentor
    other_name: str


class MarkedRadioButton(RadioButton):
    """A radio button marked ● when chosen and ○ when not, so it reads without colour too."""

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(Content(label), value, id=id)
        self.BUTTON_INNER = ON if value else OFF

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = ON if self.value else OFF
        self.refresh()


def missing(screen: DOMNode, field: str, message: str) -> bool:
    """Whether the input `field` is empty; if so, say `message` (a key of tui.yaml) and put the focus in it."""
    box = screen.query_one(field, Input)
    if box.value.strip():
        return False
    screen.query_one("#form-error", Label).update(Content(displayable(texts_of(screen).t(message))))
    box.focus()
    return True


class NewProfileScreen(StyledOnce, ModalScreen[ProfileForm | None]):
    """Who you are, your side of the mentorship, and who the other person is."""

    KEYS_AREA = "dialog"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel")]

    def __init__(self, *, role: str = "mentee", first_run: bool = False) -> None:
        super().__init__()
        self.role = role
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        t = texts_of(self).t
        with Vertical(id="dialog", classes="dialog"):
            yield Label(t("forms.welcome" if self.first_run else "forms.new_profile"), classes="dialog-title",
                        markup=False)
            if self.first_run:
                yield Label(t("forms.welcome_line"), classes="muted", markup=False)
            yield Label(t("forms.your_name"), markup=False)
            yield Input(id="name", placeholder=t("forms.your_name_example"), compact=True,
                        highlighter=LiteralHighlighter())
            yield Label(t("forms.you_are"), markup=False)
            with RadioSet(id="role"):
                yield MarkedRadioButton(t("roles.mentee"), value=self.role != "mentor", id="role-mentee")
                yield MarkedRadioButton(t("roles.mentor"), value=self.role == "mentor", id="role-mentor")
            yield Label(t("forms.other_name"), markup=False)
            yield Input(id="other", placeholder=t("forms.other_name_example"), compact=True,
                        highlighter=LiteralHighlighter())
            yield Label("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(t("common.create")), id="create", variant="primary", compact=True)
                yield Button(Content(t("common.cancel")), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted, "#name")
    def _next(self) -> None:
        if not missing(self, "#name", "forms.name_missing"):
            self.query_one("#role", RadioSet).focus()

    @on(Input.Changed)
    def _typing(self) -> None:
        self.query_one("#form-error", Label).update("")

    @on(Input.Submitted, "#other")
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        if missing(self, "#name", "forms.name_missing") or missing(self, "#other", "forms.other_missing"):
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

    KEYS_AREA = "dialog"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel")]

    def __init__(self, profile_name: str) -> None:
        super().__init__()
        self.profile_name = profile_name

    def compose(self) -> ComposeResult:
        t = texts_of(self).t
        with Vertical(id="dialog", classes="dialog"):
            yield Label(t("forms.new_relationship"), classes="dialog-title", markup=False)
            yield Label(t("forms.working_with", name=one_line(self.profile_name, 40)), markup=False)
            yield Input(id="other", placeholder=t("forms.their_name"), compact=True, highlighter=LiteralHighlighter())
            yield Label("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(t("common.create")), id="create", variant="primary", compact=True)
                yield Button(Content(t("common.cancel")), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#other", Input).focus()

    @on(Input.Changed)
    def _typing(self) -> None:
        self.query_one("#form-error", Label).update("")

    @on(Input.Submitted, "#other")
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        if not missing(self, "#other", "forms.their_name_missing"):
            self.dismiss(self.query_one("#other", Input).value.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
