"""What a stage leaves the user with (a report, an agreement, an agenda): preview, export, copy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Markdown, Static, TabbedContent, TabPane

from coach.models import Artifact
from coach.tui.i18n import UiTexts, texts_of, ui_texts
from coach.tui.screens.base import coach_app
from coach.tui.text import displayable
from coach.tui.widgets.footer import KeyFooter
from coach.tui.widgets.header import CoachHeader
from coach.tui.widgets.messages import literal_markdown_parser


def copied_as(artifact: Artifact, ui: UiTexts | None = None) -> str:
    return (ui or ui_texts()).t("common.copied_plain" if artifact.format == "text" else "common.copied_markdown")


class ArtifactScreen(Screen[None]):
    KEYS_AREA = "artifacts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export"),
        Binding("c", "copy"),
        Binding("escape,q", "close"),
    ]

    def __init__(self, artifacts: list[Artifact], other_name: str, *, active: int = 0) -> None:
        super().__init__()
        self.artifacts = artifacts
        self.active = active
        self.other_name = other_name
        self.ui = texts_of(self)
        self.title = self.ui.t("artifacts.title") if len(artifacts) > 1 else artifacts[0].title
        self.sub_title = self.ui.t("artifacts.sub_title")

    def compose(self) -> ComposeResult:
        yield CoachHeader()
        with TabbedContent(id="artifact-tabs", initial=f"artifact-{self.active}"):
            for i, art in enumerate(self.artifacts):
                with TabPane(Content(displayable(art.title)), id=f"artifact-{i}"), \
                        VerticalScroll(classes="artifact-scroll"):
                    if art.format == "text":  # plain text to paste as it is: shown as it is
                        yield Static(Content(displayable(art.markdown)), classes="artifact -text")
                    else:
                        yield Markdown(displayable(art.markdown), open_links=False, classes="artifact",
                                       parser_factory=literal_markdown_parser)
        yield KeyFooter()

    @property
    def current(self) -> Artifact:
        active = self.query_one(TabbedContent).active
        index = int(active.rsplit("-", 1)[1]) if active else 0
        return self.artifacts[index]

    async def action_export(self) -> None:
        app = coach_app(self)
        try:
            paths = await app.data.call(app.exports().documents, self.artifacts, self.other_name)
        except Exception as error:
            self.notify(str(error), title=self.ui.t("common.export_failed"), severity="error", markup=False)
            return
        self.notify(app.saved_line(paths), title=self.ui.t("common.exported"), markup=False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.current.markdown)
        self.notify(self.ui.t("artifacts.copied", how=copied_as(self.current, self.ui)),
                    title=self.ui.t("common.copied"), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterator[SystemCommand]:
        t = self.ui.t
        for name, action in (("export", self.action_export), ("copy", self.action_copy), ("close", self.action_close)):
            yield SystemCommand(t(f"palette.artifacts.{name}"), t(f"palette.artifacts.{name}_help"), action)
