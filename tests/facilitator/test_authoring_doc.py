"""docs/authoring.md's worked example, replayed: the commands it shows still print what it says.

If this fails after a change to lint messages, the graph or the scaffold, update the example in
docs/authoring.md (run the commands and paste their output)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "authoring.md"


def console_blocks(text: str) -> dict[str, list[str]]:
    """`$ command` -> the output lines shown under it (first occurrence of each command)."""
    out: dict[str, list[str]] = {}
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        command = None
        for line in block.splitlines():
            if line.startswith("$ "):
                command = line[2:].split("  #")[0].strip()
                if command in out:  # shown before: keep the first
                    command = None
                else:
                    out[command] = []
            elif command is not None:
                out[command].append(line)
    return out


def summary(lines: list[str]) -> list[str]:
    start = lines.index("coach> Here's your check-in:")
    return lines[start : start + 8]


def coach(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coach.cli.main", *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture(scope="module")
def shown() -> dict[str, list[str]]:
    return console_blocks(DOC.read_text(encoding="utf-8"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: the scaffold changed; update the worked example"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_worked_example(tmp_path: Path, shown: dict[str, list[str]]) -> None:
    r = coach(tmp_path, "flows", "new", "checkin")
    assert r.returncode == 0 and r.stdout.splitlines() == shown["coach flows new checkin"]
    flows = tmp_path / "my-flows"
    flow, prompts = flows / "checkin.yaml", flows / "prompts" / "en" / "checkin.yaml"
    edit(flow, "slots:\n  topic:", "slots:\n  win:\n    type: text\n    label: A win since last time\n  topic:")
    edit(flow, "  - {id: intro, kind: say, prompt: checkin.intro, next: ask_topic}",
         "  - {id: intro, kind: say, prompt: checkin.intro, next: ask_win}\n"
         "  - {id: ask_win, kind: ask, slot: win, prompt: checkin.ask_wins, skippable: true, next: ask_topc}")
    edit(flow, "edit_slots: [topic,", "edit_slots: [win, topic,")

    r = coach(tmp_path, "flows", "lint", "my-flows")
    assert r.returncode == 1
    assert [*r.stdout.splitlines(), *r.stderr.splitlines()] == shown["coach flows lint my-flows"]

    edit(flow, "prompt: checkin.ask_wins, skippable: true, next: ask_topc", "prompt: checkin.ask_win, skippable: "
         "true, next: ask_topic")
    edit(prompts, "ask_topic:", 'ask_win:\n  mentee: "First, something good: what went well since your last session? '
         '(/skip if nothing comes to mind)"\n  mentor: "First, something good: what went well for your mentee since '
         'your last session? (/skip if you don\'t know)"\n\nask_topic:')
    edit(prompts, "  - On your mind: $topic", "  - A win: $win\n  - On your mind: $topic")
    edit(prompts, "  # Check-in: $topic\n\n", "  # Check-in: $topic\n\n  - A win since last time: $win\n")
    edit(flows / "answers" / "checkin.yaml", "answers:\n", "answers:\n  - I ran my first team stand-up   # the new "
         "question\n")

    r = coach(tmp_path, "flows", "lint", "--strict", "my-flows")
    assert r.returncode == 0 and r.stderr.splitlines() == shown["coach flows lint --strict my-flows"]
    r = coach(tmp_path, "flows", "graph", "checkin", "--flows", "my-flows")
    assert r.stdout.splitlines() == shown["coach flows graph checkin --flows my-flows"]

    run = "coach run checkin --flows my-flows --answers my-flows/answers/checkin.yaml --transcript checkin.json"
    r = coach(tmp_path, *run.split()[1:])
    assert r.returncode == 0 and r.stderr == ""
    # several texts have more than one phrasing, picked per conversation: compare what does not vary
    got, doc = r.stdout.splitlines(), shown[run]
    assert [x for x in got if x.startswith("you>")] == [x for x in doc if x.startswith("you>")]
    assert summary(got) == summary(doc) and got[-1] == doc[-1]

    transcript = json.loads((tmp_path / "checkin.json").read_text(encoding="utf-8"))
    expected = json.loads("\n".join(shown["cat my-flows/answers/checkin.expected.json"]))
    assert {"slots": transcript["slots"], "documents": [a["markdown"] for a in transcript["artifacts"]]} == expected
