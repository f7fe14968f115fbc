from __future__ import annotations

from datetime import date

import pytest
from engine_helpers import FLOWS_OK

from coach.content.library import FlowLibrary
from coach.engine.conversation import Engine


@pytest.fixture(scope="session")
def echo_library() -> FlowLibrary:
    lib = FlowLibrary.load([FLOWS_OK])
    assert not lib.errors, "\n".join(map(str, lib.errors))
    return lib


@pytest.fixture
def echo_engine(echo_library: FlowLibrary) -> Engine:
    return Engine(echo_library, today=lambda: date(2026, 11, 27))
