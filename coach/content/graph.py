"""A flow's step graph: edges (with the conditions on them), reachability, cycles, and Mermaid text.

Used by the linter (unreachable steps, loops with no question, dead ends) and by
`coach flows graph`.  Conditions are rendered as short readable text (`role = mentee`,
`other_active ≤ 2 or ...`), never evaluated here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from coach.content.schema import (
    AllCond,
    AnyCond,
    AskStep,
    AttemptsCond,
    CallStep,
    Condition,
    Else,
    Flow,
    NotCond,
    Op,
    RoleCond,
    SlotCond,
    Step,
    VisitedCond,
    When,
)
from coach.content.yamlsource import PathKey

EdgeKind = Literal["next", "when", "else"]


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    kind: EdgeKind
    cond: Condition | None
    path: PathKey  # data path of the YAML node naming `dst`
    cond_path: PathKey | None = None  # data path of the `when` condition


def step_edges(step: Step, index: int) -> list[Edge]:
    """The outgoing edges of one step (the `index`-th in the flow), in the order written."""
    nxt: Any = getattr(step, "next", None)
    base: PathKey = ("steps", index, "next")
    if nxt is None:
        return []
    if isinstance(nxt, str):
        return [Edge(step.id, nxt, "next", None, base)]
    out: list[Edge] = []
    for j, entry in enumerate(nxt):
        if isinstance(entry, When):
            out.append(Edge(step.id, entry.goto, "when", entry.when, (*base, j, "goto"), (*base, j, "when")))
        elif isinstance(entry, Else):
            out.append(Edge(step.id, entry.else_, "else", None, (*base, j, "else")))
    return out


def flow_edges(flow: Flow) -> list[Edge]:
    return [e for i, s in enumerate(flow.steps) for e in step_edges(s, i)]


def successors(flow: Flow) -> dict[str, list[str]]:
    """Step id -> the existing step ids it may go to next (unknown targets left out)."""
    ids = set(flow.step_ids())
    succ: dict[str, list[str]] = {sid: [] for sid in flow.step_ids()}
    for e in flow_edges(flow):
        if e.dst in ids and e.dst not in succ[e.src]:
            succ[e.src].append(e.dst)
    return succ


def reachable(start: str, succ: Mapping[str, Iterable[str]]) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in succ.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def strongly_connected(nodes: Iterable[str], succ: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative), each in discovery order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, list(succ.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop(0)
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, list(succ.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp: list[str] = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                out.append(comp[::-1])
    return out


def is_cycle(comp: list[str], succ: Mapping[str, Iterable[str]]) -> bool:
    """A component is a cycle if it has several nodes, or one node that goes to itself."""
    return len(comp) > 1 or comp[0] in succ.get(comp[0], ())


# --- conditions as text ------------------------------------------------------------------------

_OP_SIGNS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "{" + ", ".join(value_text(v) for v in value) + "}"
    text = str(value)
    if isinstance(value, str) and (not text or any(c.isspace() or c in "\"{},()" for c in text)):
        return f'"{text}"'
    return text


def _slot_text(c: SlotCond) -> str:
    op = c.op
    if op == Op.is_set:
        return f"{c.slot} is {'not ' if c.value is False else ''}set"
    if op == Op.in_:
        return f"{c.slot} in {value_text(c.value)}"
    if op == Op.contains:
        return f"{c.slot} contains {value_text(c.value)}"
    if op == Op.word_count_lt:
        return f"words({c.slot}) < {c.value}"
    if op == Op.matches:
        return f"{c.slot} ~ /{c.value}/"
    return f"{c.slot} {_OP_SIGNS[op.value]} {value_text(c.value)}"


def _parts(cond: Condition) -> tuple[str, list[str]]:
    """(joining word, rendered parts) of a condition; leaves are one part."""
    if isinstance(cond, AllCond):
        return "and", [_nested(c) for c in cond.all]
    if isinstance(cond, AnyCond):
        return "or", [_nested(c) for c in cond.any]
    if isinstance(cond, NotCond):
        return "", [f"not {_nested(cond.not_)}"]
    if isinstance(cond, SlotCond):
        return "", [_slot_text(cond)]
    if isinstance(cond, VisitedCond):
        return "", [f"visited {cond.visited}"]
    if isinstance(cond, AttemptsCond):
        return "", [f"attempts({cond.attempts}) {_OP_SIGNS[cond.op]} {cond.value}"]
    if isinstance(cond, RoleCond):
        return "", [f"role = {cond.role}"]
    return "", [type(cond).__name__]  # pragma: no cover - the schema admits no other


def _nested(cond: Condition) -> str:
    word, parts = _parts(cond)
    text = f" {word} ".join(parts)
    return f"({text})" if len(parts) > 1 else text


def condition_text(cond: Condition, width: int | None = None) -> str:
    """`cond` as short readable text; with `width`, trailing parts become `or ...`/`and ...`."""
    word, parts = _parts(cond)
    full = f" {word} ".join(parts)
    if width is None or len(full) <= width:
        return full
    kept = [parts[0]]
    for p in parts[1:]:
        if len(f" {word} ".join([*kept, p])) + len(word) + 5 > width:
            break
        kept.append(p)
    head = f" {word} ".join(kept)
    if len(head) > width:
        head = head[: max(width - 1, 1)].rstrip() + "…"
    return head + (f" {word} ..." if len(kept) < len(parts) else "")


def edge_label(edge: Edge, width: int | None = 32) -> str | None:
    if edge.kind == "else":
        return "else"
    if edge.cond is not None:
        return condition_text(edge.cond, width)
    return None


# --- Mermaid ---------------------------------------------------------------------------------

_MERMAID_RESERVED = frozenset({
    "end", "graph", "flowchart", "subgraph", "style", "class", "classdef", "click", "linkstyle",
    "direction", "call", "callback", "href", "default",
})


def _mermaid_text(text: str) -> str:
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


class _Ids:
    """Mermaid node ids: step ids as written, except words Mermaid reserves."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.ids: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self.ids:
            node = name
            if name.lower() in _MERMAID_RESERVED:
                node = f"{name}_"
                while node in self.taken:
                    node += "_"
                self.taken.add(node)
            self.ids[name] = node
        return self.ids[name]


