"""Rebuilding a format-3 conversation (header + inputs) from a format-2 engine state.

Format 2 kept where a conversation was, not what the user typed in order; format 3 keeps only
the inputs and derives the rest by replay.  The inputs are synthesized so that replaying them
through the flow reaches the same answers:

1. the review of earlier commitments, in order, as far as it got: each status given (prompt
   ``@review/<commitment id>``) followed by its reason if one was given (``@reason/<id>``), or
   the command ``skip`` for an item that was skipped;
2. each answered slot, in the order answered, at the step that last asked for it (prompt
   ``*.<step>``: that step id in whichever flow): the command ``skip`` if it was skipped, the raw
   text (then each answered follow-up question) otherwise;
3. a ``yes`` for each summary step confirmed (once per step).

Each input is dated with its answer's time (or, without one, the state's last update).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from coach.models import ConversationHeader, LogEntry
from coach.store.legacy_v2 import ConversationState

STEP_EVENTS = frozenset({"answer", "skip", "give_up"})
FORMAT = 2


def header_from_v2(state: ConversationState) -> ConversationHeader:
    return ConversationHeader(
        id=state.id,
        flow_id=state.flow_id,
        flow_hash=state.flow_hash,
        role=state.role,
        locale=state.locale,
        relationship_id=state.relationship_id,
        context=state.context,
        review=[item.commitment for item in state.review],
        started_at=state.started_at,
        migrated_from=FORMAT,
    )


class _Log:
    def __init__(self) -> None:
        self.entries: list[LogEntry] = []

    def add(self, kind: Literal["answer", "command"], text: str, prompt: str, at: datetime) -> None:
        seq = len(self.entries) + 1
        self.entries.append(LogEntry(seq=seq, kind=kind, text=text, prompt=prompt, at=at, today=at.date()))


def inputs_from_v2(state: ConversationState) -> list[LogEntry]:
    """The inputs (seq 1..n) that lead to ``state``, as described in the module docstring."""
    log = _Log()
    for index, item in enumerate(state.review):
        reached = index < state.review_index or (index == state.review_index and state.mode == "review_reason")
        if not reached:
            continue
        commitment = item.commitment.id
        if item.status is None:
            log.add("command", "skip", f"@review/{commitment}", state.updated_at)
            continue
        log.add("answer", item.status, f"@review/{commitment}", state.updated_at)
        if item.reason:
            log.add("answer", item.reason, f"@reason/{commitment}", state.updated_at)

    steps: dict[str, str] = {}  # slot -> the step that last asked for it
    for event in state.events:
        slot = event.data.get("slot")
        if event.kind in STEP_EVENTS and isinstance(slot, str) and event.step is not None:
            steps[slot] = event.step
    for slot, answer in state.answers.items():
        if slot not in steps:
            continue
        prompt = f"*.{steps[slot]}"
        if answer.skipped:
            log.add("command", "skip", prompt, answer.at)
        elif answer.gave_up:
            log.add("answer", answer.raw, prompt, answer.at)
        else:
            log.add("answer", answer.raw, prompt, answer.at)
            for probe in answer.probes:
                if probe.answer:
                    log.add("answer", probe.answer, prompt, answer.at)

    confirmed: set[str] = set()
    for event in state.events:
        if event.kind == "confirm" and event.step is not None and event.step not in confirmed:
            confirmed.add(event.step)
            log.add("answer", "yes", f"*.{event.step}", state.updated_at)
    return log.entries
