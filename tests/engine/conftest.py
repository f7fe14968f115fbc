from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coach.content.library import FlowLibrary
from coach.engine.conversation import Engine
from coach.engine.ports import MemoryStore

FLOWS_OK = Path(__file__).resolve().parent.parent / "flows_ok"


@pytest.fixture(scope="session")
def echo_library() -> FlowLibrary:
    lib = FlowLibrary.load([FLOWS_OK])
    assert not lib.errors, "\n".join(map(str, lib.errors))
    return lib


@pytest.fixture
def echo_engine(echo_library: FlowLibrary) -> Engine:
    return Engine(echo_library, MemoryStore(), today=lambda: date(2026, 11, 27))
