"""Engine behaviour over a small flow with every slot type, a sub-flow and conditions."""

from __future__ import annotations

import itertools

import pytest

from coach.engine.conversation import Engine, EngineError
from coach.engine.ports import MemoryStore
from coach.models import ConversationState


def _answer_all(engine: Engine) -> tuple[object, list[str]]:
    conv, turn = engine.start("echo", "mentee", conversation_id="t1")
    keys = [m.key for m in turn.messages]
    for text in ["a note", "x; y", "navy", "1, bananas", "4", "yep", "7", "2026-12-24", "three little words"]:
        turn = conv.reply(text)
        keys += [m.key for m in turn.messages]
    return conv, keys


def test_every_slot_type_parses(echo_engine: Engine) -> None:
    conv, _ = _answer_all(echo_engine)
    slots = conv.state.slots  # type: ignore[attr-defined]
    assert slots["note"] == "a note"
    assert slots["tags"] == ["x", "y"]
    assert slots["pick"] == "blue"
    assert slots["many"] == ["a", "b"]
    assert slots["level"] == 4
    assert slots["ok"] is True
    assert slots["count"] == 7
    assert slots["when"] == "2026-12-24"
    assert slots["extra"] == "three little words"  # sub-flow wrote into the shared slots
    assert slots["verdict"] == "blue and big"  # all/not conditions, then a set step
    assert conv.state.mode == "confirm"  # type: ignore[attr-defined]


def test_summary_renders_display_values(echo_engine: Engine) -> None:
    conv, _ = _answer_all(echo_engine)
    text = conv.summary().text  # type: ignore[attr-defined]
    assert "Pick: Blue" in text and "Many: Apples, Bananas" in text and "Level: 4/5" in text


def test_confirm_finishes_and_saves(echo_engine: Engine) -> None:
    conv, _ = _answer_all(echo_engine)
    turn = conv.reply("yes")  # type: ignore[attr-defined]
    assert turn.done and turn.question is None
    store = echo_engine.store
    assert isinstance(store, MemoryStore)
    saved = store.conversations[conv.state.id]  # type: ignore[attr-defined]
    assert saved.status == "done" and saved.slots["verdict"] == "blue and big"
    assert conv.reply("more").messages[0].key == "common.already_done"  # type: ignore[attr-defined]


