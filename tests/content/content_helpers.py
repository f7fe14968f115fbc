"""Shared by the stage content tests: replaying a transcript of tests/conversations and the
Markdown snapshot format of the artifacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from test_conversations import Produced

from coach.content.library import FlowLibrary
from coach.engine import compute
from coach.engine.compute import ComputeContext
from coach.engine.conversation import Conversation, Engine
from coach.engine.turns import BotMessage

CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"


class MarkdownSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    _file_extension = "md"


def load_case(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CONVERSATIONS / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


@dataclass
class Played:
    produced: Produced
    messages: list[BotMessage]
    conversation: Conversation

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.messages]


def converse(library: FlowLibrary, flow: str, role: str, answers: list[str], name: str,
             today: date = date(2026, 11, 27), context: dict[str, str] | None = None) -> Played:
    """Plays `answers` through a flow to its end: what it produced and every bot message."""
    produced = Produced()
    conv = Engine(library, today=lambda: today).new(flow, role, conversation_id=name, context=context)
    messages = list(conv.start().messages)
    for answer in answers:
        turn = conv.reply(answer)
        produced.add(turn)
        messages += turn.messages
    assert conv.done, f"{name} does not finish"
    return Played(produced, messages, conv)


def replay(library: FlowLibrary, name: str) -> tuple[Produced, list[str]]:
    """Plays a transcript of tests/conversations (its checks run in test_conversations.py) to its
    end and returns what it produced and every bot message text, in order."""
    played = play_case(library, name)
    return played.produced, played.texts


def play_case(library: FlowLibrary, name: str) -> Played:
    case = load_case(name)
    answers = [str(t["user"]) for t in case["turns"] if "user" in t]
    return converse(library, str(case["flow"]), str(case["role"]), answers, name,
                    date.fromisoformat(str(case.get("today", "2026-11-27"))), case.get("context"))


_SHIPPED: FlowLibrary | None = None


def ctx(role: str, locale: str = "en") -> ComputeContext:
    """A compute step's context with the shipped texts, for calling compute functions directly."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = FlowLibrary.load()
    return compute.context(_SHIPPED.prompts, role, locale)
