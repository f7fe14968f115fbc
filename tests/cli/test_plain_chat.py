"""`coach chat --plain`: profiles, relationship, stage choice, a conversation saved as it goes,
and resuming exactly where the user left off.  Uses the engine-test flow `echo` so the test does
not depend on the wording of the real stages."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from coach.app.service import CoachService
from coach.cli.common import CliError
from coach.cli.plain import run_plain
from coach.content.library import FlowLibrary
from coach.engine.conversation import Conversation
from coach.models import Relationship
from coach.store import Store

FLOWS_OK = Path(__file__).resolve().parents[1] / "flows_ok"


def _service(data_dir: Path) -> CoachService:
    return CoachService(FlowLibrary.load([FLOWS_OK]), Store(data_dir))


def _people(service: CoachService) -> tuple[str, Relationship]:
    (profile,) = service.profiles()
    (rel,) = service.relationships(profile.id)
    return profile.role.value, rel


def _unfinished(service: CoachService, rel: Relationship, role: str = "mentee") -> Conversation:
    saved = service.unfinished(rel.id, "echo", role)
    assert saved is not None
    return service.resume(saved.id).conversation


def _run(data_dir: Path, lines: list[str], flow: str | None = "echo", role: str | None = None) -> str:
    args = argparse.Namespace(flow=flow, role=role, data_dir=data_dir, flow_dirs=[FLOWS_OK])
    out = io.StringIO()
    assert run_plain(args, stdin=io.StringIO("".join(f"{x}\n" for x in lines)), stdout=out) == 0
    return out.getvalue()


def test_first_run_creates_profile_and_relationship_then_resumes(tmp_path: Path) -> None:
    out = _run(tmp_path, ["Ana", "1", "Sam", "a first note", "x; y"])
    assert "What's your mentor's name" in out
    assert "Saved. Run `coach chat --plain` again" in out  # input ended: paused, not lost
    service = _service(tmp_path)
    try:
        (profile,) = service.profiles()
        assert (profile.name, profile.role) == ("Ana", "mentee")
        _, rel = _people(service)
        assert rel.other_name == "Sam" and rel.mentor_name == "Sam"
        saved = _unfinished(service, rel)
        assert saved.step == "ask_pick" and saved.slots["tags"] == ["x", "y"]
    finally:
        service.close()
    # Second start: same profile (only one), same relationship (default), continue.
    out = _run(tmp_path, ["", "y", "navy"])
    assert "Continue where you left off?" in out
    service = _service(tmp_path)
    try:
        saved = _unfinished(service, rel)
        assert saved.step == "ask_many" and saved.slots["pick"] == "blue"
        assert saved.slots["note"] == "a first note"
    finally:
        service.close()


def test_declining_resume_starts_fresh(tmp_path: Path) -> None:
    _run(tmp_path, ["Ana", "2", "Kim", "a note"])
    out = _run(tmp_path, ["", "n", "another"])
    assert "Continue where you left off?" in out
    service = _service(tmp_path)
    try:
        _, rel = _people(service)
        notes = sorted(service.resume(s.id).conversation.slots.get("note", "") for s in service.repo.summaries(rel.id))
        assert notes == ["a note", "another"]
    finally:
        service.close()


def test_stage_picker_lists_stages_with_status(tmp_path: Path) -> None:
    out = _run(tmp_path, ["Ana", "1", "Sam", "echo"], flow=None)
    assert "Which stage?" in out and "Echo" in out and "not started" in out


def test_unknown_flow_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CliError, match="unknown flow 'nope'"):
        _run(tmp_path, [], flow="nope")


def test_a_draft_is_edited_line_by_line_and_kept(tmp_path: Path) -> None:
    lines = ["Ana", "1", "Sam", "run a team of four", "yes", "book the offsite",
             "edit", "Goal: run a team of four by June.", "Next: the offsite.", ".", "keep"]
    args = argparse.Namespace(flow="after_summary", role=None, data_dir=tmp_path, flow_dirs=[FLOWS_OK])
    out = io.StringIO()
    assert run_plain(args, stdin=io.StringIO("".join(f"{x}\n" for x in lines)), stdout=out) == 0
    assert "then a line with just a dot" in out.getvalue()
    service = _service(tmp_path)
    try:
        _, rel = _people(service)
        (plan,) = service.documents(rel.id)
        assert plan.markdown == "Goal: run a team of four by June.\nNext: the offsite."
    finally:
        service.close()
