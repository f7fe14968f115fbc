"""What a stage leaves the user with (a report, an agreement, an agenda): preview, export, copy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Markdown, Static, TabbedContent, TabPane

from coach.models import Artifact
from coach.tui.screens.base import coach_app
from coach.tui.text import displayable
from coach.tui.widgets.footer import KeyFooter
from coach.tui.widgets.messages import literal_markdown_parser


def copied_as(artifact: Artifact) -> str:
    return "as plain text" if artifact.format == "text" else "as Markdown"


class ArtifactScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export all"),
        Binding("c", "copy", "Copy"),
        Binding("escape,q", "close", "Close"),
    ]

    def __init__(self, artifacts: list[Artifact], other_name: str, *, active: int = 0) -> None:
        super().__init__()
        self.artifacts = artifacts
        self.active = active
        self.other_name = other_name
        self.title = "Your documents" if len(artifacts) > 1 else artifacts[0].title
        self.sub_title = "e export · c copy · Esc close"

    def compose(self) -> ComposeResult:
        yield Header()
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
            self.notify(str(error), title="Export failed", severity="error", markup=False)
            return
        more = f" (and {', '.join(p.name for p in paths[1:])})" if len(paths) > 1 else ""
        self.notify(f"Saved to {paths[0]}{more}", title="Exported", markup=False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.current.markdown)
        self.notify(f"Copied to the clipboard ({copied_as(self.current)}).", title="Copied")

    def action_close(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Export documents", "Save them as Markdown (and a calendar file for a meeting)",
                            self.action_export)
        yield SystemCommand("Copy document", "Copy it to the clipboard", self.action_copy)
        yield SystemCommand("Close", "Close the documents", self.action_close)
