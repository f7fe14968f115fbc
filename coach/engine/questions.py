"""Questions of the flow: an answer is read for its slot, reprompted when it does not fit, probed
with a follow-up when it is vague, skipped where the flow allows, given up after too many tries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from transitions import EventData

from coach.content.schema import AskStep, Slot, SlotType
from coach.engine import answers, probes
from coach.engine.compute import rhythm_text
from coach.engine.dates import long_date, meeting_on_or_after, nearest_on_rhythm, regular_rhythm
from coach.engine.refine import clean, dont_know, refine, says_nothing
from coach.engine.turns import ChoiceOption, Question
from coach.models import Answer, Probe, iso_date

if TYPE_CHECKING:
    from coach.engine.dialogue import Dialogue

@dataclass
class Heard:
    """What the current input says, read for the prompt it was given at."""

    text: str
    value: Any = None
    invalid: answers.Invalid | None = None
    meanings: list[date] | None = None  # it could mean either of these
    off_rhythm: bool = False  # the meanings: the date as said, and the nearest one on the agreed rhythm


class Questions:
    def __init__(self, dialogue: Dialogue) -> None:
        self.d = dialogue
        self.probe_kinds: list[str] = []  # follow-ups asked about the current answer
        self._next: list[str] = []  # follow-ups worth asking, as found by the last guard
        self.offered: Any = None  # what the coach already knows for this question (offered back)
        self.meanings: list[date] = []  # the dates an answer could mean, while asking which
        self.off_rhythm = False  # ... because it is off the agreed rhythm
        self.said = ""

    def written(self, d: date) -> str:
        """`d` written out in the conversation's language."""
        return long_date(d, self.d.header.locale)

    def step(self) -> AskStep:
        step = self.d.runner.step()
        assert isinstance(step, AskStep)
        return step

    def slot(self) -> Slot:
        slot = self.d.runner.slot(self.step().slot)
        assert slot is not None
        return slot

    def answerable(self) -> Slot:
        """The slot as answers are read for it: a choice that names a person (`names:`) is also picked
        by that person's name as this conversation knows it (whole, or the first name)."""
        slot = self.slot()
        if not any(c.names for c in slot.choices):
            return slot
        known = self.d.context
        choices = []
        for c in slot.choices:
            named = [str(known[n]).strip() for n in c.names if str(known.get(n, "")).strip()
                     and known[n] not in self.d.stand_ins]
            extra = {w for name in named for w in (name, name.split()[0])}
            choices.append(c.model_copy(update={"synonyms": [*c.synonyms, *sorted(extra)]}) if extra else c)
        return slot.model_copy(update={"choices": choices})

    def parse(self, text: str, *, rhythm_checked: bool = True) -> Heard:
        if self.offered is not None and self._keeps(text):
            return Heard(text, value=self.offered)
        if self.step().no_advice and probes.asks_for_advice(text, self.d.lex):
            return Heard(text, invalid=answers.Invalid("advice_request"))  # met with why the coach asks
        try:
            value = self._in_order(self._own_words(answers.parse(self.answerable(), text, self.d.today, self.d.lex)))
            on_rhythm = self._on_rhythm(value) if rhythm_checked else None
            if on_rhythm is not None:
                return Heard(text, meanings=[on_rhythm[0], on_rhythm[1]], off_rhythm=True)
            return Heard(text, value=value)
        except answers.Invalid as bad:
            return Heard(text, invalid=bad)
        except answers.Ambiguous as two:
            return Heard(text, meanings=two.options)

    def _keeps(self, text: str) -> bool:
        """The reply keeps what the coach offered back (nothing, "yes", "keep it", "same" ...)."""
        said = self.d.lex.key(answers.norm(text))
        return not said or said in self.d.lex.words("replies.recall_keep")

    def _own_words(self, value: Any) -> Any:
        """A text or list answer without its asides: one that is only an aside ("same as above really")
        is asked again, since a document is read on its own; a list loses its aside-only items."""
        slot = self.slot()
        lex = self.d.lex
        if slot.type == SlotType.text and isinstance(value, str) and says_nothing(value, lex):
            raise answers.Invalid("dont_know" if dont_know(value, lex) else "only_aside", {"answer": value.strip()})
        if slot.type == SlotType.list and isinstance(value, list):
            items = [clean(item, lex) for item in value if not says_nothing(item, lex)]
            if not items:
                raise answers.Invalid("only_aside", {"answer": "; ".join(value)})
            answers.check_items(slot, len(items))
            return items
        return value

    def _in_order(self, value: Any) -> Any:
        """A date that must come after another answered date (`after:`) and does not: Invalid."""
        slot = self.slot()
        other = iso_date(self.d.slots.get(slot.after)) if slot.after else None
        mine = iso_date(value)
        if other is not None and mine is not None and mine <= other:
            assert slot.after is not None
            label = self.d.render.slot_label(slot.after)
            if not label[:2].isupper():  # "the closing conversation", not "the Closing conversation"
                label = _lower_first(label)
            raise answers.Invalid("date_order", {"date": self.written(mine), "other": label,
                                                 "other_date": self.written(other)})
        return value

    def rhythm(self) -> tuple[date, str] | None:
        """The agreed rhythm (its first meeting and cadence), if the slot keeps to one and it is known."""
        if not self.slot().on_rhythm:
            return None
        return regular_rhythm(self.d.memory.get("first_meeting"), self.d.memory.get("cadence"))

    def _on_rhythm(self, value: Any) -> tuple[date, date] | None:
        """(the date as said, the nearest on the rhythm) for a date that is off the agreed rhythm."""
        mine, rhythm = iso_date(value), self.rhythm()
        if mine is None or rhythm is None or meeting_on_or_after(*rhythm, mine) == mine:
            return None
        return mine, nearest_on_rhythm(*rhythm, mine, self.d.today)

    # --- "which one did you mean?" -----------------------------------------------------------

    def heard_two_meanings(self, _: EventData) -> bool:
        return self.d.heard is not None and bool(self.d.heard.meanings)

    def put_which(self, _: EventData) -> None:
        d, heard = self.d, self.d.heard
        assert heard is not None and heard.meanings
        self.meanings, self.said, self.off_rhythm = heard.meanings, heard.text, heard.off_rhythm
        first, second = (self.written(m) for m in self.meanings)
        rhythm = self.rhythm()
        if heard.off_rhythm and rhythm is not None:
            words = _lower_first(rhythm_text(*rhythm, d.compute_context()))
            d.put(d.say("ask", "common.which_date_rhythm", {"rhythm": words, "first": first, "second": second}))
            return
        d.put(d.say("ask", "common.which_date", {"answer": heard.text, "first": first, "second": second}))

    def parse_which(self, text: str) -> Heard:
        """The meaning picked: 1 or 2, "this week" / "the week after", one of the dates, or
        another date altogether (which then answers the question)."""
        t = self.d.lex.key(answers.norm(text))
        picks = {"1": 0, "2": 1, **self.d.lex.table("replies.which_date")}
        if t in picks:
            return Heard(self.said, value=self.meanings[picks[t]].isoformat())
        heard = self.parse(text, rhythm_checked=not self.off_rhythm)  # told the rhythm, another date is meant
        return heard if heard.invalid is None and heard.meanings is None else Heard(text)

    def heard_which(self, _: EventData) -> bool:
        return self.d.heard is not None and self.d.heard.value is not None

    def reprompt_which(self, _: EventData) -> None:
        first, second = (self.written(m) for m in self.meanings)
        self.d.say("reprompt", "common.invalid.which_date", {"first": first, "second": second})

    def which_question(self) -> Question:
        step = self.step()
        return Question(step=step.id, slot=step.slot, type="choice",
                        choices=[ChoiceOption(value=str(n), label=self.written(m))
                                 for n, m in enumerate(self.meanings, 1)])

    # --- putting the question ------------------------------------------------------------------

    def put(self, _: EventData) -> None:
        d, step = self.d, self.step()
        d.groups.begin("question", d.runner.tag(), step.slot)
        d.attempts[step.id] = 0
        self.probe_kinds = []
        self.offered = self._offer(step)
        if self.offered is None:
            d.put(d.say("ask", step.prompt))
        else:
            offered = iso_date(self.offered) if self.slot().type == SlotType.date else None
            shown = self.written(offered) if offered else answers.display(self.slot(), self.offered, d.render.word)
            said_before = step.recall in d.header.memory  # else a name known from the relationship
            key = "common.recall" if said_before else "common.recall_name"
            d.put(d.say("ask", step.prompt), d.say("ask", key, {"recalled": shown}))

    def _offer(self, step: AskStep) -> Any:
        """What the coach knows already for this question, if it still fits it (else None)."""
        d = self.d
        if step.recall is None or step.slot in d.answers:
            return None
        value = d.memory.get(step.recall)
        if value is None or value == "" or value == []:
            return None
        slot = self.slot()
        text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        if slot.type in (SlotType.choice, SlotType.multichoice):
            known = {c.value for c in slot.choices}
            return value if (value in known if isinstance(value, str) else set(value) <= known) else None
        if slot.type == SlotType.text and isinstance(value, list):
            return text
        try:
            answers.parse(slot, text, d.today, d.lex)
        except answers.Invalid:
            return None  # e.g. a date that has passed since
        return value

    def put_probe(self, _: EventData) -> None:
        d, step = self.d, self.step()
        kind = self._next[0]
        self.probe_kinds.append(kind)
        specific = f"{d.runner.frames[-1].flow_id}.{step.id}.probe.{kind}"
        key = specific if d.lib.prompts.has(specific, d.header.locale) else f"common.probe.{kind}"
        answer = d.answers[step.slot]
        answer.probes.append(Probe(kind=kind, prompt_key=key))
        d.put(d.say("probe", key, {"answer": answer.raw}))

    # --- guards -------------------------------------------------------------------------------

    def heard_invalid(self, _: EventData) -> bool:
        return self.d.heard is not None and self.d.heard.invalid is not None

    def out_of_attempts(self, _: EventData) -> bool:
        step = self.step()
        return self.d.attempts.get(step.id, 0) >= step.max_attempts

    def _followups(self) -> list[str]:
        """The follow-up questions still worth asking about the answer as it stands with what was
        just heard, in asking order."""
        d, slot = self.d, self.slot()
        heard = d.heard
        if slot.probe is None or heard is None or len(self.probe_kinds) >= slot.probe.max:
            return []
        if d.state == "probing":  # the answer as the follow-up just heard refines it
            answer = d.answers[self.step().slot]
            said = [(p.kind, p.answer or heard.text) for p in answer.probes]
            text = refine(answer.raw, said, d.lex)
        elif isinstance(heard.value, str):
            text = heard.value
        else:
            return []
        return probes.detect(slot.probe, text, self.probe_kinds, d.lex)

    def needs_followup(self, _: EventData) -> bool:
        self._next = self._followups()
        return bool(self._next)

    def skippable(self, _: EventData | None = None) -> bool:
        return self.step().skippable

    # --- what the user said -------------------------------------------------------------------

    def record_answer(self, _: EventData) -> None:
        d, step, heard = self.d, self.step(), self.d.heard
        assert heard is not None
        value = clean(heard.value, d.lex) if isinstance(heard.value, str) else heard.value
        d.answers[step.slot] = Answer(slot=step.slot, raw=heard.text, value=value, at=d.at)
        d.slots[step.slot] = value

    def record_followup(self, _: EventData) -> None:
        d, step, heard = self.d, self.step(), self.d.heard
        assert heard is not None
        answer = d.answers[step.slot]
        answer.probes[-1].answer = heard.text
        followups = [(p.kind, p.answer) for p in answer.probes if p.answer]
        answer.value = d.slots[step.slot] = refine(answer.raw, followups, d.lex)

    def reprompt(self, _: EventData) -> None:
        d, step, slot, heard = self.d, self.step(), self.slot(), self.d.heard
        assert heard is not None and heard.invalid is not None
        d.say("reprompt", f"common.invalid.{heard.invalid.reason}", heard.invalid.details)
        if d.attempts.get(step.id, 0) >= 2:
            if (slot.pattern or slot.type == SlotType.time) and step.help:  # a format the flow explains
                d.say("reprompt", step.help)
            else:  # say it another way, with an example and the way out
                d.say("reprompt", "common.reprompt.escalate", d.render.hint(step, slot))
        d.put(d.say("ask", step.prompt))

    def give_up(self, _: EventData) -> None:
        d, step, heard = self.d, self.step(), self.d.heard
        assert heard is not None
        d.answers[step.slot] = Answer(slot=step.slot, raw=heard.text, value=None, gave_up=True, at=d.at)
        d.slots.pop(step.slot, None)
        d.say("info", "common.give_up")
        self._move_on()

    def skip(self, _: EventData) -> None:
        d, step = self.d, self.step()
        d.answers[step.slot] = Answer(slot=step.slot, raw="", value=None, skipped=True, at=d.at)
        d.slots.pop(step.slot, None)
        d.say("skip", "common.skipped")
        self._move_on()

    def say_cannot_skip(self, _: EventData) -> None:
        d, step = self.d, self.step()
        why = d.render.texts(step.why or "common.why.general")[0]
        d.say("info", "common.cannot_skip", {"why": why})
        d.reask()

    def accept_as_it_is(self, _: EventData) -> None:
        """/skip on a follow-up question: the answer is kept as it is."""
        self.d.say("skip", "common.skip_probe")
        self.accept(None, ack=False)

    def accept(self, _: EventData | None, *, ack: bool = True) -> None:
        """The answer is in: back to the summary being edited, or thank the user and move on."""
        d = self.d
        tone = self.step().tone
        if d.confirmation.editing is not None:
            if ack:
                d.acknowledge(tone=tone)
            d.confirmation.finish_edit()
            return
        d.runner.advance()
        nxt = d.runner.settle()  # through branches and computes: a re-ask after them is still a re-ask
        if ack and not (isinstance(nxt, AskStep) and not nxt.acknowledge):
            d.acknowledge(tone=tone)
        d.continue_flow()

    def _move_on(self) -> None:
        if self.d.confirmation.editing is not None:
            self.d.confirmation.finish_edit()
            return
        self.d.runner.advance()
        self.d.continue_flow()

    # --- for clients --------------------------------------------------------------------------

    def help(self) -> None:
        d, step = self.d, self.step()
        slot = d.runner.slot(step.slot)
        if step.help:
            d.say("help", step.help)
        if not (slot and slot.pattern and step.help):  # "in your own words" misleads for a format
            kind = slot.type.value if slot else "text"
            d.say("help", f"common.help.{kind}", d.render.hint(step, slot))

    def question(self, *, probing: bool) -> Question:
        step, slot = self.step(), self.slot()
        if probing:
            return Question(step=step.id, slot=step.slot, type="text", multiline=False, skippable=True, probing=True)
        lo: float | None
        hi: float | None
        if slot.type == SlotType.scale:
            lo, hi = (float(x) for x in slot.scale_bounds)
        else:
            lo, hi = slot.min, slot.max
        return Question(
            step=step.id,
            slot=step.slot,
            type=slot.type.value,
            choices=[ChoiceOption(value=c.value, label=c.label) for c in slot.choices],
            min=lo,
            max=hi,
            multiline=slot.type == SlotType.list or (slot.type == SlotType.text and (slot.min_words or 0) >= 8),
            skippable=step.skippable,
            default=answers.display(slot, self.offered) if self.offered is not None and slot.type in (
                SlotType.text, SlotType.list, SlotType.date, SlotType.time, SlotType.number) else None,
        )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
