"""Two people, one partnership: `coach share` and `coach merge` as use cases.

* **share**: the latest finished conversation of a stage on this person's side, as the other
  person may see it (`SharePreview`: only slots of `visibility: partner`, see
  `coach.content.visibility`, and the documents written to be sent), numbered so the user can
  leave any item out; then one packet file (`coach.export.packet`), private (0600), never over a
  file already there unless asked.
* **merge**: a packet from the other person, checked through (`read_packet`), tied to the one
  relationship it is for (the pair id both sides compute from the two names, the sender and the
  recipient), refused if it is this person's own, older than the one kept, or of a stage unknown
  here; then stored per relationship and stage (the newest wins) with the joint document built
  from both sides (`coach.app.partnership`). Every refusal is one line, and stores nothing.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from coach.app.documents import all_relationships, choose_relationship
from coach.app.errors import AppError
from coach.app.partnership import JOINT_TITLES, Texts, build_joint
from coach.app.ports import Repository
from coach.app.views import Chat
from coach.app.writing import read_existing, write_private
from coach.content.library import FlowLibrary
from coach.content.schema import Flow, Slot
from coach.content.visibility import slot_visibility, stage_flows
from coach.engine.answers import display
from coach.engine.compute import long_date
from coach.engine.text import md_escape
from coach.export import fit_name, folder_name
from coach.export.packet import (
    MAX_BYTES,
    SUFFIX,
    Packet,
    PacketError,
    Recipient,
    Sender,
    packet_bytes,
    pair_id,
    read_packet,
    same_name,
    seal,
)
from coach.literal import visible
from coach.models import (
    DOCUMENT_MAX,
    TEXT_MAX,
    ConversationStatus,
    PartnerStage,
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

    def now(self) -> datetime: ...

    def profiles(self) -> list[Profile]: ...

    def require_stage(self, flow_id: str) -> Flow: ...

    def resume(self, conversation_id: str) -> Chat: ...

    def leave(self, chat: Chat) -> None: ...

    def last_activity(self, summary: SessionSummary) -> datetime: ...


@dataclass(frozen=True)
class ShareItem:
    """One numbered line of the preview: an answer or a document."""

    number: int
    text: str
    answer: SharedAnswer | None = None
    document: SharedDocument | None = None


@dataclass
class SharePreview:
    """What the other person will see of a stage, before anything is written."""

    profile: Profile
    relationship: Relationship
    flow: Flow
    stage: SharedStage
    heading: str
    items: list[ShareItem] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [self.heading, *(f"  {item.text}" for item in self.items)]

    def without(self, drop: set[int]) -> SharedStage:
        """The stage with the numbered items in `drop` left out."""
        kept = [i for i in self.items if i.number not in drop]
        return self.stage.model_copy(update={
            "answers": [i.answer for i in kept if i.answer is not None],
            "documents": [i.document for i in kept if i.document is not None]})


@dataclass(frozen=True)
class Shared:
    path: Path
    message: str
    left_out: str | None


@dataclass(frozen=True)
class Merged:
    relationship: Relationship
    messages: list[str]


def _texts(service: Host) -> Texts:
    return Texts(service.library.prompts)


def fail(service: Host, code: str, **values: object) -> AppError:
    """The one-line error `partnership.errors.<code>` (names and paths shown literally)."""
    return AppError(_texts(service).say(f"errors.{code}", **{k: visible(str(v)) for k, v in values.items()}))


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


def _stage_flow(service: Host, stage: str) -> Flow:
    lib = service.library
    found = next((lf.flow for lf in lib.flows.values() if lf.flow.stage == stage and not lf.flow.subflow), None)
    return found if found is not None and stage not in lib.flows else service.require_stage(stage)


# --- share ---------------------------------------------------------------------------------------------


def _bounded(text: str, limit: int) -> str:
    text = visible(text)  # coach never writes a control character into a packet (a reader refuses one)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _jsonable(value: Any) -> Any:
    """A slot value as a packet holds it: scalars, lists of scalars, lists of flat mappings."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _bounded(value, TEXT_MAX)
    if isinstance(value, list):
        return [_item(v) for v in value[:100]]
    return _bounded(str(value), TEXT_MAX)


