"""Both sides of one stage: what goes into a share, what a merge keeps, and the joint document.

Per relationship and stage this side keeps an `OwnStage` (what it last sent, its seal, the other's
seals it answered, its signatures) and the other side's latest `PartnerStage`. From those:

* `outgoing`: the stage as a packet carries it. A sealed stage (`SEALED`: feedback) follows
  `coach.engine.seal.share_action` (seal first; reveal once the other has sealed); a signed stage
  (`SIGNED`: commitment) carries this person's signature of the agreed text when they signed it.
* `incoming`: refuses what a merge must not take (`coach.engine.seal.merge_problem`) and keeps
  a revealed stage when the same seal comes again without its reveal.
* `joint`: the joint document, built from what each side sent the other (so both build the
  same text; before this side has sent anything, from what it would send); for a sealed stage
  only when both sides of one round are revealed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from coach.app import joints, sharing
from coach.app.joint_agreement import agreed_terms
from coach.app.partnership import Pair, SignedAgreement, Texts, joint_id
from coach.app.sharing import Host
from coach.content.schema import Flow
from coach.engine.seal import (
    SALT_BYTES,
    MergeProblem,
    SealInfo,
    ShareAction,
    bare,
    linked,
    merge_problem,
    seal_hash,
    seal_info,
    seal_parts,
    share_action,
    signature_part,
    signatures_in,
    text_hash,
)
from coach.models import Artifact, OwnStage, PartnerStage, Profile, Relationship, Role, Seal, SharedStage, Signature

SEALED = frozenset({"feedback"})
SIGNED = frozenset({"commitment"})


def own_record(host: Host, relationship_id: str, stage: str) -> OwnStage:
    found = next((o for o in host.repo.list_own_stages(relationship_id) if o.stage == stage), None)
    return found or OwnStage(id=OwnStage.key(relationship_id, stage), relationship_id=relationship_id, stage=stage)


def partner_record(host: Host, relationship_id: str, stage: str) -> PartnerStage | None:
    return next((p for p in host.repo.list_partner_stages(relationship_id) if p.stage == stage), None)


def partner_seal(partner: PartnerStage | None) -> SealInfo | None:
    return seal_info(partner.shared) if partner is not None else None


# --- sharing -------------------------------------------------------------------------------------


def share_mode(host: Host, profile: Profile, rel: Relationship, flow: Flow) -> tuple[ShareAction | None, str | None]:
    """What a share of `flow`'s stage does now (None: not a sealed stage), and the conversation
    it would seal."""
    if flow.stage not in SEALED:
        return None, None
    latest = sharing.latest_done(host, profile, rel, flow)
    own = own_record(host, rel.id, flow.stage)
    session = latest.id if latest is not None else (own.seal.session_id if own.seal else "")
    return _action(own, partner_record(host, rel.id, flow.stage), session), session


def _action(own: OwnStage, partner: PartnerStage | None, session: str) -> ShareAction:
    return share_action(own.seal, own.answered, partner_seal(partner), session)


@dataclass(frozen=True)
class Outgoing:
    stage: SharedStage  # what the packet carries of the stage
    own: OwnStage  # this side's record once it is sent
    action: ShareAction | None
    signature: Signature | None


def outgoing(host: Host, profile: Profile, rel: Relationship, content: SharedStage, session: str | None, *,
             sign_text: str | None = None) -> Outgoing:
    """The stage as the packet carries it, and this side's record once it is sent. `content` is
    the stage as the user chose to share it; `sign_text`, the agreed text they sign (SIGNED)."""
    now = host.now()
    own = own_record(host, rel.id, content.stage)
    partner = partner_record(host, rel.id, content.stage)
    action: ShareAction | None = None
    signature = None
    if content.stage in SEALED:
        action = _action(own, partner, session or "")
        their = partner_seal(partner)
        seal = own.seal
        if action in ("seal", "seal_reveal") or seal is None:
            salt = secrets.token_hex(SALT_BYTES)
            seal = Seal(session_id=session or "", salt=salt, hash=seal_hash(content, salt), sealed_at=now,
                        content=content)
        answered = list(own.answered)
        reveal = action in ("seal_reveal", "reveal", "resend_reveal")
        against = seal.partner_hash if action == "resend_reveal" else their.hash if their and reveal else None
        if action in ("seal_reveal", "reveal") and their is not None:
            seal = seal.model_copy(update={"revealed_at": now, "partner_hash": their.hash})
            answered = [*answered, their.hash]
        body = seal.content if reveal else bare(seal.content)
        stage = body.model_copy(update={"parts": seal_parts(seal, against=against, reveal=reveal)})
        own = own.model_copy(update={"seal": seal, "answered": answered})
    else:
        stage = content.model_copy(update={"parts": []})
        if content.stage in SIGNED and sign_text is not None:
            signature = Signature(name=profile.name, role=profile.role, text_hash=text_hash(sign_text), signed_at=now)
            own = own.model_copy(update={"signatures": [*own.signatures, signature]})
        if content.stage in SIGNED:
            current = signature or _current_signature(host, profile, rel, content, partner, own)
            if current is not None:
                stage = stage.model_copy(update={"parts": [signature_part(current)]})
    return Outgoing(stage, own.model_copy(update={"sent": stage, "sent_at": now}), action, signature)


def _current_signature(host: Host, profile: Profile, rel: Relationship, content: SharedStage,
                       partner: PartnerStage | None, own: OwnStage) -> Signature | None:
    """This person's signature to send with a share: of the agreed text `content` makes with the
    other's if they signed it, else their latest (the other side shows it as of an earlier version)."""
    if partner is None:
        return None
    text = agreed_text(host, profile, rel, content, partner, own)
    if text is None:
        return None
    h = text_hash(text)
    latest = own.signatures[-1] if own.signatures else None  # of an earlier text: shown as such
    return next((s for s in reversed(own.signatures) if s.text_hash == h), latest)


