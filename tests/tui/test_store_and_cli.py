"""The TUI on the durable store (resume across runs), and the `coach chat` command."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_helpers import TODAY, load_test_library, settle

from coach.app.service import CoachService
from coach.cli import chat as chat_cli
from coach.cli.common import CliError
from coach.engine.conversation import Engine
from coach.models import ConversationStatus
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.screens.chat import ChatScreen
from coach.tui.screens.home import HomeScreen


def store_app(data_dir: Path) -> CoachApp:
    library = load_test_library()
    return CoachApp(lambda: CoachService(library, Store(data_dir), today=lambda: TODAY), export_dir=data_dir / "out")


async def test_answers_survive_a_restart_and_c_resumes(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    app = store_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"Ana", "tab", "tab", *"Sam", "enter")  # the first-run dialog
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        line = app.screen.query_one("#answer-line", Input)
        line.insert_text_at_cursor("lead a team")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+q")  # quit mid-stage: the answer is already saved
    app.data.close()

    with Store(data_dir) as store:
        (profile,) = store.list_profiles()
        (rel,) = store.list_relationships(profile.id)
        (state,) = store.summaries(rel.id)
        assert state.status == ConversationStatus.active
        loaded = store.load_conversation(state.id)
        assert loaded is not None
        assert Engine(load_test_library()).open(*loaded).answers["goal"].raw == "lead a team"

    app = store_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and home.view is not None
        assert [s.state for s in home.view.stages] == ["in progress", "not started"]
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        assert screen.chat.resumed and screen.chat.id == state.id
        question = screen.chat.question()
        assert question is not None and question.slot == "story"
    app.data.close()


async def test_locked_or_broken_data_folder_exits_with_its_message(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "index.json").write_text("{not json", encoding="utf-8")
    app = store_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 2


def _args(**kw: object) -> argparse.Namespace:
    base: dict[str, object] = {"data_dir": None, "flow_dirs": [], "plain": False, "flow": None, "role": None,
                               "theme": "dark"}
    base.update(kw)
    return argparse.Namespace(**base)


def test_plain_flag_and_a_pipe_use_the_plain_chat(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[argparse.Namespace] = []
    import coach.cli.plain as plain

    monkeypatch.setattr(plain, "run_plain", lambda args: calls.append(args) or 0)
    monkeypatch.setattr(chat_cli, "run_tui", lambda args: pytest.fail("the TUI must not start"))
    assert chat_cli.run(_args(plain=True)) == 0
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert chat_cli.run(_args()) == 0
    assert len(calls) == 2
    assert "not a terminal" in capsys.readouterr().err


def test_unknown_flow_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(CliError, match="unknown flow 'nope'"):
        chat_cli.make_service(_args(flow="nope", data_dir=tmp_path / "data"))


def test_chat_options_parse_without_importing_textual() -> None:
    code = (
        "import sys\n"
        "from coach.cli.main import build_parser\n"
        "a = build_parser().parse_args(['chat', '--plain', '--flow', 'fit_check', '--role', 'mentor',"
        " '--theme', 'light'])\n"
        "assert (a.plain, a.flow, a.role, a.theme) == (True, 'fit_check', 'mentor', 'light'), a\n"
        "assert 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_documents_export_like_coach_export_never_over_another_file(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from coach.app.documents import ChatExports
    from coach.export.calendar import AGREEMENT_KIND
    from coach.models import Artifact

    made = datetime(2026, 11, 27, 12, tzinfo=UTC)
    exports = ChatExports(tmp_path, today=lambda: TODAY)
    agreement = Artifact(stage="commitment", kind=AGREEMENT_KIND, title="Agreement", markdown="# Agreement [x]",
                         data={"first_meeting": "2026-12-04", "cadence": "fortnightly"}, created_at=made)
    agenda = Artifact(stage="commitment", kind="meeting_agenda", title="Agenda", markdown="# Agenda", created_at=made)
    paths = {p.relative_to(tmp_path).as_posix(): p for p in exports.documents([agreement, agenda], "Sam")}
    md, ics = "sam/2026-11-27-commitment-mentoring_agreement.md", "sam/2026-11-27-commitment-mentoring_agreement.ics"
    assert sorted(paths) == sorted([ics, md, "sam/2026-11-27-commitment-meeting_agenda.md"])
    assert "# Agreement [x]" in paths[md].read_text(encoding="utf-8")
    calendar = paths[ics].read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in calendar and "Mentoring meeting with Sam" in calendar
    assert exports.documents([agreement], "Sam") == [paths[md], paths[ics]]  # the same again: the same files
    other = exports.documents([agreement.model_copy(update={"data": {**agreement.data, "cadence": "weekly"}})], "Priya")
    assert [p.parent.name for p in other] == ["priya", "priya"]  # another relationship: its own folder
    changed = agreement.model_copy(update={"markdown": "# Agreement, changed"})
    assert exports.documents([changed], "Sam")[0].name == "2026-11-27-commitment-mentoring_agreement-2.md"
