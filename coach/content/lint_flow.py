"""Checks of one flow's references: goto targets, slots (asked, set, edited, committed, compared),
called flows and compute functions.  Each problem is located at the node that names it."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from coach.content.graph import flow_edges
from coach.content.lint_conditions import Report, check_condition, value_problem
from coach.content.lint_diag import Sink, did_you_mean
from coach.content.lint_paths import after, given_before, reads, roles_at
from coach.content.lint_scope import Scope
from coach.content.loader import LoadedFlow
from coach.content.schema import AskStep, CallStep, EndStep, Flow, SetStep, SlotType, SummaryStep
from coach.content.yamlsource import PathKey


def check_flow(
    lf: LoadedFlow,
    scope: Scope,
    flows: Mapping[str, Flow],
    sink: Sink,
    compute_functions: Collection[str] | None = None,
) -> None:
    flow, doc = lf.flow, lf.doc

    def report(path: PathKey, message: str, warning: bool) -> None:
        sink.at(doc, path, message, warning=warning)

    ids = flow.step_ids()
    for e in flow_edges(flow):
        if e.dst not in ids:
            where = {"next": "next", "when": "goto", "else": "else"}[e.kind]
            report(e.path, f"step {e.src!r}: {where}: no step {e.dst!r} in this flow{did_you_mean(e.dst, ids)}", False)
        if e.cond is not None and e.cond_path is not None:
            check_condition(e.cond, e.cond_path, scope, report)
    asked_here = {s.slot for s in flow.steps if isinstance(s, AskStep)}
    for i, step in enumerate(flow.steps):
        at: PathKey = ("steps", i)
        if isinstance(step, AskStep) and step.slot not in flow.slots:
            report((*at, "slot"), f"step {step.id!r} asks for slot {step.slot!r}, which is not declared under "
                   f"slots{did_you_mean(step.slot, flow.slots)}", False)
        elif isinstance(step, SetStep):
            _check_set(step, at, scope, report)
        elif isinstance(step, SummaryStep):
            for k, name in enumerate(step.edit_slots):
                if name not in asked_here:
                    report((*at, "edit_slots", k), f"edit_slots: {name!r} is not asked in this flow, so it cannot be "
                           f"edited from the summary{did_you_mean(name, asked_here)}", False)
        elif isinstance(step, EndStep):
            _check_end(step, at, scope, report)
        elif isinstance(step, CallStep) and step.flow not in flows:
            report((*at, "flow"), f"call to unknown flow {step.flow!r}{did_you_mean(step.flow, flows)}", False)
        elif getattr(step, "kind", None) == "compute" and compute_functions is not None:
            fn = str(getattr(step, "function", ""))
            if fn not in compute_functions:
                known = ", ".join(sorted(compute_functions)) or "none"
                report((*at, "function"), f"unknown compute function {fn!r} (known: {known})", False)
    for name, slot in flow.slots.items():
        if slot.after is not None and slot.after not in flow.slots:
            report(("slots", name, "after"), f"slot {name!r}: after: no slot {slot.after!r} in this flow"
                   f"{did_you_mean(slot.after, flow.slots)}", False)
        elif slot.after is not None and flow.slots[slot.after].type != "date":
            report(("slots", name, "after"), f"slot {name!r}: after: {slot.after!r} is not a date slot", False)
    _check_unused_slots(lf, scope, sink)
    _check_read_before_given(flow, scope, flows, report)
    _check_call_roles(flow, flows, report)


def _check_read_before_given(flow: Flow, scope: Scope, flows: Mapping[str, Flow], report: Report) -> None:
    """A condition that reads a slot no path to it has asked or set always comes out the same."""
    given = given_before(flow, flows)
    steps = {s.id: s for s in flow.steps}
    done: set[tuple[str, str]] = set()
    for e in flow_edges(flow):
        if e.cond is None or e.cond_path is None or e.src not in given:
            continue
        have = after(steps[e.src], given[e.src], flows, flow.id)
        for name, path, op in reads(e.cond, e.cond_path):
            if have.has(name) or not scope.known(name) or (e.src, name) in done:
                continue
            done.add((e.src, name))
            report(path, f"step {e.src!r} reads slot {name!r} (op {op.value}) before any path from {flow.start!r} "
                   f"asks or sets it, so it has no value here and the test always comes out the same; ask it "
                   f"earlier, or test it with op is_set", False)


def _check_call_roles(flow: Flow, flows: Mapping[str, Flow], report: Report) -> None:
    """A call reached by a role the called flow is not written for."""
    reach = roles_at(flow)
    for i, step in enumerate(flow.steps):
        if not isinstance(step, CallStep) or step.flow not in flows:
            continue
        callee = flows[step.flow]
        missing = sorted(reach.get(step.id, set()) - set(callee.roles))
        if missing:
            who = " and ".join(missing)
            report(("steps", i, "flow"), f"step {step.id!r} calls flow {step.flow!r}, which is written for "
                   f"{' and '.join(callee.roles)} only, but a {who} conversation reaches this step; add {who} to "
                   f"the roles of {step.flow!r} (with texts for it), or branch on {{role: {callee.roles[0]}}} "
                   "before the call", False)


def _check_set(step: SetStep, at: PathKey, scope: Scope, report: Report) -> None:
    for name, value in step.values.items():
        path = (*at, "values", name)
        slot = scope.slot(name)
        if slot is not None:
            problem = value_problem(name, slot, value)
            if problem:
                report(path, f"set: {problem}", False)
        else:
            report(path, f"set: {name!r} is not a declared slot{did_you_mean(name, scope.visible)}; declare it "
                   "under slots (with its type) so that what reads it is checked", False)


def _check_end(step: EndStep, at: PathKey, scope: Scope, report: Report) -> None:
    for k, spec in enumerate(step.commitments):
        cpath = (*at, "commitments", k)
        if not scope.known(spec.slot):
            report((*cpath, "slot"), f"commitments: unknown slot {spec.slot!r}{did_you_mean(spec.slot, scope.names())}",
                   scope.computes)
        if spec.due_slot is None:
            continue
        due = scope.slot(spec.due_slot)
        if not scope.known(spec.due_slot):
            report((*cpath, "due_slot"), f"commitments: unknown slot {spec.due_slot!r}"
                   f"{did_you_mean(spec.due_slot, scope.names())}", scope.computes)
        elif due is not None and due.type != SlotType.date:
            report((*cpath, "due_slot"), f"commitments: due_slot {spec.due_slot!r} is a {due.type.value} slot, "
                   "not a date slot", False)


def _check_unused_slots(lf: LoadedFlow, scope: Scope, sink: Sink) -> None:
    used = scope.asked | set(scope.computed)
    for name in lf.flow.slots:
        if name not in used and not scope.computes:
            sink.at(lf.doc, ("slots", name), f"slot {name!r} is declared but never asked or set", warning=True,
                    at_key=True)
