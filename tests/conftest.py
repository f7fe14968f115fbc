from __future__ import annotations

from datetime import date

import pytest

from coach.content.library import FlowLibrary
from coach.engine.conversation import Engine

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="session")
def library() -> FlowLibrary:
    lib = FlowLibrary.load()
    assert not lib.errors, "\n".join(map(str, lib.errors))
    return lib


@pytest.fixture
def engine(library: FlowLibrary) -> Engine:
    return Engine(library, today=lambda: TODAY)
