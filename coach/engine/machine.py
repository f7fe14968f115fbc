"""One `transitions.Machine` per flow definition; conversations attach their own model to it.

States are step ids.  Each step's `next` becomes `advance` transitions in order: conditional
edges first (their condition evaluated against the conversation's facts), the `else` edge last.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transitions import EventData, Machine

from coach.content.schema import Condition, Else, Flow, When
from coach.engine.conditions import Facts, evaluate


class StepModel:
    """The per-conversation model attached to a flow's machine: it only holds `state`, and
    reads facts from its conversation when a transition's condition is checked."""

    state: str

    def __init__(self, facts: Callable[[], Facts]) -> None:
        self._facts = facts

    def holds(self, cond: Condition) -> bool:
        return evaluate(cond, self._facts())


class _Guard:
    def __init__(self, cond: Condition) -> None:
        self.cond = cond

    def __call__(self, event: EventData) -> bool:
        model = event.model
        assert isinstance(model, StepModel)
        return model.holds(self.cond)


def build_machine(flow: Flow) -> Machine:
    machine = Machine(
        model=None,
        states=flow.step_ids(),
        initial=flow.start,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
    )
    for step in flow.steps:
        nxt: Any = getattr(step, "next", None)
        if nxt is None:
            continue
        if isinstance(nxt, str):
            machine.add_transition("advance", step.id, nxt)
            continue
        for edge in nxt:
            if isinstance(edge, When):
                machine.add_transition("advance", step.id, edge.goto, conditions=[_Guard(edge.when)])
            elif isinstance(edge, Else):
                machine.add_transition("advance", step.id, edge.else_)
    return machine


class MachineCache:
    """Machines by (flow id, content hash): built once per flow definition."""

    def __init__(self) -> None:
        self._machines: dict[tuple[str, str], Machine] = {}

    def get(self, flow: Flow, flow_hash: str) -> Machine:
        key = (flow.id, flow_hash)
        m = self._machines.get(key)
        if m is None:
            m = self._machines[key] = build_machine(flow)
        return m

    def models(self) -> int:
        """How many conversation models are attached, over all flows (0 when all are closed)."""
        return sum(len(m.models) for m in self._machines.values())
