"""A folder of one flow with English and Spanish texts, and the Spanish lint's lines about it
(imported as a plain module by the locale lint tests: tests/lint is on sys.path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.content.lint import lint


def flow_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flow: str, english: str, spanish: str) -> Path:
    """my-flows/ (the current folder's) with checkin.yaml and its prompts in en and es."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "my-flows"
    (folder / "prompts" / "en").mkdir(parents=True)
    (folder / "prompts" / "es").mkdir()
    (folder / "checkin.yaml").write_text(flow, encoding="utf-8")
    (folder / "prompts" / "en" / "checkin.yaml").write_text(english, encoding="utf-8")
    (folder / "prompts" / "es" / "checkin.yaml").write_text(spanish, encoding="utf-8")
    return folder


def es_lines(folder: Path) -> list[str]:
    """What `coach flows lint --locale es` says of the folder's own files, one "severity: message" each."""
    report = lint([folder], locale="es")
    return [f"{d.severity}: {d.message}" for d in report.diagnostics if d.file.startswith("my-flows")]