def _item(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) if not isinstance(v, list | dict) else _bounded(str(v), TEXT_MAX)
                for k, v in list(value.items())[:20] if re.fullmatch(r"[a-z][a-z0-9_]*", str(k))}
    return _jsonable(value) if not isinstance(value, list) else _bounded(str(value), TEXT_MAX)


def shared_stage(service: Host, profile: Profile, rel: Relationship, flow: Flow) -> SharedStage | None:
    """This person's latest finished conversation of `flow`, as the other person may see it (all
    of it: nothing left out yet); None if they have not finished one."""
    done = [s for s in service.repo.summaries(rel.id)
            if s.flow_id == flow.id and s.role == profile.role and s.status == ConversationStatus.done]
    summary = max(done, key=service.last_activity, default=None)
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
        shared.append(SharedAnswer(slot=name, label=_bounded(label, 200), value=_jsonable(value),
                                   shown=_bounded(display(slot, value), TEXT_MAX)))
    documents = [SharedDocument(kind=a.kind, title=_bounded(a.title, 200), markdown=_bounded(a.markdown, DOCUMENT_MAX),
                                format=a.format)
                 for a in service.repo.list_artifacts(rel.id) if a.session_id == summary.id and a.audience == "partner"]
    return SharedStage(stage=flow.stage, flow_id=flow.id, role=profile.role, finished_at=service.last_activity(summary),
                       answers=shared, documents=documents)


def preview(service: Host, stage: str, wanted: str | None = None) -> SharePreview:
    """What sharing `stage` would show the other person (nothing is written)."""
    flow = _stage_flow(service, stage)
    profile, rel = find_relationship(service, wanted)
    shared = shared_stage(service, profile, rel, flow)
    if shared is None:
        raise fail(service, "not_finished", stage_title=flow.title, other_name=rel.other_name)
    if not shared.answers and not shared.documents:
        raise fail(service, "nothing_to_share", stage_title=flow.title, other_name=rel.other_name)
    t = _texts(service)
    items = [ShareItem(n, t.say("share.answer_item", n=n, label=a.label, shown=_one_line(a.shown)), answer=a)
             for n, a in enumerate(shared.answers, 1)]
    start = len(items) + 1
    items += [ShareItem(n, t.say("share.document_item", n=n, title=d.title), document=d)
              for n, d in enumerate(shared.documents, start)]
    heading = t.say("share.heading", other_name=visible(rel.other_name), stage_title=flow.title,
                    finished=long_date(shared.finished_at.astimezone().date()))
    return SharePreview(profile, rel, flow, shared, heading, items)


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " / ".join(lines)


def parse_drop(service: Host, typed: str, count: int) -> set[int]:
    """The item numbers the user typed to leave out ("3 5", "3,5"); Enter: none."""
    words = [w for w in re.split(r"[\s,;]+", typed.strip()) if w]
    if not all(w.isascii() and w.isdigit() and 1 <= int(w) <= count for w in words):
        raise fail(service, "bad_numbers", typed=typed.strip(), count=count)
    return {int(w) for w in words}


def default_out(preview: SharePreview) -> Path:
    """`ana-lima-fit_check.coach`: who shares which stage."""
    return Path(fit_name(f"{folder_name(preview.profile.name)}-{preview.flow.stage}{SUFFIX}"))


def _view(service: Host, sender: Profile, rel: Relationship, stages: list[tuple[str, SharedStage]],
          created: datetime) -> str:
    """The readable Markdown of a packet: each stage's answers and documents."""
    t = _texts(service)
    parts = []
    for title, stage in stages:
        answers = "\n".join(t.md("packet.answer", label=a.label, shown=_one_line(a.shown)) for a in stage.answers)
        documents = "\n\n".join(t.say("packet.document", title=md_escape(d.title), markdown=d.markdown)
                                for d in stage.documents)
        parts.append(t.say("packet.stage", stage_title=md_escape(title),
                           finished=long_date(stage.finished_at.astimezone().date()),
                           answers=answers or t.say("packet.no_answers"), documents=documents).rstrip())
    role = t.say("role", sender.role.value)
    return t.say("packet.view", sender_name=md_escape(sender.name), recipient_name=md_escape(rel.other_name),
                 sender_role=role, created=long_date(created.astimezone().date()), stages="\n\n".join(parts)).rstrip()


