"""Where a relationship's stages stand: plain values (no model, no engine), so that a client can
keep and draw them before anything heavy is loaded (the TUI's first frame: coach.tui.look)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

StageState = Literal["not started", "in progress", "done"]


@dataclass(frozen=True)
class StageStatus:
    """Where one stage stands for a relationship."""

    flow_id: str
    title: str
    state: StageState
    last: date | None
    resume_id: str | None  # the unfinished conversation to continue, if any
    done_id: str | None = None  # the latest finished conversation, if any (its documents)


STAGE_STATES: tuple[StageState, ...] = get_args(StageState)


def resumable(stages: Iterable[StageStatus]) -> StageStatus | None:
    """The stage to continue with one key: the most recently touched unfinished one."""
    unfinished = [s for s in stages if s.resume_id is not None]
    return max(unfinished, key=lambda s: s.last or date.min, default=None)
