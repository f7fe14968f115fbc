"""Driving a writer zygote for the SIGKILL tests (tests/store, tests/app).

The zygote (a script run with the venv's python) imports once, then for each ``go`` line on its
stdin forks a child that writes until it is killed, printing ``CHILD <pid>`` first and
``DEAD <pid>`` once the child is gone; everything else it prints is the children's own lines.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Zygote:
    def __init__(self, script: Path, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, str(script), *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout

    def kill_one(self, rng: random.Random, record: Callable[[str], None], *, acks: Sequence[int],
                 max_delay: float) -> None:
        """Fork a child, let it acknowledge a number of writes (drawn from `acks`; 0: kill it while
        it starts), then SIGKILL it a random moment (up to `max_delay` s) later. Every line the
        child printed goes to `record`."""
        self.stdin.write("go\n")
        self.stdin.flush()
        wanted, seen, child = rng.choice(acks), 0, 0
        while not child or seen < wanted:
            line = self.stdout.readline()
            assert line and not line.startswith("DEAD"), "the writer died by itself (see stderr)"
            if line.startswith("CHILD"):
                child = int(line.split()[1])
            else:
                record(line)
                seen += line.startswith("ACK")
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(child, signal.SIGKILL)
        while not (line := self.stdout.readline()).startswith("DEAD"):
            assert line, "the writer exited"
            record(line)

    def close(self) -> None:
        self.stdin.close()
        self.proc.wait(timeout=10)
