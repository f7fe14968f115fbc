"""moving_on: readiness scoring and the suggested (never imposed) decision, the keep-in-touch plan
required on every path, the conversation habits, and a snapshot of each transition plan."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from content_helpers import MarkdownSnapshot, converse, ctx, load_case, replay
from syrupy.assertion import SnapshotAssertion
from test_conversations import Produced

from coach.content.library import FlowLibrary
from coach.content.schema import AskStep, EndStep, next_targets
from coach.engine.compute import READINESS_SIGNALS, moving_on_readiness, run
from coach.engine.conversation import Engine
from coach.engine.gist import gist

CASES = ["moving_on_mentee_happy", "moving_on_mentee_probe_back",
         "moving_on_mentor_happy", "moving_on_mentor_probe_back"]
KEEP_IN_TOUCH = ("ask_keep_in_touch_how", "ask_keep_in_touch_often")


def _run(library: FlowLibrary, role: str, answers: list[str], name: str) -> tuple[Produced, list[str], Engine]:
    played = converse(library, "moving_on", role, answers, name)
    return played.produced, played.texts, played.conversation.engine


# --- readiness ------------------------------------------------------------------------------------


def _signals(goals: int, solutions: int, thin: int, skills: int) -> dict[str, int]:
    return dict(zip(READINESS_SIGNALS, (goals, solutions, thin, skills), strict=True))


@pytest.mark.parametrize(
    ("ratings", "score", "strong", "suggested"),
    [
        ((5, 5, 5, 5), 100, list(READINESS_SIGNALS), "close"),
        ((1, 1, 1, 1), 0, [], "continue"),
        ((5, 4, 3, 4), 75, ["goals_met", "own_solutions", "skills_close"], "close"),
        ((4, 2, 2, 4), 50, ["goals_met", "skills_close"], "close"),  # goals met and skills on par
        ((4, 2, 2, 2), 38, ["goals_met"], "continue"),  # goals met, but not yet standing on their own
        ((2, 2, 4, 2), 38, ["sessions_thin"], "change_format"),  # thin sessions: change the shape, not the tie
        ((3, 4, 5, 2), 62, ["own_solutions", "sessions_thin"], "change_format"),
        ((3, 3, 3, 3), 50, [], "change_format"),
        ((2, 3, 3, 3), 44, [], "continue"),
    ],
)
def test_readiness_score_signals_and_suggestion(
    ratings: tuple[int, int, int, int], score: int, strong: list[str], suggested: str
) -> None:
    out = moving_on_readiness(_signals(*ratings), ctx("mentee"))
    assert out == {"readiness_score": score, "readiness_signals": strong, "suggested_decision": suggested}


def test_readiness_tolerates_unanswered_signals() -> None:
    assert run("moving_on_readiness", {}, ctx("mentor")) == {
        "readiness_score": 0, "readiness_signals": [], "suggested_decision": "continue"}
    close = run("moving_on_readiness", {"goals_met": 5, "skills_close": 5}, ctx("mentor"))
    assert close["suggested_decision"] == "close"


def test_the_suggestion_is_only_a_suggestion(library: FlowLibrary) -> None:
    """Every signal says close; the mentee chooses to carry on, and the plan records both."""
    store, texts, _ = _run(library, "mentee", ["5", "5", "5", "5", "continue", "getting ready for a director role",
                                              "in 3 months", "email", "twice a year", "yes", "keep"], "overrule")
    assert any("points towards “Close the formal mentorship”" in t for t in texts)
    (plan,) = store.artifacts.values()
    assert "**Decision:** Continue as we are" in plan.markdown
    assert "suggested: Close the formal mentorship — readiness 100/100" in plan.markdown


# --- never sever ties ---------------------------------------------------------------------------------


def test_every_path_to_an_end_asks_the_keep_in_touch_plan(library: FlowLibrary) -> None:
    flow = library.flow("moving_on")
    for sid in KEEP_IN_TOUCH:
        step = flow.step(sid)
        assert isinstance(step, AskStep) and not step.skippable
    # with the keep-in-touch questions taken out, no end can be reached
    seen: set[str] = set()
    todo = [flow.start]
    while todo:
        sid = todo.pop()
        if sid in seen or sid in KEEP_IN_TOUCH:
            continue
        seen.add(sid)
        todo.extend(next_targets(getattr(flow.step(sid), "next", None)))
    ends = {s.id for s in flow.steps if isinstance(s, EndStep)}
    assert ends and not (ends & seen)
    # and every end's plan has a keep-in-touch section
    for s in flow.steps:
        if isinstance(s, EndStep):
            (art,) = s.artifacts
            for role in ("mentee", ctx("mentor")):
                template = library.prompts.entry(art.template).phrasings(role)[0]
                assert "## Keeping in touch" in template and "$keep_in_touch_how" in template
                assert "$keep_in_touch_often" in template


# --- conversation habits ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_no_two_consecutive_messages_open_the_same_way(library: FlowLibrary, name: str) -> None:
    texts = replay(library, name)[1]
    acks = set(library.prompts.entry("common.ack").phrasings("mentee"))
    said = [t for t in texts if t in acks]
    assert all(a != b for a, b in itertools.pairwise(said)), said
    openers = [" ".join(t.split()[:2]) for t in texts]
    assert all(a != b for a, b in itertools.pairwise(openers)), openers


@pytest.mark.parametrize("name", CASES)
def test_the_bot_refers_back_to_what_the_user_said(library: FlowLibrary, name: str) -> None:
    said = [str(t["user"]) for t in load_case(name)["turns"] if "user" in t and len(str(t["user"]).split()) > 1]
    texts = [t for t in replay(library, name)[1] if not t.startswith(("Here's your", "Let's go back"))]
    assert any(gist(s).rstrip("”") in t for t in texts for s in said), texts  # its key words, said back


# --- artifacts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_artifact_snapshot(library: FlowLibrary, snapshot: SnapshotAssertion, name: str) -> None:
    store, _ = replay(library, name)
    (art,) = store.artifacts.values()
    assert (art.stage, art.kind) == ("moving_on", "transition_plan")
    assert "$" not in art.markdown
    assert f"<!-- {art.kind}: {art.title} -->\n{art.markdown}\n" == snapshot(extension_class=MarkdownSnapshot)


def test_the_first_check_in_comes_after_the_closing_conversation(library: FlowLibrary) -> None:
    case = load_case("moving_on_mentee_happy")
    answers = [str(t["user"]) for t in case["turns"] if "user" in t]
    conv = Engine(library, today=lambda: date(2026, 11, 27)).new("moving_on", "mentee", conversation_id="order")
    conv.start()
    for text in answers:
        if conv.step == "ask_first_check_in":
            break
        conv.reply(text)
    assert conv.step == "ask_first_check_in", "the transcript no longer reaches the first check-in"
    closing = conv.slots["closing_date"]
    turn = conv.reply(closing)  # the same day as the closing conversation: not after it
    assert turn.messages[0].key == "common.invalid.date_order" and "before the closing conversation (" in turn.text
    turn = conv.reply("2027-03-01")
    assert conv.slots["first_check_in"] == "2027-03-01"
