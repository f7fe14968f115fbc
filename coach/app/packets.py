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

from coach.app import exchange, joints
from coach.app.documents import all_relationships, choose_relationship
from coach.app.partnership import Texts
from coach.app.sharing import Host, bounded, fail, find_relationship, latest_done, shared_stage, stage_flow, texts
from coach.app.writing import read_existing, write_private
from coach.content.schema import Flow
from coach.engine.seal import ShareAction, seal_info
from coach.engine.text import lines_joined, md_escape
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
    Artifact,
    OwnStage,
    PartnerStage,
    Profile,
    Relationship,
    Role,
    SharedAnswer,
    SharedDocument,
    SharedStage,
)


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
    session_id: str | None = None  # the conversation shared
    action: ShareAction | None = None  # a sealed stage: what this share does (coach.engine.seal)
    note: str | None = None  # what the user should know first (sealed: what the other sees, and when)
    locked: bool = False  # already sealed: shared as sealed, nothing can be left out
    sign_text: str | None = None  # `coach sign`: the agreed text the user signs

    def lines(self) -> list[str]:
        return [self.heading, *(f"  {item.text}" for item in self.items), *([self.note] if self.note else [])]

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


# --- share ---------------------------------------------------------------------------------------------


def preview(service: Host, stage: str, wanted: str | None = None) -> SharePreview:
    """What sharing `stage` would show the other person (nothing is written). A sealed stage
    already sealed shows what was sealed, which is what is sent (`locked`)."""
    flow = stage_flow(service, stage)
    profile, rel = find_relationship(service, wanted)
    action, session = exchange.share_mode(service, profile, rel, flow)
    own = exchange.own_record(service, rel.id, flow.stage)
    locked = action in ("reveal", "resend_seal", "resend_reveal") and own.seal is not None
    shared = own.seal.content if locked and own.seal is not None else shared_stage(service, profile, rel, flow)
    if shared is None:
        raise fail(service, "not_finished", stage_title=flow.title, other_name=rel.other_name)
    if not shared.answers and not shared.documents:
        raise fail(service, "nothing_to_share", stage_title=flow.title, other_name=rel.other_name)
    t = texts(service)
    items = [ShareItem(n, t.say("share.answer_item", n=n, label=a.label, shown=lines_joined(a.shown)), answer=a)
             for n, a in enumerate(shared.answers, 1)]
    start = len(items) + 1
    items += [ShareItem(n, t.say("share.document_item", n=n, title=d.title), document=d)
              for n, d in enumerate(shared.documents, start)]
    heading = t.say("share.heading", other_name=visible(rel.other_name), stage_title=flow.title,
                    finished=t.when(shared.finished_at))
    note = None
    if action is not None:
        sealed_on = t.when(own.seal.sealed_at) if own.seal is not None else ""
        note = t.say(f"share.sealed.{action}", other_name=visible(rel.other_name), sealed=sealed_on)
    return SharePreview(profile, rel, flow, shared, heading, items, session, action, note, locked)


