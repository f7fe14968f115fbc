"""An action's owner can be named: typing the mentor's name (whole or first name) picks "my mentor"."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.content.library import FlowLibrary
from coach.engine.conversation import Conversation, Engine

CASES = Path(__file__).resolve().parents[1] / "conversations"


def _at_the_owner_question(library: FlowLibrary, case: str) -> tuple[Conversation, dict[str, Any]]:
    """The conversation of `case` played up to its first "who does it" question."""
    script = yaml.safe_load((CASES / case).read_text(encoding="utf-8"))
    engine = Engine(library, today=lambda: date.fromisoformat(str(script["today"])))
    conv = engine.new("empowerment", "mentee", context=script["context"], locale=script.get("locale", "en"))
    conv.start()
    for turn in script["turns"]:
        if "user" in turn:
            reply = conv.reply(str(turn["user"]))
            if reply.question is not None and reply.question.slot == "action_owner":
                return conv, script["context"]
    raise AssertionError("no owner question")


@pytest.fixture(scope="module")
def library() -> FlowLibrary:
    return FlowLibrary.load()


@pytest.mark.parametrize("case", ["empowerment_mentee_happy.yaml", "es/empowerment_mentee_happy.yaml"])
@pytest.mark.parametrize("how", ["first", "whole", "lower"])
def test_the_mentors_name_picks_the_mentor_as_owner(library: FlowLibrary, case: str, how: str) -> None:
    conv, context = _at_the_owner_question(library, case)
    name = str(context["mentor_name"])
    typed = {"first": name.split()[0], "whole": name, "lower": name.casefold()}[how]
    conv.reply(typed)
    assert conv.slots["action_owner"] == "mentor"


def test_the_mentees_own_name_picks_themselves(library: FlowLibrary) -> None:
    conv, context = _at_the_owner_question(library, "empowerment_mentee_happy.yaml")
    conv.reply(str(context["mentee_name"]).split()[0])
    assert conv.slots["action_owner"] == "mentee"


def test_another_name_is_not_taken_for_either(library: FlowLibrary) -> None:
    conv, _ = _at_the_owner_question(library, "empowerment_mentee_happy.yaml")
    conv.reply("Dana")
    assert "action_owner" not in conv.slots
