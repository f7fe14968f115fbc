"""`coach demo` under Pilot: the persona types and sends its answers; space pauses, n steps one
answer, t hands the keyboard over, r starts again on a fresh store; the user's data is untouched.

The persona types fast (300 characters a second, thinking 0.1 s), yet slowly enough that a test
can still catch the conversation in the middle.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from coach.content.library import FlowLibrary
from coach.tui.demo.app import DemoApp, Mode
from coach.tui.demo.personas import PersonaSet
from coach.tui.screens.artifacts import ArtifactScreen
from coach.tui.screens.chat import ChatScreen
from coach.tui.widgets.messages import BotBubble

FAST = 1_000_000.0
SIZE = (110, 36)


async def until(pilot: Pilot[None], ok: Callable[[], bool], timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while not ok():
        assert time.monotonic() < end, "timed out"
        await pilot.pause(0.02)


def chat_of(app: DemoApp) -> ChatScreen:
    chat = app.chat
    assert chat is not None, f"not on the chat screen: {app.screen!r}"
    return chat


def sent(app: DemoApp) -> list[str]:
    """What the user side has sent in the conversation on screen."""
    return [text.replace("\\", "") for who, text in chat_of(app).transcript if who == "You"]


def settled(app: DemoApp) -> bool:
    """On the chat, waiting for an answer."""
    chat = app.chat
    return chat is not None and not chat.busy and chat.answer_bar.question is not None


def quiet(app: DemoApp) -> bool:
    """No reply in progress (safe to exit the app)."""
    return not any(isinstance(s, ChatScreen) and s.busy for s in app.screen_stack)


@pytest.fixture(scope="module")
def library() -> FlowLibrary:
    return FlowLibrary.load()


def make(library: FlowLibrary, name: str = "priya", speed: float = 300.0) -> DemoApp:
    return DemoApp(PersonaSet.load().get(name), library, speed=speed)


async def test_the_persona_types_its_answers_in_order(library: FlowLibrary) -> None:
    app = make(library)
    answers = [a.text for a in app.persona.answers]
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.typist.index >= 2 and settled(app))
        await pilot.press("space")
        await until(pilot, lambda: settled(app))
        assert sent(app) == answers[: app.typist.index]
        kinds = [bubble.message.kind for bubble in chat_of(app).query(BotBubble)]
        assert "probe" in kinds  # the vague first answer was probed


async def test_space_pauses_and_resumes(library: FlowLibrary) -> None:
    app = make(library, speed=20.0)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: settled(app))
        await until(pilot, lambda: chat_of(app).answer_bar.line.value != "")  # mid-answer
        await pilot.press("space")
        assert app.mode == Mode.paused
        typed, index = chat_of(app).answer_bar.line.value, app.typist.index  # (on a loaded machine the
        await pilot.pause(0.4)  # answer may have been finished and sent before the key arrived)
        assert chat_of(app).answer_bar.line.value == typed and app.typist.index == index
        await pilot.press("space")
        assert app.mode == Mode.playing
        # typing goes on: the line grows, or (on a loaded machine) the answer is already finished and sent
        await until(pilot, lambda: len(chat_of(app).answer_bar.line.value) > len(typed) or app.typist.index > 0)
        await pilot.press("space")


async def test_n_sends_exactly_one_answer_then_pauses(library: FlowLibrary) -> None:
    app = make(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")  # paused before the first answer
        await until(pilot, lambda: settled(app))
        assert app.typist.index == 0 and sent(app) == []
        await pilot.press("n")
        await until(pilot, lambda: app.typist.index == 1 and settled(app))
        assert app.mode == Mode.paused
        await pilot.pause(0.3)
        assert app.typist.index == 1 and sent(app) == [app.persona.answers[0].text]
        await pilot.press("full_stop")
        await until(pilot, lambda: app.typist.index == 2 and settled(app))
        assert sent(app) == [a.text for a in app.persona.answers[:2]]


async def test_t_takes_over_the_typing_and_f6_hands_back(library: FlowLibrary) -> None:
    app = make(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await until(pilot, lambda: settled(app))
        await pilot.press("t")
        assert app.mode == Mode.takeover
        await pilot.press("t", "r", "n", "q", "space", "full_stop")  # the demo's keys are typing now
        line = chat_of(app).answer_bar.line
        assert line.value == "trnq ."
        line.value = "Run the team retro by March"
        await pilot.press("enter")
        await until(pilot, lambda: len(sent(app)) == 1 and settled(app))
        await pilot.pause(0.2)
        assert sent(app) == ["Run the team retro by March"] and app.typist.index == 0
        await pilot.press("f6")
        assert app.mode != Mode.takeover
        await until(pilot, lambda: app.typist.index >= 1)
        await pilot.press("space")
        await until(pilot, lambda: quiet(app))
        chat = next(s for s in app.screen_stack if isinstance(s, ChatScreen))
        you = [text for who, text in chat.transcript if who == "You"]
        assert you[1] == app.persona.answers[0].text  # the persona goes on with its script


async def test_r_starts_again_with_a_fresh_store(library: FlowLibrary) -> None:
    app = make(library)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.typist.index >= 1 and settled(app))
        for run in (2, 3):
            old_chat, old_service = chat_of(app), app.data.service
            await pilot.press("r")
            await until(pilot, lambda old=old_chat: app.chat not in (None, old) and settled(app))
            assert app.mode == Mode.playing and app.runs == run and app.current_mode == f"run-{run}"
            service = app.data.service
            assert service is not old_service
            assert [p.name for p in service.profiles()] == ["Priya"]
            assert service.repo.headers.keys() == {chat_of(app).chat.id}  # type: ignore[attr-defined]
        assert "run-2" not in app._screen_stacks  # the previous run's screens are gone
        await pilot.press("space")
        await until(pilot, lambda: settled(app))
        assert sent(app) == [a.text for a in app.persona.answers[: app.typist.index]]


TINY_FLOW = """\
schema_version: 1
id: tiny
stage: tiny
title: Tiny
roles: [mentee]
slots:
  word: {type: text, label: Word}