def sign_preview(service: Host, stage: str, wanted: str | None = None) -> SharePreview:
    """`coach sign`: the share of a signed stage with the agreed text the user is asked to sign
    (built from what they share and what the other person shared)."""
    flow = stage_flow(service, stage)
    if flow.stage not in exchange.SIGNED:
        raise fail(service, "not_signed_stage", stage_title=flow.title,
                   stages=", ".join(sorted(exchange.SIGNED)))
    shown = preview(service, stage, wanted)
    rel = shown.relationship
    partner = exchange.partner_record(service, rel.id, flow.stage)
    if partner is None:
        raise fail(service, "nothing_to_sign", other_name=rel.other_name, stage_title=flow.title)
    own = exchange.own_record(service, rel.id, flow.stage)
    content = own.sent if own.sent is not None and own.sent.finished_at == shown.stage.finished_at else shown.stage
    text = exchange.agreed_text(service, shown.profile, rel, content, partner, own)
    if text is None:
        raise fail(service, "nothing_to_sign", other_name=rel.other_name, stage_title=flow.title)
    kept = {(a.slot, a.shown) for a in content.answers}
    drop = {i.number for i in shown.items if i.answer is not None and (i.answer.slot, i.answer.shown) not in kept}
    shown.locked, shown.sign_text = True, text
    shown.stage = shown.without(drop)
    shown.items = [i for i in shown.items if i.number not in drop]
    shown.note = texts(service).say("sign.note", other_name=visible(rel.other_name))
    return shown


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
    t = texts(service)
    parts = []
    for title, stage in stages:
        info = seal_info(stage)
        if info is not None and not info.revealed:
            parts.append(t.say("packet.sealed_stage", stage_title=md_escape(title), sender_name=md_escape(sender.name),
                               hash=info.hash, recipient_name=md_escape(rel.other_name)))
            continue
        answers = "\n".join(t.md("packet.answer", label=a.label, shown=lines_joined(a.shown)) for a in stage.answers)
        documents = "\n\n".join(t.say("packet.document", title=md_escape(d.title), markdown=d.markdown)
                                for d in stage.documents)
        parts.append(t.say("packet.stage", stage_title=md_escape(title),
                           finished=t.when(stage.finished_at),
                           answers=answers or t.say("packet.no_answers"), documents=documents).rstrip())
    role = t.say("role", sender.role.value)
    return t.say("packet.view", sender_name=md_escape(sender.name), recipient_name=md_escape(rel.other_name),
                 sender_role=role, created=t.when(created), stages="\n\n".join(parts)).rstrip()


def packet_file(service: Host, preview: SharePreview, drop: set[int]) -> tuple[str, bytes, str]:
    """The packet of `preview` without the items in `drop`, as a file to hand over: its name
    (`default_out`), its bytes, and what to tell the user. Records what was shared (for the joint
    documents and the seals), as `write` does, but writes no file: for `coach serve`, where the
    file is delivered to the browser."""
    name = default_out(preview).name
    built = _build(service, preview, drop, name)
    _record(service, preview, built)
    return name, packet_bytes(built.packet), built.message


def write(service: Host, preview: SharePreview, drop: set[int], out: Path | None = None, *,
          force: bool = False) -> Shared:
    """Write the packet of `preview` (without the items in `drop`) to `out` (default: see
    `default_out`): a new file, or over one only with `force`; then record what was shared."""
    target = out if out is not None else default_out(preview)
    if not target.parent.is_dir():
        raise fail(service, "no_folder", path=target, folder=target.parent)
    if read_existing(target) is not None and not force:
        raise fail(service, "exists", path=target)
    built = _build(service, preview, drop, str(target))
    write_private(target, packet_bytes(built.packet))
    _record(service, preview, built)
    left = texts(service).say("share.left_out", items=", ".join(str(n) for n in sorted(drop))) if drop else None
    return Shared(target, built.message, left)


@dataclass(frozen=True)
class _Built:
    packet: Packet
    out: exchange.Outgoing
    message: str


def _build(service: Host, preview: SharePreview, drop: set[int], where: str) -> _Built:
    if drop and preview.locked:
        raise fail(service, "locked", other_name=preview.relationship.other_name)
    content = preview.without(drop)
    if not content.answers and not content.documents:
        raise fail(service, "all_left_out")
    profile, rel = preview.profile, preview.relationship
    out = exchange.outgoing(service, profile, rel, content, preview.session_id, sign_text=preview.sign_text)
    created = service.now()
    packet = seal(created_at=created, sender=Sender(name=bounded(profile.name, 200), role=profile.role),
                  recipient=Recipient(name=bounded(rel.other_name, 200)),
                  pair=pair_id(rel.mentee_name, rel.mentor_name), stages=[out.stage],
                  markdown=_view(service, profile, rel, [(preview.flow.title, out.stage)], created))
    t = texts(service)
    kept = len(content.answers) + len(content.documents)
    count = t.say("share.count_one") if kept == 1 else t.say("share.count_many", n=kept)
    names = {"path": visible(where), "other_name": visible(rel.other_name), "count": count,
             "file": visible(Path(where).name)}
    message = t.say("share.written", **names)
    if out.action is not None:
        message = t.say(f"share.wrote_sealed.{out.action}", **names)
    elif out.signature is not None:
        message = t.say("sign.written", **names)
    return _Built(packet, out, message)


