"""Shared by the stage content tests: replaying a transcript of tests/conversations and the
Markdown snapshot format of the artifacts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from coach.content.library import FlowLibrary
from coach.engine.conversation import Engine
from coach.engine.ports import MemoryStore

CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"


class MarkdownSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    _file_extension = "md"


def load_case(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CONVERSATIONS / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


def replay(library: FlowLibrary, name: str) -> tuple[MemoryStore, list[str]]:
    """Plays a transcript of tests/conversations (its checks run in test_conversations.py) to its
    end and returns the store and every bot message text, in order."""
    case = load_case(name)
    store = MemoryStore()
    engine = Engine(library, store, today=lambda: date.fromisoformat(str(case.get("today", "2026-11-27"))))
    conv, turn = engine.start(str(case["flow"]), str(case["role"]), conversation_id=name)
    texts = [m.text for m in turn.messages]
    for t in case["turns"]:
        if "user" in t:
            texts += [m.text for m in conv.reply(str(t["user"])).messages]
    assert conv.done
    return store, texts
