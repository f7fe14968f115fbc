"""Engine behaviour over small flows: every slot type, a sub-flow, conditions, the summary, and a
conversation kept as its inputs (replayed on opening, after /back and after an edit)."""

from __future__ import annotations

import itertools
import shutil
from datetime import date
from pathlib import Path

import pytest
from engine_helpers import FLOWS_OK, reopen, start

from coach.content.library import FlowLibrary
from coach.engine.conversation import Conversation, Engine, EngineError

ECHO_PATH = ["a note", "x; y", "navy", "1, bananas", "4", "yep", "7", "2026-12-24", "three little words"]


def _answer_all(engine: Engine) -> tuple[Conversation, list[str | None]]:
    conv, turn = start(engine, "echo", conversation_id="t1")
    keys = [m.key for m in turn.messages]
    for text in ECHO_PATH:
        keys += [m.key for m in conv.reply(text).messages]
    return conv, keys


def test_every_slot_type_parses(echo_engine: Engine) -> None:
    conv, _ = _answer_all(echo_engine)
    slots = conv.slots
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
    assert conv.mode == "confirming"


def test_summary_renders_display_values(echo_engine: Engine) -> None:
    conv, _ = _answer_all(echo_engine)
    text = conv.summary().text
    assert "Pick: Blue" in text and "Many: Apples, Bananas" in text and "Level: 4/5" in text


def test_confirm_finishes_and_a_reopened_conversation_stays_done(echo_engine: Engine) -> None:
    conv, _ = _answer_all(echo_engine)
    turn = conv.reply("yes")
    assert turn.done and turn.question is None and turn.entry is not None
    again = reopen(echo_engine, conv)
    assert again.done and again.slots["verdict"] == "blue and big"
    after = again.reply("more")
    assert after.messages[0].key == "common.already_done" and after.entry is None


