from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from test_conversations import play

from coach.content.library import FlowLibrary
from coach.models import Artifact

CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"
MADE_AT = datetime(2026, 11, 27, 18, 30, tzinfo=UTC)

StageArtifacts = Callable[[str], dict[str, Artifact]]


@pytest.fixture(scope="session")
def stage_artifacts(library: FlowLibrary) -> StageArtifacts:
    """The artifacts a transcript in tests/conversations leaves, by kind, with fixed ids and times."""
    cache: dict[str, dict[str, Artifact]] = {}

    def get(name: str) -> dict[str, Artifact]:
        if name not in cache:
            case = yaml.safe_load((CONVERSATIONS / f"{name}.yaml").read_text(encoding="utf-8"))
            _, store, _ = play(library, case, name)
            cache[name] = {
                a.kind: a.model_copy(update={"id": f"{name}-{a.kind}", "session_id": name, "created_at": MADE_AT})
                for a in store.artifacts.values()
            }
        return cache[name]

    return get