def _node_line(step: Step, node: str) -> str:
    kind = str(getattr(step, "kind", "step"))
    label = f"{kind}: {step.id}"
    if isinstance(step, AskStep):
        label += f"<br/>slot: {step.slot}"
    elif isinstance(step, CallStep):
        label += f"<br/>flow: {step.flow}"
    shapes = {"branch": ("{", "}"), "end": ("([", "])"), "call": ("[[", "]]"), "ask": ("(", ")")}
    left, right = shapes.get(kind, ("[", "]"))
    safe = "<br/>".join(_mermaid_text(p) for p in label.split("<br/>"))
    return f'    {node}{left}"{safe}"{right}'


def mermaid(flow: Flow, *, width: int | None = 32) -> str:
    """The flow as Mermaid `flowchart TD` text: one node per step (kind and id; ask steps show
    their slot), edges labelled with their condition or `else`, call steps dashed to the flow."""
    ids = _Ids(flow.step_ids())
    lines = ["flowchart TD", f"    %% {flow.id}: {_mermaid_text(flow.title)}"]
    for step in flow.steps:
        lines.append(_node_line(step, ids(step.id)))
    called: list[str] = []
    for i, step in enumerate(flow.steps):
        if isinstance(step, CallStep):
            target = ids(f"flow__{step.flow}")
            if step.flow not in called:
                called.append(step.flow)
                lines.append(f'    {target}[["flow {_mermaid_text(step.flow)}"]]')
            lines.append(f'    {ids(step.id)} -.->|"calls"| {target}')
        for e in step_edges(step, i):
            label = edge_label(e, width)
            arrow = f'-->|"{_mermaid_text(label)}"|' if label else "-->"
            lines.append(f"    {ids(e.src)} {arrow} {ids(e.dst)}")
    return "\n".join(lines) + "\n"