def test_retry_cap_gives_up_and_moves_on(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t2")
    conv.reply("a")
    t1 = conv.reply("")  # tags: empty -> reprompt
    assert t1.messages[0].kind == "reprompt"
    t2 = conv.reply("   ")
    assert "common.reprompt.escalate" in [m.key for m in t2.messages]
    t3 = conv.reply("")
    assert "common.give_up" in [m.key for m in t3.messages]
    assert conv.step == "ask_pick"
    assert conv.answers["tags"].gave_up and "tags" not in conv.slots


def test_attempts_fact_and_escalating_reprompts(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t3")
    for text in ["n", "a", "red", "apples", "3", "no"]:
        conv.reply(text)
    r1 = conv.reply("eleven")  # number above max
    assert r1.messages[0].key == "common.invalid.number_max"
    conv.reply("4")
    conv.reply("tomorrow")
    conv.reply("the planning deck for March")
    assert conv.slots["verdict"] == "retried"  # attempts fact: ask_count was retried once
    assert conv.slots["when"] == "2026-11-28"
    assert reopen(echo_engine, conv).slots["verdict"] == "retried"  # the invalid attempt is an input too


def test_skip_only_where_skippable(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t4")
    t = conv.reply("/skip")
    assert "common.skipped" in [m.key for m in t.messages]
    assert conv.answers["note"].skipped
    t = conv.reply("/skip")
    assert t.messages[0].key == "common.cannot_skip" and conv.step == "ask_tags"


def test_help_and_why_reask_the_same_question_and_store_nothing(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t5")
    conv.reply("n")
    conv.reply("a")
    stored = len(conv.entries)
    t = conv.reply("/help")
    keys = [m.key for m in t.messages]
    assert keys[0] == "common.help.choice" and keys[-1] == "echo.q" and "1. Red" in t.text
    assert t.entry is None
    t = conv.why()
    assert [m.key for m in t.messages] == ["common.why.general", "echo.q"] and t.entry is None
    assert conv.step == "ask_pick" and len(conv.entries) == stored


def test_back_undoes_answer_and_restores_state(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t6")
    assert conv.reply("/back").messages[0].key == "common.back_at_start"
    conv.reply("first note")
    conv.reply("x")
    assert conv.step == "ask_pick"
    t = conv.reply("/back")
    assert t.messages[0].key == "common.back_with_previous" and "x" in t.text
    assert conv.step == "ask_tags" and "tags" not in conv.slots
    assert conv.slots["note"] == "first note"
    conv.back()
    assert conv.step == "ask_note" and "note" not in conv.slots
    again = reopen(echo_engine, conv)
    assert again.step == "ask_note" and again.slots == {}


def test_back_from_probe_returns_to_the_question(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t7")
    for text in ["n", "a", "red", "apples", "3", "no", "4", "tomorrow"]:
        conv.reply(text)
    t = conv.reply("stuff")  # in the sub-flow: few words and vague
    assert t.messages[0].kind == "probe" and conv.mode == "probing"
    conv.reply("/back")
    assert conv.mode == "asking" and conv.step == "ask_extra"
    assert "extra" not in conv.slots


def test_probes_keep_raw_and_followups(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t8")
    for text in ["n", "a", "red", "apples", "3", "no", "4", "tomorrow"]:
        conv.reply(text)
    conv.reply("stuff")
    t = conv.reply("maybe")
    assert t.messages[0].kind == "probe"  # still vague: a second, different probe
    conv.reply("the quarterly planning deck")
    ans = conv.answers["extra"]
    assert ans.raw == "stuff" and [p.answer for p in ans.probes] == ["maybe", "the quarterly planning deck"]
    assert conv.slots["extra"] == "the quarterly planning deck"  # the follow-ups refine it, never "a — b — c"
    assert conv.mode == "confirming"  # max 2 probes, then accepted


def test_pause_is_not_stored_and_reopening_shows_the_open_question(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t9")
    conv.reply("n")
    t = conv.reply("/pause")
    assert t.paused and t.entry is None
    again = reopen(echo_engine, conv)
    t = again.current()
    assert [m.key for m in t.messages] == ["echo.q"] and again.step == "ask_tags"
    assert t.question is not None and t.question.type == "list"
    again.reply("a, b")
    assert again.slots["tags"] == ["a", "b"]


def test_reopen_in_subflow_and_in_probe(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t10")
    for text in ["n", "a", "red", "apples", "3", "no", "4", "tomorrow", "stuff"]:
        conv.reply(text)
    again = reopen(echo_engine, conv)
    t = again.current()
    assert t.messages[0].kind == "probe" and t.question is not None and t.question.probing
    t = again.reply("the planning deck for March")
    assert t.messages[0].kind == "ack"  # the follow-up says it: no second one
    assert again.mode == "confirming" and len(again.dialogue.runner.frames) == 1
    assert again.slots["extra"] == "the planning deck for March"


def test_edit_from_summary_recomputes_branches(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t11")
    for text in ["n", "a", "navy", "apples", "3", "no", "7", "tomorrow", "three small words"]:
        conv.reply(text)
    assert conv.slots["verdict"] == "blue and big"
    t = conv.reply("no")
    assert t.question is not None and t.question.type == "choice"
    conv.reply("Pick")
    assert conv.step == "ask_pick"
    t = conv.reply("red")
    assert conv.mode == "confirming" and conv.slots["pick"] == "red"
    assert "verdict" not in conv.slots  # the branch that set it is no longer taken
    assert "verdict —" in t.text and "pick Red" in t.text
    assert conv.answers["note"].raw == "n" and conv.slots["extra"] == "three small words"  # the rest is kept
    assert reopen(echo_engine, conv).slots == conv.slots


def test_back_after_a_summary_edit_keeps_the_edit(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "after_summary", conversation_id="t12")
    conv.reply("run a team of four")
    conv.reply("no")
    conv.reply("goal")
    t = conv.reply("run a team of six")
    assert conv.mode == "confirming" and "run a team of six" in t.text
    conv.reply("yes")
    assert conv.step == "ask_next"
    t = conv.reply("/back")
    assert conv.mode == "confirming" and conv.slots["goal"] == "run a team of six"
    conv.reply("yes")
    t = conv.reply("book the offsite")
    assert conv.mode == "drafting" and not t.artifacts  # the plan is a draft until kept
    t = conv.reply("keep")
    assert t.done
    (plan,) = t.artifacts
    assert "Goal: run a team of six. Next: book the offsite." in plan.markdown
    assert [c.text for c in t.entry.effects.commitments] == ["Book the offsite"]  # type: ignore[union-attr]


def test_back_while_editing_returns_to_the_choice_of_what_to_change(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "after_summary", conversation_id="t13")
    conv.reply("run a team of four")
    conv.reply("no")
    conv.reply("goal")
    assert conv.step == "ask_goal"
    conv.reply("/back")
    assert conv.mode == "choosing_edit"
    conv.reply("none")
    assert conv.mode == "confirming" and conv.slots["goal"] == "run a team of four"


def test_unknown_command_and_crisis_store_nothing(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t14")
    t = conv.reply("/frobnicate")
    assert t.messages[0].key == "common.unknown_command" and conv.step == "ask_note" and t.entry is None
    t = conv.reply("honestly I want to end my life")
    assert t.messages[0].kind == "crisis" and t.paused and t.entry is None and "note" not in conv.slots
    assert not conv.entries
    conv.reply("a calmer note")
    assert conv.slots["note"] == "a calmer note"


def test_unknown_flow_and_wrong_role(echo_library: FlowLibrary) -> None:
    engine = Engine(echo_library)
    with pytest.raises(EngineError, match="unknown flow"):
        engine.new("nope", "mentee")
    with pytest.raises(ValueError):
        engine.new("echo", "boss")


def test_one_machine_per_flow_and_no_model_left_behind(echo_engine: Engine) -> None:
    c1, _ = start(echo_engine, "echo")
    c2, _ = start(echo_engine, "echo", role="mentor")
    assert len(echo_engine.machines._machines) == 1
    assert echo_engine.machines.models() == 2 and len(echo_engine.modes.models) == 2
    c1.close()
    assert echo_engine.machines.models() == 1
    c2.close()
    for _ in range(50):  # open, answer, go back, edit, pause, close
        conv = reopen(echo_engine, c1)
        conv.reply("n")
        conv.reply("/back")
        conv.reply("/pause")
        conv.close()
    assert echo_engine.machines.models() == 0 and echo_engine.modes.models == []


def test_no_two_consecutive_acks_alike(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t15")
    acks = []
    for text in ["n", "a", "red", "/back", "red", "apples", "3", "no", "4", "tomorrow", "three small words"]:
        acks += [m.text for m in conv.reply(text).messages if m.kind == "ack"]
    assert len(acks) >= 9
    assert all(a != b for a, b in itertools.pairwise(acks))


def test_default_names_fill_the_context(echo_engine: Engine) -> None:
    from coach.models import CONTEXT_NAMES

    mentee, _ = start(echo_engine, "echo")
    assert set(mentee.header.context) == set(CONTEXT_NAMES)
    assert mentee.header.context["other_name"] == "your mentor" and mentee.header.context["mentee_name"] == "you"
    mentor, _ = start(echo_engine, "echo", role="mentor", context={"other_name": "Ana"})
    assert mentor.header.context["other_name"] == "Ana" and mentor.header.context["mentor_name"] == "you"


def test_future_dates_refuse_the_past() -> None:
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


def test_a_date_answer_is_read_against_the_day_it_was_given(echo_library: FlowLibrary) -> None:
    first = Engine(echo_library, today=lambda: date(2026, 11, 27))
    conv, _ = start(first, "echo", conversation_id="t16")
    for text in ["n", "a", "red", "apples", "3", "no", "4", "tomorrow"]:
        conv.reply(text)
    later = Engine(echo_library, today=lambda: date(2027, 3, 1))
    assert reopen(later, conv).slots["when"] == "2026-11-28"


# --- a flow edited under a paused conversation -------------------------------------------------


def _edited_library(tmp_path: Path, edit: dict[str, str]) -> FlowLibrary:
    folder = tmp_path / "flows"
    shutil.copytree(FLOWS_OK, folder)
    path = folder / "echo.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edit.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    lib = FlowLibrary.load([folder])
    assert not lib.errors, lib.errors
    return lib


def test_a_flow_edited_under_a_paused_conversation_keeps_its_answers(echo_engine: Engine, tmp_path: Path) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t17")
    for text in ["a note", "x; y", "navy", "1, bananas", "4", "yep"]:
        conv.reply(text)
    assert conv.step == "ask_count"
    lib = _edited_library(tmp_path, {
        # a new question after the tags; blue is no longer a choice; the level question is gone
        "next: ask_pick}": "next: ask_mood}\n  - {id: ask_mood, kind: ask, slot: mood, prompt: echo.q, next: ask_pick}",
        "  note: {type: text, label: Note}": "  note: {type: text, label: Note}\n  mood: {type: text, label: Mood}",
        "{value: blue, label: Blue, synonyms: [navy]}": "{value: green, label: Green}",
        "next: ask_level}": "next: ask_ok}",
        "  - {id: ask_level, kind: ask, slot: level, prompt: echo.q, next: ask_ok}\n": "",
    })
    edited = Engine(lib, today=lambda: date(2026, 11, 28))
    again = reopen(edited, conv)
    t = again.current()
    assert t.messages[0].key == "common.flow_changed.many" and t.messages[0].text.startswith("3 questions changed")
    assert again.step == "ask_mood" and again.pending and again.pending[0].kind == "flow_changed"
    assert again.slots == {"note": "a note", "tags": ["x", "y"]}
    t = again.reply("calm")  # the new question; then the colour, whose old answer no longer fits
    assert again.step == "ask_pick" and again.slots["mood"] == "calm"
    assert [m.key for m in t.messages] == ["common.ack", "echo.q"]  # asked afresh, not as a failed try
    again.reply("green")  # the other answers were kept: on to the first question not answered yet
    assert again.step == "ask_count"
    assert again.slots["many"] == ["a", "b"] and again.slots["ok"] is True and "level" not in again.slots
    # stored with its flow_changed entry, it opens on the edited flow without a word
    reopened = reopen(edited, again)
    assert reopened.notice is None and reopened.slots == again.slots and reopened.step == "ask_count"


def test_a_conversation_whose_flow_is_gone_cannot_be_opened(echo_engine: Engine, tmp_path: Path) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t18")
    conv.reply("n")
    other = Engine(FlowLibrary.load([tmp_path]))
    with pytest.raises(EngineError, match="not installed"):
        other.open(conv.header, conv.entries)


def test_the_transcript_is_the_conversation_as_it_stands_from_the_beginning(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t19")
    for text in ["a note", "x; y", "/back", "p; q"]:
        conv.reply(text)
    again = reopen(echo_engine, conv)
    said = [e.said for e in again.transcript()]
    assert said == [None, "a note", "p; q"]  # the undone answer is not in it
    assert [m.key for m in again.transcript()[0].messages] == ["echo.q"]
    assert again.step == "ask_pick"  # making the transcript changed nothing


def test_the_transcript_shows_options_picked_by_number_as_what_was_picked(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", conversation_id="t19b")
    for text in ["a note", "x; y", "2", "zzz", "1, 2"]:  # "zzz" is refused and asked again
        conv.reply(text)
    said = [e.said for e in reopen(echo_engine, conv).transcript()]
    assert said == [None, "a note", "x; y", "Blue", "zzz", "Apples, Bananas"]


def test_documents_are_drafts_the_user_can_edit_before_they_are_kept(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "after_summary", conversation_id="t20")
    for text in ("run a team of four", "yes", "book the offsite"):
        turn = conv.reply(text)
    assert [m.kind for m in turn.messages][-3:] == ["say", "draft", "ask"] and turn.entry is not None
    assert turn.entry.effects is None  # nothing is stored before it is kept
    assert turn.question is not None and [c.value for c in turn.question.choices] == ["keep", "edit 2"]
    turn = conv.reply("edit")
    assert turn.question is not None and turn.question.type == "draft"
    assert turn.question.default == "Goal: run a team of four. Next: book the offsite."
    conv.reply("Goal: run a team of four by June. Next: book the offsite for March.")
    assert conv.mode == "drafting"
    turn = conv.reply("/back")  # back from the drafts: the edit is undone, the drafts shown again
    assert conv.mode == "writing"
    conv.reply("")  # an empty answer keeps the text as it was
    turn = conv.reply("keep")
    assert turn.done and [a.markdown for a in turn.artifacts] == ["Goal: run a team of four. Next: book the offsite."]
    assert [c.text for c in turn.entry.effects.commitments] == ["Book the offsite"]  # type: ignore[union-attr]
    assert [m.key for m in turn.messages] == ["common.drafts.kept", "echo.done"]
    assert reopen(echo_engine, conv).done


def test_what_the_coach_knows_is_offered_back_only_while_it_still_fits(echo_engine: Engine) -> None:
    header = echo_engine.header("recall", "mentee", context={"mentor_name": "Sam Okafor"},
                                memory={"first_meeting": "2026-11-01", "colour": "green"})
    conv = echo_engine.open(header, [])
    turn = conv.start()
    assert [m.key for m in turn.messages] == ["echo.q"]  # a date that has passed: not offered
    conv.reply("2026-12-24")
    assert conv.step == "ask_pick"
    assert "common.recall" not in [m.key for m in conv.current().messages]  # not one of the choices
    turn = conv.reply("red")
    assert [m.key for m in turn.messages][-2:] == ["echo.q", "common.recall_name"] and "“Sam”" in turn.text
    assert turn.question is not None and turn.question.default == "Sam"
    conv.reply("yes")
    assert conv.slots["who"] == "Sam" and conv.answers["who"].raw == "yes"
    assert reopen(echo_engine, conv).slots == conv.slots  # replays the same: what was known is in the header


def test_next_thursday_said_on_a_tuesday_is_asked_about(echo_library: FlowLibrary) -> None:
    tuesday = Engine(echo_library, today=lambda: date(2026, 12, 1))
    conv, _ = start(tuesday, "echo", conversation_id="t21")
    for text in ["n", "a", "red", "apples", "3", "no", "4"]:
        conv.reply(text)
    turn = conv.reply("next thursday")
    assert conv.mode == "clarifying" and turn.question is not None and turn.question.type == "choice"
    assert "Thursday 3 December 2026" in turn.text and "Thursday 10 December 2026" in turn.text
    turn = conv.reply("purple")
    assert turn.messages[0].key == "common.invalid.which_date" and conv.mode == "clarifying"
    conv.reply("2")
    assert conv.slots["when"] == "2026-12-10" and conv.answers["when"].raw == "next thursday"
    assert reopen(tuesday, conv).slots["when"] == "2026-12-10"
    conv.reply("/back")  # the answer and its "which one" are undone together
    assert conv.step == "ask_when" and "when" not in conv.slots
    conv.reply("next thursday")
    conv.reply("this week")
    assert conv.slots["when"] == "2026-12-03"
    friday = Engine(echo_library, today=lambda: date(2026, 12, 4))  # Thursday has passed this week: no doubt
    conv, _ = start(friday, "echo", conversation_id="t22")
    for text in ["n", "a", "red", "apples", "3", "no", "4", "next thursday"]:
        conv.reply(text)
    assert conv.slots["when"] == "2026-12-10" and conv.mode != "clarifying"
