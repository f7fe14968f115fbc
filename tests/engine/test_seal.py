"""The fair reveal's rules and the signatures' status, as pure functions (coach.engine.seal)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from coach.engine.seal import (
    SealInfo,
    bare,
    linked,
    merge_problem,
    seal_hash,
    seal_parts,
    share_action,
    signature_status,
    text_hash,
)
from coach.models import Role, Seal, SharedAnswer, SharedStage, Signature

NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)
SALT = "0" * 32


def _stage(said: str = "More time on my main question") -> SharedStage:
    return SharedStage(stage="feedback", flow_id="feedback", role=Role.mentee, finished_at=NOW,
                       answers=[SharedAnswer(slot="need_more", label="More of", value=said, shown=said)])


def _seal(session: str = "s1", *, revealed: bool = False, partner: str | None = None) -> Seal:
    content = _stage()
    return Seal(session_id=session, salt=SALT, hash=seal_hash(content, SALT), sealed_at=NOW, content=content,
                revealed_at=NOW if revealed else None, partner_hash=partner)


THEIRS = "sha256:" + "a" * 64


@pytest.mark.parametrize(("mine", "answered", "partner", "session", "action"), [
    (None, [], None, "s1", "seal"),  # first to seal
    (None, [], SealInfo(THEIRS, "t"), "s1", "seal_reveal"),  # second to seal: reveal at once
    ("sealed", [], None, "s1", "resend_seal"),  # still waiting for the other's seal
    ("sealed", [], None, "s2", "seal"),  # a newer conversation before anyone saw anything: seal anew
    ("sealed", [], SealInfo(THEIRS, "t"), "s2", "reveal"),  # the other sealed: reveal what was sealed
    ("revealed", [THEIRS], SealInfo(THEIRS, "t"), "s1", "resend_reveal"),  # the other has not revealed yet
    ("revealed", [THEIRS], SealInfo(THEIRS, "t", salt=SALT), "s1", "resend_reveal"),  # round over, same talk
    ("revealed", [THEIRS], SealInfo(THEIRS, "t", salt=SALT), "s2", "seal"),  # round over, a newer talk
    ("revealed", [THEIRS], SealInfo("sha256:" + "b" * 64, "t"), "s1", "seal_reveal"),  # they began a new round
])
def test_share_action_follows_the_round(mine: str | None, answered: list[str], partner: SealInfo | None,
                                        session: str, action: str) -> None:
    seal = None if mine is None else _seal(revealed=mine == "revealed", partner=THEIRS if mine == "revealed" else None)
    assert share_action(seal, answered, partner, session) == action


def test_a_seal_changes_with_any_change_of_the_content_or_the_salt() -> None:
    assert seal_hash(_stage(), SALT) == seal_hash(_stage(), SALT)
    assert seal_hash(_stage("Less time on news"), SALT) != seal_hash(_stage(), SALT)
    assert seal_hash(_stage(), "1" * 32) != seal_hash(_stage(), SALT)


def _packet_stage(content: SharedStage, *, reveal: bool, salt: str = SALT) -> SharedStage:
    seal = Seal(session_id="s", salt=salt, hash=seal_hash(content, salt), sealed_at=NOW, content=content)
    body = content if reveal else bare(content)
    return body.model_copy(update={"parts": seal_parts(seal, against=None, reveal=reveal)})


def test_merge_problem_names_each_way_a_sealed_stage_can_be_wrong() -> None:
    good = _packet_stage(_stage(), reveal=True)
    assert merge_problem(good, None, []) is None
    assert merge_problem(_stage(), None, []) == "not_sealed"
    open_seal = _packet_stage(_stage(), reveal=False).model_copy(update={"answers": _stage().answers})
    assert merge_problem(open_seal, None, []) == "sealed_with_content"
    changed = good.model_copy(update={"answers": _stage("Something else entirely").answers})
    assert merge_problem(changed, None, []) == "seal_mismatch"
    old = SealInfo("sha256:" + "c" * 64, "t")
    assert merge_problem(good, old, [old.hash]) == "resealed"  # revealed against the old seal, not yet revealed
    assert merge_problem(good, old, []) is None  # nobody saw anything against the old one: a new seal is fine


def test_linked_needs_the_others_reveal_and_a_seal_that_answered_the_other() -> None:
    mine = _seal(revealed=True, partner=THEIRS)
    assert linked(mine, SealInfo(THEIRS, "t", salt=SALT))
    assert not linked(mine, SealInfo(THEIRS, "t"))  # not revealed
    assert not linked(_seal(), SealInfo(THEIRS, "t", salt=SALT))  # neither answered the other
    assert linked(_seal(), SealInfo(THEIRS, "t", against=_seal().hash, salt=SALT))  # they answered mine


def test_signature_status_tells_this_text_from_an_earlier_one() -> None:
    old, new = text_hash("the first agreement"), text_hash("the agreement, changed")
    first = Signature(name="Ana Lima", role=Role.mentee, text_hash=old, signed_at=NOW)
    assert signature_status([], new) == ("unsigned", None)
    assert signature_status([first], new) == ("earlier", first)
    again = first.model_copy(update={"text_hash": new})
    assert signature_status([first, again], new) == ("signed", again)
    assert text_hash("é") == "sha256:" + hashlib.sha256("é".encode()).hexdigest()
