"""Two people, two data folders, three stages: Ana (mentee) and Sam (mentor) each play fit_check,
commitment and feedback, exchange packets through files, merge, and get joint documents that hold
both sides' answers: the joint fit report, the co-signed agreement (signatures of the agreed text,
reopened when it changes) and two-way feedback with a fair reveal (sealed first, revealed once
both sealed)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from partnership_helpers import MENTEE, MENTOR, Side, answers, fit_checked, snapshot

from coach.app.errors import AppError
from coach.app.exchange import signed_agreement
from coach.content.library import FlowLibrary
from coach.engine.dates import long_date
from coach.engine.seal import text_hash
from coach.export.packet import checksum
from coach.models import Artifact, OwnStage


class Exchange:
    """Packets through files in a shared folder (the mail attachment), numbered in order."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.count = folder, 0

    def share(self, s: Side, stage: str, drop: set[int] | None = None) -> Path:
        self.count += 1
        preview = s.service.share_preview(stage)
        return s.service.share(preview, drop, self.folder / f"{self.count}-{s.profile.name[:3]}-{stage}.coach").path

    def sign(self, s: Side) -> Path:
        self.count += 1
        preview = s.service.sign_preview("commitment")
        return s.service.share(preview, set(), self.folder / f"{self.count}-{s.profile.name[:3]}-signed.coach").path

    def send(self, sender: Side, receiver: Side, stage: str) -> list[str]:
        return receiver.service.merge(self.share(sender, stage)).messages


def _doc(s: Side, kind: str) -> Artifact:
    (doc,) = [d for d in s.service.documents(s.relationship.id) if d.kind == kind]
    return doc


def _docs(s: Side, kind: str) -> list[Artifact]:
    return [d for d in s.service.documents(s.relationship.id) if d.kind == kind]


