"""`coach demo` on the command line: listing personas, and one-line errors for mistakes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli.demo import default_persona
from coach.cli.main import main
from coach.content.library import FlowLibrary
from coach.tui.demo.personas import PersonaSet

ROOT = Path(__file__).resolve().parents[2]


def test_list_describes_every_persona(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--list"]) == 0
    out = capsys.readouterr().out
    for name, persona in PersonaSet.load().personas.items():
        assert f"{name:<10} {persona.role.value:<7} {persona.flow:<14} {persona.display_name} with " in out


def test_help_names_the_personas_and_the_keys(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    out = capsys.readouterr().out
    assert f"personas: {', '.join(PersonaSet.load().names())}" in out
    for key in ("space", "n or .", "take over", "r ", "q "):
        assert key in out


def test_the_default_persona_is_a_mentee_of_the_first_stage() -> None:
    persona = default_persona(PersonaSet.load(), FlowLibrary.load())
    assert (persona.flow, persona.role.value) == ("fit_check", "mentee")


@pytest.mark.parametrize(("argv", "message"), [
    (["demo", "--persona", "nobody"], "coach: unknown persona 'nobody'; known personas: "),
    (["demo", "--persona", "priya"], "coach: the demo needs a terminal"),
    (["demo", "--speed", "0"], "coach demo: error: argument --speed: must be more than 0"),
])
def test_mistakes_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as e:  # argparse errors
        code = int(e.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err


def test_a_persona_for_a_missing_flow_and_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "ghost.yaml").write_text(
        "display_name: G\nrole: mentee\nflow: no_such_flow\nother_name: S\nbio: b\nanswers: [x]\n")
    (tmp_path / "personas" / "broken.yaml").write_text("display_name: [\n")
    assert main(["--flows", str(tmp_path), "demo", "--persona", "ghost"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("coach: warning: ") and "broken.yaml:2:1: invalid YAML" in err[0]
    assert err[1] == ("coach: persona 'ghost' plays flow 'no_such_flow', which is not installed "
                      "(see `coach flows list`; load more with --flows DIR)")


def test_listing_personas_does_not_import_textual() -> None:
    code = (
        "import sys\nfrom coach.cli.main import main\nmain(['demo', '--list'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_serve'))\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_data_dir_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    from coach.tui.demo.app import DemoApp

    ran: list[DemoApp] = []
    monkeypatch.setattr(DemoApp, "run", lambda self: ran.append(self))
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")  # "a terminal"
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "env"))
    assert main(["--data-dir", str(tmp_path / "flag"), "demo", "--persona", "marcus", "--speed", "40"]) == 0
    (app,) = ran
    assert (app.persona.name, app.speed) == ("marcus", 40.0)
    assert "the demo does not use --data-dir" in capsys.readouterr().err
    assert not (tmp_path / "env").exists() and not (tmp_path / "flag").exists()
