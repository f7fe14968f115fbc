"""What holds on the paths through a flow: which roles can reach each step, and which slots may
have a value when it runs.  Used to find what only goes wrong at run time: a branch that reads a
slot no path has asked yet, a call to a flow not written for the role that gets there, a sub-flow
whose texts use slots no path to the call has given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coach.content.graph import flow_edges
from coach.content.schema import (
    AllCond,
    AnyCond,
    AskStep,
    CallStep,
    Condition,
    Flow,
    NotCond,
    Op,
    RoleCond,
    SetStep,
    SlotCond,
    Step,
)
from coach.content.yamlsource import PathKey


def _false_for(cond: Condition, role: str) -> bool:
    """Whether `cond` is false whatever the slots hold, for a conversation of `role`."""
    if isinstance(cond, RoleCond):
        return cond.role != role
    if isinstance(cond, AllCond):
        return any(_false_for(c, role) for c in cond.all)
    if isinstance(cond, AnyCond):
        return all(_false_for(c, role) for c in cond.any)
    if isinstance(cond, NotCond):
        return _true_for(cond.not_, role)
    return False


def _true_for(cond: Condition, role: str) -> bool:
    if isinstance(cond, RoleCond):
        return cond.role == role
    if isinstance(cond, AllCond):
        return all(_true_for(c, role) for c in cond.all)
    if isinstance(cond, AnyCond):
        return any(_true_for(c, role) for c in cond.any)
    if isinstance(cond, NotCond):
        return _false_for(cond.not_, role)
    return False


def _open_edges(step: Step, role: str) -> list[str]:
    """The steps `step` may go to next in a conversation of `role`."""
    nxt = getattr(step, "next", None)
    if nxt is None:
        return []
    if isinstance(nxt, str):
        return [nxt]
    out: list[str] = []
    for entry in nxt:
        when = getattr(entry, "when", None)
        if when is None:  # else
            out.append(entry.else_)
            break
        if not _false_for(when, role):
            out.append(entry.goto)
        if _true_for(when, role):
            break  # the entries after it are never tried
    return out


def roles_at(flow: Flow) -> dict[str, set[str]]:
    """Step id -> the roles whose conversations can reach it (branches on `role` followed)."""
    ids = set(flow.step_ids())
    out: dict[str, set[str]] = {sid: set() for sid in ids}
    for role in flow.roles:
        todo = [flow.start]
        while todo:
            sid = todo.pop()
            if sid not in ids or role in out[sid]:
                continue
            out[sid].add(role)
            todo.extend(_open_edges(flow.step(sid), role))
    return out


@dataclass
class Given:
    """The slots that may hold a value on entering a step (`anything`: a compute step ran, or the
    flow is a sub-flow whose caller's slots are unknown here)."""

    slots: frozenset[str]
    anything: bool = False

    def has(self, name: str) -> bool:
        return self.anything or name in self.slots


def gives(flow: Flow, flows: Mapping[str, Flow], seen: frozenset[str] = frozenset()) -> Given:
    """What running all of `flow` may give a value to (its asks and sets, and its callees')."""
    names: set[str] = set()
    anything = False
    for s in flow.steps:
        if isinstance(s, AskStep):
            names.add(s.slot)
        elif isinstance(s, SetStep):
            names.update(s.values)
        elif isinstance(s, CallStep) and s.flow in flows and s.flow not in seen:
            sub = gives(flows[s.flow], flows, seen | {flow.id})
            names.update(sub.slots)
            anything = anything or sub.anything
        elif getattr(s, "kind", None) == "compute":
            anything = True
    return Given(frozenset(names), anything)


def _gen(step: Step, flows: Mapping[str, Flow], flow_id: str) -> Given:
    if isinstance(step, AskStep):
        return Given(frozenset({step.slot}))
    if isinstance(step, SetStep):
        return Given(frozenset(step.values))
    if isinstance(step, CallStep):
        callee = flows.get(step.flow)
        return gives(callee, flows, frozenset({flow_id})) if callee is not None else Given(frozenset(), True)
    if getattr(step, "kind", None) == "compute":
        return Given(frozenset(), True)
    return Given(frozenset())


def given_before(flow: Flow, flows: Mapping[str, Flow]) -> dict[str, Given]:
    """Step id -> the slots that may hold a value when the step starts (on some path to it)."""
    ids = flow.step_ids()
    succ: dict[str, list[str]] = {sid: [] for sid in ids}
    for e in flow_edges(flow):
        if e.dst in succ:
            succ[e.src].append(e.dst)
    start = Given(frozenset(), anything=flow.subflow)
    into: dict[str, Given] = {flow.start: start}
    todo = [flow.start]
    gen = {s.id: _gen(s, flows, flow.id) for s in flow.steps}
    while todo:
        sid = todo.pop()
        here = into[sid]
        out = Given(here.slots | gen[sid].slots, here.anything or gen[sid].anything)
        for dst in succ[sid]:
            old = into.get(dst)
            new = out if old is None else Given(old.slots | out.slots, old.anything or out.anything)
            if old is None or new != old:
                into[dst] = new
                todo.append(dst)
    return into


def after(step: Step, before: Given, flows: Mapping[str, Flow], flow_id: str) -> Given:
    g = _gen(step, flows, flow_id)
    return Given(before.slots | g.slots, before.anything or g.anything)


def reads(cond: Condition, path: PathKey) -> list[tuple[str, PathKey, Op]]:
    """(slot, path of its `slot:` node, op) for each slot a condition compares (is_set aside)."""
    if isinstance(cond, AllCond | AnyCond):
        key = "all" if isinstance(cond, AllCond) else "any"
        items = cond.all if isinstance(cond, AllCond) else cond.any
        return [r for i, c in enumerate(items) for r in reads(c, (*path, key, i))]
    if isinstance(cond, NotCond):
        return reads(cond.not_, (*path, "not"))
    if isinstance(cond, SlotCond) and cond.op != Op.is_set:
        return [(cond.slot, (*path, "slot"), cond.op)]
    return []
