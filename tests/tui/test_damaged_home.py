"""A damaged file costs only itself in the TUI: the home opens, shows the rest, and says what it could not read;
opening the stage of a damaged session sets it aside and starts a new one, saying so."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList
from tui_helpers import TODAY, load_test_library, settle

from coach.app.service import CoachService
from coach.models import ConversationHeader, LogEntry, Profile, Relationship, Role
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.screens.chat import ChatScreen
from coach.tui.screens.home import HomeScreen

MADE = datetime(2026, 11, 27, 12, tzinfo=UTC)


def _build(root: Path) -> None:
    """Ana with Sam (an unfinished tour) and with Priya (nothing yet); Priya's is the newest."""
    with Store(root) as store:
        ana = store.save_profile(Profile(name="Ana", role=Role.mentee, timezone="UTC"))
        store.save_relationship(Relationship(id="sam", profile_id=ana.id, other_name="Sam", mentee_name="Ana",
                                             mentor_name="Sam"))
        store.save_relationship(Relationship(id="priya", profile_id=ana.id, other_name="Priya", mentee_name="Ana",
                                             mentor_name="Priya"))
        store.create_conversation(ConversationHeader(id="t1", flow_id="tour", flow_hash="h", role=Role.mentee,
                                                     relationship_id="sam", started_at=MADE))
        store.append_entry("t1", LogEntry(seq=1, kind="answer", text="hi", prompt="tour.q1", at=MADE,
                                          today=date(2026, 11, 27)))


def _app(root: Path) -> CoachApp:
    library = load_test_library()
    return CoachApp(lambda: CoachService(library, Store(root), today=lambda: TODAY), export_dir=root / "out")


async def test_a_damaged_relationship_file_leaves_the_others_usable(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    real_notify = HomeScreen.notify

    def notify(self: HomeScreen, message: str, **kwargs: Any) -> None:
        told.append(message)
        real_notify(self, message, **kwargs)

    monkeypatch.setattr(HomeScreen, "notify", notify)
    root = tmp_path / "data"
    _build(root)
    broken = root / "relationships" / "priya.json"
    broken.unlink(missing_ok=True)
    os.mkfifo(broken)  # would hang a reader that opens it blocking
    app = _app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and home.view is not None and app.return_code is None
        assert home.view.relationship is not None and home.view.relationship.id == "priya"
        (problem,) = home.view.problems
        assert str(broken) in problem and "\n" not in problem
        assert told == [problem]  # shown to the user, once
        rels = home.query_one("#relationships", OptionList)
        rels.highlighted = rels.get_option_index("sam")  # the other relationship works as before
        await settle(pilot)
        assert home.view.relationship is not None and home.view.relationship.id == "sam"
        assert home.view.problems == []
        assert home.view.stages[0].state == "in progress"
    app.data.close()


async def test_a_damaged_session_is_set_aside_and_a_new_one_starts_saying_so(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _build(root)
    (root / "sessions" / "t1.json").write_bytes(b"[" * 100_000)
    app = _app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and home.view is not None
        rels = home.query_one("#relationships", OptionList)
        rels.highlighted = rels.get_option_index("sam")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and not chat.chat.resumed
        assert chat.chat.note is not None and "set aside in" in chat.chat.note
        assert (root / "damaged" / "t1.txt").exists()
    app.data.close()
    with Store(root) as store:
        (line,) = store.problems("sam").values()
        assert "set aside" in line
