"""A flow's own texts in another language: its title, description, slot labels and the labels and
synonyms of its choices, from `prompts/<locale>/<flow id>.yaml` under `flow:`.

The flow file holds the English (the source); a translation gives, for example:

    flow:
      title: Encaje
      slots:
        cadence:
          label: Ritmo de reuniones
          choices:
            weekly: {label: Semanal, synonyms: [cada semana]}

What a translation leaves out stays as the flow says. A choice's synonyms in the translation
replace the English ones (a choice is still picked by its number or its value).

A condition's `matches` pattern reads answers in their language, so a translation gives its own, keyed
by the step, the branch of its `next` (counted from 0) and, where a branch has more than one, which
`matches` of it (`matches`, `matches_2`, ... in the order the condition lists them):

    flow:
      steps:
        ask_behaviour:
          next:
            0: {matches: '(?:^|[^\\pL])(?:vago|maleducado)(?:[^\\pL]|$)'}

A translated pattern RE2 cannot run is left out (the English one is used; the lint reports it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from coach.content import patterns
from coach.content.prompts import FALLBACK_LOCALE, PromptCatalog
from coach.content.pseudo import PSEUDO, pseudo
from coach.content.schema import AllCond, AnyCond, Condition, Flow, NotCond, Op, SlotCond, When


def _leaves(cond: Condition) -> Iterator[SlotCond]:
    """The `matches` leaves of `cond`, in the order it lists them."""
    if isinstance(cond, AllCond | AnyCond):
        for c in cond.all if isinstance(cond, AllCond) else cond.any:
            yield from _leaves(c)
    elif isinstance(cond, NotCond):
        yield from _leaves(cond.not_)
    elif isinstance(cond, SlotCond) and cond.op == Op.matches:
        yield cond


def _matches_key(ns: str, step: str, branch: int, j: int) -> str:
    return f"{ns}.steps.{step}.next.{branch}.matches" + (f"_{j + 1}" if j else "")


def pattern_keys(flow: Flow) -> dict[str, str]:
    """The keys of the `matches` patterns of `flow`'s conditions, each with its English pattern."""
    ns, out = f"{flow.id}.flow", {}
    for step in flow.steps:
        nxt = getattr(step, "next", None)
        if not isinstance(nxt, list):
            continue
        for i, branch in enumerate(nxt):
            if isinstance(branch, When):
                for j, leaf in enumerate(_leaves(branch.when)):
                    out[_matches_key(ns, step.id, i, j)] = str(leaf.value)
    return out


def _with_patterns(cond: Condition, pattern: Callable[[int, str], str], start: int = 0) -> tuple[Condition, int]:
    """`cond` with its j-th `matches` leaf's pattern as `pattern(j, english)`; and the count of leaves."""
    if isinstance(cond, AllCond | AnyCond):
        parts, j = [], start
        for c in cond.all if isinstance(cond, AllCond) else cond.any:
            new, j = _with_patterns(c, pattern, j)
            parts.append(new)
        field = "all" if isinstance(cond, AllCond) else "any"
        return cond.model_copy(update={field: parts}), j
    if isinstance(cond, NotCond):
        new, j = _with_patterns(cond.not_, pattern, start)
        return cond.model_copy(update={"not_": new}), j
    if isinstance(cond, SlotCond) and cond.op == Op.matches:
        return cond.model_copy(update={"value": pattern(start, str(cond.value))}), start + 1
    return cond, start


def flow_keys(flow: Flow) -> dict[str, str | list[str]]:
    """The keys a translation of `flow` can give, each with its English source (a text, or a list
    of synonyms); synonyms are offered only where the flow has some."""
    ns = f"{flow.id}.flow"
    keys: dict[str, str | list[str]] = {f"{ns}.title": flow.title}
    if flow.description:
        keys[f"{ns}.description"] = flow.description
    for name, slot in flow.slots.items():
        if slot.label:
            keys[f"{ns}.slots.{name}.label"] = slot.label
        for choice in slot.choices:
            keys[f"{ns}.slots.{name}.choices.{choice.value}.label"] = choice.label
            if choice.synonyms:
                keys[f"{ns}.slots.{name}.choices.{choice.value}.synonyms"] = list(choice.synonyms)
    keys.update(pattern_keys(flow))
    return keys


def localize(flow: Flow, prompts: PromptCatalog, locale: str) -> Flow:
    """`flow` with the texts `locale` translates (the same flow where it translates none)."""
    if locale == PSEUDO:
        return _pseudo_flow(flow)
    table = prompts.entries.get(locale, {})
    ns = f"{flow.id}.flow"
    if locale == FALLBACK_LOCALE or not any(k.startswith(f"{ns}.") for k in table):
        return flow

    def text(key: str, default: str) -> str:
        entry = table.get(key)
        return entry.phrasings("default")[0] if entry else default

    def words(key: str) -> list[str] | None:
        entry = table.get(key)
        return list(entry.phrasings("default")) if entry else None

    slots: dict[str, Any] = {}
    for name, slot in flow.slots.items():
        prefix = f"{ns}.slots.{name}"
        choices = [
            choice.model_copy(update={
                "label": text(f"{prefix}.choices.{choice.value}.label", choice.label),
                "synonyms": words(f"{prefix}.choices.{choice.value}.synonyms") or
                            ([] if f"{prefix}.choices.{choice.value}.label" in table else list(choice.synonyms)),
            })
            for choice in slot.choices
        ]
        label = text(f"{prefix}.label", slot.label) if slot.label else slot.label
        slots[name] = slot.model_copy(update={"label": label, "choices": choices})
    return flow.model_copy(update={
        "title": text(f"{ns}.title", flow.title),
        "description": text(f"{ns}.description", flow.description) if flow.description else flow.description,
        "slots": slots,
        "steps": [_step_patterns(step, ns, text) for step in flow.steps],
    })


def _step_patterns(step: Any, ns: str, text: Callable[[str, str], str]) -> Any:
    """`step` with the translated `matches` patterns of its branches (a pattern RE2 cannot run: the English)."""
    nxt = getattr(step, "next", None)
    if not isinstance(nxt, list) or not any(isinstance(b, When) and any(True for _ in _leaves(b.when)) for b in nxt):
        return step
    branches = []
    for i, branch in enumerate(nxt):
        if isinstance(branch, When):
            def pattern(j: int, english: str, i: int = i) -> str:
                translated = text(_matches_key(ns, step.id, i, j), english)
                return english if patterns.check(translated) else translated

            when, _ = _with_patterns(branch.when, pattern)
            branch = branch.model_copy(update={"when": when})
        branches.append(branch)
    return step.model_copy(update={"next": branches})


def _pseudo_flow(flow: Flow) -> Flow:
    """`flow` with its texts in the pseudo-locale (its choice words stay English: typed as they are)."""
    slots = {
        name: slot.model_copy(update={
            "label": pseudo(slot.label) if slot.label else slot.label,
            "choices": [c.model_copy(update={"label": pseudo(c.label), "synonyms": [*c.synonyms, c.label]})
                        for c in slot.choices],
        })
        for name, slot in flow.slots.items()
    }
    return flow.model_copy(update={"title": pseudo(flow.title), "description": pseudo(flow.description)
                                   if flow.description else "", "slots": slots})
