"""Helpers for the engine tests: start a conversation, reopen it as a new process would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coach.engine.conversation import Conversation, Engine
from coach.engine.turns import BotTurn

FLOWS_OK = Path(__file__).resolve().parent.parent / "flows_ok"


def start(engine: Engine, flow: str, role: str = "mentee", **kw: Any) -> tuple[Conversation, BotTurn]:
    """A new conversation and its opening turn."""
    conv = engine.new(flow, role, **kw)
    return conv, conv.start()


def reopen(engine: Engine, conv: Conversation) -> Conversation:
    """The conversation as a new process would find it: rebuilt from its header and stored inputs."""
    header = type(conv.header).model_validate_json(conv.header.model_dump_json())
    entries = [type(e).model_validate_json(e.model_dump_json()) for e in conv.entries]
    return engine.open(header, entries)
