"""Rendering bot texts for one conversation: prompt keys in, plain and Markdown messages out.

Which phrasing of a text is used rotates with how often the conversation has used it (counted in
the dialogue, so a replay picks the same ones); user values go in as plain text, and escaped
for Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from coach.content.prompts import pick, placeholders, render
from coach.content.schema import AskStep, CallStep, Slot, SlotType
from coach.engine import answers
from coach.engine.dates import long_date
from coach.engine.gist import gist
from coach.engine.text import md_bullets, md_escape, strip_emphasis
from coach.engine.turns import BotMessage, MessageKind

if TYPE_CHECKING:
    from coach.engine.dialogue import Dialogue

ACK_KEY = "common.ack"
ACK_KEYS = {None: ACK_KEY, "warm": "common.ack_warm", "plan": "common.ack_plan"}  # by tone


class Renderer:
    def __init__(self, dialogue: Dialogue) -> None:
        self.d = dialogue

    # --- values --------------------------------------------------------------------------------

    def declared_slots(self) -> dict[str, Slot]:
        """Slots declared by the flows on the stack and the sub-flows they call."""
        lib = self.d.lib
        flows = [lib.flow(f.flow_id) for f in self.d.runner.frames]
        called = [lib.flow(s.flow) for f in flows for s in f.steps if isinstance(s, CallStep) and s.flow in lib.flows]
        declared: dict[str, Slot] = {}
        for flow in [*called, *flows]:
            declared.update(flow.slots)
        return declared

    def value(self, name: str, extra: Mapping[str, str] | None = None) -> str:
        """The plain text a template's `$name` stands for; KeyError if it names nothing. In order:
        the caller's values, an answer as typed (`$slot__raw`), a slot (`$slot`, `$slot__bullets`),
        the context's names (`$mentor_name__first`: the first name), the key words of any of these
        (`$answer__gist`, see coach.engine.gist), the role, today's date
        (`$today`, `$today_long`), and a dash for a slot declared but not answered."""
        d = self.d
        if extra and name in extra:
            return extra[name]
        base, _, suffix = name.partition("__")
        if suffix == "gist":  # the key words, said back: "you sent the draft to two people"
            return gist(self.value(base, extra), self.d.lex)
        if suffix == "raw" and base in d.answers:
            return d.answers[base].raw
        if suffix in ("", "bullets") and base in d.slots:
            return self._shown(base, d.slots[base], bullets=bool(suffix))
        if name in d.context:
            return str(d.context[name])
        if suffix == "first" and base in d.context:  # "Sam" of "Sam Okafor" (a default like "your mentor" stays)
            full = str(d.context[base])
            return full.split()[0] if full.strip() and full not in d.stand_ins else full
        if name == "role":
            return d.header.role.value
        if name == "today":
            return d.today.isoformat()
        if name == "today_long":
            return long_date(d.today, d.header.locale)
        declared = self.declared_slots().get(base) if suffix in ("", "bullets") else None
        if declared is None or (suffix and declared.type not in (SlotType.list, SlotType.multichoice)):
            raise KeyError(name)
        return "- —" if suffix else answers.display(declared, None)

    def _shown(self, name: str, value: Any, *, bullets: bool) -> str:
        slot = self.d.runner.slot(name)
        if not bullets:
            return answers.display(slot, value, self.word, locale=self.d.header.locale)
        if not isinstance(value, list):
            raise KeyError(f"{name}__bullets")
        shown = [answers.display(slot, [v]) if slot and slot.type == SlotType.multichoice else str(v) for v in value]
        return "\n".join(f"- {v}" for v in shown) or "- —"

    # --- texts ---------------------------------------------------------------------------------

    def texts(self, key: str, extra: dict[str, str] | None = None) -> tuple[str, str]:
        """The text for `key` (plain, Markdown), using up one turn of its phrasings."""
        d = self.d
        entry = d.lib.prompts.entry(key, d.header.locale)
        used = d.phrase_counts.get(key, 0)
        # Rotation follows the stored log, so a replay picks the same phrasings: each /back or edit
        # moves every text on by one (a question asked again is asked in other words), and an ack
        # goes by the input's place in the log (after a /back, not the ack just undone).
        count, avoid = used + d.generation, None
        if key in ACK_KEYS.values():
            count, avoid = d.seq, d.last_ack
        template = self._optional_lines(pick(entry.phrasings(d.header.role.value), f"{d.header.id}:{key}", count,
                                             avoid), extra)
        d.phrase_counts[key] = used + 1
        return (_ellipsis(render(strip_emphasis(template), Values(self, extra, markdown=False))),
                _ellipsis(render(template, Values(self, extra, markdown=True))))

    def _optional_lines(self, template: str, extra: Mapping[str, str] | None) -> str:
        """Lines starting with `?` (a run of them makes one block, `?` alone a blank line in it) are
        kept, without the mark, only if every value they use was given: a document leaves out
        what the user skipped instead of showing a dash."""
        if "\n?" not in f"\n{template}":
            return template
        kept: list[str] = []
        block: list[str] = []

        def close_block() -> None:
            if block and all(self.has_value(name, extra) for name in placeholders("\n".join(block))):
                kept.extend(block)
            block.clear()

        for line in template.split("\n"):
            if line == "?" or line.startswith("? "):
                block.append(line[2:])
            else:
                close_block()
                kept.append(line)
        close_block()
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept))
        return text if template.endswith("\n") else text.rstrip("\n")

    def has_value(self, name: str, extra: Mapping[str, str] | None = None) -> bool:
        d = self.d
        if (extra and name in extra) or name in d.context or name in ("role", "today", "today_long"):
            return True
        if name.endswith("__first") and name.removesuffix("__first") in d.context:
            return True
        if name.endswith("__gist"):
            return self.has_value(name.removesuffix("__gist"), extra)
        base, _, suffix = name.partition("__")
        value = d.slots.get(base)
        return value is not None and value != "" and value != [] and suffix in ("", "bullets", "raw")

    def message(self, kind: MessageKind, key: str, extra: dict[str, str] | None = None) -> BotMessage:
        text, markdown = self.texts(key, extra)
        frames = self.d.runner.frames
        return BotMessage(kind=kind, text=text, markdown=markdown, key=key, step=frames[-1].step if frames else None)

    def ack(self, tone: str | None = None) -> BotMessage | None:
        """A thanks for the answer, in the tone that fits it (the plain one where the tone has no texts)."""
        d = self.d
        key = ACK_KEYS.get(tone, ACK_KEY)
        if not d.lib.prompts.has(key, d.header.locale):
            key = ACK_KEY
        if not d.lib.prompts.has(key, d.header.locale):
            return None
        text, markdown = self.texts(key)
        d.last_ack = text
        return BotMessage(kind="ack", text=text, markdown=markdown, key=key)

    def summary_so_far(self) -> BotMessage:
        d = self.d
        lines = []
        for name, ans in d.answers.items():
            skipped = ans.skipped or ans.gave_up
            shown = self.word("skipped") if skipped else answers.display(d.runner.slot(name), ans.value, self.word,
                                                                         locale=d.header.locale)
            lines.append((self.slot_label(name), shown))
        if not lines:
            return self.message("summary", "common.summary_empty")
        text = "\n".join(f"- {label}: {value}" for label, value in lines)
        md = "\n".join(f"- **{md_escape(label)}**: {md_escape(value)}" for label, value in lines)
        head_t, head_md = self.texts("common.summary_so_far")
        return BotMessage(kind="summary", text=f"{head_t}\n{text}", markdown=f"{head_md}\n\n{md}",
                          key="common.summary_so_far", step=d.runner.frames[-1].step if d.runner.frames else None)

    def slot_label(self, name: str) -> str:
        slot = self.d.runner.slot(name)
        return (slot.label if slot and slot.label else name.replace("_", " ")).strip()

    # --- hints for a question -------------------------------------------------------------------

    def hint(self, step: AskStep, slot: Slot | None) -> dict[str, str]:
        hint: dict[str, str] = {}
        if slot is None:
            return hint
        if slot.choices:
            hint["choices"] = "\n".join(f"{i}. {c.label}" for i, c in enumerate(slot.choices, 1))
        if slot.type == SlotType.scale:
            lo, hi = slot.scale_bounds
            hint.update(min=str(lo), max=str(hi))
        else:
            if slot.min is not None:
                hint["min"] = f"{answers.as_int_if_whole(slot.min)}"
            if slot.max is not None:
                hint["max"] = f"{answers.as_int_if_whole(slot.max)}"
        hint["example"] = self.example(slot)
        hint["skip"] = self.word("skip_hint") if step.skippable else ""
        return hint

    def word(self, key: str, **values: str) -> str:
        """The engine's own text `engine.<key>` in the conversation's locale, filled in."""
        d = self.d
        return render(d.lib.prompts.entry(f"engine.{key}", d.header.locale).phrasings("default")[0], values)

    def example(self, slot: Slot) -> str:
        """What an answer to `slot` looks like ("yes or no", "a number, like 4")."""
        if slot.type == SlotType.scale:
            lo, hi = slot.scale_bounds
            return self.word("example.scale", min=str(lo), max=str(hi))
        kind = "choice" if slot.type in (SlotType.choice, SlotType.multichoice) else slot.type.value
        return self.word(f"example.{kind}")


def _ellipsis(text: str) -> str:
    """A shortened value before the template's full stop: "… ." is just "…"."""
    return text.replace("….", "…")


class Values(Mapping[str, str]):
    """A template's values, worked out only for the names it uses (plain, or escaped for Markdown)."""

    def __init__(self, renderer: Renderer, extra: Mapping[str, str] | None, *, markdown: bool) -> None:
        self.renderer, self.extra, self.markdown = renderer, extra, markdown

    def __getitem__(self, name: str) -> str:
        plain = self.renderer.value(name, self.extra)
        if not self.markdown:
            return plain
        if name.endswith("__bullets"):
            return md_bullets(plain)
        if self.extra and name in self.extra and "\n" in plain:  # a list the engine made: one item a line
            return "\\\n".join(md_escape(line) for line in plain.split("\n"))
        return md_escape(plain)

    def __iter__(self) -> Iterator[str]:  # templates look names up; nothing iterates
        return iter(())

    def __len__(self) -> int:
        return 0
