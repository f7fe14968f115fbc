"""A stage finished before: see the documents it left, or start it again (they are kept)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

if TYPE_CHECKING:
    from coach.app.views import StageStatus

FinishedChoice = Literal["documents", "again"]


def finished_line(stage: StageStatus, documents: int) -> str:
    when = f" on {stage.last.isoformat()}" if stage.last else ""
    if documents == 0:
        return f"You finished it{when}; it left no documents. Starting again keeps that session."
    left = "one document" if documents == 1 else f"{documents} documents"
    return f"You finished it{when} and it left {left}. Starting again keeps them."


class FinishedStageScreen(ModalScreen[FinishedChoice | None]):
    """What to do with a finished stage: its documents, start again, or nothing (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "documents", "Its documents"),
        Binding("s", "again", "Start again"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, stage: StageStatus, documents: int) -> None:
        super().__init__()
        self.stage = stage
        self.documents = documents

    def compose(self) -> ComposeResult:
        with Vertical(id="finished-dialog", classes="dialog"):
            yield Label(f"{self.stage.title} is finished", classes="dialog-title", markup=False)
            yield Label(finished_line(self.stage, self.documents), classes="muted", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("See its documents (d)", id="show-documents", variant="primary", compact=True,
                             disabled=not self.documents)
                yield Button("Start again (s)", id="again", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#show-documents" if self.documents else "#again", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "documents" and not self.documents:
            return None  # shown, not usable
        return True

    @on(Button.Pressed, "#show-documents")
    def action_documents(self) -> None:
        self.dismiss("documents")

    @on(Button.Pressed, "#again")
    def action_again(self) -> None:
        self.dismiss("again")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterator[SystemCommand]:
        if self.documents:
            yield SystemCommand("See its documents", "What this stage left you with", self.action_documents)
        yield SystemCommand("Start again", "A new session of this stage (the finished one is kept)", self.action_again)
        yield SystemCommand("Cancel", "Back to the home screen", self.action_cancel)
