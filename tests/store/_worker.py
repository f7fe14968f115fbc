"""Helper process for the lock tests (run as a script with the venv's python).

_worker.py increment DATA_DIR COUNTER_ID TAG N   after "go" on stdin: N updates of the same
    relationship file, alternately a locked read-modify-write increment of one commitment's
    counter and the addition of a commitment of its own (id TAG-i); prints "DONE <t0> <t1>".
_worker.py append DATA_DIR CONVERSATION TAG N    after "go" on stdin: appends N inputs (texts
    TAG-0 .. TAG-N-1) to the conversation, each after reading how many are stored (outside the
    lock) and retrying on LogConflict; prints "DONE <t0> <t1> <conflicts>".
_worker.py hold DATA_DIR                         takes the store lock, prints "HOLDING <pid>",
    keeps it until a line (or EOF) arrives on stdin.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

from coach.models import Commitment, LogConflict, LogEntry
from coach.store import Store

RELATIONSHIP = "r-shared"


def increment(data_dir: Path, counter_id: str, tag: str, count: int) -> None:
    with Store(data_dir, lock_timeout=30) as store:
        print("READY", flush=True)
        sys.stdin.readline()
        first = time.time()
        for i in range(count):
            if i % 2:
                commitment = Commitment(id=f"{tag}-{i}", relationship_id=RELATIONSHIP, stage="commitment", text=tag)
                store.commitments.save(commitment)
                continue
            with store.transaction():
                counter = store.commitments.get(counter_id, relationship_id=RELATIONSHIP)
                assert counter is not None
                store.commitments.save(counter.model_copy(update={"text": str(int(counter.text) + 1)}))
        last = time.time()
    print(f"DONE {first} {last}", flush=True)


def append(data_dir: Path, conversation_id: str, tag: str, count: int) -> None:
    conflicts = 0
    with Store(data_dir, lock_timeout=30) as store:
        print("READY", flush=True)
        sys.stdin.readline()
        first = time.time()
        for i in range(count):
            while True:
                loaded = store.load_conversation(conversation_id)  # not under the lock: may be stale
                assert loaded is not None
                seq = len(loaded[1]) + 1
                entry = LogEntry(seq=seq, kind="answer", text=f"{tag}-{i}", prompt="q", today=date(2026, 12, 1))
                try:
                    store.append_entry(conversation_id, entry)
                    break
                except LogConflict:
                    conflicts += 1
        last = time.time()
    print(f"DONE {first} {last} {conflicts}", flush=True)


def hold(data_dir: Path) -> None:
    with Store(data_dir) as store, store.transaction():
        print(f"HOLDING {os.getpid()}", flush=True)
        sys.stdin.readline()


if __name__ == "__main__":
    mode, directory, *rest = sys.argv[1:]
    if mode == "increment":
        increment(Path(directory), rest[0], rest[1], int(rest[2]))
    elif mode == "append":
        append(Path(directory), rest[0], rest[1], int(rest[2]))
    elif mode == "hold":
        hold(Path(directory))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
