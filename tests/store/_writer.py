"""Writer for the SIGKILL test: a zygote that forks short-lived writers on demand.

Run as ``_writer.py DATA_DIR`` with the venv's python.  Importing pydantic and the store takes
a few hundred milliseconds, so this process imports once and then, for each ``go`` line read on
stdin, forks a child that writes until it is killed, prints ``CHILD <pid>``, waits for the child
to die and prints ``DEAD <pid>``.  ``quit`` (or EOF) ends it.

Each child opens the store afresh, finishes what a kill interrupted (``finish_pending``),
resumes the latest active conversation and keeps appending inputs, with the journal compacted
whenever it outgrows its snapshot (so kills also land inside compactions).  Every 5th input
carries effects (one artifact and one commitment, both with id ``<conversation>-<seq>``); every
12th finishes the conversation (``done=True``) and the next input starts a new one.  After a
conversation is created it prints ``START <id>``; after an append returns ``ACK <id> <seq>``;
after the final one ``DONE <id>``.  Output is written with os.write, unbuffered, so every line
printed was acknowledged by the store before.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from coach.models import (
    Artifact,
    Commitment,
    ConversationHeader,
    ConversationStatus,
    Effects,
    LogEntry,
    Role,
)
from coach.store import Store, journal

RELATIONSHIP = "r-kill"
FLOW = "kill_flow"
ENTRIES_PER_CONVERSATION = 12
EFFECTS_EVERY = 5


def say(line: str) -> None:
    os.write(1, f"{line}\n".encode())


def text_of(conversation_id: str, seq: int) -> str:
    return f"{conversation_id}:{seq} " + "answer text " * 8


def effects_of(conversation_id: str, seq: int) -> Effects:
    key = f"{conversation_id}-{seq}"
    return Effects(
        artifacts=[
            Artifact(
                id=key,
                relationship_id=RELATIONSHIP,
                session_id=conversation_id,
                stage="kill",
                kind="report",
                title=key,
                markdown=f"# {key}",
            )
        ],
        commitments=[
            Commitment(id=key, relationship_id=RELATIONSHIP, session_id=conversation_id, stage="kill", text=key)
        ],
    )


def resume(store: Store) -> tuple[str | None, int]:
    """The latest active conversation that is stored, and how many inputs it has."""
    for summary in reversed(store.summaries(RELATIONSHIP)):
        if summary.status is ConversationStatus.active:
            loaded = store.load_conversation(summary.id)
            if loaded is not None:  # else killed between its summary and its file
                return summary.id, len(loaded[1])
    return None, 0


def write_forever(data_dir: Path) -> None:
    journal.COMPACT_BYTES = 1  # compact whenever the journal outgrows its snapshot
    store = Store(data_dir, lock_timeout=30)
    store.finish_pending(RELATIONSHIP)
    conversation, seq = resume(store)
    while True:
        if conversation is None:
            header = ConversationHeader(flow_id=FLOW, flow_hash="k", role=Role.mentee, relationship_id=RELATIONSHIP)
            store.create_conversation(header)
            say(f"START {header.id}")
            conversation, seq = header.id, 0
        seq += 1
        done = seq % ENTRIES_PER_CONVERSATION == 0
        entry = LogEntry(
            seq=seq,
            kind="answer",
            text=text_of(conversation, seq),
            prompt=f"{FLOW}.q{seq}",
            today=date(2026, 12, 1),
            effects=effects_of(conversation, seq) if seq % EFFECTS_EVERY == 0 else None,
        )
        store.append_entry(conversation, entry, done=done)
        say(f"ACK {conversation} {seq}")
        if done:
            say(f"DONE {conversation}")
            conversation = None


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