def test_retry_cap_gives_up_and_moves_on(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t2")
    conv.reply("a")
    t1 = conv.reply("")  # tags: empty -> reprompt
    assert t1.messages[0].kind == "reprompt"
    t2 = conv.reply("   ")
    assert "common.reprompt.escalate" in [m.key for m in t2.messages]
    t3 = conv.reply("")
    assert "common.give_up" in [m.key for m in t3.messages]
    assert conv.state.step == "ask_pick"
    assert conv.state.answers["tags"].gave_up and "tags" not in conv.state.slots


def test_attempts_fact_and_escalating_reprompts(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t3")
    for text in ["n", "a", "red", "apples", "3", "no"]:
        conv.reply(text)
    r1 = conv.reply("eleven")  # number above max
    assert r1.messages[0].key == "common.invalid.number_max"
    conv.reply("4")
    conv.reply("tomorrow")
    conv.reply("fine words here ok")
    assert conv.state.slots["verdict"] == "retried"  # attempts fact: ask_count was retried once
    assert conv.state.slots["when"] == "2026-11-28"


def test_skip_only_where_skippable(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t4")
    t = conv.reply("/skip")
    assert "common.skipped" in [m.key for m in t.messages]
    assert conv.state.answers["note"].skipped
    t = conv.reply("/skip")
    assert t.messages[0].key == "common.cannot_skip" and conv.state.step == "ask_tags"


def test_help_and_why_reask_same_question(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t5")
    conv.reply("n")
    conv.reply("a")
    t = conv.reply("/help")
    keys = [m.key for m in t.messages]
    assert keys[0] == "common.help.choice" and keys[-1] == "echo.q" and "1. Red" in t.text
    t = conv.why()
    assert [m.key for m in t.messages] == ["common.why.general", "echo.q"]
    assert conv.state.step == "ask_pick"
    assert [e.kind for e in conv.state.events][-2:] == ["help", "why"]


def test_back_undoes_answer_and_restores_state(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t6")
    assert conv.reply("/back").messages[0].key == "common.back_at_start"
    conv.reply("first note")
    conv.reply("x")
    assert conv.state.step == "ask_pick"
    t = conv.reply("/back")
    assert t.messages[0].key == "common.back_with_previous" and "x" in t.text
    assert conv.state.step == "ask_tags" and "tags" not in conv.state.slots
    assert conv.state.slots["note"] == "first note"
    conv.back()
    assert conv.state.step == "ask_note" and "note" not in conv.state.slots


def test_back_from_probe_returns_to_the_question(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t7")
    for text in ["n", "a", "red", "apples", "3", "no", "4", "tomorrow"]:
        conv.reply(text)
    t = conv.reply("stuff")  # in the sub-flow: few words and vague
    assert t.messages[0].kind == "probe" and conv.state.mode == "probe"
    t = conv.reply("/back")
    assert conv.state.mode == "answer" and conv.state.step == "ask_extra"
    assert len(conv.state.stack) == 2 and "extra" not in conv.state.slots


def test_probes_keep_raw_and_followups(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t8")
    for text in ["n", "a", "red", "apples", "3", "no", "4", "tomorrow"]:
        conv.reply(text)
    conv.reply("stuff")
    t = conv.reply("maybe")
    assert t.messages[0].kind == "probe"  # still vague: a second, different probe
    t = conv.reply("the quarterly planning deck")
    ans = conv.state.answers["extra"]
    assert ans.raw == "stuff" and [p.answer for p in ans.probes] == ["maybe", "the quarterly planning deck"]
    assert conv.state.slots["extra"] == "stuff — maybe — the quarterly planning deck"
    assert conv.state.mode == "confirm"  # max 2 probes, then accepted


def test_pause_and_resume_rerenders_question(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t9")
    conv.reply("n")
    t = conv.reply("/pause")
    assert t.paused and conv.state.status == "paused"
    saved = ConversationState.model_validate_json(conv.state.model_dump_json())
    again = echo_engine.resume(saved)
    t = again.current()
    assert [m.key for m in t.messages] == ["echo.q"] and again.state.step == "ask_tags"
    assert t.question is not None and t.question.type == "list"
    again.reply("a, b")
    assert again.state.slots["tags"] == ["a", "b"]


def test_resume_in_subflow_and_in_probe(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t10")
    for text in ["n", "a", "red", "apples", "3", "no", "4", "tomorrow", "stuff"]:
        conv.reply(text)
    state = ConversationState.model_validate_json(conv.state.model_dump_json())
    again = echo_engine.resume(state)
    t = again.current()
    assert t.messages[0].kind == "probe" and t.question is not None and t.question.probing
    t = again.reply("the planning deck for March")
    assert t.messages[0].kind == "probe"  # "stuff" was also vague: a second probe
    again.reply("/skip")  # a probe can always be skipped: the answer is kept as it is
    assert again.state.mode == "confirm" and len(again.state.stack) == 1
    assert again.state.slots["extra"] == "stuff — the planning deck for March"


def test_edit_from_summary_recomputes_branches(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t11")
    for text in ["n", "a", "navy", "apples", "3", "no", "7", "tomorrow", "three small words"]:
        conv.reply(text)
    assert conv.state.slots["verdict"] == "blue and big"
    t = conv.reply("no")
    assert t.question is not None and t.question.type == "choice"
    t = conv.reply("Pick")
    assert "Red" in t.text or conv.state.step == "ask_pick"
    t = conv.reply("red")
    assert conv.state.mode == "confirm" and conv.state.slots["pick"] == "red"
    assert conv.state.slots["verdict"] == "blue and big"  # set values persist; branch now goes to summary
    assert "pick red" in t.text.lower() or "Red" in t.text


def test_unknown_command_and_crisis(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t12")
    t = conv.reply("/frobnicate")
    assert t.messages[0].key == "common.unknown_command" and conv.state.step == "ask_note"
    t = conv.reply("honestly I want to end my life")
    assert t.messages[0].kind == "crisis" and t.paused and "note" not in conv.state.slots


def test_unknown_flow_and_wrong_role(echo_library: object) -> None:
    from coach.content.library import FlowLibrary

    assert isinstance(echo_library, FlowLibrary)
    engine = Engine(echo_library, MemoryStore())
    with pytest.raises(EngineError, match="unknown flow"):
        engine.new("nope", "mentee")
    with pytest.raises(ValueError):
        engine.new("echo", "boss")


def test_one_machine_per_flow_definition(echo_engine: Engine) -> None:
    c1, _ = echo_engine.start("echo", "mentee")
    echo_engine.start("echo", "mentor")
    m = echo_engine.machines.get(echo_engine.library.flow("echo"), echo_engine.library.hash("echo"))
    assert len(echo_engine.machines._machines) == 1
    assert len(m.models) == 2
    c1.close()
    assert len(m.models) == 1


def test_no_two_consecutive_acks_alike(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", conversation_id="t13")
    acks = []
    for text in ["n", "a", "red", "apples", "3", "no", "4", "tomorrow", "three small words"]:
        acks += [m.text for m in conv.reply(text).messages if m.kind == "ack"]
    assert len(acks) >= 8
    assert all(a != b for a, b in itertools.pairwise(acks))


def test_default_names_fill_the_context(echo_engine: Engine) -> None:
    from coach.models import CONTEXT_NAMES

    mentee, _ = echo_engine.start("echo", "mentee")
    assert set(mentee.state.context) == set(CONTEXT_NAMES)
    assert mentee.state.context["other_name"] == "your mentor" and mentee.state.context["mentee_name"] == "you"
    mentor, _ = echo_engine.start("echo", "mentor", context={"other_name": "Ana"})
    assert mentor.state.context["other_name"] == "Ana" and mentor.state.context["mentor_name"] == "you"


def test_future_dates_refuse_the_past() -> None:
    from datetime import date

    from coach.content.schema import Slot
    from coach.engine.answers import Invalid, parse

    slot = Slot(type="date", future=True)
    today = date(2026, 11, 27)
    assert parse(slot, "today", today) == "2026-11-27"
    assert parse(slot, "next friday", today) == "2026-12-04"
    with pytest.raises(Invalid) as bad:
        parse(slot, "2026-11-01", today)
    assert bad.value.reason == "date_past" and bad.value.details["date"] == "2026-11-01"
    assert parse(Slot(type="date"), "2026-11-01", today) == "2026-11-01"  # without `future`, any date
    with pytest.raises(ValueError, match="future only applies to date slots"):
        Slot(type="text", future=True)
