"""Helpers for the TUI tests: a content library of their own (so content edits elsewhere do not
move the snapshots), an in-memory service with a fixed date, time and ids, and seeded data."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import ModalScreen

from coach.app.memory import MemoryRepository
from coach.app.service import CoachService
from coach.content.library import FlowLibrary
from coach.content.prompts import PromptCatalog
from coach.engine.conversation import Conversation
from coach.models import Profile, Relationship, Role, SessionSummary
from coach.tui.app import CoachApp

CONTENT = Path(__file__).parent / "content"
TODAY = date(2026, 11, 27)
NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

# The answers that walk the tour flow to its end, by keyboard (see content/flows/tour.yaml): the
# last keeps its two documents as drafted.
TOUR_ANSWERS = ["lead a team", "/skip", "a\nb", "2", "1, 3", "4", "yes", "5", "next friday", "yes", "keep"]


def load_test_library() -> FlowLibrary:
    lib = FlowLibrary(prompts=PromptCatalog.load([CONTENT / "prompts"]))
    for path in sorted((CONTENT / "flows").glob("*.yaml")):
        lib.add_file(path)
    assert not lib.errors, lib.errors
    return lib


@pytest.fixture(scope="session")
def library() -> FlowLibrary:
    return load_test_library()


@dataclass
class Backend:
    """What the TUI tests give the app: the service over an in-memory store (fixed date, times
    and ids), and where its exports go."""

    service: CoachService
    repo: MemoryRepository
    export_dir: Path

    def summary(self, conversation_id: str) -> SessionSummary:
        return self.repo.summaries_by_id[conversation_id]

    def conversation(self, conversation_id: str) -> Conversation:
        """A stored conversation as it reopens (replayed from its stored inputs)."""
        loaded = self.repo.load_conversation(conversation_id)
        assert loaded is not None
        return self.service.engine.open(*loaded)


def make_backend(library: FlowLibrary, export_dir: Path) -> Backend:
    ids = itertools.count(1)
    repo = MemoryRepository()
    service = CoachService(library, repo, today=lambda: TODAY, now=lambda: NOON,
                           new_id=lambda: f"conv{next(ids):04d}")
    return Backend(service, repo, export_dir)


@pytest.fixture
def backend(library: FlowLibrary, tmp_path: Path) -> Backend:
    return make_backend(library, tmp_path / "exports")


def add_people(backend: Backend, *, role: Role = Role.mentee) -> tuple[Profile, Relationship]:
    profile = backend.repo.save_profile(Profile(id="p-ana", name="Ana", role=role, created_at=NOON))
    rel = backend.repo.save_relationship(
        Relationship(id="r-sam", profile_id=profile.id, other_name="Sam", mentee_name="Ana", mentor_name="Sam",
                     created_at=NOON)
    )
    return profile, rel


def seed_history(backend: Backend) -> tuple[Profile, Relationship]:
    """Ana (mentee) with Sam: the tour stage done (leaving commitments), the second in progress."""
    profile, rel = add_people(backend)
    service = backend.service
    done = service.open_stage(profile, rel, "tour")
    for answer in TOUR_ANSWERS:
        service.answer(done, answer)
    assert done.done
    service.leave(done)
    service.leave(service.open_stage(profile, rel, "second"))
    return profile, rel


def make_app(backend: Backend, **kw: object) -> CoachApp:
    return CoachApp(lambda: backend.service, export_dir=backend.export_dir, **kw)  # type: ignore[arg-type]


@pytest.fixture
def app_factory(backend: Backend) -> Callable[..., CoachApp]:
    def factory(**kw: object) -> CoachApp:
        return make_app(backend, **kw)

    return factory


async def settle(pilot: Pilot[object]) -> None:
    """Wait until every worker (data loads, replies) has finished and the screen is drawn."""
    for _ in range(50):
        await pilot.pause()
        running = [w for w in pilot.app.workers if not w.is_finished]
        if not running:
            await pilot.pause()
            return
        await pilot.app.workers.wait_for_complete()
    raise AssertionError("workers did not finish")


async def settle_dialog(pilot: Pilot[object]) -> None:
    """Let a dialog open (its worker waits for the answer, so `settle` would wait for ever)."""
    for _ in range(20):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, ModalScreen):
            await pilot.pause()
            return
    raise AssertionError(f"no dialog: {pilot.app.screen!r}")


async def type_text(pilot: Pilot[object], text: str) -> None:
    await pilot.press(*("enter" if ch == "\n" else ch for ch in text))


def screen_text(app: App[object]) -> str:
    """The screen as plain text, the way a user reads it (not SVG)."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()