def packet_file(service: Host, preview: SharePreview, drop: set[int]) -> tuple[str, bytes, str]:
    """The packet of `preview` without the items in `drop`, as a file to hand over: its name
    (`default_out`), its bytes, and what to tell the user. Records what was shared (for the joint
    documents and the seals), as `write` does, but writes no file: for `coach serve`, where the
    file is delivered to the browser."""
    content, message = _packet(service, preview, drop, default_out(preview).name)
    return default_out(preview).name, content, message


def write(service: Host, preview: SharePreview, drop: set[int], out: Path | None = None, *,
          force: bool = False) -> Shared:
    """Write the packet of `preview` (without the items in `drop`) to `out` (default: see
    `default_out`): a new file, or over one only with `force`."""
    target = out if out is not None else default_out(preview)
    if not target.parent.is_dir():
        raise fail(service, "no_folder", path=target, folder=target.parent)
    if read_existing(target) is not None and not force:
        raise fail(service, "exists", path=target)
    content, message = _packet(service, preview, drop, str(target), check_only=True)
    write_private(target, content)
    _packet(service, preview, drop, str(target))  # recorded only once the file is there
    return Shared(target, message, _left_out(service, drop))


def _left_out(service: Host, drop: set[int]) -> str | None:
    return _texts(service).say("share.left_out", items=", ".join(str(n) for n in sorted(drop))) if drop else None


def _packet(service: Host, preview: SharePreview, drop: set[int], where: str, *,
            check_only: bool = False) -> tuple[bytes, str]:
    stage = preview.without(drop)
    if not stage.answers and not stage.documents:
        raise fail(service, "all_left_out")
    profile, rel = preview.profile, preview.relationship
    created = service.now()
    packet = seal(created_at=created, sender=Sender(name=_bounded(profile.name, 200), role=profile.role),
                  recipient=Recipient(name=_bounded(rel.other_name, 200)),
                  pair=pair_id(rel.mentee_name, rel.mentor_name), stages=[stage],
                  markdown=_view(service, profile, rel, [(preview.flow.title, stage)], created))
    t = _texts(service)
    kept = len(stage.answers) + len(stage.documents)
    count = t.say("share.count_one") if kept == 1 else t.say("share.count_many", n=kept)
    message = t.say("share.written", path=visible(where), other_name=visible(rel.other_name), count=count,
                    file=visible(Path(where).name))
    return packet_bytes(packet), message


# --- merge ---------------------------------------------------------------------------------------------


