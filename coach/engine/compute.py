"""Named pure functions a flow's `compute` step may run over the slots (scores, recommendations).

Flows are data and cannot carry code; a compute step names one of the functions registered
here.  Each takes the slots (read-only) and the role and returns new slot values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

ComputeFn = Callable[[Mapping[str, Any], str], dict[str, Any]]

REGISTRY: dict[str, ComputeFn] = {}


def register(name: str) -> Callable[[ComputeFn], ComputeFn]:
    def deco(fn: ComputeFn) -> ComputeFn:
        REGISTRY[name] = fn
        return fn

    return deco


def names() -> list[str]:
    return sorted(REGISTRY)


def run(name: str, slots: Mapping[str, Any], role: str) -> dict[str, Any]:
    fn = REGISTRY.get(name)
    if fn is None:
        raise KeyError(f"no compute function named {name!r} (known: {', '.join(names()) or 'none'})")
    return fn(slots, role)
