"""Conversation transcripts in tests/conversations/*.yaml, played through the engine.

Format (see tests/conversations/README.md):

    flow: fit_check
    role: mentee
    locale: es                   # optional, default en: the conversation header's locale
    today: 2026-11-27            # optional
    context: {mentor_name: Sam}  # optional
    turns:
      - bot: fit_check.ask_goal          # the opening turn: prompt keys expected, in order
      - user: get better at stuff
        bot: [common.probe.vague]        # keys that must appear, in order, in the reply
        text: "sounds a little open"     # regex searched in the reply's text
        slots: {goal: ...}               # subset of slots after the turn
        question: text                   # type of the open question after the turn
        mode: probing                    # the conversation's mode after the turn
    final:
      done: true
      slots: {...}
      answers: {goal: {raw: ..., probes: 2}}
      artifacts: {fit_report: ["regex", ...]}
      not_in_artifacts: {fit_report: ["regex", ...]}
      commitments: ["regex", ...]
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.content.library import FlowLibrary
from coach.engine.conversation import Conversation, Engine
from coach.engine.turns import BotTurn
from coach.models import Artifact, Commitment

HERE = Path(__file__).parent / "conversations"
LOCALES = sorted(d.name for d in HERE.iterdir() if d.is_dir() and any(d.glob("*.yaml")))
CASES = sorted(HERE.glob("*.yaml")) + [p for loc in LOCALES for p in sorted((HERE / loc).glob("*.yaml"))]


def _case_id(path: Path) -> str:
    """`fit_check_mentee_happy` for an English case, `es/fit_check_mentee_happy` for one in a locale folder."""
    return path.stem if path.parent == HERE else f"{path.parent.name}/{path.stem}"


def _keys(turn: BotTurn) -> list[str]:
    return [m.key or "" for m in turn.messages]


def _check_turn(where: str, turn: BotTurn, expect: dict[str, Any], state: Conversation) -> None:
    bot = expect.get("bot")
    if bot is not None:
        wanted = [bot] if isinstance(bot, str) else list(bot)
        got = _keys(turn)
        it = iter(got)
        missing = [k for k in wanted if not any(g == k for g in it)]
        assert not missing, f"{where}: expected bot keys {wanted} in order, got {got}"
    if "text" in expect:
        pats = expect["text"] if isinstance(expect["text"], list) else [expect["text"]]
        for pat in pats:
            assert re.search(pat, turn.text, re.S), f"{where}: /{pat}/ not in:\n{turn.text}"
    if "not_text" in expect:
        pats = expect["not_text"] if isinstance(expect["not_text"], list) else [expect["not_text"]]
        for pat in pats:
            assert not re.search(pat, turn.text, re.S), f"{where}: /{pat}/ unexpectedly in:\n{turn.text}"
    for name, value in (expect.get("slots") or {}).items():
        assert state.slots.get(name) == value, f"{where}: slot {name} = {state.slots.get(name)!r}, expected {value!r}"
    if "question" in expect:
        qtype = turn.question.type if turn.question else None
        assert qtype == expect["question"], f"{where}: question type {qtype!r}, expected {expect['question']!r}"
    if "mode" in expect:
        assert state.mode == expect["mode"], f"{where}: mode {state.mode!r}, expected {expect['mode']!r}"
    if "step" in expect:
        assert state.step == expect["step"], f"{where}: step {state.step!r}, expected {expect['step']!r}"


class Produced:
    """What the turns of a conversation produced (their entries' effects), as a store keeps it."""

    def __init__(self) -> None:
        self.artifacts: dict[str, Artifact] = {}
        self.commitments: dict[str, Commitment] = {}

    def add(self, turn: BotTurn) -> None:
        effects = turn.entry.effects if turn.entry is not None else None
        if effects is not None:
            self.artifacts.update((a.id, a) for a in effects.artifacts)
            self.commitments.update((c.id, c) for c in [*effects.commitments, *effects.reviewed])


def _same_after_replay(where: str, engine: Engine, conv: Conversation) -> None:
    """The conversation rebuilt from its stored inputs is where the live one is."""
    again = engine.open(conv.header, conv.entries)
    try:
        assert (again.mode, again.step, again.slots) == (conv.mode, conv.step, conv.slots), f"{where}: replay differs"
        assert again.answers == conv.answers, f"{where}: replayed answers differ"
        assert again.question() == conv.question(), f"{where}: replayed question differs"
    finally:
        again.close()


def play(library: FlowLibrary, case: dict[str, Any], name: str) -> tuple[Engine, Produced, Conversation]:
    produced = Produced()
    today = case.get("today") or date(2026, 11, 27)
    if isinstance(today, str):
        today = date.fromisoformat(today)
    engine = Engine(library, today=lambda: today)
    conv = engine.new(case["flow"], case.get("role", "mentee"), context=case.get("context") or {},
                      locale=str(case.get("locale") or "en"),
                      conversation_id=case.get("conversation_id", name.replace("/", "_")))
    turn = conv.start()
    turns = case.get("turns") or []
    start = 0
    if turns and "user" not in turns[0]:
        _check_turn(f"{name}: opening", turn, turns[0], conv)
        start = 1
    for i, t in enumerate(turns[start:], start):
        assert "user" in t, f"{name}: turn {i} has no `user`"
        turn = conv.reply(str(t["user"]))
        produced.add(turn)
        where = f"{name}: turn {i} ({t['user']!r})"
        _check_turn(where, turn, t, conv)
        _same_after_replay(where, engine, conv)
    final = case.get("final") or {}
    st = conv
    if "done" in final:
        assert conv.done == final["done"], f"{name}: done = {conv.done}"
    for slot, value in (final.get("slots") or {}).items():
        assert st.slots.get(slot) == value, f"{name}: final slot {slot} = {st.slots.get(slot)!r}, expected {value!r}"
    for slot, exp in (final.get("answers") or {}).items():
        ans = st.answers.get(slot)
        assert ans is not None, f"{name}: no answer for {slot}"
        if "raw" in exp:
            assert ans.raw == exp["raw"], f"{name}: answer {slot} raw {ans.raw!r}"
        if "probes" in exp:
            assert len(ans.probes) == exp["probes"], f"{name}: answer {slot} has {len(ans.probes)} probes"
        if "skipped" in exp:
            assert ans.skipped == exp["skipped"]
        if "gave_up" in exp:
            assert ans.gave_up == exp["gave_up"]
    arts = {a.kind: a for a in produced.artifacts.values()}
    for kind, patterns in (final.get("artifacts") or {}).items():
        assert kind in arts, f"{name}: no {kind} artifact (have {sorted(arts)})"
        for pat in patterns or []:
            assert re.search(pat, arts[kind].markdown, re.S), f"{name}: /{pat}/ not in {kind}:\n{arts[kind].markdown}"
    for kind, patterns in (final.get("not_in_artifacts") or {}).items():
        for pat in patterns:
            assert not re.search(pat, arts[kind].markdown, re.S), f"{name}: /{pat}/ unexpectedly in {kind}"
    if "commitments" in final:
        texts = [c.text for c in produced.commitments.values()]
        for pat in final["commitments"]:
            assert any(re.search(pat, t) for t in texts), f"{name}: no commitment /{pat}/ in {texts}"
    return engine, produced, conv


@pytest.mark.parametrize("path", CASES, ids=[_case_id(p) for p in CASES])
def test_conversation(path: Path, library: FlowLibrary) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    if path.parent != HERE:
        assert case.get("locale") == path.parent.name, f"{path}: a case under {path.parent.name}/ says its locale"
    engine, _, conv = play(library, case, _case_id(path))
    conv.close()
    assert engine.machines.models() == 0 and not engine.modes.models, "models left on the shared machines"
