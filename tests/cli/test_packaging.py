"""The built wheel carries flows/, prompts/ and lexicon/, and works installed outside the repository;
commands other than the chat never import textual."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                        "-w", str(out), str(ROOT)], capture_output=True, text=True, timeout=300)
    if r.returncode != 0 and "hatchling" in r.stderr:  # no build backend in this venv: let pip fetch it
        r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    (whl,) = out.glob("coach-*.whl")
    return whl


def test_wheel_ships_flows_and_prompts(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped_flows = {n.rsplit("/", 1)[1] for n in names if n.startswith("coach/_data/flows/")}
    assert {p.name for p in (ROOT / "flows").glob("*.yaml")} <= shipped_flows
    assert "coach/_data/prompts/en/common.yaml" in names
    shipped_words = {n.removeprefix("coach/_data/") for n in names if n.startswith("coach/_data/lexicon/")}
    assert {str(p.relative_to(ROOT)) for p in (ROOT / "lexicon").glob("*/*.yaml")} <= shipped_words


def test_installed_wheel_finds_its_data_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    answers = tmp_path / "a.yaml"
    answers.write_text((ROOT / "examples/fit_check_mentee.yaml").read_text())
    code = (
        "import sys, coach; from coach.content.library import FlowLibrary, data_root;"
        f"assert coach.__file__.startswith({str(target)!r}), coach.__file__;"
        f"assert str(data_root('flows')).startswith({str(target)!r});"
        f"assert str(data_root('lexicon')).startswith({str(target)!r});"
        "from coach.content.lexicon import Lexicon; assert Lexicon.load('es').sources['answers.yes_words'] == 'es';"
        "lib = FlowLibrary.load(); assert not lib.errors, lib.errors;"
        "print(sorted(lib.flows));"
        "from coach.cli.main import main; sys.exit(main(['run', 'fit_check', '--answers', 'a.yaml']))"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert "'fit_check'" in r.stdout and "coach> " in r.stdout


COMMANDS = [["flows", "list"], ["run", "fit_check", "--answers", "examples/fit_check_mentee.yaml"], ["--help"]]


@pytest.mark.parametrize("argv", COMMANDS)
def test_commands_other_than_the_chat_never_import_textual(argv: list[str]) -> None:
    code = (
        "import sys\nfrom coach.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_serve'))\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_cli_imports_only_the_command_it_runs() -> None:
    code = (
        "import sys\nfrom coach.cli.main import main\n"
        "try:\n    main(['flows', 'list'])\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('coach.cli.') and m != 'coach.cli.main')\n"
        "print(loaded)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    for other in ("run", "chat", "export", "demo", "serve", "plain"):
        assert f"'coach.cli.{other}'" not in r.stdout, r.stdout


def test_options_before_no_command_open_the_chat() -> None:
    from coach.cli.main import _command_in

    assert _command_in(["--data-dir", "x", "--flows", "y"]) is None
    assert _command_in(["--data-dir", "run", "flows", "list"]) == "flows"
    assert _command_in(["--theme", "light"]) is None


def test_the_readmes_scripted_run_plays_the_fit_check_to_its_end() -> None:
    r = subprocess.run([sys.executable, "-m", "coach.cli.main", "run", "fit_check", "--role", "mentee", "--answers",
                        "examples/fit_check_mentee.yaml"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "ran out" not in r.stdout + r.stderr
    assert "Your fit report is saved." in r.stdout
