"""Two people, one partnership, from the documents view: share a finished stage with the other
person (pick the stage, see what they will see, unselect what to leave out) and add the packet
they sent. The use cases are the service's (`share_preview`, `share`, `packet_file`, `merge`,
`merge_bytes`); where the packet goes and where one comes from is the app's (a file in the
terminal, a download and a pasted text in `coach serve`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, SelectionList, TextArea
from textual.widgets.option_list import Option

from coach.tui.i18n import texts_of
from coach.tui.text import one_line

if TYPE_CHECKING:
    from coach.app.packets import SharePreview


class PickStageScreen(ModalScreen[int | None]):
    """Which finished stage to share (the index into the previews given)."""

    KEYS_AREA = "dialog"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel")]

    def __init__(self, labels: list[str], other_name: str) -> None:
        super().__init__()
        self.labels = labels
        self.other_name = other_name

    def compose(self) -> ComposeResult:
        with Vertical(id="share-stage-dialog", classes="dialog"):
            yield Label(texts_of(self).t("sharing.pick_title", name=one_line(self.other_name, 40)),
                        classes="dialog-title", markup=False)
            yield OptionList(*(Option(Content(label), id=f"stage-{n}") for n, label in enumerate(self.labels)),
                             id="share-stages")

    def on_mount(self) -> None:
        self.query_one("#share-stages", OptionList).focus()

    @on(OptionList.OptionSelected, "#share-stages")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SharePreviewScreen(ModalScreen[set[int] | None]):
    """"This is what Sam will see": every item selected; the unselected are left out (the set of
    their numbers is the answer; None: nothing shared)."""

    KEYS_AREA = "dialog"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "share"),
        Binding("escape", "cancel"),
    ]

    def __init__(self, preview: SharePreview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        t = texts_of(self).t
        with Vertical(id="share-preview-dialog", classes="dialog"):
            yield Label(self.preview.heading, classes="dialog-title", markup=False)
            if self.preview.note:
                yield Label(self.preview.note, classes="muted", markup=False)
            if self.preview.sign_text is not None:  # coach sign: the agreed text, then sign and share
                yield TextArea(self.preview.sign_text, read_only=True, id="sign-text", soft_wrap=True)
            else:
                yield Label(t("sharing.choose"), classes="muted", markup=False)
                yield SelectionList[int](*((Content(one_line(item.text, 200)), item.number, True)
                                           for item in self.preview.items),
                                         id="share-items", disabled=self.preview.locked)
            with Horizontal(classes="dialog-buttons"):
                label = t("sharing.sign_and_share") if self.preview.sign_text is not None else t("sharing.share")
                yield Button(Content(label), id="share", variant="primary", compact=True)
                yield Button(Content(t("common.cancel")), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#share-items" if self.preview.items and not self.preview.locked else "#share").focus()

    @on(Button.Pressed, "#share")
    def action_share(self) -> None:
        if self.preview.sign_text is not None:
            self.dismiss(set())
            return
        kept = set(self.query_one("#share-items", SelectionList).selected)
        self.dismiss({item.number for item in self.preview.items if item.number not in kept})

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportPacketScreen(ModalScreen[str | None]):
    """The packet the other person sent: a file's path (terminal) or its text pasted (`coach
    serve`, where the participant cannot name a file on the server). The answer is what was given."""

    KEYS_AREA = "dialog"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel")]

    def __init__(self, other_name: str, *, paste: bool) -> None:
        super().__init__()
        self.other_name = other_name
        self.paste = paste

    def compose(self) -> ComposeResult:
        t = texts_of(self).t
        with Vertical(id="import-dialog", classes="dialog"):
            yield Label(t("sharing.import_title", name=one_line(self.other_name, 40)), classes="dialog-title",
                        markup=False)
            if self.paste:
                yield Label(t("sharing.paste_how"), classes="muted", markup=False)
                yield TextArea(id="import-text", soft_wrap=True, show_line_numbers=False)
            else:
                yield Label(t("sharing.path_how"), classes="muted", markup=False)
                yield Input(placeholder=t("sharing.path_placeholder"), id="import-path")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(t("sharing.add")), id="add", variant="primary", compact=True)
                yield Button(Content(t("common.cancel")), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-text" if self.paste else "#import-path").focus()

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        given = (self.query_one("#import-text", TextArea).text if self.paste
                 else self.query_one("#import-path", Input).value)
        if given.strip():
            self.dismiss(given)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
