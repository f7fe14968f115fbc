"""Every document of one relationship, oldest first, under the stage and date that made them:
open one (with the others of its session), copy it, or export them all (again and again: the
files already written are kept, never written over)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from coach.models import Artifact
from coach.tui.screens.artifacts import ArtifactScreen, copied_as
from coach.tui.screens.base import coach_app
from coach.tui.text import one_line
from coach.tui.widgets.footer import KeyFooter


def local_day(moment: datetime) -> date:
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def stage_name(stage: str) -> str:
    """`fit_check` as a reader calls it: "Fit check"."""
    return stage.replace("_", " ").capitalize()


@dataclass
class DocumentGroup:
    """The documents one session of a stage left, on one day."""

    stage: str
    day: date
    session_id: str | None
    artifacts: list[Artifact] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{stage_name(self.stage)} · {self.day.isoformat()}"

    def holds(self, artifact: Artifact) -> bool:
        return (artifact.stage, artifact.session_id, local_day(artifact.created_at)) == (
            self.stage, self.session_id, self.day)


def group_documents(artifacts: Sequence[Artifact]) -> list[DocumentGroup]:
    """The documents oldest first, those of one session and day together."""
    groups: list[DocumentGroup] = []
    for art in sorted(artifacts, key=lambda a: a.created_at):
        if not groups or not groups[-1].holds(art):
            groups.append(DocumentGroup(art.stage, local_day(art.created_at), art.session_id))
        groups[-1].artifacts.append(art)
    return groups


class DocumentsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open", "Open", tooltip="Read the document (Enter does too)"),
        Binding("c", "copy", "Copy", tooltip="Copy the document to the clipboard"),
        Binding("e", "export", "Export all", tooltip="Save every document as a file (the same files again)"),
        Binding("escape,q", "close", "Close"),
    ]

    def __init__(self, artifacts: Sequence[Artifact], other_name: str) -> None:
        super().__init__()
        self.groups = group_documents(artifacts)
        self.places = [(g, i) for g in self.groups for i in range(len(g.artifacts))]  # per document
        self.artifacts = [g.artifacts[i] for g, i in self.places]
        self.other_name = other_name
        self.title = f"Documents with {one_line(other_name, 40)}"
        self.sub_title = "oldest first" if self.artifacts else ""

    def compose(self) -> ComposeResult:
        yield Header()
        if self.artifacts:
            yield OptionList(*self._options(), id="documents")
        else:
            line = Content.assemble("No documents with ", one_line(self.other_name, 40),
                                    " yet: finishing a stage makes its report or agreement.")
            yield Static(line, id="documents-empty", classes="muted")
        yield KeyFooter()

    def _options(self) -> Iterator[Option]:
        n = 0
        for group in self.groups:
            yield Option(Content.styled(group.label, "bold"), disabled=True)
            for art in group.artifacts:
                yield Option(Content.assemble("  ", one_line(art.title, 70)), id=f"doc-{n}")
                n += 1

    def on_mount(self) -> None:
        if self.artifacts:
            documents = self.query_one("#documents", OptionList)
            documents.highlighted = 1  # the first document, under its heading
            documents.focus()

    @property
    def current_index(self) -> int | None:
        """Which document is highlighted."""
        if not self.artifacts:
            return None
        option = self.query_one("#documents", OptionList).highlighted_option
        return None if option is None or option.id is None else int(option.id.removeprefix("doc-"))

    @property
    def current(self) -> Artifact | None:
        index = self.current_index
        return None if index is None else self.artifacts[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "copy", "export"):
            return bool(self.artifacts)  # none yet: only Close
        return True

    @on(OptionList.OptionSelected, "#documents")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        index = self.current_index
        if index is not None:
            group, position = self.places[index]
            self.app.push_screen(ArtifactScreen(group.artifacts, self.other_name, active=position))

    def action_copy(self) -> None:
        art = self.current
        if art is not None:
            self.app.copy_to_clipboard(art.markdown)
            self.notify(f"{one_line(art.title, 40)}: copied to the clipboard ({copied_as(art)}).", title="Copied",
                        markup=False)

    async def action_export(self) -> None:
        app = coach_app(self)
        try:
            paths = await app.data.call(app.exports().documents, self.artifacts, self.other_name)
        except Exception as error:
            self.notify(str(error), title="Export failed", severity="error", markup=False)
            return
        if paths:
            self.notify(f"{len(paths)} files in {paths[0].parent}", title="Exported", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterator[SystemCommand]:
        if self.artifacts:
            yield SystemCommand("Open document", "Read the highlighted document", self.action_open)
            yield SystemCommand("Copy document", "Copy it to the clipboard", self.action_copy)
            yield SystemCommand("Export all documents", "Save every document with this person as files",
                                self.action_export)
        yield SystemCommand("Close", "Back to the home screen", self.action_close)
