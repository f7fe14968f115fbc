"""Scripted stages played through the application service, as a person would: the transcripts of
tests/conversations, answer by answer, with the review of earlier commitments that opens each stage
answered too. Used by tests that need a real relationship history, and by benchmarks/history.py."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from coach.app.service import CoachService
from coach.engine.turns import BotTurn

CASES = Path(__file__).resolve().parents[1] / "conversations"


def scripts(role: str = "mentee") -> list[dict[str, Any]]:
    """The scripted English stage runs of `role`, in the order of the stages (each stage's variants
    together)."""
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if case.get("role", "mentee") == role and not case.get("locale"):
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


MIXED = ("done", "not yet", "no time this week", "partly")  # a busy person: open commitments pile up
DONE = ("done",)  # someone who keeps their promises: few stay open


def play(service: CoachService, clock: Clock, case: dict[str, Any], profile: Any, relationship: Any,
         n: int, reviews: tuple[str, ...] = MIXED) -> str:
    """One stage run: the review of earlier commitments answered in turn with `reviews` (a reason
    after "not yet"), then the script's answers; the conversation's id."""
    clock.day = _day(case)
    chat = service.open_stage(profile, relationship, case["flow"], resume=False)
    turn = chat.opening
    verdicts = itertools.cycle(reviews)
    while reviewing(turn) and turn.question is not None:
        turn = service.answer(chat, next(verdicts))
    for t in case["turns"]:
        if "user" in t:
            turn = service.answer(chat, str(t["user"]))
    if not chat.conversation.done:
        raise RuntimeError(f"{case['name']} (run {n}) did not finish: the script and the flow disagree")
    return chat.id
