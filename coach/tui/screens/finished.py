"""A stage finished before: see the documents it left, or start it again (they are kept)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from coach.tui.i18n import UiTexts, texts_of, ui_texts

if TYPE_CHECKING:
    from coach.app.views import StageStatus

FinishedChoice = Literal["documents", "again"]


def finished_line(stage: StageStatus, documents: int, ui: UiTexts | None = None) -> str:
    ui = ui or ui_texts()
    count = "none" if documents == 0 else "one" if documents == 1 else "many"
    if stage.last:
        return ui.t(f"finished.{count}_on", date=ui.day(stage.last), count=documents)
    return ui.t(f"finished.{count}", count=documents)


class FinishedStageScreen(ModalScreen[FinishedChoice | None]):
    """What to do with a finished stage: its documents, start again, or nothing (Esc)."""

    KEYS_AREA = "finished"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "documents"),
        Binding("s", "again"),
        Binding("escape", "cancel"),
    ]

    def __init__(self, stage: StageStatus, documents: int) -> None:
        super().__init__()
        self.stage = stage
        self.documents = documents

    def compose(self) -> ComposeResult:
        ui = texts_of(self)
        with Vertical(id="finished-dialog", classes="dialog"):
            yield Label(ui.t("finished.title", title=self.stage.title), classes="dialog-title", markup=False)
            yield Label(finished_line(self.stage, self.documents, ui), classes="muted", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(ui.t("finished.see_documents")), id="show-documents", variant="primary",
                             compact=True, disabled=not self.documents)
                yield Button(Content(ui.t("finished.again")), id="again", compact=True)
                yield Button(Content(ui.t("common.cancel")), id="cancel", compact=True)

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
        t = texts_of(self).t
        if self.documents:
            yield SystemCommand(t("palette.finished.documents"), t("palette.finished.documents_help"),
                                self.action_documents)
        yield SystemCommand(t("palette.finished.again"), t("palette.finished.again_help"), self.action_again)
        yield SystemCommand(t("palette.finished.cancel"), t("palette.finished.cancel_help"), self.action_cancel)
