"""The cache of parsed YAML files (coach.content.yamlcache): a file read again is not parsed again,
and nothing it keeps can make a read differ from a parse."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from coach.content import yamlcache, yamlparse, yamlsource
from coach.content.yamlsource import SourceError, read_yaml

FLOW = "id: demo\ntitle: A demo\nsteps:\n  - id: one\n    say: |\n      Hello **there**\n    n: 3\n    ok: true\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COACH_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the YAML parser is run on."""
    seen: list[str] = []
    compose = yamlparse.compose

    def counted(text: str, file: str) -> Any:
        seen.append(file)
        return compose(text, file)

    monkeypatch.setattr(yamlparse, "compose", counted)
    return seen


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json")) if cache.is_dir() else []


def test_a_file_read_again_is_not_parsed_again_and_reads_the_same(tmp_path: Path, cache: Path,
                                                                  parses: list[str]) -> None:
    path = write(tmp_path / "demo.yaml", FLOW)
    first = read_yaml(path, "flows/demo.yaml")
    second = read_yaml(path, "elsewhere/demo.yaml")
    assert parses == ["flows/demo.yaml"]
    assert second.data == first.data
    assert second.marks == first.marks and second.key_marks == first.key_marks
    assert second.file == "elsewhere/demo.yaml"  # messages name the file as this read calls it
    assert second.error(("steps", 0, "n"), "bad").line == 7


def test_an_edited_file_is_parsed_again(tmp_path: Path, cache: Path, parses: list[str]) -> None:
    path = write(tmp_path / "demo.yaml", FLOW)
    read_yaml(path)
    write(path, FLOW.replace("A demo", "Another demo"))
    assert read_yaml(path).data["title"] == "Another demo"
    assert len(parses) == 2


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "not json"])
def test_a_damaged_entry_is_a_miss_not_an_error(tmp_path: Path, cache: Path, parses: list[str], damage: str) -> None:
    path = write(tmp_path / "demo.yaml", FLOW)
    expected = read_yaml(path).data
    (entry,) = entries(cache)
    raw = entry.read_bytes()
    entry.write_bytes({"truncated": raw[: len(raw) // 2], "flipped": raw.replace(b"Hello", b"Jello"),
                       "empty": b"", "not json": b"x\n{"}[damage])
    assert read_yaml(path).data == expected
    assert len(parses) == 2
    assert entry.read_bytes() == raw  # written again whole


def test_a_file_with_problems_is_never_kept(tmp_path: Path, cache: Path, parses: list[str]) -> None:
    path = write(tmp_path / "bad.yaml", "a: 1\na: 2\n")
    for _ in range(2):
        with pytest.raises(SourceError, match="duplicate key"):
            read_yaml(path)
    assert len(parses) == 2 and entries(cache) == []


def test_a_file_holding_a_date_is_parsed_every_time(tmp_path: Path, cache: Path, parses: list[str]) -> None:
    path = write(tmp_path / "dated.yaml", "when: 2026-12-03\n")
    assert str(read_yaml(path).data["when"]) == str(read_yaml(path).data["when"]) == "2026-12-03"
    assert len(parses) == 2 and entries(cache) == []


def test_other_limits_do_not_share_entries(tmp_path: Path, cache: Path, parses: list[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "anchors.yaml", "a: &x [1, 2, 3]\nb: *x\nc: *x\n")
    read_yaml(path)
    monkeypatch.setattr(yamlsource, "MAX_VALUES", 5)
    with pytest.raises(SourceError, match="aliases expand"):
        read_yaml(path)


def test_off_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]) -> None:
    monkeypatch.setenv("COACH_CACHE_DIR", "off")
    path = write(tmp_path / "demo.yaml", FLOW)
    read_yaml(path)
    read_yaml(path)
    assert len(parses) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["demo.yaml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_a_cache_folder_that_cannot_be_written_costs_only_the_speed(tmp_path: Path, cache: Path,
                                                                   parses: list[str]) -> None:
    cache.mkdir(mode=0o500)
    path = write(tmp_path / "demo.yaml", FLOW)
    assert read_yaml(path).data == read_yaml(path).data
    assert len(parses) == 2


def test_a_cache_path_that_is_a_file_costs_only_the_speed(tmp_path: Path, cache: Path, parses: list[str]) -> None:
    cache.write_text("not a folder", encoding="utf-8")
    path = write(tmp_path / "demo.yaml", FLOW)
    assert read_yaml(path).data["title"] == "A demo"


def test_entries_are_private_and_pruned_to_the_limit(tmp_path: Path, cache: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlcache, "KEEP", 3)
    for n in range(5):
        read_yaml(write(tmp_path / f"f{n}.yaml", f"n: {n}\n"))
    kept = entries(cache)
    assert len(kept) == 3
    assert all(p.stat().st_mode & 0o077 == 0 for p in kept)
