"""Writer for the SIGKILL test: a zygote that forks short-lived writers on demand.

Run as ``_writer.py DATA_DIR`` with the venv's python.  Importing pydantic and the store takes
a few hundred milliseconds, so this process imports once and then, for each ``go`` line read on
stdin, forks a child that writes until it is killed, prints ``CHILD <pid>``, waits for the child
to die and prints ``DEAD <pid>``.  ``quit`` (or EOF) ends it.

Each child opens the store afresh, resumes the latest in-progress session and keeps adding
answers (with the journal compacted every four answers, to exercise that path too).  After a
save returns it prints ``ACK <session> <answers>``; after closing a session ``DONE <session>``;
after saving a commitment ``COMMIT <id>``.  Output is written with os.write, unbuffered, so
every line printed was acknowledged by the store before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from coach.models import Answer, Commitment, ConversationState, ConversationStatus, Role, utcnow
from coach.store import Store, journal

RELATIONSHIP = "r-kill"
FLOW = "kill_flow"
ANSWERS_PER_SESSION = 25


def say(line: str) -> None:
    os.write(1, f"{line}\n".encode())


def write_forever(data_dir: Path) -> None:
    # Compact session journals every few answers, so kills also land inside compactions.
    journal.COMPACT_BYTES = 1
    journal.MIN_APPENDS_PER_COMPACTION = 4
    store = Store(data_dir, lock_timeout=30)
    state = store.sessions.latest_in_progress(RELATIONSHIP, FLOW)
    while True:
        if state is None or len(state.answers) >= ANSWERS_PER_SESSION:
            if state is not None:
                state.status = ConversationStatus.done
                store.save_conversation(state)
                say(f"DONE {state.id}")
            state = ConversationState(flow_id=FLOW, flow_hash="k", role=Role.mentee, relationship_id=RELATIONSHIP)
        n = len(state.answers)
        slot = f"q{n}"
        state.answers[slot] = Answer(slot=slot, raw=f"{state.id}:{n} " + "answer text " * 8)
        state.updated_at = utcnow()
        store.save_conversation(state)
        say(f"ACK {state.id} {n + 1}")
        if n % 10 == 3:
            commitment = Commitment(id=f"c-{state.id}-{n}", relationship_id=RELATIONSHIP, stage="commitment", text=slot)
            store.save_commitment(commitment)
            say(f"COMMIT {commitment.id}")


def main(data_dir: Path) -> None:
    for command in sys.stdin:
        if command.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                write_forever(data_dir)
            finally:
                os._exit(1)
        say(f"CHILD {pid}")
        os.waitpid(pid, 0)
        say(f"DEAD {pid}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
