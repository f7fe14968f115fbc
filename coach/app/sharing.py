"""What one side of a partnership may share, and the parts every partnership use case needs.

`shared_stage` is a person's latest finished conversation of a stage as the other person may see
it: only slots of `visibility: partner` (see `coach.content.visibility`), only answers given (not
skipped), and the documents written to be sent, every value bounded and free of control
characters (a packet reader refuses them). `Host` is what these use cases need of the application
service; `fail` words a one-line error from `prompts/<locale>/partnership.yaml`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Protocol

from coach.app.documents import all_relationships, choose_relationship
from coach.app.errors import AppError
from coach.app.partnership import Texts
from coach.app.ports import Repository
from coach.app.views import Chat
from coach.content.library import FlowLibrary
from coach.content.schema import Flow, Slot
from coach.content.visibility import slot_visibility, stage_flows
from coach.engine.answers import display
from coach.literal import visible
from coach.models import (
    DOCUMENT_MAX,
    TEXT_MAX,
    ConversationStatus,
    Profile,
    Relationship,
    SessionSummary,
    SharedAnswer,
    SharedDocument,
    SharedStage,
)


class Host(Protocol):
    """What these use cases need of the application service (`coach.app.service.CoachService`)."""

    repo: Repository
    library: FlowLibrary
    locale: str

    def now(self) -> datetime: ...

    def profiles(self) -> list[Profile]: ...

    def require_stage(self, flow_id: str) -> Flow: ...

    def resume(self, conversation_id: str) -> Chat: ...

    def leave(self, chat: Chat) -> None: ...

    def last_activity(self, summary: SessionSummary) -> datetime: ...


def texts(service: Host) -> Texts:
    return Texts(service.library.prompts, service.locale)


def fail(service: Host, code: str, **values: object) -> AppError:
    """The one-line error `partnership.errors.<code>` (names and paths shown literally)."""
    return AppError(texts(service).say(f"errors.{code}", **{k: visible(str(v)) for k, v in values.items()}))


def find_relationship(service: Host, wanted: str | None) -> tuple[Profile, Relationship]:
    relationships = all_relationships(service.repo)
    if not relationships:
        raise fail(service, "no_relationship")
    if wanted is not None:
        rel = choose_relationship(relationships, wanted)
    elif len(relationships) == 1:
        rel = relationships[0]
    else:
        raise fail(service, "several_relationships", names=", ".join(r.other_name for r in relationships))
    profile = next(p for p in service.profiles() if p.id == rel.profile_id)
    return profile, rel


def stage_flow(service: Host, stage: str) -> Flow:
    lib = service.library
    found = next((lf.flow for lf in lib.flows.values() if lf.flow.stage == stage and not lf.flow.subflow), None)
    return found if found is not None and stage not in lib.flows else service.require_stage(stage)


def bounded(text: str, limit: int) -> str:
    text = visible(text)  # coach never writes a control character into a packet (a reader refuses one)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _jsonable(value: Any) -> Any:
    """A slot value as a packet holds it: scalars, lists of scalars, lists of flat mappings."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return bounded(value, TEXT_MAX)
    if isinstance(value, list):
        return [_item(v) for v in value[:100]]
    return bounded(str(value), TEXT_MAX)


def _item(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) if not isinstance(v, list | dict) else bounded(str(v), TEXT_MAX)
                for k, v in list(value.items())[:20] if re.fullmatch(r"[a-z][a-z0-9_]*", str(k))}
    return _jsonable(value) if not isinstance(value, list) else bounded(str(value), TEXT_MAX)


def latest_done(service: Host, profile: Profile, rel: Relationship, flow: Flow) -> SessionSummary | None:
    """This person's latest finished conversation of `flow` in `rel`."""
    done = [s for s in service.repo.summaries(rel.id)
            if s.flow_id == flow.id and s.role == profile.role and s.status == ConversationStatus.done]
    return max(done, key=lambda s: s.finished_at or service.last_activity(s), default=None)


def shared_stage(service: Host, profile: Profile, rel: Relationship, flow: Flow) -> SharedStage | None:
    """This person's latest finished conversation of `flow`, as the other person may see it (all
    of it: nothing left out yet); None if they have not finished one."""
    summary = latest_done(service, profile, rel, flow)
    if summary is None:
        return None
    chat = service.resume(summary.id)
    try:
        slots, answers = dict(chat.conversation.slots), dict(chat.conversation.answers)
    finally:
        service.leave(chat)
    lib = service.library
    flows = {fid: lf.flow for fid, lf in lib.flows.items()}
    visibility = slot_visibility(flow.id, flows, lib.prompts)
    declared: dict[str, Slot] = {}
    for f in reversed(stage_flows(flow.id, flows)):
        declared.update(f.slots)
    shared: list[SharedAnswer] = []
    for name, slot in declared.items():
        value = slots.get(name)
        if visibility.get(name) != "partner" or value is None or value == "" or value == []:
            continue
        if name in answers and (answers[name].skipped or answers[name].gave_up):
            continue
        label = (slot.label or name.replace("_", " ")).strip()
        shared.append(SharedAnswer(slot=name, label=bounded(label, 200), value=_jsonable(value),
                                   shown=bounded(display(slot, value), TEXT_MAX)))
    documents = [SharedDocument(kind=a.kind, title=bounded(a.title, 200), markdown=bounded(a.markdown, DOCUMENT_MAX),
                                format=a.format)
                 for a in service.repo.list_recent_artifacts(rel.id)
                 if a.session_id == summary.id and a.audience == "partner"]
    return SharedStage(stage=flow.stage, flow_id=flow.id, role=profile.role, finished_at=service.last_activity(summary),
                       answers=shared, documents=documents)