def _packet(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data


def _agreed(markdown: str) -> str:
    start, end = markdown.index("<!-- agreed text -->"), markdown.index("<!-- end of agreed text -->")
    return markdown[start + len("<!-- agreed text -->"):end].strip()


def assert_clean_markdown(markdown: str) -> None:
    """No unfilled $name, no escaped letter or digit, and every table's rows as wide as its header."""
    assert not re.search(r"\$[a-z_]+", markdown), markdown
    assert not re.search(r"\\[A-Za-z0-9]", markdown), markdown
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            width = lines[i - 1].count("|")
            for row in lines[i + 1:]:
                if not row.startswith("|"):
                    break
                assert row.replace("\\|", "").count("|") == width, row


@pytest.fixture
def pair(library: FlowLibrary, tmp_path: Path) -> Iterator[tuple[Side, Side, Exchange]]:
    mail = tmp_path / "mail"
    mail.mkdir()
    with fit_checked(library, tmp_path) as (ana, sam):
        yield ana, sam, Exchange(mail)


def _committed(pair: tuple[Side, Side, Exchange]) -> tuple[Side, Side, Exchange]:
    ana, sam, mail = pair
    ana.play("commitment_mentee_happy")
    sam.play("commitment_mentor_happy")
    return ana, sam, mail


def _signed_by_both(pair: tuple[Side, Side, Exchange]) -> tuple[Side, Side, Exchange]:
    ana, sam, mail = _committed(pair)
    sam.service.merge(mail.share(ana, "commitment"))
    ana.service.merge(mail.sign(sam))
    sam.service.merge(mail.sign(ana))
    return ana, sam, mail


# --- the whole way through -----------------------------------------------------------------------------


def test_three_stages_exchanged_by_file_give_both_sides_the_same_joint_documents(
        pair: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = pair
    mail.send(sam, ana, "fit_check")
    mail.send(ana, sam, "fit_check")
    ana.play("commitment_mentee_happy")
    sam.play("commitment_mentor_happy")
    mail.send(ana, sam, "commitment")
    ana.service.merge(mail.sign(sam))
    sam.service.merge(mail.sign(ana))
    ana.play("feedback_mentee_happy")
    sam.play("feedback_mentor_happy")
    mail.send(ana, sam, "feedback")  # Ana's seal
    mail.send(sam, ana, "feedback")  # Sam's seal and reveal
    mail.send(ana, sam, "feedback")  # Ana's reveal

    for kind in ("joint_fit_report", "joint_agreement", "two_way_feedback"):
        assert _doc(ana, kind).markdown == _doc(sam, kind).markdown, kind
        assert_clean_markdown(_doc(ana, kind).markdown)

    agreement = _doc(sam, "joint_agreement").markdown
    mentee_said, mentor_said = answers("commitment_mentee_happy"), answers("commitment_mentor_happy")
    for commitment in ("Send an agenda two days before each meeting", "Block the time in my calendar",
                       "Give honest feedback on my plans", "Bring one real situation to each meeting"):
        assert f"- {commitment}" in agreement
        assert any(commitment.casefold() in said.casefold() for said in mentee_said + mentor_said)
    assert "| Meeting rhythm | Every two weeks | Monthly | To settle |" in agreement
    assert "| Mentee | Ana Lima | Signed on" in agreement and "| Mentor | Sam Okafor | Signed on" in agreement
    assert text_hash(_agreed(agreement)) in agreement

    feedback = _doc(ana, "two_way_feedback").markdown
    for said in ("Send my main question a day ahead", "Ask at the start of each meeting which open action needs help",
                 "You presented the estimates without checking them with the two developers"):
        assert said in feedback
    assert feedback.index("## From Ana Lima to Sam Okafor") < feedback.index("Start each meeting by asking") \
        < feedback.index("## From Sam Okafor to Ana Lima")


# --- the co-signed agreement ---------------------------------------------------------------------------


def test_the_agreed_text_and_its_hash_are_the_same_on_both_sides_before_anyone_signs(
        pair: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = _committed(pair)
    mail.send(ana, sam, "commitment")
    mail.send(sam, ana, "commitment")
    mine, theirs = _doc(ana, "joint_agreement"), _doc(sam, "joint_agreement")
    assert mine.data["text_hash"] == theirs.data["text_hash"] == text_hash(_agreed(mine.markdown))
    assert mine.markdown.count("Not signed yet") == 2
    assert "signed_on" not in mine.data


def test_a_signature_names_the_signer_the_date_and_the_hash_of_the_agreed_text(
        pair: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = _committed(pair)
    sam.service.merge(mail.share(ana, "commitment"))
    signed = mail.sign(sam)
    (part,) = _packet(signed)["stages"][0]["parts"]
    agreement = _doc(sam, "joint_agreement")
    assert part["kind"] == "signature"
    assert part["data"]["name"] == MENTOR and part["data"]["role"] == "mentor"
    assert part["data"]["text_hash"] == agreement.data["text_hash"]
    assert datetime.fromisoformat(part["data"]["signed_at"]).tzinfo is not None
    merged = ana.service.merge(signed).messages
    assert "Sam Okafor has signed it" in merged[-1]
    assert "| Mentor | Sam Okafor | Signed on" in _doc(ana, "joint_agreement").markdown
    assert signed_agreement(ana.service, ana.relationship) is None  # one signature is not both


def test_both_signatures_put_the_agreement_in_force_and_moving_on_can_review_its_goals(
        pair: tuple[Side, Side, Exchange]) -> None:
    ana, sam, _ = _signed_by_both(pair)
    for s in (ana, sam):
        agreement = _doc(s, "joint_agreement")
        assert "**Signed by both of you**" in agreement.markdown
        signed = signed_agreement(s.service, s.relationship)
        assert signed is not None and signed.text_hash == agreement.data["text_hash"]
        assert "Run my first team retro by February" in signed.mentee_goals
        assert "Lead her first team retro" in signed.mentor_goals


def test_changing_the_commitment_later_reopens_both_signatures(pair: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = _signed_by_both(pair)
    before = _doc(sam, "joint_agreement").data["text_hash"]
    ana.play("commitment_mentee_probe_back")  # Ana does the commitment again, with other answers
    messages = mail.send(ana, sam, "commitment")
    agreement = _doc(sam, "joint_agreement")
    assert agreement.data["text_hash"] != before
    assert agreement.markdown.count("Signed an earlier version on") == 2
    assert "signed_on" not in agreement.data and signed_agreement(sam.service, sam.relationship) is None
    assert "Read it, then sign it" in messages[-1]
    sam.service.merge(mail.sign(ana))  # Ana signs the new text: hers counts again, Sam's is still the old one's
    agreement = _doc(sam, "joint_agreement").markdown
    assert "| Mentee | Ana Lima | Signed on" in agreement
    assert "| Mentor | Sam Okafor | Signed an earlier version on" in agreement


def test_sign_before_the_other_commitment_is_here_is_one_line(pair: tuple[Side, Side, Exchange]) -> None:
    ana, _, _ = _committed(pair)
    with pytest.raises(AppError, match=r"^there is no agreement to sign yet: Sam Okafor has not shared") as error:
        ana.service.sign_preview("commitment")
    assert "\n" not in str(error.value)
    with pytest.raises(AppError, match="has nothing to sign"):
        ana.service.sign_preview("fit_check")


# --- two-way feedback with a fair reveal ---------------------------------------------------------------


@pytest.fixture
def fed_back(pair: tuple[Side, Side, Exchange]) -> tuple[Side, Side, Exchange]:
    ana, sam, mail = _committed(pair)
    ana.play("feedback_mentee_happy")
    sam.play("feedback_mentor_happy")
    return ana, sam, mail


def test_the_first_feedback_packet_holds_a_seal_and_none_of_the_feedback(fed_back: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = fed_back
    sealed = mail.share(ana, "feedback")
    raw = sealed.read_text(encoding="utf-8")
    for said in answers("feedback_mentee_happy"):
        if len(said) > 12:
            assert said not in raw, said
    (stage,) = _packet(sealed)["stages"]
    assert stage["answers"] == [] and stage["documents"] == []
    assert [p["kind"] for p in stage["parts"]] == ["seal"]
    merged = sam.service.merge(sealed).messages
    assert "feedback is sealed: neither of you can read the other's yet" in merged[1]
    assert not _docs(sam, "two_way_feedback")


def test_feedback_is_revealed_only_once_both_sealed(fed_back: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = fed_back
    sam.service.merge(mail.share(ana, "feedback"))
    second = mail.share(sam, "feedback")  # Sam seals second: sealed and revealed at once
    assert [p["kind"] for p in _packet(second)["stages"][0]["parts"]] == ["seal", "reveal"]
    ana.service.merge(second)
    assert _docs(ana, "two_way_feedback") and not _docs(sam, "two_way_feedback")  # Ana's still only sealed
    reveal = mail.share(ana, "feedback")
    assert [p["kind"] for p in _packet(reveal)["stages"][0]["parts"]] == ["seal", "reveal"]
    assert "matches the seal they sent first" in sam.service.merge(reveal).messages[1]
    assert _doc(sam, "two_way_feedback").markdown == _doc(ana, "two_way_feedback").markdown


def test_what_was_sealed_is_what_is_revealed_even_after_a_newer_conversation(
        fed_back: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = fed_back
    first = mail.share(ana, "feedback")
    seal = _packet(first)["stages"][0]["parts"][0]["data"]["hash"]
    sam.service.merge(first)
    ana.service.merge(mail.share(sam, "feedback"))
    ana.play("feedback_mentee_probe_back")  # a newer feedback after sealing: the sealed one is revealed
    preview = ana.service.share_preview("feedback")
    assert preview.locked and "this packet reveals what you sealed" in (preview.note or "")
    with pytest.raises(AppError, match="cannot be changed now"):
        ana.service.share(preview, {1}, mail.folder / "left-out.coach")
    reveal = ana.service.share(preview, set(), mail.folder / "reveal.coach").path
    assert _packet(reveal)["stages"][0]["parts"][0]["data"]["hash"] == seal
    sam.service.merge(reveal)
    assert "Start each meeting by asking what I want to leave with" in _doc(sam, "two_way_feedback").markdown


def _refused(s: Side, packet: Path, message: str) -> None:
    """Merging `packet` is one line matching `message`, and changes nothing in `s`'s folder."""
    before = snapshot(s.folder)
    with pytest.raises(AppError, match=message) as error:
        s.service.merge(packet)
    assert "\n" not in str(error.value)
    assert snapshot(s.folder) == before


def _edit_answer(path: Path) -> Path:
    data = _packet(path)
    data["stages"][0]["answers"][0]["shown"] = "Something kinder, written after reading Sam's"
    data["checksum"] = checksum(data)
    edited = path.with_name(f"edited-{path.name}")
    edited.write_text(json.dumps(data), encoding="utf-8")
    return edited


def test_a_reveal_changed_after_sealing_is_refused_and_nothing_is_stored(
        fed_back: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = fed_back
    sam.service.merge(mail.share(ana, "feedback"))
    ana.service.merge(mail.share(sam, "feedback"))
    edited = _edit_answer(mail.share(ana, "feedback"))
    _refused(sam, edited, r"reveals feedback that does not match its seal: it was changed after")


def test_a_new_seal_after_one_revealed_against_the_old_is_refused(fed_back: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = fed_back
    sam.service.merge(mail.share(ana, "feedback"))
    ana.service.merge(mail.share(sam, "feedback"))  # Sam revealed his against Ana's seal
    # Ana's record of her seal is lost (an old backup of her folder): her coach seals anew
    own = next(o for o in ana.service.repo.list_own_stages(ana.relationship.id) if o.stage == "feedback")
    ana.service.repo.save_exchange(ana.relationship.id, own=OwnStage(id=own.id, relationship_id=own.relationship_id,
                                                                       stage=own.stage))
    _refused(sam, mail.share(ana, "feedback"), r"you have already revealed yours against the one they sealed on")


def test_feedback_without_a_seal_is_refused(fed_back: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = fed_back
    sealed = mail.share(ana, "feedback")
    data = _packet(sealed)
    data["stages"][0]["parts"] = []
    data["checksum"] = checksum(data)
    bare = sealed.with_name("bare.coach")
    bare.write_text(json.dumps(data), encoding="utf-8")
    _refused(sam, bare, r"without a seal, and feedback is always sealed first")


def test_a_sealed_packet_reads_as_sealed(fed_back: tuple[Side, Side, Exchange]) -> None:
    ana, _, mail = fed_back
    view = _packet(mail.share(ana, "feedback"))["markdown"]
    assert "## Feedback (sealed)" in view and f"{MENTEE}'s feedback is sealed" in view
    assert_clean_markdown(view)


def test_joint_documents_do_not_overwrite_what_a_later_stage_recalls_of_ones_own_answers(
        pair: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = _signed_by_both(pair)
    mail.send(sam, ana, "fit_check")  # the joint fit report's data has a "recommendation" of the pair
    chat = ana.service.open_stage(ana.profile, ana.relationship, "feedback")
    memory = chat.conversation.header.memory
    assert memory["goals"] == ["Run my first team retro by February", "Hold monthly one-to-ones with two juniors",
                               "Present our roadmap at the March all-hands"]
    assert "text_hash" not in memory and "signatures" not in memory
    ana.service.leave(chat)


def test_moving_on_reviews_the_goals_both_signed(pair: tuple[Side, Side, Exchange]) -> None:
    ana, sam, mail = _signed_by_both(pair)
    ana.play("moving_on_mentee_happy")
    sam.play("moving_on_mentor_happy")
    mail.send(ana, sam, "moving_on")
    mail.send(sam, ana, "moving_on")
    decision = _doc(ana, "joint_moving_on").markdown
    assert decision == _doc(sam, "joint_moving_on").markdown
    signed = signed_agreement(ana.service, ana.relationship)
    assert signed is not None
    assert f"The goals you both signed on {long_date(signed.signed_on)}" in decision
    assert "Run my first team retro by February" in decision
    assert_clean_markdown(decision)