def _read(service: Host, path: Path) -> bytes:
    """The bytes of the packet file at `path`: a regular file, not over the size limit."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise fail(service, "missing", path=path) from None
    except OSError as error:
        raise fail(service, "unreadable", path=path, reason=(error.strerror or str(error)).lower()) from None
    if not stat.S_ISREG(st.st_mode):
        raise fail(service, "not_a_file", path=path)
    if st.st_size > MAX_BYTES:
        raise fail(service, "too_large", path=path, size=f"{st.st_size / 1024 / 1024:.1f}",
                   limit=MAX_BYTES // 1024 // 1024)
    try:
        with open(path, "rb") as file:
            return file.read(MAX_BYTES + 1)
    except OSError as error:
        raise fail(service, "unreadable", path=path, reason=(error.strerror or str(error)).lower()) from None


def _relationship_for(service: Host, path: str, packet: Packet,
                      wanted: str | None) -> tuple[Profile, Relationship]:
    relationships = all_relationships(service.repo)
    if not relationships:
        raise fail(service, "no_relationship")
    profiles = {p.id: p for p in service.profiles()}
    sender = packet.sender
    t = _texts(service)
    who = {"path": path, "sender": sender.name, "role": t.say("role", sender.role.value),
           "recipient": packet.recipient.name}
    ours = [r for r in relationships if pair_id(r.mentee_name, r.mentor_name) == packet.pair_id]
    for rel in ours:
        me = profiles[rel.profile_id]
        if same_name(me.name, sender.name) and me.role == sender.role:
            raise fail(service, "own_packet", **who, other_name=rel.other_name)
    fits = [r for r in ours if same_name(r.other_name, sender.name) and same_name(profiles[r.profile_id].name,
            packet.recipient.name) and profiles[r.profile_id].role != sender.role]
    if wanted is not None:
        rel = choose_relationship(relationships, wanted)
        if rel not in fits:
            raise fail(service, "not_this_relationship", **who, other_name=rel.other_name)
    elif not fits:
        raise fail(service, "another_relationship", **who,
                   names=", ".join(t.say("errors.pair", name=profiles[r.profile_id].name, other_name=r.other_name)
                                   for r in relationships))
    elif len(fits) > 1:
        raise fail(service, "several_relationships", names=", ".join(r.other_name for r in fits))
    else:
        rel = fits[0]
    return profiles[rel.profile_id], rel


def merge(service: Host, path: Path, wanted: str | None = None) -> Merged:
    """Check the packet at `path` and attach it to the relationship it is for, with the joint
    documents; AppError (one line) and nothing stored if anything is wrong."""
    return merge_bytes(service, _read(service, path), str(path), wanted)


def merge_bytes(service: Host, raw: bytes, name: str, wanted: str | None = None) -> Merged:
    """`merge` of a packet's bytes (an upload in `coach serve`), `name` saying where they came
    from in the messages."""
    path = name
    try:
        packet = read_packet(raw)
    except PacketError as error:
        raise fail(service, error.code, path=path, **error.values) from None
    profile, rel = _relationship_for(service, path, packet, wanted)
    lib = service.library
    for stage in packet.stages:
        if stage.flow_id not in lib.flows or lib.flow(stage.flow_id).stage != stage.stage:
            raise fail(service, "unknown_stage", path=path, stage=stage.stage)
    kept = {p.stage: p for p in service.repo.list_partner_stages(rel.id)}
    for stage in packet.stages:
        earlier = kept.get(stage.stage)
        if earlier is not None and earlier.created_at > packet.created_at:
            raise fail(service, "older_packet", path=path, created=_when(packet.created_at),
                       stage_title=lib.flow(stage.flow_id).title, sender=packet.sender.name,
                       stored=_when(earlier.created_at))
    t = _texts(service)
    now = service.now()
    messages: list[str] = []
    for stage in packet.stages:
        flow = lib.flow(stage.flow_id)
        record = PartnerStage(id=PartnerStage.key(rel.id, stage.stage), relationship_id=rel.id, stage=stage.stage,
                              sender_name=packet.sender.name, sender_role=packet.sender.role,
                              created_at=packet.created_at, received_at=now, checksum=packet.checksum, shared=stage)
        mine = shared_stage(service, profile, rel, flow)
        joint = build_joint(stage.stage, mine, stage, profile, rel, t, now) if mine is not None else None
        service.repo.save_exchange(rel.id, partner=record, artifacts=[joint] if joint else [])
        names = {"sender_name": visible(packet.sender.name), "other_name": visible(rel.other_name),
                 "stage_title": flow.title}
        messages.append(t.say("merge.merged", **names, created=_when(packet.created_at)))
        if joint is not None:
            messages.append(t.say("merge.joint_ready", title=t.say(JOINT_TITLES[stage.stage])))
        elif mine is None and stage.stage in JOINT_TITLES:
            messages.append(t.say("merge.need_own", **names, title=t.say(JOINT_TITLES[stage.stage])))
        else:
            messages.append(t.say("merge.no_joint", **names))
    return Merged(rel, messages)


def _when(moment: datetime) -> str:
    return long_date(moment.astimezone().date())


def text(service: Host, key: str, **values: object) -> str:
    """A partnership text (`partnership.<key>`) for a client to show, names shown literally."""
    return _texts(service).say(key, **{k: visible(str(v)) for k, v in values.items()})
