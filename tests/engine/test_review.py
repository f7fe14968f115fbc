"""Accountability: open commitments from earlier sessions are reviewed before the stage starts."""

from __future__ import annotations

from datetime import date

from coach.engine.conversation import Engine
from coach.engine.ports import MemoryStore
from coach.models import Commitment, CommitmentStatus, ConversationState


def _commitments() -> list[Commitment]:
    return [
        Commitment(relationship_id="r1", stage="empowerment", text="Draft the team charter", due=date(2026, 12, 1)),
        Commitment(relationship_id="r1", stage="commitment", text="Send a progress email", owner="mentor"),
        Commitment(relationship_id="r1", stage="commitment", text="Book the offsite", owner="both"),
    ]


def test_review_marks_each_and_keeps_reasons(echo_engine: Engine) -> None:
    store = echo_engine.store
    assert isinstance(store, MemoryStore)
    conv, turn = echo_engine.start("echo", "mentee", relationship_id="r1", review=_commitments())
    assert [m.key for m in turn.messages] == ["common.review.intro", "common.review.ask"]
    assert "Draft the team charter" in turn.text and "due 2026-12-01" in turn.text and "yours" in turn.text
    assert turn.question is not None and [c.value for c in turn.question.choices] == ["done", "partly", "not_yet"]
    t = conv.reply("not yet")
    assert t.messages[-1].key == "common.review.reason"
    t = conv.reply("waiting on data from finance")
    assert "your mentor's" in t.text
    conv.reply("2")  # partly, by number
    t = conv.reply("/skip")  # no reason given
    assert "shared" in t.text
    t = conv.reply("done")
    assert [m.key for m in t.messages][-2:] == ["common.review.done", "echo.q"]
    assert conv.state.step == "ask_note" and conv.state.mode == "answer"
    saved = {c.text: c for c in store.commitments.values()}
    assert saved["Draft the team charter"].status == CommitmentStatus.not_yet
    assert saved["Draft the team charter"].reason == "waiting on data from finance"
    email = saved["Send a progress email"]
    assert email.status == CommitmentStatus.partly and email.reason is None
    assert saved["Book the offsite"].status == CommitmentStatus.done


def test_review_skip_leaves_open_and_bad_input_reprompts(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", relationship_id="r1", review=_commitments()[:1])
    t = conv.reply("purple")
    assert t.messages[0].key == "common.invalid.choice"
    t = conv.reply("/back")
    assert t.messages[0].key == "common.review.no_back"
    t = conv.reply("/skip")
    assert conv.state.mode == "answer" and conv.state.step == "ask_note"
    store = echo_engine.store
    assert isinstance(store, MemoryStore)
    assert not store.commitments  # nothing changed: still open in the caller's store


def test_review_survives_resume(echo_engine: Engine) -> None:
    conv, _ = echo_engine.start("echo", "mentee", relationship_id="r1", review=_commitments())
    conv.reply("partly")
    state = ConversationState.model_validate_json(conv.state.model_dump_json())
    again = echo_engine.resume(state)
    t = again.current()
    assert t.messages[-1].key == "common.review.reason"
    again.reply("ran out of time")
    assert again.state.review_index == 1
