"""Every command that runs flows checks them as `coach flows lint` does and refuses a broken one
with the lint's own lines, in one block, exit code 1, no traceback; a sound --flows folder runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.content.library import FlowLibrary
from coach.content.lint import lint
from coach.engine import compute

ROOT = Path(__file__).resolve().parents[2]

# Loads without a pydantic error, but names texts that do not exist and a step that does not
# exist: before, `coach run` died with KeyError: 'checkin.intro' or "State ... is not a registered state".
CHECKIN = """\
schema_version: 1
id: checkin
stage: checkin
title: Check-in
roles: [mentee]
slots:
  mood: {type: text}
steps:
  - {id: intro, kind: say, prompt: checkin.intro, next: ask_mood}
  - {id: ask_mood, kind: ask, slot: mood, prompt: checkin.mood, next: finish}
  - {id: done, kind: end, prompt: checkin.bye}
"""
TEXTS = 'intro: "Hello."\nmood: "How are you?"\nbye: "Bye."\n'
# A slot no answer can fill: refused by the schema (located at min_items).
TAGS = """\
schema_version: 1
id: tags
stage: checkin
title: Tags
roles: [mentee]
slots:
  tags: {type: list, min_items: 3, max_items: 2}
steps:
  - {id: ask_tags, kind: ask, slot: tags, prompt: checkin.mood, next: done}
  - {id: done, kind: end, prompt: checkin.bye}
"""


def _folder(tmp: Path, name: str, flows: dict[str, str]) -> Path:
    d = tmp / name
    (d / "prompts" / "en").mkdir(parents=True)
    (d / "prompts" / "en" / "checkin.yaml").write_text(TEXTS if name != "no_texts" else "other: x\n")
    for fid, text in flows.items():
        (d / f"{fid}.yaml").write_text(text)
    return d


def _coach(tmp: Path, *args: str, stdin: str = "fine\n") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COACH_DATA_DIR": str(tmp / "data")}
    env.pop("TEXTUAL_DRIVER", None)
    return subprocess.run([sys.executable, "-m", "coach.cli.main", *args], cwd=tmp, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("broken")
    flows = _folder(tmp, "no_texts", {"checkin": CHECKIN, "tags": TAGS})
    (tmp / "answers.yaml").write_text("- fine\n")
    return flows


def test_self_check_the_library_alone_accepts_the_checkin_flow(broken: Path) -> None:
    """What the commands refuse is the lint's finding: the loader alone lets `checkin` through."""
    lib = FlowLibrary.load([broken])
    assert "checkin" in lib.flows
    report = lint([broken], compute_functions=set(compute.names()))
    assert not report.ok()


COMMANDS = [
    ["run", "checkin", "--answers", "answers.yaml"],
    ["chat", "--plain", "--flow", "checkin"],
    ["chat", "--flow", "checkin"],  # not a terminal: the plain chat
    ["--flow", "checkin"],  # no command: the chat
    ["demo"],
    ["serve"],  # refused before it listens
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a))
def test_a_command_refuses_broken_flows_with_the_lint_lines(argv: list[str], broken: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    r = _coach(broken.parent, "--flows", "no_texts", *argv)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert "coach> " not in r.stdout  # no conversation was started
    monkeypatch.chdir(broken.parent)  # the lint names files as seen from where coach ran
    report = lint([Path("no_texts")], compute_functions=set(compute.names()))
    lines = r.stderr.strip().splitlines()
    if lines[0] == "coach: not a terminal, so using the plain chat (--plain)":
        lines = lines[1:]
    assert lines[0].startswith("coach: the flows in no_texts have errors, so they cannot run")
    wanted = [str(d) for d in report.errors()]
    assert lines[1:-1] == wanted  # the lint's own lines, all together, in its order
    assert lines[-1] == f"coach: {report.summary()}"
    assert any("unknown prompt key 'checkin.intro'" in w for w in wanted)
    assert any("no step 'finish'" in w for w in wanted)
    assert any("min_items: 3 is more than max_items (2)" in w for w in wanted)


def test_a_sound_flows_folder_still_runs(tmp_path: Path) -> None:
    good = _folder(tmp_path, "good", {"checkin": CHECKIN.replace("next: finish", "next: done")})
    (tmp_path / "answers.yaml").write_text("- fine\n")
    r = _coach(tmp_path, "--flows", str(good), "run", "checkin", "--answers", "answers.yaml")
    assert r.returncode == 0, r.stderr
    assert "coach> Hello." in r.stdout and "coach> Bye." in r.stdout


def test_many_errors_are_cut_short_with_the_count(tmp_path: Path) -> None:
    many = CHECKIN.replace("steps:\n", "steps:\n" + "".join(
        f"  - {{id: s{i}, kind: say, prompt: checkin.missing_{i}, next: intro}}\n" for i in range(40)))
    _folder(tmp_path, "many", {"checkin": many})
    (tmp_path / "answers.yaml").write_text("- fine\n")
    r = _coach(tmp_path, "--flows", "many", "run", "checkin", "--answers", "answers.yaml")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 + 30 + 2
    assert lines[-2].startswith("... and ") and "`coach flows lint many` lists them all" in lines[-2]


def test_the_tui_exits_with_the_lint_lines(broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`coach chat` in a terminal: the app loads the flows on its data thread and exits with the block."""
    import argparse
    import asyncio

    from coach.cli.chat import make_service
    from coach.tui.app import CoachApp

    monkeypatch.chdir(broken.parent)
    args = argparse.Namespace(data_dir=tmp_path / "data", flow_dirs=[Path("no_texts")], flow=None, role=None)
    app = CoachApp(lambda: make_service(args))
    said: list[str] = []
    fail = app.fail
    monkeypatch.setattr(app, "fail", lambda message: (said.append(message), fail(message)))

    async def play() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(50):
                await pilot.pause(0.05)
                if said:
                    break

    asyncio.run(play())
    assert app.return_code == 2
    report = lint([Path("no_texts")], compute_functions=set(compute.names()))
    (message,) = said
    assert message.splitlines()[1:-1] == [str(d) for d in report.errors()]
    assert message.startswith("the flows in no_texts have errors, so they cannot run")
