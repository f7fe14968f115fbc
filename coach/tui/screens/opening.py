"""What the home screen opens: a stage's chat (a finished stage asks first: its documents, or
start again?) and a relationship's documents. Imported when first used, with the chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from coach.tui.i18n import texts_of
from coach.tui.screens.artifacts import ArtifactScreen
from coach.tui.screens.base import coach_app, service_call
from coach.tui.screens.chat import ChatScreen, ChatSession
from coach.tui.screens.documents import DocumentsScreen
from coach.tui.screens.finished import FinishedStageScreen

if TYPE_CHECKING:
    from coach.app.views import StageStatus
    from coach.models import Artifact, Profile, Relationship


async def documents_of(screen: Screen[None], relationship: Relationship) -> list[Artifact] | None:
    """The relationship's documents, read on the data thread (None: they could not be read, said)."""
    app = coach_app(screen)
    try:
        return await app.data.call(app.data.service.documents, relationship.id)
    except Exception as error:
        screen.notify(str(error), title=texts_of(screen).t("common.could_not_read_data"), severity="error",
                      markup=False)
        return None


async def show_documents(screen: Screen[None], relationship: Relationship) -> None:
    documents = await documents_of(screen, relationship)
    if documents is not None:
        screen_class = texts_of(screen).localized(DocumentsScreen)
        await screen.app.push_screen(screen_class(documents, relationship.other_name, relationship.id))


async def show_brief(screen: Screen[None], relationship: Relationship) -> None:
    """The brief before the next meeting (coach.app.brief), as a document: read, exported, copied."""
    app, ui = coach_app(screen), texts_of(screen)
    page = await service_call(screen, ui.t("home.brief_refused"), ui.t("common.could_not_read_data"),
                              app.data.service.brief, relationship.id)
    if page is None:
        return
    from coach.models import Artifact

    title = ui.t("home.brief_title", other=relationship.other_name)
    brief = Artifact(relationship_id=relationship.id, stage="brief", kind="brief", title=title, markdown=page)
    await screen.app.push_screen(ui.localized(ArtifactScreen)([brief], relationship.other_name))


async def start_again(screen: Screen[None], stage: StageStatus, relationship: Relationship) -> bool:
    """Ask what to do with a finished stage: True to start it again; its documents are shown if
    asked for. (Call from a worker: it waits for the answer.)"""
    documents = await documents_of(screen, relationship)
    if documents is None:
        return False
    left = [a for a in documents if a.session_id == stage.done_id]
    ui = texts_of(screen)
    choice = await screen.app.push_screen_wait(ui.localized(FinishedStageScreen)(stage, len(left)))
    if choice == "documents" and left:
        await screen.app.push_screen(ui.localized(ArtifactScreen)(left, relationship.other_name))
    return choice == "again"


async def open_chat(screen: Screen[None], profile: Profile, relationship: Relationship, flow_id: str,
                    stages: list[StageStatus]) -> None:
    """Resume the stage's unfinished conversation, or start one (the service decides)."""
    app, ui = coach_app(screen), texts_of(screen)
    chat = await service_call(screen, ui.t("opening.cannot_open"), ui.t("common.could_not_read_data"),
                              app.data.service.open_stage, profile, relationship, flow_id)
    if chat is None:
        return
    if chat.again:
        screen.notify(ui.t("opening.again", title=chat.title), markup=False)
    await app.push_screen(ui.localized(ChatScreen)(ChatSession(chat, profile, relationship, stages)))
