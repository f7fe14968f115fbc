"""A coach user who gets SIGKILLed: a zygote forking short-lived writers on demand.

Run as ``_coach_writer.py DATA_DIR SEED``. The zygote imports and loads the flows once; for each
``go`` line on stdin it forks a child that opens the store and talks through the application
service, stage after stage of the test flow `after_summary` (a goal, the summary, a next step;
it ends with a plan, sometimes edited as a draft, and a commitment; each new stage first reviews
the open commitments), until it is killed. It prints ``CHILD <pid>``, then ``DEAD <pid>`` once the child is gone.

The child prints ``ACK <conversation> <seq> <text>`` after `CoachService.answer` returns with the
input stored, and ``DONE <conversation>`` when that answer finished the stage. Output is written
with os.write, unbuffered, so every line printed was acknowledged by the store before.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from coach.app.service import CoachService
from coach.content.library import FlowLibrary
from coach.models import Profile, Relationship, Role
from coach.store import Store

FLOWS_OK = Path(__file__).resolve().parents[1] / "flows_ok"
PROFILE = Profile(id="p-kill", name="Ana", role=Role.mentee)
RELATIONSHIP = Relationship(id="r-kill", profile_id="p-kill", other_name="Sam", mentee_name="Ana", mentor_name="Sam")


def say(line: str) -> None:
    os.write(1, f"{line}\n".encode())


def answer_for(prompt: str, text_id: str, rng: random.Random, edited: set[str]) -> str:
    if prompt.startswith("@review/"):
        return rng.choice(["done", "done", "partly", "/skip"])
    if prompt.startswith("@reason/"):
        return f"{text_id} reason"
    if prompt.endswith("#edit"):
        return "goal"
    if "#drafts/" in prompt:
        return f"Plan, rewritten by {text_id}"
    if prompt.endswith("#drafts"):
        return rng.choice(["keep", "keep", "edit"])
    if prompt.endswith(".summary"):
        if text_id.split(":")[0] not in edited and rng.random() < 0.3:
            return "no"  # change the goal, once per conversation
        return "yes"
    if prompt.endswith(".ask_goal"):
        return f"{text_id} goal"
    return f"{text_id} next step"


def talk_until_killed(data_dir: Path, library: FlowLibrary, seed: int) -> None:
    rng = random.Random(seed)
    store = Store(data_dir, lock_timeout=30)
    service = CoachService(library, store)
    edited: set[str] = set()
    while True:
        chat = service.open_stage(PROFILE, RELATIONSHIP, "after_summary")
        while not chat.done:
            prompt = chat.conversation.prompt_tag() or ""
            if prompt.endswith("#edit"):
                edited.add(chat.id)
            text = answer_for(prompt, f"{chat.id}:{len(chat.conversation.entries) + 1}", rng, edited)
            turn = service.answer(chat, text)
            if turn.entry is not None:
                say(f"ACK {chat.id} {turn.entry.seq} {turn.entry.text}")
            if turn.done:
                say(f"DONE {chat.id}")
        service.leave(chat)


def main(data_dir: Path, seed: int) -> None:
    library = FlowLibrary.load([FLOWS_OK])
    with Store(data_dir) as store:
        store.save_profile(PROFILE)
        store.save_relationship(RELATIONSHIP)
    for n, command in enumerate(sys.stdin):
        if command.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                talk_until_killed(data_dir, library, seed * 100_003 + n)
            finally:
                os._exit(1)
        say(f"CHILD {pid}")
        os.waitpid(pid, 0)
        say(f"DEAD {pid}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
