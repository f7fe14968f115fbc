from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coach.models import ConversationState, Profile, Relationship, Role
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
    ana = store.profiles.add(Profile(name="Ana", role=Role.mentee))
    return store.relationships.add(
        Relationship(profile_id=ana.id, other_name="Bo", mentee_name="Ana", mentor_name="Bo")
    )


MakeState = Callable[..., ConversationState]


@pytest.fixture
def make_state() -> MakeState:
    def make(relationship_id: str | None, flow_id: str = "fit_check") -> ConversationState:
        return ConversationState(flow_id=flow_id, flow_hash="h1", role=Role.mentee, relationship_id=relationship_id)

    return make
