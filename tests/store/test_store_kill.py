"""SIGKILL a real writer at random moments: every file still loads, every ACKed answer is there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from coach.models import ConversationStatus
from coach.store import Store

WRITER = Path(__file__).with_name("_writer.py")
ROOT = Path(__file__).resolve().parents[2]
KILLS = 200


class Acknowledged:
    """Everything the writers said was saved."""

    def __init__(self) -> None:
        self.answers: dict[str, int] = {}
        self.done: set[str] = set()
        self.commitments: set[str] = set()
        self.last_session: str | None = None

    def record(self, line: str) -> None:
        word, *rest = line.split()
        if word == "ACK":
            session, count = rest[0], int(rest[1])
            self.answers[session] = max(self.answers.get(session, 0), count)
            self.last_session = session
        elif word == "DONE":
            self.done.add(rest[0])
        elif word == "COMMIT":
            self.commitments.add(rest[0])


def _torn(content: bytes) -> bool:
    return bool(content) and not content.endswith(b"\n")


def check(store: Store, acked: Acknowledged, sessions: list[str]) -> None:
    assert store.verify() == []
    for session in sessions:
        state = store.load_conversation(session)
        assert state is not None, f"acknowledged session {session} is missing"
        expected = acked.answers[session]
        assert len(state.answers) >= expected
        for n in range(expected):
            assert state.answers[f"q{n}"].raw.startswith(f"{session}:{n} ")
        if session in acked.done:
            assert state.status is ConversationStatus.done


def test_sigkill_at_random_moments_loses_nothing_acknowledged(data_dir: Path) -> None:
    rng = random.Random(20240301)
    acked = Acknowledged()
    temp_files_seen = torn_lines_seen = 0
    zygote = subprocess.Popen(
        [sys.executable, str(WRITER), str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    try:
        for _ in range(KILLS):
            zygote.stdin.write("go\n")
            zygote.stdin.flush()
            # Let the child acknowledge 0-3 answers (0: kill it while it starts up), then kill
            # it a random moment later: during a save, between saves, during a compaction...
            acks_wanted, acks_seen, child = rng.choice((0, 1, 1, 2, 3)), 0, 0
            while not child or acks_seen < acks_wanted:
                line = zygote.stdout.readline()
                assert line and not line.startswith("DEAD"), "the writer died by itself (see stderr)"
                if line.startswith("CHILD"):
                    child = int(line.split()[1])
                else:
                    acked.record(line)
                    acks_seen += line.startswith("ACK")
            time.sleep(rng.uniform(0.0, 0.008))
            os.kill(child, signal.SIGKILL)
            while not (line := zygote.stdout.readline()).startswith("DEAD"):
                assert line, "writer exited"
                acked.record(line)

            temp_files_seen += sum(1 for _ in data_dir.rglob(".*.tmp"))
            torn_lines_seen += sum(1 for j in data_dir.rglob("*.journal") if _torn(j.read_bytes()))
            with Store(data_dir) as store:
                recent = [acked.last_session] if acked.last_session else []
                check(store, acked, recent)
                recent_commitments = {c.id for c in store.commitments.list_for_relationship("r-kill")}
                assert acked.commitments <= recent_commitments
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=10)

    with Store(data_dir) as store:
        check(store, acked, sorted(acked.answers))
    assert sum(acked.answers.values()) >= KILLS // 4  # the writers did get work done between kills
    print(
        f"\n{KILLS} kills, {sum(acked.answers.values())} answers acknowledged, "
        f"{len(acked.done)} sessions closed; kills left {temp_files_seen} temporary files "
        f"and {torn_lines_seen} torn journal lines behind"
    )
