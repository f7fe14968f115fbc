"""`coach brief`: a relationship built through several stages, on one page before the next meeting."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from partnership_helpers import MENTEE, Side, fit_checked
from stage_player import Clock, play, scripts

from coach.app import brief
from coach.app.errors import AppError
from coach.app.partnership import Texts
from coach.app.service import CoachService
from coach.content.library import FlowLibrary
from coach.models import Role
from coach.store import Store

# the mentor's feedback script names a date off the agreed rhythm (the coach then asks which one):
# the mentor's third stage is empowerment
STAGES = {"mentee": ("fit_check_mentee_happy", "commitment_mentee_happy", "feedback_mentee_happy"),
          "mentor": ("fit_check_mentor_happy", "commitment_mentor_happy", "empowerment_mentor_happy")}


@pytest.fixture(scope="module")
def library() -> FlowLibrary:
    return FlowLibrary.load()


def _built(library: FlowLibrary, folder: Path, role: str) -> tuple[CoachService, Clock]:
    clock = Clock()
    service = CoachService(library, Store(folder), today=clock.today, now=clock.now)
    name, other = ("Ana Lima", "Sam Okafor") if role == "mentee" else ("Sam Okafor", "Ana Lima")
    profile = service.add_profile(name, role, timezone="Europe/London")
    rel = service.add_relationship(profile, other)
    runs = {c["name"]: c for c in scripts(role)}
    for n, stage in enumerate(STAGES[role]):
        play(service, clock, runs[stage], profile, rel, n)
    return service, clock


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_the_next_meeting_follows_the_agreed_rhythm(library: FlowLibrary, tmp_path: Path, role: str) -> None:
    service, clock = _built(library, tmp_path / "data", role)
    clock.day = date(2026, 12, 20)  # the agreement: fortnightly from Thursday 3 December 2026
    rel = service.relationships(service.profiles()[0].id)[0]
    gathered = brief.gather(service, rel, role)
    assert gathered.next_meeting == date(2026, 12, 31)
    page = service.brief()
    assert "**Next meeting:** Thursday 31 December 2026" in page


def test_overdue_commitments_are_marked_and_asked_about(library: FlowLibrary, tmp_path: Path) -> None:
    service, clock = _built(library, tmp_path / "data", "mentee")
    clock.day = date(2027, 1, 20)
    rel = service.relationships(service.profiles()[0].id)[0]
    gathered = brief.gather(service, rel, Role.mentee)
    overdue = [c for c in gathered.commitments if gathered.overdue(c)]
    assert overdue, "the agreement's commitments were due in December"
    page = service.brief()
    assert f"{overdue[0].text} (" in page and "**overdue** since" in page
    assert gathered.questions[0].kind == "overdue" and gathered.questions[0].about == overdue[0].text


def test_a_mentors_questions_are_open_and_give_no_advice(library: FlowLibrary, tmp_path: Path) -> None:
    service, clock = _built(library, tmp_path / "data", "mentor")
    clock.day = date(2027, 1, 20)
    page = service.brief()
    questions = re.findall(r"^\d\. (.+)$", page.split("## To open the session with")[1], re.M)
    assert 3 <= len(questions) <= 5
    for q in questions:
        assert q.endswith("?"), q
        assert re.match(r"(What|Where|How|Last time)\b", q), f"not an open question: {q}"
        assert not re.search(r"\b(you should|try to|I suggest|my advice)\b", q, re.I), q


def test_a_mentees_questions_are_asks(library: FlowLibrary, tmp_path: Path) -> None:
    service, clock = _built(library, tmp_path / "data", "mentee")
    clock.day = date(2027, 1, 20)
    rel = service.relationships(service.profiles()[0].id)[0]
    gathered = brief.gather(service, rel, Role.mentee)
    texts = Texts(library.prompts, "en", "export").under("brief")
    worded = [texts.say(f"question.{q.kind}", "mentee", about=q.about) for q in gathered.questions]
    assert 3 <= len(worded) <= 5
    assert any(re.search(r"\b(help me|can we|could we|could you)\b", w, re.I) for w in worded)


def test_the_suggested_stage_comes_with_its_reason(library: FlowLibrary, tmp_path: Path) -> None:
    service, clock = _built(library, tmp_path / "data", "mentee")
    rel = service.relationships(service.profiles()[0].id)[0]
    clock.day = date(2026, 12, 1)
    assert brief.gather(service, rel, Role.mentee).suggestion.stage == "empowerment"  # feedback just done
    assert brief.meetings_between(brief.regular_rhythm("2026-12-03", "fortnightly"), date(2026, 12, 1),
                                  date(2027, 1, 20)) == 4
    fresh = CoachService(library, Store(tmp_path / "other"))
    profile = fresh.add_profile("Ana", "mentee")
    other = fresh.add_relationship(profile, "Sam")
    suggestion = brief.gather(fresh, other, Role.mentee).suggestion
    assert (suggestion.stage, suggestion.reason) == ("fit_check", "no_fit_check")


def test_the_brief_in_spanish_has_no_english_headings(library: FlowLibrary, tmp_path: Path) -> None:
    service, clock = _built(library, tmp_path / "data", "mentee")
    spanish = CoachService(library, service.repo, today=clock.today, now=clock.now, locale="es", locale_chosen=True)
    page = spanish.brief()
    assert page.startswith("# Antes de tu próxima reunión con Sam Okafor")
    assert "Próxima reunión" in page and "Next meeting" not in page and "Open commitments" not in page


def test_no_relationship_and_an_unknown_one_are_one_line_errors(library: FlowLibrary, tmp_path: Path) -> None:
    empty = CoachService(library, Store(tmp_path / "empty"))
    with pytest.raises(AppError, match="nothing to brief yet"):
        empty.brief()
    service, _ = _built(library, tmp_path / "data", "mentee")
    with pytest.raises(AppError, match="no relationship with 'Nobody'"):
        service.brief("Nobody")


def test_coach_brief_prints_the_page_or_one_line(tmp_path: Path) -> None:
    run = [str(Path(sys.executable).with_name("coach")), "--data-dir", str(tmp_path / "none"), "brief"]
    done = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "nothing to brief yet" in done.stderr


def test_prepare_is_offered_on_home_only_when_a_meeting_is_within_three_days(
        library: FlowLibrary, tmp_path: Path) -> None:
    service, clock = _built(library, tmp_path / "data", "mentee")
    profile = service.profiles()[0]
    assert "prepare" not in [f.id for f in service.stages()]  # a check-in, not a row of the stage table
    clock.day = date(2026, 12, 14)  # meetings: 3 December, then every two weeks: 17 December
    assert service.home_view(profile.id).prepare == ("prepare", date(2026, 12, 17))
    clock.day = date(2026, 12, 13)
    assert service.home_view(profile.id).prepare is None
    clock.day = date(2026, 12, 17)  # the day itself
    assert service.home_view(profile.id).prepare == ("prepare", date(2026, 12, 17))


def test_the_agenda_prepare_leaves_is_the_briefs_agenda(library: FlowLibrary, tmp_path: Path) -> None:
    service, clock = _built(library, tmp_path / "data", "mentee")
    profile = service.profiles()[0]
    rel = service.relationships(profile.id)[0]
    runs = {c["name"]: c for c in scripts("mentee")}
    clock.day = date(2026, 12, 14)
    case = dict(runs["prepare_mentee_happy"], today="2026-12-14")
    case["turns"] = [t if t.get("user") != "next Thursday" else {**t, "user": "2026-12-17"} for t in case["turns"]]
    play(service, clock, case, profile, rel, 9)
    gathered = brief.gather(service, rel, Role.mentee)
    assert gathered.agenda == ["Keeping the retro to time", "The conflict between two of my devs"]
    assert gathered.bring == ["The retro notes", "My draft timebox"]


# --- both sides: what the other person's merged packets add -------------------------------------


def _share(sender: Side, receiver: Side, stage: str, folder: Path) -> None:
    preview = sender.service.share_preview(stage)
    packet = sender.service.share(preview, None, folder / f"{len(list(folder.glob('*')))}-{stage}.coach").path
    receiver.service.merge(packet)


def test_a_merged_agreement_fills_in_the_meeting_goals_and_commitments_this_side_has_not(
        library: FlowLibrary, tmp_path: Path) -> None:
    with fit_checked(library, tmp_path) as (ana, sam):
        ana.play("commitment_mentee_happy")  # Sam has not done the commitment stage himself
        assert "none on the calendar yet" in sam.service.brief()
        _share(ana, sam, "commitment", tmp_path)
        gathered = brief.gather(sam.service, sam.relationship, Role.mentor)
        page = sam.service.brief()
    assert gathered.next_meeting == date(2026, 12, 3)  # Ana's agreement: every other week from next Thursday
    assert "**Next meeting:** Thursday 3 December 2026 at 17:30" in page
    assert gathered.partner is not None and gathered.partner.name == MENTEE
    theirs = page.split("**Recorded by Ana Lima (from what they shared):**")[1].split("## ")[0]
    for item in ("Send an agenda two days before each meeting (mentee, due Thursday 3 December 2026)",
                 "Give honest feedback on my plans (mentor, due Thursday 3 December 2026)"):
        assert f"- {item}" in theirs
    assert "- Run my first team retro by February (written down by Ana Lima): nothing done on it yet" in page
    assert "**Ana Lima's topics:**\n\n- Team conflict: a plan for my next one-to-one" in page
    assert (gathered.suggestion.stage, gathered.suggestion.reason) == ("commitment", "their_side")
    assert "Commitment: Ana Lima shared their side of it: go through yours" in page


def test_the_other_sides_commitments_are_not_listed_twice(library: FlowLibrary, tmp_path: Path) -> None:
    with fit_checked(library, tmp_path) as (ana, sam):
        ana.play("commitment_mentee_happy")
        sam.play("commitment_mentor_happy")
        _share(ana, sam, "commitment", tmp_path)
        gathered = brief.gather(sam.service, sam.relationship, Role.mentor)
        recorded = {c.text.casefold() for c in sam.service.repo.list_commitments(sam.relationship.id)}
    assert gathered.partner is not None
    theirs = [c.text for c in gathered.partner.commitments]
    assert theirs, "Ana recorded commitments in words Sam's coach did not"
    assert not {t.casefold() for t in theirs} & recorded
    assert len(theirs) == len({t.casefold() for t in theirs})


def test_the_other_sides_feedback_shows_only_once_the_fair_reveal_allows(library: FlowLibrary, tmp_path: Path) -> None:
    with fit_checked(library, tmp_path) as (ana, sam):
        ana.play("feedback_mentee_happy")
        sam.play("feedback_mentor_happy")
        _share(ana, sam, "feedback", tmp_path)  # Ana's seal: nothing of hers readable yet
        sealed_only = sam.service.brief()
        _share(sam, ana, "feedback", tmp_path)  # Sam seals second: sealed and revealed at once
        at_ana = ana.service.brief()
        not_yet = sam.service.brief()
        _share(ana, sam, "feedback", tmp_path)  # Ana's reveal
        at_sam = sam.service.brief()
    assert "Ana Lima shared on" not in sealed_only and "Ana Lima shared on" not in not_yet
    shared_on = r"shared on \w+ \d{1,2} \w+ \d{4}:"  # the day each packet was written
    assert re.search(f"Sam Okafor {shared_on}", at_ana) and re.search(f"Ana Lima {shared_on}", at_sam)
    said = re.split(f"Sam Okafor {shared_on}", at_ana)[1].split("## ")[0]
    assert "- Behaviour: " in said and "What the mentor will do" not in said  # actions are commitments


def test_odd_values_in_a_merged_packet_are_skipped_or_shown_escaped(library: FlowLibrary) -> None:
    from datetime import UTC, datetime

    from coach.app.memory import MemoryRepository
    from coach.models import PartnerStage, SharedAnswer, SharedStage

    repo = MemoryRepository()
    service = CoachService(library, repo, today=lambda: date(2026, 11, 27))
    profile = service.add_profile("Sam", "mentor")
    rel = service.add_relationship(profile, "Ana")
    odd = {"goals": 42, "cadence": "hourly", "first_meeting": "not a date",
           "agenda_topics": [{"text": "a mapping"}, "**bold** <b>tag</b>", ""],
           "mentee_commitments": [{"owner": "mentee"}, {"text": "Ship it", "due": "soon", "owner": "nobody"}, 7, " "]}
    shared = SharedStage(stage="commitment", flow_id="commitment", role="mentee", finished_at=datetime.now(UTC),
                         answers=[SharedAnswer(slot=k, label=k, value=v, shown=str(v)) for k, v in odd.items()])
    repo.save_exchange(rel.id, partner=PartnerStage(
        id=PartnerStage.key(rel.id, "commitment"), relationship_id=rel.id, stage="commitment", sender_name="Ana",
        sender_role="mentee", created_at=datetime.now(UTC), checksum="x", shared=shared))
    gathered = brief.gather(service, rel, Role.mentor)
    page = service.brief()
    assert gathered.next_meeting is None  # no rhythm in 'hourly' from 'not a date'
    assert gathered.partner is not None and [c.text for c in gathered.partner.commitments] == ["Ship it"]
    assert gathered.partner.commitments[0].owner == "mentee" and gathered.partner.commitments[0].due is None
    assert "**Ana's topics:**\n\n- \\*\\*bold\\*\\* \\<b\\>tag\\</b\\>\n" in page  # as typed, escaped
    assert "- Ship it (mentee)" in page
    assert "a mapping" not in page and "42" not in page.split("## Goals")[1].split("##")[0]  # no goal