steps:
  - {id: ask, kind: ask, slot: word, prompt: tiny.ask, next: done}
  - id: done
    kind: end
    prompt: tiny.done
    artifacts: [{kind: note, title: tiny.title, template: tiny.note}]
"""
TINY_PROMPTS = 'ask: "A word?"\ndone: "Thanks."\ntitle: "Note"\nnote: "You said $word."\n'
TINY_PERSONA = "display_name: Tia\nrole: mentee\nflow: tiny\nother_name: Sam\nbio: Short.\nanswers: [hello, keep]\n"


async def test_the_demo_finishes_when_the_stage_does(tmp_path: Path) -> None:
    (tmp_path / "prompts" / "en").mkdir(parents=True)
    (tmp_path / "personas").mkdir()
    (tmp_path / "tiny.yaml").write_text(TINY_FLOW)
    (tmp_path / "prompts" / "en" / "tiny.yaml").write_text(TINY_PROMPTS)
    (tmp_path / "personas" / "tia.yaml").write_text(TINY_PERSONA)
    lib = FlowLibrary.load([tmp_path])
    assert not lib.errors, lib.errors
    app = DemoApp(PersonaSet.load([tmp_path]).get("tia"), lib, speed=FAST)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.mode == Mode.finished)
        artifacts = app.data.service.repo.artifacts.values()  # type: ignore[attr-defined]
        assert [a.markdown for a in artifacts] == ["You said hello."]
        await pilot.press("space")  # nothing left to play
        assert app.mode == Mode.finished
        assert isinstance(app.screen, ArtifactScreen)  # the note, on top of the chat
        await pilot.press("q")  # the document's own key: close it
        assert isinstance(app.screen, ChatScreen) and app.return_code is None
        await pilot.press("q")  # on the chat: quit the demo
        await until(pilot, lambda: app.return_code == 0)


async def test_the_demo_never_touches_the_data_folder(
    library: FlowLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(data))
    app = make(library)
    scratch = app.scratch
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.typist.index >= 1 and settled(app))
        await pilot.press("space")
        await pilot.press("ctrl+o")  # export the conversation: it goes to the demo's scratch folder
        await pilot.pause(0.3)
        assert list((scratch / "exports").rglob("*.md"))
    assert not data.exists()
    assert not scratch.exists()
