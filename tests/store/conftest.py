from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from store_helpers import entry, header

from coach.models import ConversationHeader, Profile, Relationship, Role
from coach.store import Store


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data directory."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "env-data"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store(data_dir) as opened:
        yield opened


@pytest.fixture
def relationship(store: Store) -> Relationship:
    ana = store.save_profile(Profile(name="Ana", role=Role.mentee))
    return store.save_relationship(
        Relationship(profile_id=ana.id, other_name="Bo", mentee_name="Ana", mentor_name="Bo")
    )


Started = Callable[..., ConversationHeader]


@pytest.fixture
def started(store: Store) -> Started:
    """Create a conversation (optionally with ``n`` inputs already appended) and return its header."""

    def start(relationship_id: str | None = None, n: int = 0, **fields: Any) -> ConversationHeader:
        created = header(relationship_id, **fields)
        store.create_conversation(created)
        for seq in range(1, n + 1):
            store.append_entry(created.id, entry(seq))
        return created

    return start
