"""The home screen's first frame drawn from the look the last run kept (coach.tui.paint): only for
the same data, day, language and flows; keys pressed before the service is loaded wait for it;
a damaged or edited kept file is ignored."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import threading
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList

from coach.app.language import Language
from coach.app.service import CoachService
from coach.app.setup import open_service
from coach.content.library import FlowLibrary
from coach.models import Role
from coach.tui.app import CoachApp
from coach.tui.look import CommitmentRow, HomeLook
from coach.tui.paint import FILE, HomePaint
from coach.tui.screens.chat import ChatScreen
from coach.tui.screens.forms import NewProfileScreen
from coach.tui.screens.home import HomeScreen
from tests.tui.tui_helpers import screen_text, settle


@pytest.fixture(scope="module")
def shipped() -> FlowLibrary:
    return FlowLibrary.load()


def seeded(shipped: FlowLibrary, folder: Path) -> None:
    """Ana (mentee) with Sam, the fit check started (one answer): it shows as in progress."""
    service = open_service(shipped, folder, Language("en", True))
    try:
        profile = service.add_profile("Ana", Role.mentee)
        rel = service.add_relationship(profile, "Sam")
        chat = service.open_stage(profile, rel, "fit_check")
        service.answer(chat, "lead a team")
        service.leave(chat)
    finally:
        service.close()


class Gate:
    """A service factory that opens the real service only once released (the service loading)."""

    def __init__(self, shipped: FlowLibrary, folder: Path) -> None:
        self.shipped, self.folder = shipped, folder
        self.open = threading.Event()

    def __call__(self) -> CoachService:
        assert self.open.wait(10), "the test never let the service load"
        return open_service(self.shipped, self.folder, Language("en", True))


@contextlib.asynccontextmanager
async def launched(shipped: FlowLibrary, folder: Path, *,
                   loaded: bool = False) -> AsyncIterator[tuple[CoachApp, Pilot[Any], Gate]]:
    """The TUI over `folder`, keeping its look there, at 120x40; its service held back until the
    test opens the gate (`loaded`: open from the start)."""
    gate = Gate(shipped, folder)
    if loaded:
        gate.open.set()
    app = CoachApp(gate, paint=HomePaint(folder, locale="en"), export_dir=folder / "exports")
    async with app.run_test(size=(120, 40)) as pilot:
        yield app, pilot, gate


async def run_once(shipped: FlowLibrary, folder: Path) -> None:
    """One launch that shows the home screen and quits: it keeps the look."""
    async with launched(shipped, folder, loaded=True) as (_, pilot, _):
        await settle(pilot)
        await pilot.pause(0.1)  # the look is written on the data thread, after the view is shown


def kept(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / FILE).read_text(encoding="utf-8"))
    return data


async def test_second_launch_draws_the_kept_look_before_the_service_loads(shipped: FlowLibrary,
                                                                        tmp_path: Path) -> None:
    seeded(shipped, tmp_path)
    await run_once(shipped, tmp_path)
    assert (tmp_path / FILE).is_file()
    assert oct((tmp_path / FILE).stat().st_mode & 0o777) == "0o600"
    async with launched(shipped, tmp_path) as (app, pilot, gate):
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.view is None  # the service is still loading
        text = screen_text(app)
        assert "Ana" in text and "Sam" in text
        assert "Loading" not in text
        table = home.query_one("#stages", DataTable)
        assert table.row_count >= 6
        assert "in progress" in text  # the fit check, as the service would say
        painted = home.look
        gate.open.set()
        await settle(pilot)
        assert home.view is not None
        assert home.look == painted  # the service's view is the same: nothing drawn again


async def test_data_changed_since_the_look_was_kept_is_not_drawn(shipped: FlowLibrary, tmp_path: Path) -> None:
    seeded(shipped, tmp_path)
    await run_once(shipped, tmp_path)
    service = open_service(shipped, tmp_path, Language("en", True))  # another process adds a relationship
    try:
        service.add_relationship(service.profiles()[0], "Lee")
    finally:
        service.close()
    async with launched(shipped, tmp_path) as (app, pilot, gate):
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.look is None
        assert "Sam" not in screen_text(app)  # nothing from before: the screen waits for the service
        gate.open.set()
        await settle(pilot)
        assert "Lee" in screen_text(app)


def test_the_key_changes_with_a_file_written_the_language_and_the_role(shipped: FlowLibrary,
                                                                     tmp_path: Path) -> None:
    seeded(shipped, tmp_path)
    paint = HomePaint(tmp_path, locale="en")
    key = paint.key()
    assert key is not None and key == paint.key()
    assert HomePaint(tmp_path, locale="es").key() != key
    assert HomePaint(tmp_path, locale="en", role="mentor").key() != key
    journal = next((tmp_path / "sessions").glob("*.journal"))
    with journal.open("a", encoding="utf-8") as f:  # an answer appended by another process
        f.write("\n")
    assert paint.key() != key
    key = paint.key()
    (tmp_path / "coach.lock").write_text("12345", encoding="utf-8")  # a lock taken and let go: not data
    (tmp_path / ".something.tmp").write_text("x", encoding="utf-8")
    assert paint.key() == key


def test_a_look_kept_on_another_day_is_drawn_without_its_meeting_offer(tmp_path: Path) -> None:
    paint = HomePaint(tmp_path / "data", locale="en")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "index.json").write_text("{}", encoding="utf-8")  # not an empty folder
    look = HomeLook(prepare=("prepare", date(2026, 12, 4)))
    kept_on = date(2026, 12, 2)
    assert paint.save(look, paint.key(), kept_on, date.isoformat)
    same_day = paint.read(kept_on)
    assert same_day is not None and same_day.look == look
    next_day = paint.read(kept_on + timedelta(days=1))
    assert next_day is not None and next_day.look.prepare is None  # the service's view says if it still is
    assert next_day.look == dataclasses.replace(look, prepare=None)


def test_the_key_changes_with_the_flows_of_a_flows_folder(shipped: FlowLibrary, tmp_path: Path) -> None:
    data, flows = tmp_path / "data", tmp_path / "flows"
    data.mkdir()
    flows.mkdir()
    (flows / "mine.yaml").write_text("id: mine\n", encoding="utf-8")
    paint = HomePaint(data, locale="en", flow_dirs=[flows])
    key = paint.key()
    assert HomePaint(data, locale="en").key() != key
    os.utime(flows / "mine.yaml", ns=(1, 1))
    assert paint.key() != key


@pytest.mark.parametrize("content", [
    "not json at all {",
    '{"format": 1, "key": "x", "look": {}}',
    "[1, 2, 3]",
    '{"format": 99}',
])
async def test_a_damaged_kept_file_is_ignored(shipped: FlowLibrary, tmp_path: Path, content: str) -> None:
    seeded(shipped, tmp_path)
    (tmp_path / FILE).write_text(content, encoding="utf-8")
    assert HomePaint(tmp_path, locale="en").read() is None
    async with launched(shipped, tmp_path, loaded=True) as (app, pilot, _):
        await settle(pilot)
        assert "Sam" in screen_text(app)


async def test_an_edited_look_with_the_right_key_but_odd_values_is_ignored(shipped: FlowLibrary,
                                                                         tmp_path: Path) -> None:
    seeded(shipped, tmp_path)
    await run_once(shipped, tmp_path)
    data = kept(tmp_path)
    look = data["look"]
    assert isinstance(look, dict)
    for odd in ({"stages": [["fit_check", "Fit check", "exploded", None, None, None]]},
                {"profiles": [["p", "Ana", "boss"]]},
                {"profile": "nobody"},
                {"commitments": [[1, None, "t", "mentee", "fit_check", None]]},
                {"prepare": ["prepare", "not a date"]},
                {"profiles": [["p", "Ana", "mentee"], ["p", "Bo", "mentor"]], "profile": "p"},
                {"stages": [["fit_check", "Fit", "done", None, None, None]] * 2}):
        (tmp_path / FILE).write_text(json.dumps({**data, "look": {**look, **odd}}), encoding="utf-8")
        assert HomePaint(tmp_path, locale="en").read() is None, odd


def test_the_look_reads_back_as_written(shipped: FlowLibrary, tmp_path: Path) -> None:
    seeded(shipped, tmp_path)
    service = open_service(shipped, tmp_path, Language("en", True))
    try:
        look = HomeLook.of(service.home_view())
    finally:
        service.close()
    assert look.stages and look.profiles and look.relationships
    assert HomeLook.from_json(json.loads(json.dumps(look.to_json()))) == look
    assert look.is_default(None) and look.is_default("mentee")
    full = dataclasses.replace(look, prepare=("prepare", date(2026, 12, 3)), commitments=(
        CommitmentRow("c1", look.relationship, "Send the agenda \x1b[2J", "both", "commitment", date(2026, 12, 2)),
        CommitmentRow("c2", None, "Read the book", "mentor", "feedback", None)))
    assert HomeLook.from_json(json.loads(json.dumps(full.to_json()))) == full
    assert full.dates() == {date(2026, 12, 3), date(2026, 12, 2), *(s.last for s in look.stages if s.last)}


async def test_an_empty_data_folder_opens_the_first_run_dialog_without_waiting(shipped: FlowLibrary,
                                                                             tmp_path: Path) -> None:
    folder = tmp_path / "new"
    async with launched(shipped, folder) as (app, pilot, gate):
        for _ in range(20):
            await pilot.pause(0.02)
            if isinstance(app.screen, NewProfileScreen):
                break
        assert isinstance(app.screen, NewProfileScreen)
        assert not gate.open.is_set()
        await pilot.press(*"Ana", "enter", "tab", *"Sam", "enter")  # answered before the service is up
        gate.open.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Sam" in screen_text(app)
        profiles = app.screen.query_one("#profiles", OptionList)
        assert profiles.option_count == 1


async def test_a_key_pressed_before_the_service_is_loaded_runs_once_it_is(shipped: FlowLibrary,
                                                                        tmp_path: Path) -> None:
    seeded(shipped, tmp_path)
    await run_once(shipped, tmp_path)
    async with launched(shipped, tmp_path) as (app, pilot, gate):
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.screen.look is not None
        await pilot.press("c")  # continue the stage in progress, on what the first frame shows
        await pilot.pause(0.05)
        assert isinstance(app.screen, HomeScreen)
        gate.open.set()
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, ChatScreen):
                break
        assert isinstance(app.screen, ChatScreen)
        assert app.screen.chat.flow_id == "fit_check"
        await settle(pilot)  # the chat drawn whole before the app closes


async def test_a_look_for_another_selection_is_not_kept(shipped: FlowLibrary, tmp_path: Path) -> None:
    seeded(shipped, tmp_path)
    service = open_service(shipped, tmp_path, Language("en", True))
    try:
        service.add_relationship(service.profiles()[0], "Lee")  # the newest: the one a launch shows
    finally:
        service.close()
    async with launched(shipped, tmp_path, loaded=True) as (app, pilot, _):
        await settle(pilot)
        await pilot.pause(0.1)
        first = kept(tmp_path)
        (tmp_path / FILE).unlink()
        home = app.screen
        assert isinstance(home, HomeScreen) and home.view is not None
        sam = next(r for r in home.view.relationships if r.other_name == "Sam")
        home.refresh_view(home.view.profile.id if home.view.profile else None, sam.id)
        await settle(pilot)
        await pilot.pause(0.1)
        assert "Sam" in screen_text(app)
        assert not (tmp_path / FILE).exists()  # Sam's look is not what the next launch opens on
    look = first["look"]
    assert isinstance(look, dict) and look["relationships"][-1][1] == "Lee"


async def test_quitting_from_the_chat_keeps_the_look_of_the_data_as_left(shipped: FlowLibrary,
                                                                       tmp_path: Path) -> None:
    seeded(shipped, tmp_path)
    async with launched(shipped, tmp_path, loaded=True) as (app, pilot, _):
        await settle(pilot)
        await pilot.press("c")  # the fit check, in progress
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, ChatScreen):
                break
        assert isinstance(app.screen, ChatScreen)
        await settle(pilot)
        before = kept(tmp_path)["key"]
        app.screen.send("yes, monthly")  # an answer stored: the data changed since the home was shown
        await settle(pilot)
        assert HomePaint(tmp_path, locale="en").key() != before
    app.data._executor.shutdown(wait=True)  # the exit's look is written on the data thread
    painted = HomePaint(tmp_path, locale="en").read()
    assert painted is not None
    assert [s.title for s in painted.look.stages if s.state == "in progress"] == ["Fit check"]


@pytest.mark.parametrize("kind", ["fifo", "symlink", "directory"])
def test_a_kept_file_that_is_not_a_plain_file_is_not_read(shipped: FlowLibrary, tmp_path: Path, kind: str) -> None:
    data = tmp_path / "data"
    seeded(shipped, data)
    elsewhere = tmp_path / "elsewhere.json"
    paint = HomePaint(data, locale="en")
    look = HomeLook()
    assert paint.save(look, paint.key(), date.today(), date.isoformat)
    (data / FILE).rename(elsewhere)  # a valid kept look, moved away
    if kind == "fifo":
        os.mkfifo(data / FILE)  # reading it would wait for a writer for ever
    elif kind == "symlink":
        (data / FILE).symlink_to(elsewhere)
    else:
        (data / FILE).mkdir()
    assert HomePaint(data, locale="en").read() is None
    before = elsewhere.read_bytes()
    saved = HomePaint(data, locale="en").save(look, paint.key(), date.today(), date.isoformat)
    assert saved == (kind != "directory")  # a link or a pipe is replaced by the file; a folder is left
    assert elsewhere.read_bytes() == before  # what the link pointed at is untouched
    assert (data / FILE).is_dir() if kind == "directory" else (data / FILE).is_file()
