"""One window on a shared conversation: ``_window.py DATA_DIR FLOWS CONVERSATION NAME COUNT``.

Opens the conversation through the application service and answers whatever question its own
view shows, COUNT times, as a person typing in a second terminal would (it never reloads by
itself). Prints ``ACK <seq> <text>`` when an answer was stored as given, ``MOVED <text>`` when
the service said the conversation had moved on elsewhere and did not use it.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from coach.app.service import CoachService
from coach.content.library import FlowLibrary
from coach.store import Store


def main(data_dir: Path, flows: Path, conversation: str, name: str, count: int) -> None:
    rng = random.Random(name)
    service = CoachService(FlowLibrary.load([flows]), Store(data_dir, lock_timeout=30))
    chat = service.resume(conversation)
    for n in range(count):
        text = f"{name} answer {n}"
        turn = service.answer(chat, text)
        if turn.entry is not None and turn.entry.text == text:
            os.write(1, f"ACK {turn.entry.seq} {text}\n".encode())
        else:
            os.write(1, f"MOVED {text}\n".encode())
        time.sleep(rng.uniform(0, 0.004))
    service.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]))
