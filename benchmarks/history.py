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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coach.app.service import CoachService  # noqa: E402
from coach.content.library import FlowLibrary  # noqa: E402
from coach.engine.turns import BotTurn  # noqa: E402
from coach.store import Store  # noqa: E402

CASES = ROOT / "tests" / "conversations"
MENTEE = "Ana Lima"
MENTOR = "Sam Okafor"


def scripts() -> list[dict[str, Any]]:
    """The scripted mentee stage runs, in the order of the stages (each stage's variants together)."""
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if case.get("role", "mentee") == "mentee" and not case.get("locale"):
            case["name"] = path.stem
            out.append(case)
    order = ["fit_check", "commitment", "feedback", "empowerment", "gratitude", "moving_on"]
    return sorted(out, key=lambda c: (order.index(c["flow"]) if c["flow"] in order else 99, c["name"]))


class Clock:
    """The service's today (the scripts' own day: their typed dates stay in the future) and now (an
    hour later for each stage played, so the history has an order)."""

    def __init__(self, today: date = date(2026, 11, 27)) -> None:
        self.day = today
        self.moment = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)

    def today(self) -> date:
        return self.day

    def now(self) -> datetime:
        return self.moment


def reviewing(turn: BotTurn) -> bool:
    return any(m.key and m.key.startswith("common.review.") and m.key != "common.review.done"
               for m in turn.messages)


def _day(case: dict[str, Any]) -> date:
    today = case.get("today") or date(2026, 11, 27)
    return today if isinstance(today, date) else date.fromisoformat(str(today))


def play(service: CoachService, clock: Clock, case: dict[str, Any], profile: Any, relationship: Any,
         n: int) -> str:
    """One stage run: the review answered, then the script's answers; the conversation's id."""
    clock.day = _day(case)
    chat = service.open_stage(profile, relationship, case["flow"], resume=False)
    turn = chat.opening
    verdicts = itertools.cycle(["done", "not yet", "no time this week", "partly"])
    while reviewing(turn) and turn.question is not None:
        turn = service.answer(chat, next(verdicts))
    for t in case["turns"]:
        if "user" in t:
            turn = service.answer(chat, str(t["user"]))
    if not chat.conversation.done:
        raise RuntimeError(f"{case['name']} (run {n}) did not finish: the script and the flow disagree")
    return chat.id


def build(folder: Path, sessions: int, *, library: FlowLibrary | None = None,
          progress: Callable[[int], None] | None = None) -> None:
    """`sessions` finished stage runs in one relationship of one mentee profile, in `folder`."""
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
            play(service, clock, runs[n % len(runs)], profile, relationship, n)
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
