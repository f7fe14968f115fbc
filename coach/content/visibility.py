"""Who may see each answer of a stage: `private` (only the user) or `partner` (it may go into a
packet for the other person, `coach share`).

A slot says so with `visibility:` (`sensitive: true` is the older spelling of `private`). A slot
that declares nothing is `partner` when a document of the stage written to be sent (`audience:
partner`) uses it (it is in what the user sends anyway), and `private` otherwise: nothing is
shared that no one chose to share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Literal

from coach.content.prompts import PromptCatalog, placeholders
from coach.content.schema import CallStep, EndStep, Flow, Slot

Visibility = Literal["private", "partner"]


def stage_flows(flow_id: str, flows: Mapping[str, Flow]) -> list[Flow]:
    """The flow and every flow it calls (directly or not), each once, the flow first."""
    order: list[Flow] = []
    todo = [flow_id]
    while todo:
        fid = todo.pop(0)
        if fid not in flows or any(f.id == fid for f in order):
            continue
        flow = flows[fid]
        order.append(flow)
        todo += [s.flow for s in flow.steps if isinstance(s, CallStep)]
    return order


def template_slots(keys: Iterable[str], entries: Callable[[str], Iterable[list[str]]]) -> set[str]:
    """The slot names (without `__bullets` and the like) the texts under `keys` use."""
    return {name.split("__")[0] for key in keys for texts in entries(key) for text in texts
            for name in placeholders(text)}


def partner_templates(flows: Iterable[Flow]) -> list[str]:
    return [a.template for f in flows for s in f.steps if isinstance(s, EndStep) for a in s.artifacts
            if a.audience == "partner"]


def slot_visibility(flow_id: str, flows: Mapping[str, Flow], prompts: PromptCatalog,
                    locale: str = "en") -> dict[str, Visibility]:
    """Every slot of the stage `flow_id` (its own and its sub-flows'), by name: who may see it."""
    mine = stage_flows(flow_id, flows)

    def entries(key: str) -> list[list[str]]:
        if not prompts.has(key, locale):
            return []
        return list(prompts.entry(key, locale).variants.values())

    in_sent = template_slots(partner_templates(mine), entries)
    declared: dict[str, Slot] = {}
    for flow in reversed(mine):  # the stage's own declaration wins over a sub-flow's
        declared.update(flow.slots)
    private = {name for flow in mine for name, slot in flow.slots.items() if slot.declared_private}
    out: dict[str, Visibility] = {}
    for name, slot in declared.items():
        if name in private:  # private anywhere is private: the safe side wins
            out[name] = "private"
        elif slot.visibility == "partner" or name in in_sent:
            out[name] = "partner"
        else:
            out[name] = "private"
    return out
