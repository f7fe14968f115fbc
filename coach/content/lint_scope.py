"""The names a flow may use: its slots, plus those of the flows it is call-connected to (a call
shares the conversation's slots both ways), plus the values its `set` steps introduce."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from coach.content.schema import AskStep, CallStep, Flow, SetStep, Slot, SlotType


@dataclass
class Scope:
    flow: Flow
    declared: dict[str, Slot]  # this flow's own slots
    visible: dict[str, Slot] = field(default_factory=dict)  # declared in any call-connected flow
    computed: dict[str, list[Any]] = field(default_factory=dict)  # set by a `set` step -> values set
    asked: set[str] = field(default_factory=set)  # asked by an ask step
    computes: bool = False  # a compute step may set names nobody declares
    steps: set[str] = field(default_factory=set)  # step ids of the call-connected flows

    def known(self, name: str) -> bool:
        return name in self.visible or name in self.computed

    def names(self) -> set[str]:
        return set(self.visible) | set(self.computed)

    def slot(self, name: str) -> Slot | None:
        return self.declared.get(name) or self.visible.get(name)

    def list_valued(self, name: str) -> bool | None:
        """Whether `name` holds a list (None: cannot tell)."""
        slot = self.slot(name)
        if slot is not None:
            return slot.type in (SlotType.list, SlotType.multichoice)
        values = self.computed.get(name)
        if values:
            return all(isinstance(v, list) for v in values)
        return None


def call_component(flow_id: str, flows: Mapping[str, Flow]) -> list[Flow]:
    """The flows connected to `flow_id` through call steps, either way, itself first."""
    links: dict[str, set[str]] = {fid: set() for fid in flows}
    for fid, f in flows.items():
        for s in f.steps:
            if isinstance(s, CallStep) and s.flow in flows:
                links[fid].add(s.flow)
                links[s.flow].add(fid)
    seen = [flow_id]
    todo = [flow_id]
    while todo:
        for other in sorted(links.get(todo.pop(), ())):
            if other not in seen:
                seen.append(other)
                todo.append(other)
    return [flows[fid] for fid in seen if fid in flows]


def flow_scope(flow: Flow, flows: Mapping[str, Flow]) -> Scope:
    scope = Scope(flow=flow, declared=dict(flow.slots))
    component = call_component(flow.id, flows) if flow.id in flows else [flow]
    if component[0] is not flow:
        component = [flow, *component[1:]]
    for f in reversed(component):  # this flow's own slots win
        scope.visible.update(f.slots)
        for s in f.steps:
            scope.steps.add(s.id)
            if isinstance(s, AskStep):
                scope.asked.add(s.slot)
            elif isinstance(s, SetStep):
                for k, v in s.values.items():
                    scope.computed.setdefault(k, []).append(v)
            elif getattr(s, "kind", None) == "compute":
                scope.computes = True
    return scope