# --- merging -------------------------------------------------------------------------------------


def incoming(host: Host, rel: Relationship, record: PartnerStage) -> tuple[PartnerStage, MergeProblem | None]:
    """The record to keep of a stage the other person sent, or why it cannot be taken."""
    if record.stage not in SEALED:
        return record, None
    own = own_record(host, rel.id, record.stage)
    stored = partner_record(host, rel.id, record.stage)
    problem = merge_problem(record.shared, partner_seal(stored), own.answered)
    if problem is not None:
        return record, problem
    info, kept = seal_info(record.shared), partner_seal(stored)
    if stored is not None and kept is not None and info is not None and kept.hash == info.hash and kept.revealed \
            and not info.revealed:
        return stored, None  # the same seal again, without its reveal: the revealed one stays
    return record, None


# --- the joint document --------------------------------------------------------------------------


def _spelled(profile: Profile, partner: PartnerStage) -> tuple[str, str]:
    return (profile.name, partner.sender_name) if profile.role == Role.mentee else (partner.sender_name, profile.name)


def _mine(host: Host, profile: Profile, rel: Relationship, flow: Flow, own: OwnStage,
          partner: PartnerStage) -> SharedStage | None:
    if flow.stage in SEALED:
        if own.seal is None or not linked(own.seal, partner_seal(partner)):
            return None
        return own.seal.content
    if own.sent is not None:
        return own.sent
    return sharing.shared_stage(host, profile, rel, flow)


def make_pair(host: Host, texts: Texts, profile: Profile, rel: Relationship, mine: SharedStage,
              partner: PartnerStage, own: OwnStage) -> Pair:
    theirs = partner.shared
    mentee, mentor = (mine, theirs) if profile.role == Role.mentee else (theirs, mine)
    other = Role.mentor if profile.role == Role.mentee else Role.mentee
    seals = {r: s for r, s in ((profile.role, _own_seal_info(own)), (other, partner_seal(partner))) if s is not None}
    return Pair(mentee, mentor, profile, rel, texts, host.now(), signed=signed_agreement(host, rel),
                spelled=_spelled(profile, partner),
                signatures={profile.role: list(own.signatures), other: signatures_in(theirs)}, seals=seals)


def _own_seal_info(own: OwnStage) -> SealInfo | None:
    s = own.seal
    if s is None:
        return None
    return SealInfo(s.hash, s.sealed_at.isoformat(), s.partner_hash, s.salt if s.revealed_at else None)


def joint(host: Host, texts: Texts, profile: Profile, rel: Relationship, flow: Flow, own: OwnStage,
          partner: PartnerStage | None) -> Artifact | None:
    """The joint document of `flow`'s stage, if it has one and both sides' parts are here."""
    if partner is None or flow.stage not in joints.DOCUMENTS:
        return None
    mine = _mine(host, profile, rel, flow, own, partner)
    if mine is None:
        return None
    return joints.build(make_pair(host, texts, profile, rel, mine, partner, own), flow.stage)


def agreed_text(host: Host, profile: Profile, rel: Relationship, mine: SharedStage, partner: PartnerStage,
                own: OwnStage) -> str | None:
    """The agreed text of a signed stage (what a signature's hash is over), from `mine` and the
    other's; None if the stage has no agreed text."""
    if mine.stage != "commitment":
        return None
    return agreed_terms(make_pair(host, sharing.texts(host), profile, rel, mine, partner, own))


def signed_agreement(host: Host, rel: Relationship) -> SignedAgreement | None:
    """The agreement both people signed (the joint agreement's data says so), if they have."""
    doc = next((a for a in host.repo.list_recent_artifacts(rel.id) if a.id == joint_id(rel.id, "commitment")), None)
    data = doc.data if doc is not None else {}
    signed_on = data.get("signed_on")
    if not isinstance(signed_on, str):
        return None
    goals = data.get("goals", {})
    return SignedAgreement(mentee_goals=[str(g) for g in goals.get("mentee", [])],
                           mentor_goals=[str(g) for g in goals.get("mentor", [])],
                           signed_on=date.fromisoformat(signed_on), text_hash=str(data.get("text_hash", "")))


def refresh(host: Host, texts: Texts, profile: Profile, rel: Relationship, flow: Flow) -> Artifact | None:
    """Rebuild and store the joint document of `flow`'s stage (after this side finished it)."""
    partner = partner_record(host, rel.id, flow.stage)
    if partner is None:
        return None
    own = own_record(host, rel.id, flow.stage)
    doc = joint(host, texts, profile, rel, flow, own, partner)
    if doc is not None:
        host.repo.save_exchange(rel.id, artifacts=[doc])
    return doc
