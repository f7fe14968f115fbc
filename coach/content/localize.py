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
replace the English ones (a choice is still picked by its number or its value)."""

from __future__ import annotations

from typing import Any

from coach.content.prompts import FALLBACK_LOCALE, PromptCatalog
from coach.content.pseudo import PSEUDO, pseudo
from coach.content.schema import Flow


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
    })


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
