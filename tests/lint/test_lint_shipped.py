"""The shipped flows and prompts lint without errors, and the linter knows every prompt key the
engine renders by itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach.content.library import data_root
from coach.content.lint import LintReport, display_path
from coach.content.lint_diag import Sink
from coach.content.lint_prompts import ENGINE_PROMPT_KEYS, PromptLint, load_catalog

Cli = Callable[..., Any]

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_flows_lint_without_errors(shipped_report: LintReport) -> None:
    report = shipped_report
    assert report.errors() == [], "\n".join(report.lines())
    assert report.flows == len(list(data_root("flows").glob("*.yaml")))
    assert report.prompt_keys > 0


def test_cli_lints_the_shipped_flows_by_default(cli: Cli) -> None:
    r = cli("flows", "lint")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("ok: ")


def test_engine_prompt_keys_are_known_to_the_linter() -> None:
    """Every literal `common.*` key in coach/engine must be in ENGINE_PROMPT_KEYS (so the linter
    checks prompts/en has it); update coach/content/lint_prompts.py when the engine gains one."""
    used: set[str] = set()
    for path in (ROOT / "coach" / "engine").glob("*.py"):
        used |= set(re.findall(r"\"(common\.[a-z_.]*[a-z_])\"", path.read_text(encoding="utf-8")))
    assert used, "no common.* keys found in the engine: has it moved?"
    missing = sorted(used - ENGINE_PROMPT_KEYS)
    assert not missing, f"add to ENGINE_PROMPT_KEYS: {missing}"


def test_a_missing_engine_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "common.yaml").write_text('ack: "Thanks."\nwhy:\n  default: "Because."\n')
    sink = Sink()
    catalog = load_catalog([tmp_path], display_path)
    common = display_path(tmp_path / "en" / "common.yaml")
    PromptLint(catalog, {common}, sink).check_engine_keys(common, {"common.ack", "common.why.general"})
    assert [str(d) for d in sink.sorted()] == [
        f"{common}:1:1: the engine uses 'common.why.general', which is missing from prompts/en"]
