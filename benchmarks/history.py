"""A data folder with a real history: stages played through the application service, as a person would.

    python benchmarks/history.py DIR --sessions N

Each stage run is one of the scripted mentee conversations of the test suite (tests/conversations:
the happy paths, the ones with /back and follow-ups, the messy ones), played answer by answer
through `CoachService.open_stage` and `CoachService.answer` on the durable store, in one
relationship, so the folder holds what the engine and the store really produce: finished
stages with their documents and commitments, journals with /back in them. The review of earlier
commitments that opens each stage is answered as a busy mentee would: now done, now not yet
(so open commitments pile up). The day stays the scripts' own; the clock moves an hour per stage.

`build()` is used by the benchmarks (benchmarks/history_bench.py) and can be called on its own
to look at such a folder.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests" / "app"):  # the project, and the stage player
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from stage_player import DONE, MIXED, Clock, play, reviewing, scripts  # noqa: E402, F401 - the benchmarks use these

from coach.app.service import CoachService  # noqa: E402
from coach.content.library import FlowLibrary  # noqa: E402
from coach.store import Store  # noqa: E402

MENTEE = "Ana Lima"
MENTOR = "Sam Okafor"


def build(folder: Path, sessions: int, *, library: FlowLibrary | None = None,
          progress: Callable[[int], None] | None = None, reviews: tuple[str, ...] = MIXED) -> None:
    """`sessions` finished stage runs in one relationship of one mentee profile, in `folder`; the
    reviews of earlier commitments answered with `reviews` (MIXED: open ones pile up; DONE: closed)."""
    lib = library or FlowLibrary.load()
    clock = Clock()
    counter = itertools.count(1)
    service = CoachService(lib, Store(folder), today=clock.today, now=clock.now,
                           new_id=lambda: f"s{next(counter):05d}")
    try:
        profile = service.add_profile(MENTEE, "mentee", timezone="Europe/London")
        relationship = service.add_relationship(profile, MENTOR)
        runs = scripts()
        for n in range(sessions):
            play(service, clock, runs[n % len(runs)], profile, relationship, n, reviews)
            clock.moment += timedelta(hours=1)
            if progress:
                progress(n + 1)
    finally:
        service.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sessions", type=int, default=100)
    args = parser.parse_args()
    build(args.folder, args.sessions, progress=lambda n: print(f"\r{n}", end="", file=sys.stderr))
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
