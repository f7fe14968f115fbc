from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from coach.content.library import FlowLibrary
from coach.content.messages import set_language
from coach.engine.conversation import Engine

TODAY = date(2026, 11, 27)

# Parsed YAML is cached (coach.content.yamlcache): the tests, and the coach processes they start,
# keep theirs out of the user's cache folder.
os.environ.setdefault("COACH_CACHE_DIR", str(Path(tempfile.gettempdir()) / f"coach-tests-yaml-{os.getuid()}"))


@pytest.fixture(scope="session")
def library() -> FlowLibrary:
    lib = FlowLibrary.load()
    assert not lib.errors, "\n".join(map(str, lib.errors))
    return lib


@pytest.fixture
def engine(library: FlowLibrary) -> Engine:
    return Engine(library, today=lambda: TODAY)


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """The one-line messages' language is the process's (coach.content.messages): each test starts
    in English, whatever an earlier test's service spoke."""
    set_language("en")
    yield
    set_language("en")
