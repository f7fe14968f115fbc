"""Each file in tests/flows_broken has one problem, announced by `# expect: LINE:COL: text` comments
(`# expect warning: ...` for a warning); the linter must report exactly those, located there."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from coach.content.lint import Diagnostic, LintReport, lint
from coach.engine import compute

Cli = Callable[..., Any]


ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "flows_broken"
EXPECT = re.compile(r"^# expect( warning)?: (\d+):(\d+): (.+)$")
FILES = sorted(p for p in BROKEN.rglob("*.yaml"))
NO_EXPECTATION = {"placeholder_typo.yaml",  # its problem is reported in prompts/en/broken.yaml
                  "uses_unreadable_texts.yaml",  # its texts are in prompts/en/unreadable.yaml, which cannot be read
                  "role_text_missing.yaml"}  # its problem is reported in prompts/en/runtime.yaml


@dataclass(frozen=True)
class Expected:
    severity: str
    line: int
    col: int
    text: str


def expectations(path: Path) -> list[Expected]:
    out = []
    for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        m = EXPECT.match(line)
        if m:
            out.append(Expected("warning" if m.group(1) else "error", int(m.group(2)), int(m.group(3)),
                                m.group(4).strip()))
    return out


def _of(report: LintReport, path: Path) -> list[Diagnostic]:
    return [d for d in report.diagnostics if (Path.cwd() / d.file).resolve() == path.resolve()]


def _assert_matches(found: list[Diagnostic], wanted: list[Expected]) -> None:
    got = [f"{d.severity} {d.line}:{d.col}: {d.message}" for d in found]
    assert len(found) == len(wanted), "\n".join(got)
    for d, w in zip(sorted(found, key=lambda d: (d.line, d.col)), sorted(wanted, key=lambda w: (w.line, w.col)),
                    strict=True):
        assert (d.severity, d.line, d.col) == (w.severity, w.line, w.col), "\n".join(got)
        assert w.text in d.message, "\n".join(got)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(BROKEN)) for p in FILES])
def test_broken_file_reports_exactly_its_expectations(path: Path, broken_report: LintReport) -> None:
    wanted = expectations(path)
    if path.parent == BROKEN and path.name not in NO_EXPECTATION:
        assert wanted, f"{path.name} has no `# expect:` line"
    _assert_matches(_of(broken_report, path), wanted)


def test_every_diagnostic_is_expected_and_in_the_broken_folder(broken_report: LintReport) -> None:
    files = {(Path.cwd() / d.file).resolve() for d in broken_report.diagnostics}
    assert files <= {p.resolve() for p in FILES}
    assert len(broken_report.diagnostics) == sum(len(expectations(p)) for p in FILES)
    assert not broken_report.ok()


def test_one_file_alone_gives_the_same_located_message() -> None:
    path = BROKEN / "call_cycle.yaml"
    report = lint([path], compute_functions=set(compute.names()))
    _assert_matches(_of(report, path), expectations(path))


def test_real_cli_prints_the_same_lines_sorted_and_a_summary(real_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    r = real_cli("flows", "lint", "tests/flows_broken")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    report = lint([BROKEN], compute_functions=set(compute.names()))
    assert r.stdout.splitlines() == report.lines()
    keys = [(d.file, d.line, d.col) for d in report.diagnostics]
    assert keys == sorted(keys)
    assert r.stderr.strip().splitlines()[-1] == report.summary()
    assert report.summary().startswith(f"{len(report.errors())} errors in ")
    assert all(line.split(":", 3)[1].isdigit() for line in r.stdout.splitlines())


def test_cli_bad_paths_are_one_line_errors_without_traceback(tmp_path: Path, cli: Cli) -> None:
    empty = tmp_path / "nothing_here"
    empty.mkdir()
    binary = tmp_path / "blob.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    r = cli("flows", "lint", str(tmp_path / "missing.yaml"), str(empty), str(binary))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    lines = r.stdout.splitlines()
    assert lines == sorted(lines)
    assert f"{tmp_path / 'missing.yaml'}: no such file or folder" in lines
    assert f"{empty}: no flow files (*.yaml) in this folder" in lines
    assert any(line.startswith(f"{binary}:1:1: ") for line in lines)
    assert len(lines) == 3
    assert r.stderr.strip() == "3 errors in 3 files"


def test_warnings_pass_unless_strict() -> None:
    """Linting the French file alone: its missing key (located at the en text), the sources it does not
    record, the value one text leaves out and its extra key."""
    report = lint([BROKEN / "prompts" / "fr" / "broken.yaml"])
    assert [d.severity for d in report.diagnostics] == ["warning"] * 4
    assert report.ok() and not report.ok(strict=True)
    assert report.summary() == "ok: 0 flows, 0 prompt keys, 4 warnings"
    assert report.summary(strict=True) == "4 errors in 2 files"
    lines = report.lines(strict=True)
    assert lines[0].endswith("en/broken.yaml:11:6: broken.bye has no 'fr' text (English is used)")
    assert lines[1].endswith("fr/broken.yaml:1:1: records no _source: (which English each text was translated "
                             "from), so changes to the English go unnoticed; once the texts are checked, "
                             "`coach flows lint --locale fr --stamp` records it")
    assert lines[2].endswith("fr/broken.yaml:9:13: broken.greet_typo: leaves out $nmae, which the English text shows")
    assert lines[3].endswith("fr/broken.yaml:11:17: broken.only_in_french is not in prompts/en, so nothing uses it")


def test_strict_cli_turns_warnings_into_errors(cli: Cli) -> None:
    r = cli("flows", "lint", "--strict", "tests/flows_broken/prompts/fr/broken.yaml")
    assert r.returncode == 1
    assert "warning" not in r.stdout
    assert r.stderr.strip() == "4 errors in 2 files"
