"""The project's own checks run as part of the suite: ruff, mypy (strict, on coach/), the
import-linter contracts, and the README/CI agreement."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_clean() -> None:
    r = _run(str(BIN / "ruff"), "check", ".")
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_clean_on_coach() -> None:
    r = _run(sys.executable, "-m", "mypy", "coach")
    assert r.returncode == 0, r.stdout + r.stderr


def test_import_contracts_kept() -> None:
    r = _run(str(BIN / "lint-imports"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout, r.stdout


def test_ci_runs_exactly_the_readme_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
    assert len(blocks) == 2, "Quick start must have exactly two commands"
    ci_lines = [ln for ln in (ROOT / ".ci/run").read_text().splitlines() if ln and not ln.startswith("#")]
    assert blocks[1].strip() in ci_lines, f"{blocks[1]!r} not run by .ci/run"
    assert blocks[0].startswith(blocks[1].split("&&")[0]), "both commands start from the same set-up"
