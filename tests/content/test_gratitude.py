"""gratitude: the optional request in the message, the conversation habits, and a snapshot of each
artifact (the mentee's thank-you message, the mentor's reflection and follow-up note, and the
mentor's reply to the thank-you)."""

from __future__ import annotations

import itertools
import re

import pytest
from content_helpers import MarkdownSnapshot, ctx, load_case, replay
from syrupy.assertion import SnapshotAssertion

from coach.content.library import FlowLibrary
from coach.engine.compute import gratitude_message, run

CASES = ["gratitude_mentee_happy", "gratitude_mentee_probe_back",
         "gratitude_mentor_happy", "gratitude_mentor_probe_back"]


def test_the_request_is_its_own_paragraph_or_nothing() -> None:
    assert gratitude_message({"ask_back": " Could we talk in January? "}, ctx("mentee")) == {
        "ask_back_paragraph": "Could we talk in January?\n\n"}
    assert run("gratitude_message", {}, ctx("mentee")) == {"ask_back_paragraph": ""}


def test_the_message_restates_the_advice_and_the_plan(library: FlowLibrary) -> None:
    store, _ = replay(library, "gratitude_mentee_happy")
    (msg,) = store.artifacts.values()
    assert (msg.kind, msg.stage, msg.title) == ("thank_you_message", "gratitude", "Thank-you message to Sam")
    body = msg.markdown
    order = ["Hi Sam", "share my work before it is perfect", "I showed my draft design", "caught two problems early",
             "share the next draft at the review on 10 December", "Thank you again", "Priya"]
    positions = [body.index(part) for part in order]
    assert positions == sorted(positions)
    assert "**" not in body and "#" not in body  # plain enough to paste into an email or a chat


@pytest.mark.parametrize("name", CASES)
def test_no_two_consecutive_messages_open_the_same_way(library: FlowLibrary, name: str) -> None:
    texts = replay(library, name)[1]
    acks = set(library.prompts.entry("common.ack").phrasings("mentee"))
    said = [t for t in texts if t in acks]
    assert all(a != b for a, b in itertools.pairwise(said)), said
    openers = [" ".join(t.split()[:2]) for t in texts]
    assert all(a != b for a, b in itertools.pairwise(openers)), openers


@pytest.mark.parametrize(("name", "at_least"), [("gratitude_mentee_happy", 2), ("gratitude_mentee_probe_back", 2),
                                                ("gratitude_mentor_happy", 1), ("gratitude_mentor_probe_back", 1)])
def test_the_bot_refers_back_to_what_the_user_said(library: FlowLibrary, name: str, at_least: int) -> None:
    said = [str(t["user"]) for t in load_case(name)["turns"] if "user" in t]
    said = [s for s in said if not s.startswith("/")]
    texts = [t for t in replay(library, name)[1] if not t.startswith(("Here's your", "Let's go back"))]
    # a quoted answer ("You said ... “...”") or the name the user gave, used in a later question
    quoted = [t for t in texts if any(re.search(f"“{re.escape(s)}", t) for s in said if len(s.split()) > 1)]
    named = [t for t in texts if said[0] in t]
    assert len(quoted) >= at_least and len(named) >= 3, texts


@pytest.mark.parametrize("name", CASES)
def test_artifact_snapshot(library: FlowLibrary, snapshot: SnapshotAssertion, name: str) -> None:
    store, _ = replay(library, name)
    arts = sorted(store.artifacts.values(), key=lambda a: a.kind)
    assert [a.kind for a in arts] == (["thank_you_message"] if "mentee" in name
                                      else ["mentor_reflection", "thank_you_reply"])
    for art in arts:
        assert art.stage == "gratitude"
        assert "$" not in art.markdown
    shown = "\n".join(f"<!-- {art.kind}: {art.title} -->\n{art.markdown}\n" for art in arts)
    assert shown == snapshot(extension_class=MarkdownSnapshot)


def test_the_reply_answers_the_thank_you_in_the_mentors_words(library: FlowLibrary) -> None:
    store, _ = replay(library, "gratitude_mentor_happy")
    (reply,) = [a for a in store.artifacts.values() if a.kind == "thank_you_reply"]
    assert (reply.format, reply.audience, reply.title) == ("text", "partner", "Reply to Alex's thank-you")
    body = reply.markdown
    order = ["Hi Alex,", "Alex now runs the weekly planning meeting", "How did the planning meeting go",
             "Friday 11 December 2026", "Sam"]
    positions = [body.index(part) for part in order]
    assert positions == sorted(positions)
    assert "patient listener" not in body  # what the mentor gained stays in their own reflection
    assert "\\" not in body and "**" not in body
