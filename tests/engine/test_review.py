"""Accountability: open commitments from earlier sessions are reviewed before the stage starts;
each verdict is an effect of the input that gave it."""

from __future__ import annotations

from datetime import date

from engine_helpers import reopen, start

from coach.engine.conversation import Engine
from coach.engine.turns import BotTurn
from coach.models import Commitment, CommitmentStatus


def _commitments() -> list[Commitment]:
    return [
        Commitment(id="c1", relationship_id="r1", stage="empowerment", text="Draft the team charter",
                   due=date(2026, 12, 1)),
        Commitment(id="c2", relationship_id="r1", stage="commitment", text="Send a progress email", owner="mentor"),
        Commitment(id="c3", relationship_id="r1", stage="commitment", text="Book the offsite", owner="both"),
    ]


def _reviewed(turns: list[BotTurn]) -> dict[str, Commitment]:
    return {c.text: c for t in turns if t.entry and t.entry.effects for c in t.entry.effects.reviewed}


def test_review_marks_each_and_keeps_reasons(echo_engine: Engine) -> None:
    conv, turn = start(echo_engine, "echo", relationship_id="r1", review=_commitments())
    assert [m.key for m in turn.messages] == ["common.review.intro", "common.review.ask"]
    assert "Draft the team charter" in turn.text and "due Tuesday 1 December 2026" in turn.text and "yours" in turn.text
    assert turn.question is not None and [c.value for c in turn.question.choices] == ["done", "partly", "not_yet"]
    turns = [conv.reply("not yet")]
    assert turns[-1].messages[-1].key == "common.review.reason"
    assert turns[-1].entry is not None and turns[-1].entry.effects is None  # the verdict waits for its reason
    turns.append(conv.reply("waiting on data from finance"))
    assert "your mentor's" in turns[-1].text
    turns.append(conv.reply("2"))  # partly, by number
    turns.append(conv.reply("/skip"))  # no reason given
    assert "shared" in turns[-1].text
    turns.append(conv.reply("done"))
    assert [m.key for m in turns[-1].messages][-2:] == ["common.review.done", "echo.q"]
    assert conv.step == "ask_note" and conv.mode == "asking"
    saved = _reviewed(turns)
    assert saved["Draft the team charter"].status == CommitmentStatus.not_yet
    assert saved["Draft the team charter"].reason == "waiting on data from finance"
    email = saved["Send a progress email"]
    assert email.status == CommitmentStatus.partly and email.reason is None
    assert saved["Book the offsite"].status == CommitmentStatus.done
    assert {c.id for c in saved.values()} == {"c1", "c2", "c3"}  # the same records, updated


def test_review_skip_leaves_open_and_bad_input_reprompts(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", relationship_id="r1", review=_commitments()[:1])
    t = conv.reply("purple")
    assert t.messages[0].key == "common.invalid.choice"
    t = conv.reply("/back")
    assert t.messages[0].key == "common.review.no_back"
    t = conv.reply("/skip")
    assert conv.mode == "asking" and conv.step == "ask_note"
    assert t.entry is not None and t.entry.effects is None  # nothing changed: still open


def test_back_at_the_first_question_does_not_reopen_the_review(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", relationship_id="r1", review=_commitments()[:1])
    conv.reply("done")
    t = conv.reply("/back")
    assert t.messages[0].key == "common.back_at_start" and conv.mode == "asking"


def test_review_survives_reopening(echo_engine: Engine) -> None:
    conv, _ = start(echo_engine, "echo", relationship_id="r1", review=_commitments())
    conv.reply("partly")
    again = reopen(echo_engine, conv)
    t = again.current()
    assert t.messages[-1].key == "common.review.reason"
    t = again.reply("ran out of time")
    assert t.entry is not None and t.entry.effects is not None
    (item,) = t.entry.effects.reviewed
    assert (item.id, item.status, item.reason) == ("c1", CommitmentStatus.partly, "ran out of time")
    assert again.mode == "reviewing" and "Send a progress email" in t.text
