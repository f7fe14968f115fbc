"""Type checks of conditions and `set` values against the slots they name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from coach.content.graph import value_text
from coach.content.lint_diag import did_you_mean
from coach.content.lint_scope import Scope
from coach.content.schema import (
    AllCond,
    AnyCond,
    AskStep,
    AttemptsCond,
    Condition,
    NotCond,
    Op,
    RoleCond,
    Slot,
    SlotCond,
    SlotType,
    VisitedCond,
)
from coach.content.yamlsource import PathKey

Report = Callable[[PathKey, str, bool], None]  # (path, message, warning?)

_ORDERED = (SlotType.number, SlotType.scale, SlotType.date)
OPS_BY_TYPE: dict[SlotType, frozenset[Op]] = {
    SlotType.text: frozenset({Op.eq, Op.ne, Op.in_, Op.contains, Op.is_set, Op.word_count_lt, Op.matches}),
    SlotType.choice: frozenset({Op.eq, Op.ne, Op.in_, Op.is_set, Op.matches}),
    SlotType.multichoice: frozenset({Op.eq, Op.ne, Op.contains, Op.is_set}),
    SlotType.scale: frozenset({Op.eq, Op.ne, Op.lt, Op.le, Op.gt, Op.ge, Op.in_, Op.is_set}),
    SlotType.number: frozenset({Op.eq, Op.ne, Op.lt, Op.le, Op.gt, Op.ge, Op.in_, Op.is_set}),
    SlotType.yes_no: frozenset({Op.eq, Op.ne, Op.is_set}),
    SlotType.date: frozenset({Op.eq, Op.ne, Op.lt, Op.le, Op.gt, Op.ge, Op.in_, Op.is_set, Op.matches}),
    SlotType.time: frozenset({Op.eq, Op.ne, Op.in_, Op.is_set, Op.matches}),
    SlotType.list: frozenset({Op.contains, Op.is_set}),
}
_OP_ADVICE = {
    SlotType.list: "a list slot supports only contains and is_set",
    SlotType.multichoice: "a multichoice slot holds a list of choices: use contains (or is_set)",
    SlotType.yes_no: "a yes_no slot supports eq/ne true or false, and is_set",
    SlotType.choice: "a choice slot supports eq, ne, in (over its choice values), matches and is_set",
    SlotType.text: "compare text with eq, ne, in, contains, word_count_lt, matches or is_set",
}


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_date(v: Any) -> bool:
    if isinstance(v, date):
        return True
    if isinstance(v, str):
        try:
            date.fromisoformat(v)
        except ValueError:
            return False
        return True
    return False


def _bound(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if x == int(x) else str(x)


def value_problem(name: str, slot: Slot, v: Any) -> str | None:
    """Why `v` cannot be a value of `slot` (named `name`), or None if it can."""
    t = slot.type
    if isinstance(v, bool) and t != SlotType.yes_no:
        return f"true/false only fits a yes_no slot; {name!r} is a {t.value} slot"
    if t == SlotType.yes_no and not isinstance(v, bool):
        return f"{name!r} is a yes_no slot: use true or false, not {value_text(v)}"
    values = [c.value for c in slot.choices]
    if t == SlotType.choice and v not in values:
        return f"{value_text(v)} is not a choice of {name!r} (choices: {', '.join(values)})"
    if t in (SlotType.multichoice, SlotType.list):
        if not isinstance(v, list):
            return f"{name!r} is a {t.value} slot: its value is a list"
        for item in v:
            if t == SlotType.multichoice and item not in values:
                return f"{value_text(item)} is not a choice of {name!r} (choices: {', '.join(values)})"
            if t == SlotType.list and not isinstance(item, str):
                return f"the items of list slot {name!r} are texts, not {value_text(item)}"
    if t in (SlotType.number, SlotType.scale):
        if not _is_number(v):
            return f"{name!r} is a {t.value} slot: expected a number, not {value_text(v)}"
        lo, hi = slot.scale_bounds if t == SlotType.scale else (slot.min, slot.max)
        if t == SlotType.scale and v != int(v):
            return f"{name!r} is a scale from {lo} to {hi}: {value_text(v)} is not a whole number"
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            return f"{value_text(v)} is outside the range of {name!r} ({_bound(lo)}..{_bound(hi)})"
    if t == SlotType.date and not _is_date(v):
        return f"{name!r} is a date slot: expected a date like 2026-01-31, not {value_text(v)}"
    if t == SlotType.text and not isinstance(v, str):
        return f"{name!r} is a text slot: expected text, not {value_text(v)}"
    return None


def check_condition(cond: Condition, path: PathKey, scope: Scope, report: Report) -> None:
    """Check names and types in `cond` (found at `path`), recursing into all/any/not."""
    if isinstance(cond, AllCond | AnyCond):
        key = "all" if isinstance(cond, AllCond) else "any"
        for i, c in enumerate(cond.all if isinstance(cond, AllCond) else cond.any):
            check_condition(c, (*path, key, i), scope, report)
    elif isinstance(cond, NotCond):
        check_condition(cond.not_, (*path, "not"), scope, report)
    elif isinstance(cond, SlotCond):
        _check_slot_cond(cond, path, scope, report)
    elif isinstance(cond, VisitedCond):
        if cond.visited not in scope.steps:
            report((*path, "visited"), f"visited: no step {cond.visited!r}{did_you_mean(cond.visited, scope.steps)}",
                   False)
    elif isinstance(cond, AttemptsCond):
        asks = {s.id for s in scope.flow.steps if isinstance(s, AskStep)}
        if cond.attempts not in asks:
            what = "no step" if cond.attempts not in scope.flow.step_ids() else "not an ask step:"
            report((*path, "attempts"),
                   f"attempts counts tries at an ask step of this flow; {what} {cond.attempts!r}"
                   f"{did_you_mean(cond.attempts, asks)}", False)
    elif isinstance(cond, RoleCond) and cond.role not in scope.flow.roles:
        report((*path, "role"), f"never true: flow {scope.flow.id!r} is only for {', '.join(scope.flow.roles)}", True)


def _check_slot_cond(cond: SlotCond, path: PathKey, scope: Scope, report: Report) -> None:
    name = cond.slot
    if not scope.known(name):
        hint = did_you_mean(name, scope.names())
        if scope.computes:
            report((*path, "slot"), f"{name!r} is not a declared slot{hint}; only a compute step could set it "
                   "(declare it under slots to have its type checked)", True)
        else:
            report((*path, "slot"), f"unknown slot {name!r}{hint}", False)
        return
    slot = scope.slot(name)
    op = cond.op
    if op == Op.is_set:
        return
    vpath = (*path, "value")
    if slot is None:
        _check_computed(cond, vpath, scope, report)
        return
    t = slot.type
    if op not in OPS_BY_TYPE[t]:
        advice = _OP_ADVICE.get(t) if t not in _ORDERED else f"a {t.value} slot supports eq, ne, lt, le, gt, ge, in"
        report((*path, "op"), f"op {op.value!r} does not fit {t.value} slot {name!r}: {advice}", False)
        return
    problem: str | None = None
    if op in (Op.eq, Op.ne) and t == SlotType.multichoice and not isinstance(cond.value, list):
        problem = (f"{name!r} is a multichoice slot: its value is a list of choices; to test for one choice, "
                   f"use op contains")
    elif op in (Op.eq, Op.ne):
        problem = value_problem(name, slot, cond.value)
    elif op == Op.in_:
        for item in cond.value:
            problem = problem or value_problem(name, slot, item)
    elif op in (Op.lt, Op.le, Op.gt, Op.ge):
        if t == SlotType.date:
            problem = None if _is_date(cond.value) else (
                f"{name!r} is a date slot: compare it with a date like 2026-01-31, not {value_text(cond.value)}")
        elif not _is_number(cond.value):
            problem = f"{name!r} is a {t.value} slot: compare it with a number, not {value_text(cond.value)}"
    elif op == Op.contains:
        if t == SlotType.multichoice:
            problem = value_problem(name, slot, [cond.value])
        elif not isinstance(cond.value, str):
            problem = f"contains on {t.value} slot {name!r} takes text, not {value_text(cond.value)}"
    if problem:
        report(vpath, problem, False)


def _check_computed(cond: SlotCond, vpath: PathKey, scope: Scope, report: Report) -> None:
    """A name only `set` steps give a value: eq/ne/in must name a value that is ever set."""
    values = scope.computed.get(cond.slot, [])
    if scope.computes or cond.op not in (Op.eq, Op.ne, Op.in_) or any(isinstance(v, list | dict) for v in values):
        return
    wanted = cond.value if cond.op == Op.in_ else [cond.value]
    never = [w for w in wanted if w not in values]
    if never:
        shown = ", ".join(value_text(v) for v in dict.fromkeys(values))
        report(vpath, f"{cond.slot!r} is only ever set to {shown}; {value_text(never[0])} never matches", False)
