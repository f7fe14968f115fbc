"""The conversation engine: a conversation is its inputs; its state is their replay.

    engine = Engine(library)
    conv = engine.new("fit_check", role="mentee")
    turn = conv.start()                      # the opening
    turn = conv.reply("I want to lead a team by June")
    store(turn.entry)                        # the caller keeps the input (and its effects)
    again = engine.open(conv.header, conv.entries)   # replays to the same place

Nothing here does I/O: the caller (the application service) stores `turn.entry` and gives the
header and stored entries back to `open`. `/back` drops inputs and replays; an edit from the
summary replaces inputs and replays; opening a conversation whose flow was edited since replays
its inputs into the new flow, keeping the answers that still fit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from coach.content.library import FlowLibrary
from coach.content.messages import message
from coach.content.prompts import PromptCatalog
from coach.engine import answers
from coach.engine.dialogue import Dialogue
from coach.engine.errors import EngineError
from coach.engine.groups import matches, spans
from coach.engine.machine import MachineCache
from coach.engine.modes import build_modes_machine
from coach.engine.names import default_names
from coach.engine.rebase import rebase
from coach.engine.safety import in_crisis
from coach.engine.text import parse_command
from coach.engine.turns import BotMessage, BotTurn, Question
from coach.models import (
    Answer,
    Commitment,
    ConversationHeader,
    Effects,
    LogEntry,
    Role,
    effective_inputs,
    utcnow,
)

__all__ = ["Conversation", "Engine", "EngineError", "Exchange"]


class Exchange(NamedTuple):
    """One exchange of a transcript: what the user said (None for the opening) and the reply."""

    said: str | None
    messages: list[BotMessage]


def _as_picked(d: Dialogue, asked: Question | None, before: Any) -> str | None:
    """An answer that picked options ("1, 3") as what it picked ("Read about retro formats; Pair
    with Dana"), for a transcript; None for other answers, or one that was not taken."""
    if asked is None or asked.type not in ("choice", "multichoice") or not asked.slot:
        return None
    value = d.slots.get(asked.slot)
    slot = d.runner.slot(asked.slot)
    if value is None or value == before or slot is None:
        return None
    return answers.display(slot, value)


class Engine:
    """The flow library, the machines (one per flow definition, one for the modes) and a clock."""

    def __init__(
        self,
        library: FlowLibrary,
        *,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.library = library
        self.today = today
        self.now = now
        self.machines = MachineCache()
        self.modes = build_modes_machine()

    def header(
        self,
        flow_id: str,
        role: Role | str,
        *,
        relationship_id: str | None = None,
        context: dict[str, str] | None = None,
        locale: str = "en",
        conversation_id: str | None = None,
        review: list[Commitment] | None = None,
        timezone: str | None = None,
        memory: dict[str, Any] | None = None,
    ) -> ConversationHeader:
        """The header of a new conversation. `review`: open commitments from earlier sessions,
        which the user marks done / partly / not yet before the stage begins."""
        if flow_id not in self.library.flows:
            raise EngineError(self.library.unknown(flow_id))
        role = Role(role)
        flow = self.library.flow(flow_id)
        if role.value not in flow.roles:
            raise EngineError(message("errors.engine.wrong_role", locale, flow=repr(flow_id),
                                      roles=", ".join(flow.roles), role=role.value))
        extra: dict[str, Any] = {"id": conversation_id} if conversation_id else {}
        return ConversationHeader(
            flow_id=flow_id, flow_hash=self.library.hash(flow_id), role=role, locale=locale,
            relationship_id=relationship_id,
            context={**default_context(role, self.library.prompts, locale), **(context or {})},
            review=list(review or []), started_at=self.now(), timezone=timezone, memory=dict(memory or {}), **extra,
        )

    def new(self, flow_id: str, role: Role | str, **kw: Any) -> Conversation:
        return Conversation(self, self.header(flow_id, role, **kw), [])

    def open(self, header: ConversationHeader, entries: list[LogEntry]) -> Conversation:
        """A stored conversation, replayed. Raises EngineError if its flow is gone."""
        if header.flow_id not in self.library.flows:
            raise EngineError(message("errors.engine.flow_gone", header.locale, flow=repr(header.flow_id)))
        return Conversation(self, header, entries)


class Conversation:
    def __init__(self, engine: Engine, header: ConversationHeader, entries: list[LogEntry]) -> None:
        self.engine = engine
        self.lib = engine.library.localized(header.locale)
        self.header = header
        self.entries = list(entries)  # as stored: append-only
        self.inputs = effective_inputs(self.entries)  # the ones that count, in order
        self.notice: BotMessage | None = None  # told once on opening (the flow changed since)
        self.pending: list[LogEntry] = []  # entries made on opening, for the caller to store
        self._dormant: list[int] = []
        hashes = [e.flow_hash for e in self.entries if e.kind == "flow_changed" and e.flow_hash]
        replayed_into = hashes[-1] if hashes else header.flow_hash
        current = self.lib.hash(header.flow_id)
        if replayed_into != current or (header.migrated_from and not hashes):
            self._move_to_current_flow(current, notify=replayed_into != current)
        else:
            self.dialogue = self._replay()

    # --- replaying ----------------------------------------------------------------------------

    def _replay(self, *, lenient: bool = False, capture: list[Exchange] | None = None) -> Dialogue:
        """The dialogue the effective inputs lead to: each input is handed to the prompt it was
        given at (in a replay after an edit, inputs whose prompt is not reached stay dormant).
        `capture` (if given) receives what was said, exchange by exchange."""
        generation = sum(1 for e in self.entries if e.keep is not None)
        d = Dialogue(self.engine, self.header, lenient=lenient, generation=generation)
        try:
            d.begin()
            if capture is not None:
                capture.append(Exchange(None, list(d.messages)))
            pending = list(range(len(self.inputs)))
            self._consume(d, pending, capture=capture)
        except BaseException:
            d.close()
            raise
        self._dormant = pending
        return d

    def _consume(self, d: Dialogue, pending: list[int], *, accumulate: bool = False,
                 capture: list[Exchange] | None = None) -> bool:
        """Feed `d` the pending inputs for the prompts it opens, as long as there are some
        (`accumulate`: their messages and effects add to those of the input being handled)."""
        fed = False
        while pending and (tag := d.prompt_tag()) is not None:
            i = next((i for i in pending if matches(self.inputs[i].prompt, tag)), None)
            if i is None:
                break
            pending.remove(i)
            entry = self.inputs[i]
            asked = d.question() if capture is not None and entry.kind == "answer" else None
            before = d.slots.get(asked.slot) if asked is not None and asked.slot else None
            d.start_input(entry, len(self.inputs), fresh=not accumulate)
            d.feed(i, entry)
            if capture is not None:
                said = entry.text if entry.kind == "answer" else f"/{entry.text}"
                capture.append(Exchange(_as_picked(d, asked, before) or said, list(d.messages)))
            fed = True
        return fed

    def transcript(self) -> list[Exchange]:
        """The conversation as it stands (what /back undid is not in it), from the beginning:
        the opening, then each input that counts with what the coach said to it."""
        exchanges: list[Exchange] = []
        dormant = self._dormant
        try:
            self._replay(capture=exchanges).close()
        finally:
            self._dormant = dormant
        return exchanges

    def _move_to_current_flow(self, flow_hash: str, *, notify: bool) -> None:
        """Replay the inputs into the flow as it is now: keep those that still fit, and record
        that (a `flow_changed` entry, for the caller to store)."""
        trial = self._replay(lenient=True)
        try:
            moved = rebase(self.lib, self.header, self.inputs, trial, self._dormant)
        finally:
            trial.close()
        entry = LogEntry(seq=len(self.entries) + 1, kind="flow_changed", flow_hash=flow_hash,
                         keep=spans(moved.keep), at=self.engine.now(), today=self.engine.today())
        self.entries.append(entry)
        self.pending.append(entry)
        self.inputs = [self.inputs[i] for i in moved.keep]
        self.dialogue = self._replay()
        if notify:
            n = moved.changed
            key = "common.flow_changed." + ("none" if n == 0 else "one" if n == 1 else "many")
            with self.dialogue.showing():
                self.notice = self.dialogue.render.message(
                    "info", key, {"changed": str(n), "kept": str(moved.kept_answers)})

    # --- the API --------------------------------------------------------------------------------

    def start(self) -> BotTurn:
        """The opening turn of a new conversation (for an opened one: the open prompt again)."""
        d = self.dialogue
        if self.entries:
            return self.current()
        return self._turn(list(d.messages) or list(d.prompt))

    def current(self) -> BotTurn:
        """Re-show what the coach is waiting for (after opening a stored conversation)."""
        d = self.dialogue
        if d.state in ("paused", "crisis"):
            d.trigger("resume")
        messages = [self.notice] if self.notice else []
        if d.state == "done":
            with d.showing():
                d.messages = []
                d.say("info", "common.already_done")
                messages += d.messages
        else:
            messages += d.prompt
        return self._turn(messages)

    def reply(self, text: str, *, at: datetime | None = None, today: date | None = None) -> BotTurn:
        command = parse_command(text)
        if command is not None:
            name, unknown = command
            if unknown:
                return self._show(lambda d: d.say_unknown_command(name))
            return self.command(name, at=at, today=today)
        d = self.dialogue
        if d.state != "done" and in_crisis(text, d.lex):  # not kept: coaching stops, the question stays open
            return self._show(lambda d: d.trigger("crisis"), paused=True)
        return self._input("answer", text, at, today)

    def command(self, name: str, *, at: datetime | None = None, today: date | None = None) -> BotTurn:
        """What `/name` typed in the input does. `back` and `skip` change the conversation (and
        are kept as inputs); the others show something."""
        if name in ("back", "skip"):
            return self._input("command", name, at, today)
        if name not in ("help", "why", "summary", "pause"):
            raise EngineError(message("errors.engine.unknown_command", self.header.locale, command=repr(name)))
        return self._show(lambda d: d.trigger(name), paused=name == "pause")

    def back(self) -> BotTurn:
        return self.command("back")

    def skip(self) -> BotTurn:
        return self.command("skip")

    def help(self) -> BotTurn:
        return self.command("help")

    def why(self) -> BotTurn:
        return self.command("why")

    def summary(self) -> BotTurn:
        return self.command("summary")

    def pause(self) -> BotTurn:
        return self.command("pause")

    def discard_last(self) -> None:
        """Forget the last input (it could not be stored): back to the state before it."""
        if self.entries and self.entries[-1].kind != "flow_changed":
            self.entries.pop()
            self.inputs = effective_inputs(self.entries)
            self._reset(self._replay())

    def close(self) -> None:
        """Detach this conversation's models from the shared machines."""
        self.dialogue.close()

    # --- what it is now -------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def done(self) -> bool:
        return self.dialogue.state == "done"

    @property
    def mode(self) -> str:
        return self.dialogue.mode

    @property
    def step(self) -> str | None:
        return self.dialogue.runner.frames[-1].step if self.dialogue.runner.frames else None

    @property
    def slots(self) -> dict[str, Any]:
        return self.dialogue.slots

    @property
    def answers(self) -> dict[str, Answer]:
        return self.dialogue.answers

    def question(self) -> Question | None:
        return None if self.done else self.dialogue.question()

    def prompt_tag(self) -> str | None:
        """The name of the prompt open now (what the next input answers); None when done."""
        return self.dialogue.prompt_tag()

    def note(self, key: str, extra: dict[str, str] | None = None) -> BotMessage:
        """A text of the prompts (e.g. from a client's use case), rendered for this conversation."""
        with self.dialogue.showing():
            return self.dialogue.render.message("info", key, extra)

    # --- inside -----------------------------------------------------------------------------------

    def _input(self, kind: Literal["answer", "command"], text: str, at: datetime | None, today: date | None) -> BotTurn:
        d = self.dialogue
        if d.state == "done":
            return self._show(lambda d: d.say_already_done(None))  # type: ignore[arg-type]
        if d.state in ("paused", "crisis"):
            d.trigger("resume")
        entry = LogEntry(seq=len(self.entries) + 1, kind=kind,
                         text=text, prompt=d.prompt_tag() or "", at=at or self.engine.now(),
                         today=today or self.engine.today())
        self.entries.append(entry)
        self.inputs.append(entry)
        d.start_input(entry, len(self.inputs))
        d.feed(len(self.inputs) - 1, entry)
        if d.rewrite is not None:
            entry.keep = spans(d.rewrite)
            messages, effects = list(d.messages), d.effects
            self.inputs = [self.inputs[i] for i in d.rewrite]
            self._reset(self._replay())
            messages += self.dialogue.prompt
            if self.done:  # (inputs kept from before took it to the end)
                effects = self.dialogue.effects
        else:
            messages, effects = self._on_to_kept_answers(d)
        if not effects.empty:
            entry.effects = effects
        return self._turn(messages, entry=entry)

    def _on_to_kept_answers(self, d: Dialogue) -> tuple[list[BotMessage], Effects]:
        """After a live input: if the prompt it led to was answered before (inputs kept dormant by
        an edit), hand those on too, and show where they lead instead of the prompt they answer."""
        messages, prompt = list(d.messages), list(d.prompt)
        if not self._consume(d, self._dormant, accumulate=True):
            return messages, d.effects
        later = d.messages[len(messages):]
        if prompt and messages[-len(prompt):] == prompt:
            messages = messages[: -len(prompt)]
        if d.state == "done":
            return messages + [m for m in later if m.kind == "end"], d.effects
        return messages + d.prompt, d.effects

    def _show(self, act: Callable[[Dialogue], Any], *, paused: bool = False) -> BotTurn:
        d = self.dialogue
        if d.state in ("paused", "crisis"):
            d.trigger("resume")
        d.messages = []
        with d.showing():
            act(d)
        return self._turn(list(d.messages), paused=paused)

    def _reset(self, dialogue: Dialogue) -> None:
        old, self.dialogue = self.dialogue, dialogue
        old.close()

    def _turn(self, messages: list[BotMessage], *, entry: LogEntry | None = None, paused: bool = False) -> BotTurn:
        d = self.dialogue
        done = d.state == "done"
        artifacts = entry.effects.artifacts if entry is not None and entry.effects else []
        return BotTurn(messages=messages, question=self.question(), done=done,
                       paused=paused or d.state in ("paused", "crisis"),
                       progress=d.runner.progress(done), artifacts=list(artifacts), entry=entry)


def default_context(role: Role, prompts: PromptCatalog, locale: str) -> dict[str, str]:
    """Names the texts may use ($other_name, ...) when the client knows none (e.g. a scripted run)."""
    words = default_names(prompts, locale)
    other = "mentor" if role == Role.mentee else "mentee"
    names = {role.value: words["self"], other: words[other]}
    return {"name": words["self"], "other_name": names[other], "mentee_name": names["mentee"],
            "mentor_name": names["mentor"]}
