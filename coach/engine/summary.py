"""The summary: "does this capture it?", and changing an answer from there.

An edit asks the chosen question again; once it is answered, the inputs that answered it before
are replaced by the new ones (and the "no" and the choice of what to change are dropped), and
the conversation is replayed from that list. So values that depended on the old answer (a branch
no longer taken, a computed score) are recomputed, and questions on a newly taken branch asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from transitions import EventData

from coach.content.schema import AskStep, Slot, SlotType, SummaryStep
from coach.engine import answers
from coach.engine.turns import ChoiceOption, Question

if TYPE_CHECKING:
    from coach.engine.dialogue import Dialogue

YES_NO = Slot(type=SlotType.yes_no)


def arg(event: EventData) -> str | None:
    """The text or name a trigger was called with, if any."""
    args = list(event.args)
    return None if not args or args[0] is None else str(args[0])


@dataclass
class Edit:
    slot: str
    control_from: int  # the group where the summary was put: it and later ones are dropped
    replaced: list[int]  # the inputs that answered the slot before


class Summary:
    def __init__(self, dialogue: Dialogue) -> None:
        self.d = dialogue
        self.editing: Edit | None = None

    def step(self) -> SummaryStep:
        step = self.d.runner.step()
        assert isinstance(step, SummaryStep)
        return step

    # --- reading what the user said -----------------------------------------------------------

    def classify(self, text: str) -> tuple[str, str | None]:
        """The trigger an answer at the summary means: confirm, edit (a slot, or which?), keep."""
        picked = self.match_slot(text)
        if picked is not None:
            return "edit", picked
        try:
            yes = answers.parse(YES_NO, text, self.d.today, self.d.lex)
        except answers.Invalid:
            yes = None
        if self.d.state == "confirming":
            if yes is None:
                return "answer", text
            return ("confirm", None) if yes else ("edit", None)
        if yes is False or self.d.lex.key(answers.norm(text)) in self.d.lex.words("replies.summary_keep"):
            return "keep", None
        return "answer", text

    def edit_slots(self) -> list[str]:
        """The answered slots the user may change from this summary."""
        flow = self.d.runner.flow()
        step = self.d.runner.step()
        names = step.edit_slots if isinstance(step, SummaryStep) and step.edit_slots else [
            s.slot for s in flow.steps if isinstance(s, AskStep)]
        return list(dict.fromkeys(n for n in names if n in self.d.answers))

    def match_slot(self, text: str) -> str | None:
        names = self.edit_slots()
        lex = self.d.lex
        t = re.sub(lex.regex("replies.summary_edit_re"), "", lex.key(answers.norm(text)))
        if t.isascii() and t.isdigit() and 1 <= int(t) <= len(names) and self.d.state == "choosing_edit":
            return names[int(t) - 1]
        for n in names:
            if t in (n, n.replace("_", " "), lex.key(answers.norm(self.d.render.slot_label(n)))):
                return n
        return None

    def names_slot(self, event: EventData) -> bool:
        return arg(event) is not None

    def _choices_text(self) -> str:
        return "\n".join(f"{i}. {self.d.render.slot_label(n)}" for i, n in enumerate(self.edit_slots(), 1))

    # --- prompts --------------------------------------------------------------------------------

    def put(self, _: EventData) -> None:
        d = self.d
        d.groups.begin("summary", d.runner.tag())
        d.put(d.say("summary", self.step().prompt), d.say("ask", "common.confirm"))

    def put_pick(self, _: EventData) -> None:
        d = self.d
        d.groups.begin("pick", f"{d.runner.tag()}#edit")
        d.put(d.say("ask", "common.pick_edit", {"choices": self._choices_text()}))

    def reprompt_confirm(self, _: EventData) -> None:
        self.d.say("reprompt", "common.invalid.confirm")
        self.d.say("ask", "common.confirm")

    def reprompt_pick(self, _: EventData) -> None:
        self.d.say("reprompt", "common.invalid.pick_edit", {"choices": self._choices_text()})

    def say_cannot_skip(self, _: EventData) -> None:
        self.d.say("info", "common.cannot_skip_here")
        self.d.reask()

    # --- confirming and editing -----------------------------------------------------------------

    def accept(self, _: EventData) -> None:
        d = self.d
        d.acknowledge()
        d.runner.advance()
        d.continue_flow()

    def start_edit(self, event: EventData) -> None:
        d = self.d
        slot = str(arg(event))
        target = next(s for s in d.runner.flow().steps if isinstance(s, AskStep) and s.slot == slot)
        control_from = d.groups.last_summary()
        self.editing = Edit(slot, control_from, d.groups.answering(slot, before=control_from))
        previous = d.answers.get(slot)
        if previous is not None:
            d.say("info", "common.editing", {"previous": previous.text})
        d.runner.jump(target.id)
        d.trigger("ask")

    def finish_edit(self) -> None:
        """The edited question is answered: the inputs from here on are the old ones with the new
        answer in place of the old, without the "no" and the choice of what to change."""
        d, edit = self.d, self.editing
        assert edit is not None
        self.editing = None
        groups = d.groups.groups
        run = list(groups[-1].entries)
        dropped = {i for g in groups[edit.control_from:-1] for i in g.entries} | set(run)
        replaced = set(edit.replaced)
        order: list[int] = []
        for i in range(d.input_count):
            if i in replaced:
                if run:
                    order.extend(run)
                    run = []
            elif i not in dropped:
                order.append(i)
        d.rewrite = order + run

    # --- for clients ----------------------------------------------------------------------------

    def question(self, mode: str) -> Question:
        step = self.d.runner.step().id
        if mode == "confirming":
            return Question(step=step, slot=None, type="confirm",
                            choices=[ChoiceOption(value="yes", label=self.d.render.word("confirm.yes")),
                                     ChoiceOption(value="no", label=self.d.render.word("confirm.no"))])
        options = [ChoiceOption(value=n, label=self.d.render.slot_label(n)) for n in self.edit_slots()]
        return Question(step=step, slot=None, type="choice", choices=options)
