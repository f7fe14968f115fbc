"""Two real processes on one conversation (two terminals on the same paused stage): every answer
either one was told was stored is in the conversation, once; none is silently overwritten."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from long_flow import write_long_flow

from coach.app.service import CoachService
from coach.content.library import FlowLibrary
from coach.models import Role
from coach.store import Store

WINDOW = Path(__file__).with_name("_window.py")
ROOT = Path(__file__).resolve().parents[2]
ANSWERS_EACH = 80


def test_two_processes_on_one_conversation_lose_nothing(tmp_path: Path) -> None:
    flows, data_dir = tmp_path / "flows", tmp_path / "data"
    flows.mkdir()
    write_long_flow(flows, 2 * ANSWERS_EACH + 10)
    library = FlowLibrary.load([flows])
    service = CoachService(library, Store(data_dir))
    profile = service.add_profile("Ana", Role.mentee)
    chat = service.open_stage(profile, service.add_relationship(profile, "Sam"), "long")
    service.answer(chat, "the first answer, before the second window opens")
    service.close()

    windows = [subprocess.Popen([sys.executable, str(WINDOW), str(data_dir), str(flows), chat.id, name,
                                 str(ANSWERS_EACH)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
               for name in ("left", "right")]
    outputs = [w.communicate(timeout=120)[0] for w in windows]
    assert all(w.returncode == 0 for w in windows)
    acked = [line.split(" ", 2)[1:] for out in outputs for line in out.splitlines() if line.startswith("ACK")]
    moved = [line for out in outputs for line in out.splitlines() if line.startswith("MOVED")]

    service = CoachService(library, Store(data_dir))
    try:
        loaded = service.repo.load_conversation(chat.id)
        assert loaded is not None
        _, entries = loaded
        stored = {e.seq: e.text for e in entries}
        for seq, text in acked:
            assert stored.get(int(seq)) == text, f"acknowledged {text!r} (input {seq}) was lost"
        assert [n for n, c in Counter(stored.values()).items() if c > 1] == []
        answers = {a.raw for a in service.resume(chat.id).conversation.answers.values()}
        assert {text for _, text in acked} <= answers  # each counts in the conversation
        assert len(entries) == len(acked) + 1  # and nothing else was stored
    finally:
        service.close()
    assert {text.split()[0] for _, text in acked} == {"left", "right"}  # both windows got answers in
    print(f"\n{len(acked)} answers stored from two windows, {len(moved)} told it had moved on elsewhere")
