"""`coach chat --plain`: profiles, relationship, stage choice, a conversation saved as it goes,
and resuming exactly where the user left off."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from coach.cli.plain import run_plain
from coach.store import Store


def _run(data_dir: Path, lines: list[str], **kw: object) -> str:
    args = argparse.Namespace(flow=kw.get("flow"), role=kw.get("role"), data_dir=data_dir, flow_dirs=[])
    out = io.StringIO()
    assert run_plain(args, stdin=io.StringIO("".join(f"{x}\n" for x in lines)), stdout=out) == 0
    return out.getvalue()


def test_first_run_creates_profile_and_relationship_then_resumes(tmp_path: Path) -> None:
    out = _run(tmp_path, ["Ana", "1", "Sam", "", "get better at stuff"])
    assert "What's your mentor's name" in out
    assert "sounds a little open" in out or "more concrete" in out
    assert "Saved. Run `coach chat --plain` again" in out
    with Store(tmp_path) as store:
        (profile,) = store.profiles.list()
        assert (profile.name, profile.role) == ("Ana", "mentee")
        (rel,) = store.relationships.list_for_profile(profile.id)
        assert rel.other_name == "Sam" and rel.mentor_name == "Sam"
        saved = store.sessions.latest_in_progress(rel.id, "fit_check")
        assert saved is not None and saved.mode == "probe" and saved.answers["goal"].raw == "get better at stuff"
    # Second start: same relationship, same stage, continue -> the probe is asked again, and answered.
    out = _run(tmp_path, ["", "", "y", "lead a team of 4 by June 2027"])
    assert "Continue where you left off?" in out
    assert "get better at stuff — lead a team of 4 by June 2027" in out
    with Store(tmp_path) as store:
        saved = store.sessions.latest_in_progress(rel.id, "fit_check")
        assert saved is not None and saved.step == "ask_vision"


def test_declining_resume_starts_fresh(tmp_path: Path) -> None:
    _run(tmp_path, ["Ana", "2", "Kim", "", "Help Kim lead her first project"])
    out = _run(tmp_path, ["", "n"], flow="fit_check")
    assert out.count("What does your mentee want to achieve") == 1


def test_unknown_flow_is_a_clear_error(tmp_path: Path) -> None:
    import pytest

    from coach.cli.common import CliError

    with pytest.raises(CliError, match="unknown flow 'nope'"):
        _run(tmp_path, [], flow="nope")
