from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from coach.cli.main import main
from coach.content.lint import LintReport, lint
from coach.engine import compute

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """`coach ARGS` run in this process (fast), from the repository root."""
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as e:  # argparse errors
            code = int(e.code or 0)
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run


@pytest.fixture(scope="session")
def real_cli() -> Cli:
    """`python -m coach.cli.main ARGS` in a subprocess, from the repository root."""

    def run(*args: str) -> Result:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        r = subprocess.run([sys.executable, "-m", "coach.cli.main", *args], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
        return Result(r.returncode, r.stdout, r.stderr)

    return run


@pytest.fixture(scope="session")
def broken_report() -> LintReport:
    return lint([ROOT / "tests" / "flows_broken"], compute_functions=set(compute.names()))


@pytest.fixture(scope="session")
def shipped_report() -> LintReport:
    return lint(compute_functions=set(compute.names()))
