"""Where data lives and who may read it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from store_helpers import effects, entry, header

from coach import places
from coach.store import Store, paths, resolve_data_dir


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_explicit_value_wins(tmp_path: Path) -> None:
    chosen = resolve_data_dir(str(tmp_path / "cli"))
    assert chosen == (tmp_path / "cli").resolve()
    assert chosen.is_dir() and mode(chosen) == 0o700


def test_environment_variable_is_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir() == (tmp_path / "env").resolve()
    assert resolve_data_dir(None) == (tmp_path / "env").resolve()


def test_platform_user_data_dir_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACH_DATA_DIR")
    monkeypatch.setattr(places, "default_data_dir", lambda: tmp_path / "platform" / "coach")
    chosen = resolve_data_dir()
    assert chosen == (tmp_path / "platform" / "coach").resolve()
    assert mode(chosen) == 0o700 and mode(chosen.parent) == 0o700
    assert paths.default_data_dir is not None


def test_real_default_uses_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("COACH_DATA_DIR")
    assert str(paths.default_data_dir()) == platformdirs.user_data_dir("coach", appauthor=False)


def test_files_are_private_whatever_the_umask(data_dir: Path) -> None:
    old = os.umask(0)
    try:
        with Store(data_dir) as store:
            conversation = header("r1")
            store.create_conversation(conversation)
            store.append_entry(conversation.id, entry(1))
            store.append_entry(conversation.id, entry(2, effects=effects("k", "r1", conversation.id)), done=True)
    finally:
        os.umask(old)
    assert mode(data_dir) == 0o700
    for path in data_dir.rglob("*"):
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path