def _record(service: Host, preview: SharePreview, built: _Built) -> None:
    """Keep what was sent (and the seal or signature), with the joint document rebuilt from it."""
    profile, rel = preview.profile, preview.relationship
    partner = exchange.partner_record(service, rel.id, preview.flow.stage)
    doc = exchange.joint(service, texts(service), profile, rel, preview.flow, built.out.own, partner)
    service.repo.save_exchange(rel.id, own=built.out.own, artifacts=[doc] if doc else [])


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
    t = texts(service)
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
    t = texts(service)
    kept = {p.stage: p for p in service.repo.list_partner_stages(rel.id)}
    for stage in packet.stages:
        earlier = kept.get(stage.stage)
        if earlier is not None and earlier.created_at > packet.created_at:
            raise fail(service, "older_packet", path=path, created=t.when(packet.created_at),
                       stage_title=lib.flow(stage.flow_id).title, sender=packet.sender.name,
                       stored=t.when(earlier.created_at))
    now = service.now()
    records: list[PartnerStage] = []
    for stage in packet.stages:
        record = PartnerStage(id=PartnerStage.key(rel.id, stage.stage), relationship_id=rel.id, stage=stage.stage,
                              sender_name=packet.sender.name, sender_role=packet.sender.role,
                              created_at=packet.created_at, received_at=now, checksum=packet.checksum, shared=stage)
        record, problem = exchange.incoming(service, rel, record)
        if problem is not None:
            stored = exchange.partner_seal(kept.get(stage.stage))
            raise fail(service, f"seal.{problem}", path=path, sender=packet.sender.name,
                       stage_title=lib.flow(stage.flow_id).title,
                       sealed=_when_iso(t, stored.sealed_at) if stored else "")
        records.append(record)
    messages: list[str] = []
    for record in records:
        flow = lib.flow(record.shared.flow_id)
        own = exchange.own_record(service, rel.id, record.stage)
        joint = exchange.joint(service, t, profile, rel, flow, own, record)
        service.repo.save_exchange(rel.id, partner=record, artifacts=[joint] if joint else [])
        names = {"sender_name": visible(packet.sender.name), "other_name": visible(rel.other_name),
                 "stage_title": flow.title}
        messages.append(t.say("merge.merged", **names, created=t.when(packet.created_at)))
        messages += _merged_notes(service, t, profile, rel, flow, own, record, joint, names)
    return Merged(rel, messages)


def _merged_notes(service: Host, t: Texts, profile: Profile, rel: Relationship, flow: Flow, own: OwnStage,
                  record: PartnerStage, joint: Artifact | None, names: dict[str, str]) -> list[str]:
    """What to tell the user after a merge: the joint document is ready, or what comes next."""
    stage = flow.stage
    notes = []
    if stage in exchange.SEALED:
        info = exchange.partner_seal(record)
        state = "revealed" if info is not None and info.revealed else "sealed"
        if joint is None:
            state = f"{state}_{'waiting' if own.seal is not None else 'yours'}"
        notes.append(t.say(f"merge.sealed.{state}", **names))
    if joint is not None:
        notes.append(t.say("merge.joint_ready", title=joints.title(t, stage)))
        if stage in exchange.SIGNED:
            notes.append(t.say(f"merge.signing.{_signing(profile, joint)}", **names))
    elif stage not in exchange.SEALED:
        if stage in joints.TITLES and latest_done(service, profile, rel, flow) is None:
            notes.append(t.say("merge.need_own", **names, title=joints.title(t, stage)))
        elif stage not in joints.TITLES:
            notes.append(t.say("merge.no_joint", **names))
    return notes


def _signing(profile: Profile, joint: Artifact) -> str:
    """Where the signatures of a joint agreement stand, for this person."""
    if joint.data.get("signed_on"):
        return "both"
    signed = joint.data.get("signatures") or {}
    mine = signed.get(profile.role.value)
    theirs = signed.get(Role.mentor.value if profile.role == Role.mentee else Role.mentee.value)
    return "you" if mine else "them" if theirs else "neither"


def _when_iso(t: Texts, moment: str) -> str:
    try:
        return t.when(datetime.fromisoformat(moment))
    except ValueError:
        return moment


def text(service: Host, key: str, **values: object) -> str:
    """A partnership text (`partnership.<key>`) for a client to show, names shown literally."""
    return texts(service).say(key, **{k: visible(str(v)) for k, v in values.items()})
