"""Every document of one relationship, oldest first, under the stage and date that made them:
open one (with the others of its session), copy it, or export them all (again and again: the
files already written are kept, never written over)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coach.app.errors import AppError
from coach.models import Artifact
from coach.tui.i18n import UiTexts, texts_of, ui_texts
from coach.tui.screens.artifacts import ArtifactScreen, copied_as
from coach.tui.screens.base import coach_app, service_call
from coach.tui.screens.sharing import ImportPacketScreen, PickStageScreen, SharePreviewScreen
from coach.tui.text import one_line
from coach.tui.widgets.footer import KeyFooter
from coach.tui.widgets.header import CoachHeader


def local_day(moment: datetime) -> date:
    return moment.astimezone().date() if moment.tzinfo else moment.date()


@dataclass
class DocumentGroup:
    """The documents one session of a stage left, on one day."""

    stage: str
    day: date
    session_id: str | None
    artifacts: list[Artifact] = field(default_factory=list)

    def label(self, ui: UiTexts | None = None) -> str:
        ui = ui or ui_texts()
        return ui.t("documents.group", stage=ui.stage_name(self.stage), date=ui.day(self.day))

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
    KEYS_AREA = "documents"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open"),
        Binding("c", "copy"),
        Binding("e", "export"),
        Binding("s", "share"),
        Binding("i", "import"),
        Binding("escape,q", "close"),
    ]

    def __init__(self, artifacts: Sequence[Artifact], other_name: str, relationship_id: str | None = None) -> None:
        super().__init__()
        self.ui = texts_of(self)
        self.relationship_id = relationship_id
        self._load(artifacts, other_name)

    def _load(self, artifacts: Sequence[Artifact], other_name: str) -> None:
        self.groups = group_documents(artifacts)
        self.places = [(g, i) for g in self.groups for i in range(len(g.artifacts))]  # per document
        self.artifacts = [g.artifacts[i] for g, i in self.places]
        self.other_name = other_name
        self.title = self.ui.t("documents.title", name=one_line(other_name, 40))
        self.sub_title = self.ui.t("documents.oldest_first") if self.artifacts else ""

    def compose(self) -> ComposeResult:
        yield CoachHeader()
        if self.artifacts:
            yield OptionList(*self._options(), id="documents")
        else:
            line = Content(self.ui.t("documents.empty", name=one_line(self.other_name, 40)))
            yield Static(line, id="documents-empty", classes="muted")
        yield KeyFooter()

    def _options(self) -> Iterator[Option]:
        n = 0
        for group in self.groups:
            yield Option(Content.styled(group.label(self.ui), "bold"), disabled=True)
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
        if action in ("share", "import"):
            return self.relationship_id is not None
        return True

    @on(OptionList.OptionSelected, "#documents")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        index = self.current_index
        if index is not None:
            group, position = self.places[index]
            self.app.push_screen(self.ui.localized(ArtifactScreen)(group.artifacts, self.other_name, active=position))

    def action_copy(self) -> None:
        art = self.current
        if art is not None:
            self.app.copy_to_clipboard(art.markdown)
            self.notify(self.ui.t("documents.copied", title=one_line(art.title, 40), how=copied_as(art, self.ui)),
                        title=self.ui.t("common.copied"), markup=False)

    async def action_export(self) -> None:
        app = coach_app(self)
        try:
            paths = await app.data.call(app.exports().documents, self.artifacts, self.other_name)
        except Exception as error:
            self.notify(str(error), title=self.ui.t("common.export_failed"), severity="error", markup=False)
            return
        if paths:
            self.notify(self.ui.t("documents.files_in", count=len(paths), folder=paths[0].parent),
                        title=self.ui.t("common.exported"), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    # --- two people, one partnership -------------------------------------------------------------

    @work(exclusive=True, group="share")
    async def action_share(self) -> None:
        """Pick a finished stage, see what the other person will see, leave things out, share."""
        app, t = coach_app(self), self.ui.t
        service = app.data.service
        stages = list(dict.fromkeys(a.stage for a in self.artifacts))
        previews = []
        refused: str | None = None
        for stage in stages:
            try:
                previews.append(await app.data.call(service.share_preview, stage, self.relationship_id))
            except AppError as error:
                refused = refused or str(error)
            except Exception as error:
                self.notify(str(error), title=t("common.could_not_read_data"), severity="error", markup=False)
                return
        try:  # the joint agreement, once the other person's commitment is here: sign it
            signing = await app.data.call(service.sign_preview, "commitment", self.relationship_id)
        except AppError:
            pass
        except Exception as error:
            self.notify(str(error), title=t("common.could_not_read_data"), severity="error", markup=False)
            return
        else:
            previews.append(signing)
        if not previews:
            self.notify(refused or t("documents.nothing_to_share", name=one_line(self.other_name, 40)),
                        title=t("documents.nothing_to_share_title"), severity="warning", markup=False)
            return
        index = 0
        if len(previews) > 1:
            labels = [t("documents.sign", stage=self.ui.stage_name(p.flow.stage)) if p.sign_text
                      else self.ui.stage_name(p.flow.stage) for p in previews]
            picked = await app.push_screen_wait(self.ui.localized(PickStageScreen)(labels, self.other_name))
            if picked is None:
                return
            index = picked
        drop = await app.push_screen_wait(self.ui.localized(SharePreviewScreen)(previews[index]))
        if drop is None:
            return
        message = await service_call(self, t("documents.not_shared"), t("documents.could_not_share"), app.send_packet,
                                     previews[index], drop)
        if message is not None:
            self.notify(message, title=t("documents.shared"), markup=False)

    @work(exclusive=True, group="share")
    async def action_import(self) -> None:
        """Add the packet the other person sent; its joint documents join the list."""
        app, t = coach_app(self), self.ui.t
        service = app.data.service
        given = await app.push_screen_wait(self.ui.localized(ImportPacketScreen)(self.other_name,
                                                                                 paste=app.PASTE_PACKETS))
        if given is None:
            return
        refused, failed = t("common.packet_not_added"), t("common.packet_could_not_add")
        if app.PASTE_PACKETS:
            merged = await service_call(self, refused, failed, service.merge_bytes, given.encode("utf-8"),
                                        t("documents.pasted_packet"), self.relationship_id)
        else:
            merged = await service_call(self, refused, failed, service.merge, Path(given.strip()).expanduser(),
                                        self.relationship_id)
        documents = await service_call(self, refused, failed, service.documents, self.relationship_id) \
            if merged is not None else None
        if merged is None or documents is None:
            return
        await self._show(documents)
        self.notify("\n".join(merged.messages) or t("common.added"), title=t("common.packet_added"), markup=False)

    async def reload(self) -> None:
        """Show the relationship's documents as they are now (a packet was added)."""
        await self._show(await coach_app(self).data.call(coach_app(self).data.service.documents, self.relationship_id))

    async def _show(self, documents: Sequence[Artifact]) -> None:
        self._load(documents, self.other_name)
        await self.recompose()
        self.on_mount()

    def palette_commands(self) -> Iterator[SystemCommand]:
        t = self.ui.t
        names: list[tuple[str, Callable[[], object]]] = []
        if self.artifacts:
            names += [("open", self.action_open), ("copy", self.action_copy), ("export", self.action_export)]
        if self.relationship_id is not None:
            names += [("share", self.action_share), ("import", self.action_import)]
        names.append(("close", self.action_close))
        for name, action in names:
            yield SystemCommand(t(f"palette.documents.{name}"), t(f"palette.documents.{name}_help"), action)
