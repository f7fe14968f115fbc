"""A fair reveal and signatures over shared stages (pure: hashes and rules, no store, no texts).

**Two-way feedback with a fair reveal.** Neither person should tailor their feedback to the
other's. So each first sends a *seal*: the hash of their feedback (as they chose to share it) with
a random salt, and not the feedback. Once a person holds the other's seal they *reveal*: the
feedback and the salt; the receiver checks it against the seal it was sent first. The person who
seals second reveals at once (seal and reveal in one packet): the first is bound by their seal.
A round is over when both revealed; a newer conversation then starts a new round.

`share_action` decides what a share sends, `merge_problem` what a merge must refuse, and
`linked` when both sides' feedback of one round may be put together.

**Signatures.** A signature is a name, a date and the hash of the agreed text (`text_hash`); a
later change of the text leaves it a signature of an earlier version (`signature_status`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from coach.models import Role, Seal, SharedPart, SharedStage, SharedValue, Signature

SEAL, REVEAL, SIGNATURE = "seal", "reveal", "signature"
SALT_BYTES = 16

ShareAction = Literal["seal", "seal_reveal", "reveal", "resend_seal", "resend_reveal"]


def content_bytes(stage: SharedStage) -> bytes:
    """The canonical bytes of a stage's content (everything but its parts)."""
    data = stage.model_dump(mode="json", exclude={"parts"})
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def seal_hash(stage: SharedStage, salt: str) -> str:
    return "sha256:" + hashlib.sha256(b"coach-seal\0" + salt.encode("ascii") + b"\0" + content_bytes(stage)).hexdigest()


def text_hash(text: str) -> str:
    """The hash of an agreed text, as `sha256sum` gives it for the text's UTF-8 bytes."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def bare(stage: SharedStage) -> SharedStage:
    """`stage` without its content: what a seal-only packet carries besides the seal."""
    return stage.model_copy(update={"answers": [], "documents": [], "parts": []})


# --- parts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealInfo:
    """A seal as a packet carries it: the hash, when, and the other person's seal it answered
    (None: sealed first); `salt` once revealed."""

    hash: str
    sealed_at: str
    against: str | None = None
    salt: str | None = None

    @property
    def revealed(self) -> bool:
        return self.salt is not None


def _part(stage: SharedStage, kind: str) -> SharedPart | None:
    return next((p for p in stage.parts if p.kind == kind), None)


def seal_parts(seal: Seal, *, against: str | None, reveal: bool) -> list[SharedPart]:
    """The parts of a sealed stage in a packet: the seal (with the other's seal it answers, if
    any), and the salt when it is revealed."""
    data: dict[str, SharedValue] = {"hash": seal.hash, "sealed_at": seal.sealed_at.isoformat()}
    if against:
        data["against"] = against
    return [SharedPart(kind=SEAL, data=data), *([SharedPart(kind=REVEAL, data={"salt": seal.salt})] if reveal else [])]


def seal_info(stage: SharedStage) -> SealInfo | None:
    """The seal a shared stage carries (and its reveal), if any; None also for a malformed one."""
    sealed, revealed = _part(stage, SEAL), _part(stage, REVEAL)
    if sealed is None:
        return None
    h, at = sealed.data.get("hash"), sealed.data.get("sealed_at")
    if not isinstance(h, str) or not isinstance(at, str):
        return None
    against = sealed.data.get("against")
    salt = revealed.data.get("salt") if revealed else None
    return SealInfo(h, at, against if isinstance(against, str) else None, salt if isinstance(salt, str) else None)


def signature_part(signature: Signature) -> SharedPart:
    return SharedPart(kind=SIGNATURE, data={"name": signature.name, "role": signature.role.value,
                                            "text_hash": signature.text_hash,
                                            "signed_at": signature.signed_at.isoformat()})


def signatures_in(stage: SharedStage) -> list[Signature]:
    """The well-formed signatures a shared stage carries (of its sender's role)."""
    found = []
    for part in stage.parts:
        if part.kind != SIGNATURE:
            continue
        d = part.data
        try:
            found.append(Signature(name=str(d["name"]), role=Role(str(d["role"])), text_hash=str(d["text_hash"]),
                                   signed_at=datetime.fromisoformat(str(d["signed_at"]))))
        except (KeyError, ValueError):
            continue
    return [s for s in found if s.role == stage.role]


SignatureStatus = Literal["signed", "earlier", "unsigned"]


def signature_status(signatures: list[Signature], current: str) -> tuple[SignatureStatus, Signature | None]:
    """Whether `signatures` include one of the text whose hash is `current` (the latest such),
    else the latest of an earlier version, else none."""
    of_this = [s for s in signatures if s.text_hash == current]
    if of_this:
        return "signed", max(of_this, key=lambda s: s.signed_at)
    if signatures:
        return "earlier", max(signatures, key=lambda s: s.signed_at)
    return "unsigned", None


# --- the fair reveal -------------------------------------------------------------------------------


def share_action(mine: Seal | None, answered: list[str], partner: SealInfo | None, session_id: str) -> ShareAction:
    """What sharing a sealed stage sends now.

    * No seal yet: seal; and reveal at once if the other person's seal is here and not answered.
    * Sealed, not revealed: reveal once the other's seal is here; before that send the seal again,
      or seal anew if there is a newer conversation (nobody has seen the first one).
    * Revealed: while the other has not revealed the seal it answered, send the reveal again; a
      new seal from them starts a new round (seal and reveal); after a round, a newer conversation
      starts one too."""
    pending = partner is not None and partner.hash not in answered
    if mine is None:
        return "seal_reveal" if pending else "seal"
    if mine.revealed_at is None:
        if pending:
            return "reveal"
        return "seal" if session_id != mine.session_id else "resend_seal"
    if partner is not None and not partner.revealed and partner.hash == mine.partner_hash:
        return "resend_reveal"
    if pending:
        return "seal_reveal"
    return "seal" if session_id != mine.session_id else "resend_reveal"


MergeProblem = Literal["not_sealed", "sealed_with_content", "seal_mismatch", "resealed"]


def merge_problem(incoming: SharedStage, stored: SealInfo | None, answered: list[str]) -> MergeProblem | None:
    """Why a packet's sealed stage cannot be taken, if it cannot: it carries no seal; a seal
    without a reveal but with content; content that does not match its seal; or a new seal while
    this person has revealed theirs against the other's earlier one, not yet revealed."""
    info = seal_info(incoming)
    if info is None:
        return "not_sealed"
    if not info.revealed and (incoming.answers or incoming.documents):
        return "sealed_with_content"
    if info.salt is not None and (len(info.salt) != 2 * SALT_BYTES or seal_hash(incoming, info.salt) != info.hash):
        return "seal_mismatch"
    if stored is not None and stored.hash != info.hash and stored.hash in answered and not stored.revealed:
        return "resealed"
    return None


def linked(mine: Seal | None, partner: SealInfo | None) -> bool:
    """Both sides' sealed feedback belong to one round and both are revealed to this side: the
    other revealed, and one seal answered the other (this person revealed against theirs, or they
    sealed or revealed against this person's)."""
    if mine is None or partner is None or not partner.revealed:
        return False
    return mine.partner_hash == partner.hash or partner.against == mine.hash
