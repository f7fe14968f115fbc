"""SIGKILL a real writer at random moments: every file still loads, every acknowledged input is
there once and in order, effects are stored exactly once, finished conversations say so."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from zygote import Zygote

from coach.models import ConversationStatus
from coach.store import Store

WRITER = Path(__file__).with_name("_writer.py")
KILLS = 200
RELATIONSHIP = "r-kill"
EFFECTS_EVERY = 5


class Acknowledged:
    """Everything the writers said was stored."""

    def __init__(self) -> None:
        self.inputs: dict[str, int] = {}
        self.done: set[str] = set()
        self.touched: set[str] = set()  # since the last check

    def record(self, line: str) -> None:
        word, *rest = line.split()
        if word == "ACK":
            conversation, seq = rest[0], int(rest[1])
            self.inputs[conversation] = max(self.inputs.get(conversation, 0), seq)
            self.touched.add(conversation)
        elif word == "DONE":
            self.done.add(rest[0])

    def effects(self) -> set[str]:
        return {f"{c}-{seq}" for c, n in self.inputs.items() for seq in range(EFFECTS_EVERY, n + 1, EFFECTS_EVERY)}


def _torn(content: bytes) -> bool:
    return bool(content) and not content.endswith(b"\n")


def check(store: Store, acked: Acknowledged, conversations: set[str]) -> int:
    """Check what was acknowledged; return how many interrupted effects had to be finished."""
    fixed = store.finish_pending(RELATIONSHIP)
    assert store.verify() == []
    for conversation in conversations:
        loaded = store.load_conversation(conversation)
        assert loaded is not None, f"acknowledged conversation {conversation} is missing"
        inputs = loaded[1]
        assert [e.seq for e in inputs] == list(range(1, len(inputs) + 1))
        assert len(inputs) >= acked.inputs[conversation]
        for e in inputs:
            assert e.text.startswith(f"{conversation}:{e.seq} ")
    summaries = {s.id: s for s in store.history_summaries(RELATIONSHIP)}  # the history too
    assert all(s.pending is None for s in summaries.values())
    for conversation in acked.done:
        assert summaries[conversation].status is ConversationStatus.done
    for records in (store.list_artifacts(RELATIONSHIP), store.list_commitments(RELATIONSHIP)):
        ids = Counter(r.id for r in records)
        assert all(count == 1 for count in ids.values()), "an effect was stored twice"
        assert acked.effects() <= set(ids)
    return fixed


def test_sigkill_at_random_moments_loses_nothing_acknowledged(data_dir: Path) -> None:
    rng = random.Random(20240301)
    acked = Acknowledged()
    temp_files_seen = torn_lines_seen = unfinished_effects = 0
    zygote = Zygote(WRITER, str(data_dir))
    try:
        for kill in range(KILLS):
            # Let the child acknowledge 0-3 inputs, then kill it a random moment later: during an
            # append, a compaction, a stage end...
            zygote.kill_one(rng, acked.record, acks=(0, 1, 1, 2, 3), max_delay=0.008)
            temp_files_seen += sum(1 for _ in data_dir.rglob(".*.tmp"))
            torn_lines_seen += sum(1 for j in data_dir.rglob("*.journal") if _torn(j.read_bytes()))
            with Store(data_dir) as store:
                unfinished_effects += check(store, acked, set(acked.inputs) if kill % 25 == 0 else acked.touched)
            acked.touched.clear()
    finally:
        zygote.close()

    with Store(data_dir) as store:
        check(store, acked, set(acked.inputs))
    assert sum(acked.inputs.values()) >= KILLS // 2  # the writers did get work done between kills
    assert len(acked.done) >= 3 and acked.effects()
    print(
        f"\n{KILLS} kills, {sum(acked.inputs.values())} inputs acknowledged, {len(acked.done)} conversations "
        f"finished, {len(acked.effects())} effects; kills left {temp_files_seen} temporary files, "
        f"{torn_lines_seen} torn journal lines and {unfinished_effects} unfinished effects behind"
    )
