"""Evaluating structured conditions (all/any/not over slot comparisons and facts). Never eval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach.content import patterns
from coach.content.schema import (
    AllCond,
    AnyCond,
    AttemptsCond,
    Condition,
    NotCond,
    Op,
    RoleCond,
    SlotCond,
    VisitedCond,
)


@dataclass(frozen=True)
class Facts:
    slots: Mapping[str, Any]
    visited: Sequence[str]
    attempts: Mapping[str, int]
    role: str


def _comparable(a: Any, b: Any) -> tuple[Any, Any] | None:
    if isinstance(a, bool) or isinstance(b, bool):
        return None
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a, b
    if isinstance(a, date) or isinstance(b, date):
        try:
            da = a if isinstance(a, date) else date.fromisoformat(str(a))
            db = b if isinstance(b, date) else date.fromisoformat(str(b))
        except ValueError:
            return None
        return da, db
    if isinstance(a, str) and isinstance(b, str):
        return a, b
    return None


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "eq":
        return bool(a == b)
    if op == "ne":
        return bool(a != b)
    pair = _comparable(a, b)
    if pair is None:
        return False
    x, y = pair
    return bool({"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[op])


def _slot(cond: SlotCond, facts: Facts) -> bool:
    value = facts.slots.get(cond.slot)
    op = cond.op
    if op == Op.is_set:
        is_set = value is not None and value != [] and value != ""
        return is_set if cond.value is None else is_set == cond.value
    if value is None:
        return op == Op.ne
    if op == Op.in_:
        return bool(value in cond.value)
    if op == Op.contains:
        if isinstance(value, list):
            return cond.value in value
        return str(cond.value).casefold() in str(value).casefold()
    if op == Op.word_count_lt:
        return len(str(value).split()) < int(cond.value)
    if op == Op.matches:
        return patterns.search(str(cond.value), str(value), ignore_case=True)
    return _compare(op.value, value, cond.value)


def evaluate(cond: Condition, facts: Facts) -> bool:
    if isinstance(cond, AllCond):
        return all(evaluate(c, facts) for c in cond.all)
    if isinstance(cond, AnyCond):
        return any(evaluate(c, facts) for c in cond.any)
    if isinstance(cond, NotCond):
        return not evaluate(cond.not_, facts)
    if isinstance(cond, SlotCond):
        return _slot(cond, facts)
    if isinstance(cond, VisitedCond):
        return cond.visited in facts.visited
    if isinstance(cond, AttemptsCond):
        return _compare(cond.op, facts.attempts.get(cond.attempts, 0), cond.value)
    if isinstance(cond, RoleCond):
        return facts.role == cond.role
    raise TypeError(f"unknown condition {cond!r}")  # pragma: no cover - the schema admits no other
