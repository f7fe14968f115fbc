"""Checks of the shape of flows: a reachable end, no unreachable steps, no loop the engine would run
without ever waiting for the user, no dead end, and no cycle of calls between flows."""

from __future__ import annotations

from collections.abc import Mapping

from coach.content.graph import is_cycle, reachable, strongly_connected, successors
from coach.content.lint_diag import Sink
from coach.content.loader import LoadedFlow
from coach.content.schema import AskStep, CallStep, EndStep, Flow, Step, SummaryStep


def waits_for_user(flow: Flow) -> bool:
    """Whether running `flow` ever stops for an answer (an ask, or a summary to confirm)."""
    return any(_waits(s) for s in flow.steps)


def _waits(step: Step) -> bool:
    return isinstance(step, AskStep) or (isinstance(step, SummaryStep) and step.confirm)


def _path(src: str, dst: str, succ: Mapping[str, list[str]], members: set[str]) -> list[str]:
    """A shortest path src → ... → dst staying inside `members` (src alone if src == dst)."""
    back: dict[str, str] = {src: src}
    todo = [src]
    while todo and dst not in back:
        node = todo.pop(0)
        for nxt in succ.get(node, ()):
            if nxt in members and nxt not in back:
                back[nxt] = node
                todo.append(nxt)
    if dst not in back:
        return [src, dst]
    path = [dst]
    while path[-1] != src:
        path.append(back[path[-1]])
    return path[::-1]


def _loop(start: str, succ: Mapping[str, list[str]], members: set[str]) -> str:
    """A cycle through `start` inside `members`, as `a → b → a`."""
    nxt = next(n for n in succ[start] if n in members)
    return " → ".join([start, *_path(nxt, start, succ, members)])


def check_shape(lf: LoadedFlow, flows: Mapping[str, Flow], sink: Sink) -> None:
    flow, doc = lf.flow, lf.doc
    index = {s.id: i for i, s in enumerate(flow.steps)}
    ends = [s.id for s in flow.steps if isinstance(s, EndStep)]
    if not ends:
        sink.at(doc, ("steps",), f"flow {flow.id!r} has no end step (add e.g. `- {{id: done, kind: end}}`)",
                at_key=True)
    succ = successors(flow)
    seen = reachable(flow.start, succ)
    _check_unreachable(lf, succ, seen, index, sink)
    order = [s.id for s in flow.steps if s.id in seen]
    comps = strongly_connected(order, succ)
    spinning: set[str] = set()

    def waits(sid: str) -> bool:
        step = flow.steps[index[sid]]
        if isinstance(step, CallStep):
            callee = flows.get(step.flow)
            return callee is None or waits_for_user(callee)
        return _waits(step)

    for comp in comps:
        comp.sort(key=index.__getitem__)
        if is_cycle(comp, succ) and not any(waits(sid) for sid in comp):
            spinning.update(comp)
            loop = _loop(comp[0], succ, set(comp))
            sink.at(doc, ("steps", index[comp[0]], "id"),
                    f"loop with no question: {loop}; the engine would go round it forever without waiting for the user")
    if not ends:
        return
    rsucc: dict[str, list[str]] = {sid: [] for sid in succ}
    for src, dsts in succ.items():
        for d in dsts:
            rsucc[d].append(src)
    finishing: set[str] = set()
    for e in ends:
        finishing |= reachable(e, rsucc)
    for comp in comps:
        members = set(comp)
        sink_comp = all(d in members for sid in comp for d in succ[sid])
        if comp[0] in finishing or not sink_comp or not is_cycle(comp, succ) or members & spinning:
            continue
        sink.at(doc, ("steps", index[comp[0]], "id"),
                f"the conversation can never end from here: {', '.join(comp)} only lead to each other")


def _check_unreachable(lf: LoadedFlow, succ: Mapping[str, list[str]], seen: set[str], index: Mapping[str, int],
                       sink: Sink) -> None:
    """One error per unreachable step that no other unreachable step leads to, naming the
    unreachable steps after it (a goto to a renamed step would otherwise flag the rest of the flow)."""
    lost = [s.id for s in lf.flow.steps if s.id not in seen]
    for comp in strongly_connected(lost, {sid: [d for d in succ[sid] if d not in seen] for sid in lost}):
        members = set(comp)
        if any(d in members for sid in lost if sid not in members for d in succ[sid]):
            continue  # another unreachable step leads here
        comp.sort(key=index.__getitem__)
        behind = sorted(reachable(comp[0], {k: [d for d in v if d not in seen] for k, v in succ.items()}) - {comp[0]},
                        key=index.__getitem__)
        also = f" (so are the steps after it: {_names(behind)})" if behind else ""
        sink.at(lf.doc, ("steps", index[comp[0]], "id"),
                f"step {comp[0]!r} is unreachable: no path leads to it from the first step {lf.flow.start!r}{also}")


def _names(ids: list[str], most: int = 4) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def check_calls(flows: Mapping[str, LoadedFlow], in_scope: set[str], sink: Sink) -> None:
    """Calls between flows must not form a cycle (the call stack would grow without end)."""
    succ: dict[str, list[str]] = {fid: [] for fid in flows}
    for fid, lf in flows.items():
        for s in lf.flow.steps:
            if isinstance(s, CallStep) and s.flow in flows and s.flow not in succ[fid]:
                succ[fid].append(s.flow)
    for comp in strongly_connected(sorted(flows), succ):
        if not is_cycle(comp, succ):
            continue
        members = set(comp)
        for fid in comp:
            if fid not in in_scope:
                continue
            lf = flows[fid]
            for i, s in enumerate(lf.flow.steps):
                if isinstance(s, CallStep) and s.flow in members:
                    loop = " → ".join([fid, *_path(s.flow, fid, succ, members)])
                    sink.at(lf.doc, ("steps", i, "flow"),
                            f"call cycle: {loop}; each call would start the flows again, without end")
