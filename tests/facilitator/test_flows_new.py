"""`coach flows new NAME`: the scaffold lints clean (strict), runs to its end with its scripted
answers, draws, plays as a demo persona, and never overwrites anything."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from coach.cli.main import main
from coach.content.library import FlowLibrary
from coach.engine.conversation import Engine
from coach.tui.demo.personas import PersonaSet


@pytest.fixture
def made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.chdir(tmp_path)
    assert main(["flows", "new", "checkin"]) == 0
    out = capsys.readouterr().out
    assert "coach run checkin --flows my-flows --answers my-flows/answers/checkin.yaml" in out
    return tmp_path / "my-flows"


def test_writes_four_files_into_my_flows(made: Path) -> None:
    assert sorted(str(p.relative_to(made)) for p in made.rglob("*.yaml")) == [
        "answers/checkin.yaml", "checkin.yaml", "personas/checkin.yaml", "prompts/en/checkin.yaml",
    ]


def test_the_scaffold_lints_clean_even_strict(made: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "lint", "--strict", str(made)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("ok: 1 flow")


def test_the_scaffold_runs_to_its_end_with_its_answers(made: Path) -> None:
    # a separate process: `coach run` prints to the sys.stdout it saw when first imported
    r = subprocess.run([sys.executable, "-m", "coach.cli.main", "run", "checkin", "--flows", "my-flows",
                        "--answers", "my-flows/answers/checkin.yaml"],
                       cwd=made.parent, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr  # no "answers ran out" / "left unused" notes
    assert "you>   things at work" in r.stdout
    assert r.stdout.rstrip().endswith("Your check-in note is ready. Bring it to the session.")  # once kept


def test_the_scaffold_draws(made: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "graph", "checkin", "--flows", str(made)]) == 0
    assert 'ask_mood -->|"mood ≤ 2"| ask_support' in capsys.readouterr().out


def test_the_scaffold_persona_plays_through(made: Path) -> None:
    lib = FlowLibrary.load([made])
    persona = PersonaSet.load([made]).get("checkin")
    conv = Engine(lib, today=lambda: date(2026, 11, 27)).new(persona.flow, persona.role)
    kinds = []
    for answer in persona.answers:
        kinds += [m.kind for m in conv.reply(answer.text).messages]
    assert conv.done and "probe" in kinds and "back" in kinds


def test_never_overwrites(made: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow = made / "checkin.yaml"
    flow.write_text("# mine\n")
    assert main(["flows", "new", "checkin"]) == 2
    assert capsys.readouterr().err == (
        "coach: my-flows/checkin.yaml already exists; not overwriting anything (pick another NAME or --dir)\n")
    assert flow.read_text() == "# mine\n"
    assert main(["flows", "new", "other", "--dir", str(made)]) == 0  # a second flow beside it is fine


@pytest.mark.parametrize(("name", "message"), [
    ("Check-In", "coach: 'Check-In' is not a flow id"),
    ("fit_check", "coach: 'fit_check' is a shipped flow: to adapt it, copy "),
])
def test_refuses_bad_names(name: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "new", name, "--dir", str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err.startswith(message)
    assert not (tmp_path / "x").exists()
