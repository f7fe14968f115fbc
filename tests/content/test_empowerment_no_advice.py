"""empowerment (mentee role): the bot asks, it never tells.

A real check over the loaded prompt entries: every text the mentee can be shown in the empowerment
flow and its sub-flows (every phrasing, as the catalog resolves it for the mentee role) is free of
directive phrases, and every question it asks — each `ask` prompt and each follow-up probe — is an
open question ending with "?".  The same is checked on the messages of the played transcripts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from content_helpers import play_case

from coach.content.library import FlowLibrary
from coach.content.schema import (
    AllCond,
    AnyCond,
    AskStep,
    CallStep,
    Condition,
    Else,
    EndStep,
    Flow,
    NotCond,
    RoleCond,
    Step,
    SummaryStep,
    When,
)

ROLE = "mentee"
FLOW = "empowerment"
CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"

DIRECTIVE = re.compile(
    r"\b(you should|you ought to|you need to|you must|you have to|try to|i suggest|i'd suggest|i would suggest|"
    r"i recommend|i'd recommend|i would recommend|my advice|the answer is|if i were you|why don't you|"
    r"have you considered|the best (?:way|thing) (?:is|would be)|make sure)\b",
    re.IGNORECASE,
)
CLOSED_START = re.compile(r"^(is|are|am|was|were|do|does|did|can|could|will|would|should|shall|have|has|had)\b",
                          re.IGNORECASE)
QUOTED = re.compile(r"“[^”]*”")  # the user's own words, reflected back


def is_directive(text: str) -> bool:
    return DIRECTIVE.search(QUOTED.sub("“…”", text)) is not None


def is_open_question(text: str) -> bool:
    t = text.strip()
    if not t.endswith("?"):
        return False
    last = re.split(r"(?<=[.!?])\s+|\n+", t)[-1].lstrip("*_“\"' ")
    return CLOSED_START.match(last) is None


# --- which steps the mentee can reach, and which prompt keys they use ----------------------------------


def _role_truth(cond: Condition) -> bool | None:
    """True/False when the condition depends only on the role; None when it depends on answers."""
    if isinstance(cond, RoleCond):
        return cond.role == ROLE
    if isinstance(cond, NotCond):
        inner = _role_truth(cond.not_)
        return None if inner is None else not inner
    if isinstance(cond, AllCond | AnyCond):
        parts = [_role_truth(c) for c in (cond.all if isinstance(cond, AllCond) else cond.any)]
        if isinstance(cond, AllCond):
            return False if False in parts else (True if all(p is True for p in parts) else None)
        return True if True in parts else (False if all(p is False for p in parts) else None)
    return None


def _targets(step: Step) -> list[str]:
    nxt = getattr(step, "next", None)
    if nxt is None:
        return []
    if isinstance(nxt, str):
        return [nxt]
    out = []
    for edge in nxt:
        if isinstance(edge, Else):
            out.append(edge.else_)
            break
        assert isinstance(edge, When)
        truth = _role_truth(edge.when)
        if truth is False:
            continue
        out.append(edge.goto)
        if truth is True:
            break
    return out


def reachable(library: FlowLibrary, flow_id: str) -> Iterator[tuple[Flow, Step]]:
    flow = library.flow(flow_id)
    seen: set[str] = set()
    todo = [flow.start]
    while todo:
        sid = todo.pop()
        if sid in seen:
            continue
        seen.add(sid)
        step = flow.step(sid)
        yield flow, step
        if isinstance(step, CallStep):
            yield from reachable(library, step.flow)
        todo.extend(_targets(step))


def mentee_keys(library: FlowLibrary) -> tuple[set[str], set[str]]:
    """(questions, everything): prompt keys of the questions the mentee is asked, and of every text."""
    questions: set[str] = set()
    texts: set[str] = set()
    for flow, step in reachable(library, FLOW):
        if step.prompt:
            texts.add(step.prompt)
        if isinstance(step, AskStep):
            questions.add(step.prompt)
            texts.update(k for k in (step.help, step.why) if k)
            probe = flow.slots[step.slot].probe
            if probe:
                kinds = [k for k, on in (("few_words", probe.few_words), ("vague", probe.vague),
                                         ("measurable", probe.needs_number_or_date)) if on]
                for kind in kinds:
                    specific = f"{flow.id}.{step.id}.probe.{kind}"
                    questions.add(specific if library.prompts.has(specific) else f"common.probe.{kind}")
        if isinstance(step, SummaryStep | EndStep):
            texts.add(step.prompt) if step.prompt else None
        if isinstance(step, EndStep):
            for art in step.artifacts:
                texts.update((art.title, art.template))
    texts |= questions
    # the engine's own texts (acknowledgements, reprompts, help, ...) are shown in this flow too
    texts |= {k for k in library.prompts.keys("en") if k.startswith("common.") and k != "common.crisis"}
    return questions, texts


def _phrasings(library: FlowLibrary, key: str) -> list[str]:
    return library.prompts.entry(key).phrasings(ROLE)


# --- the checks ---------------------------------------------------------------------------------------


def test_the_checker_catches_advice_and_closed_questions() -> None:
    assert is_directive("You should try to rest more.")
    assert is_directive("I suggest you book the meeting.")
    assert is_directive("If I were you, I'd ask for a raise.")
    assert not is_directive("You said “you should rest”. What would resting give you?")  # the user's words
    assert is_open_question("What could you do?")
    assert is_open_question("A date works best here. By when will you have done it?")
    assert not is_open_question("List your options.")
    assert not is_open_question("Do you have a plan?")
    assert not is_open_question("Great. Are you committed?")


def test_the_walk_finds_the_mentee_questions_and_not_the_mentors(library: FlowLibrary) -> None:
    questions, texts = mentee_keys(library)
    assert {"empowerment.ask.goal", "empowerment.ask.options", "empowerment.ask.actions",
            "empowerment_smart_goal.ask.measure", "empowerment_smart_goal.ask_deadline.probe.measurable",
            "empowerment.ask_goal.probe.vague"} <= questions
    assert "empowerment.ask.urge" not in questions  # mentor-only step
    assert "empowerment.plan" in texts and "empowerment.prep_sheet" not in texts


def test_every_mentee_question_is_an_open_question(library: FlowLibrary) -> None:
    questions, _ = mentee_keys(library)
    bad = [(k, p) for k in sorted(questions) for p in _phrasings(library, k) if not is_open_question(p)]
    assert not bad, "\n".join(f"{k}: {p}" for k, p in bad)


def test_no_mentee_text_gives_advice(library: FlowLibrary) -> None:
    _, texts = mentee_keys(library)
    # everything written for this flow is covered, not only what the walk found
    texts |= {k for k in library.prompts.keys("en") if k.split(".")[0] in ("empowerment", "empowerment_smart_goal")}
    bad = [(k, p) for k in sorted(texts) for p in _phrasings(library, k) if is_directive(p)]
    assert not bad, "\n".join(f"{k}: {p}" for k, p in bad)


@pytest.mark.parametrize("name", ["empowerment_mentee_happy", "empowerment_mentee_probe_back"])
def test_no_advice_in_a_played_conversation(library: FlowLibrary, name: str) -> None:
    messages = play_case(library, name).messages
    assert not [m.text for m in messages if is_directive(m.text)]
    asked = [m.text for m in messages if m.kind in ("ask", "probe") and m.key != "common.confirm"
             and not (m.key or "").startswith(("common.pick_edit", "common.drafts"))]  # procedure, not coaching
    assert asked and all(is_open_question(q) for q in asked), [q for q in asked if not is_open_question(q)]


@pytest.mark.parametrize("plea", ["just tell me", "What should I do?", "any advice?", "you tell me!",
                                  "I don't know, what do you think?"])
def test_asking_to_be_told_gets_why_the_coach_asks_and_the_question_again(library: FlowLibrary, plea: str) -> None:
    from datetime import date

    from coach.engine.conversation import Engine

    conv = Engine(library, today=lambda: date(2026, 11, 27)).new(FLOW, ROLE, conversation_id="plea")
    start = conv.start()
    asked = [m for m in start.messages if m.kind == "ask"][-1]
    turn = conv.reply(plea)
    keys = [m.key for m in turn.messages]
    assert "common.invalid.advice_request" in keys
    assert not any(is_directive(m.text) for m in turn.messages)
    assert [m.step for m in turn.messages if m.kind == "ask"] == [asked.step]  # the same question again
    assert "goal" not in conv.answers  # the plea is not taken as the goal


def test_a_real_answer_mentioning_advice_is_taken(library: FlowLibrary) -> None:
    from datetime import date

    from coach.engine.conversation import Engine

    conv = Engine(library, today=lambda: date(2026, 11, 27)).new(FLOW, ROLE, conversation_id="plea")
    conv.start()
    turn = conv.reply("Get better at giving advice to my team without taking over their work")
    assert "common.invalid.advice_request" not in [m.key for m in turn.messages]
