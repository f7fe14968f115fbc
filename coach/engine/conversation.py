"""The conversation engine: flows in, bot turns out.  Pure: no I/O besides the store interface.

    engine = Engine(library, store)
    conv, turn = engine.start("fit_check", role="mentee")
    turn = conv.reply("I want to lead a team by June")
    turn = conv.reply("/back")

Every client (TUI, scripted runner, plain chat, tests) drives this same API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from coach.content.library import FlowLibrary
from coach.content.prompts import pick, render
from coach.content.schema import (
    AskStep,
    BranchStep,
    CallStep,
    ComputeStep,
    EndStep,
    Flow,
    SayStep,
    SetStep,
    Slot,
    SlotType,
    Step,
    SummaryStep,
)
from coach.engine import answers, compute, probes
from coach.engine.conditions import Facts
from coach.engine.machine import MachineCache, StepModel
from coach.engine.ports import ConversationStore
from coach.engine.safety import in_crisis
from coach.engine.turns import BotMessage, BotTurn, ChoiceOption, MessageKind, Question
from coach.models import (
    Answer,
    Artifact,
    Checkpoint,
    Commitment,
    CommitmentStatus,
    ConversationState,
    ConversationStatus,
    Event,
    Frame,
    PendingProbe,
    Probe,
    ReviewItem,
    Role,
    iso_date,
    utcnow,
)

COMMANDS = ("back", "skip", "help", "why", "summary", "pause")
REVIEW_CHOICES = (("done", "Done"), ("partly", "Partly"), ("not_yet", "Not yet"))
REVIEW_SLOT = Slot(
    type=SlotType.choice,
    choices=[
        {"value": "done", "label": "Done", "synonyms": ["yes", "did it", "finished", "completed", "complete"]},
        {"value": "partly", "label": "Partly", "synonyms": ["partially", "some", "half", "in progress", "started"]},
        {"value": "not_yet", "label": "Not yet", "synonyms": ["no", "nope", "not done", "didn't"]},
    ],
)
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\s*(?:\d+(?=[.)]))?)([.)#>+=-])", re.MULTILINE)
MAX_AUTOMATIC_STEPS = 10_000


class EngineError(Exception):
    """A flow that cannot run (e.g. unknown flow, a role the flow is not written for)."""


def md_escape(text: str) -> str:
    """User text made literal for Markdown: inline markers escaped, and line starts that would
    become headings, quotes or list items."""
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\1\\\2", text)


class Engine:
    """Holds the flow library, one machine per flow definition, and the store."""

    def __init__(
        self,
        library: FlowLibrary,
        store: ConversationStore,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.library = library
        self.store = store
        self.today = today
        self.machines = MachineCache()

    def new(
        self,
        flow_id: str,
        role: Role | str,
        *,
        relationship_id: str | None = None,
        context: dict[str, str] | None = None,
        locale: str = "en",
        conversation_id: str | None = None,
        review: list[Commitment] | None = None,
    ) -> Conversation:
        """A new conversation. `review`: open commitments from earlier sessions of the same
        relationship, which the user marks done / partly / not yet before the stage begins."""
        if flow_id not in self.library.flows:
            known = ", ".join(sorted(f.id for f in self.library.stages()))
            raise EngineError(f"unknown flow {flow_id!r} (known: {known})")
        role = Role(role)
        flow = self.library.flow(flow_id)
        if role.value not in flow.roles:
            raise EngineError(f"flow {flow_id!r} is written for {', '.join(flow.roles)}, not {role.value}")
        extra = {"id": conversation_id} if conversation_id else {}
        state = ConversationState(
            flow_id=flow_id,
            flow_hash=self.library.hash(flow_id),
            role=role,
            locale=locale,
            relationship_id=relationship_id,
            stack=[Frame(flow_id=flow_id, step=flow.start)],
            context={**_default_context(role), **(context or {})},
            review=[ReviewItem(commitment=c) for c in review or []],
            **extra,
        )
        return Conversation(self, state)

    def start(self, flow_id: str, role: Role | str, **kw: Any) -> tuple[Conversation, BotTurn]:
        conv = self.new(flow_id, role, **kw)
        return conv, conv.start()

    def resume(self, state: ConversationState) -> Conversation:
        """Re-attach a saved state. Raises EngineError if its flow is gone or has a step it no longer knows."""
        for frame in state.stack:
            if frame.flow_id not in self.library.flows:
                raise EngineError(f"the saved conversation uses flow {frame.flow_id!r}, which is not installed")
            if frame.step not in self.library.flow(frame.flow_id).step_ids():
                raise EngineError(
                    f"flow {frame.flow_id!r} changed since this conversation was saved "
                    f"(step {frame.step!r} no longer exists); start it again"
                )
        return Conversation(self, state.model_copy(deep=True))


class _Out:
    """Collects the bot messages of one turn."""

    def __init__(self) -> None:
        self.messages: list[BotMessage] = []
        self.artifacts: list[Artifact] = []


class Conversation:
    def __init__(self, engine: Engine, state: ConversationState) -> None:
        self.engine = engine
        self.lib = engine.library
        self.state = state
        self._models: list[StepModel] = []
        self._attach()

    # --- public API ---------------------------------------------------------------------

    def start(self) -> BotTurn:
        out = _Out()
        self._log("start", data={"flow": self.state.flow_id, "role": self.state.role.value})
        self._visit(self.state.stack[-1].step)
        if self.state.review:
            self.state.mode = "review"
            self._msg(out, "say", "common.review.intro", {"count": str(len(self.state.review))})
            self._ask_review(out)
            return self._finish(out)
        self._run(out)
        return self._finish(out)

    def current(self) -> BotTurn:
        """Re-render what the bot is waiting for (after a resume): the open question, again."""
        out = _Out()
        if self.state.status == ConversationStatus.paused:
            self.state.status = ConversationStatus.active
            self._log("resume")
        self._reask(out)
        return self._finish(out, save=False)

    def reply(self, text: str) -> BotTurn:
        out = _Out()
        st = self.state
        command = parse_command(text)
        if st.status == ConversationStatus.done and (command is None or command[0] != "summary"):
            self._msg(out, "info", "common.already_done")
            return self._finish(out, save=False)
        if st.status == ConversationStatus.paused:
            st.status = ConversationStatus.active
            self._log("resume")
        if command is not None:
            name, unknown = command
            if unknown:
                self._msg(out, "error", "common.unknown_command", {"command": name, "commands": _commands_text()})
                self._reask(out)
                return self._finish(out, save=False)
            return self.command(name, _out=out)
        if in_crisis(text):
            self._log("crisis")
            st.status = ConversationStatus.paused
            self._msg(out, "crisis", "common.crisis")
            return self._finish(out, paused=True)
        if st.mode == "review":
            self._on_review(text, out)
        elif st.mode == "review_reason":
            self._on_review_reason(text, out)
        elif st.mode == "probe":
            self._on_probe_answer(text, out)
        elif st.mode == "confirm":
            self._on_confirm(text, out)
        elif st.mode == "pick_edit":
            self._on_pick_edit(text, out)
        else:
            self._on_answer(text, out)
        return self._finish(out)

    def command(self, name: str, *, _out: _Out | None = None) -> BotTurn:
        """Run one of COMMANDS (what `/name` typed in the input does)."""
        out = _out or _Out()
        if self.state.status == ConversationStatus.done and name != "summary":
            self._msg(out, "info", "common.already_done")
            return self._finish(out, save=False)
        handler = {
            "back": self._cmd_back,
            "skip": self._cmd_skip,
            "help": self._cmd_help,
            "why": self._cmd_why,
            "summary": self._cmd_summary,
            "pause": self._cmd_pause,
        }.get(name)
        if handler is None:
            raise EngineError(f"unknown command {name!r}")
        save = handler(out)
        return self._finish(out, save=save, paused=self.state.status == ConversationStatus.paused)

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

    @property
    def done(self) -> bool:
        return self.state.status == ConversationStatus.done

    def question(self) -> Question | None:
        return self._question()

    def close(self) -> None:
        """Detach this conversation's models from the shared machines."""
        for frame, model in zip(self.state.stack, self._models, strict=False):
            self._machine(frame.flow_id).remove_model(model)
        self._models = []

    # --- machines and frames ----------------------------------------------------------------

    def _machine(self, flow_id: str) -> Any:
        return self.engine.machines.get(self.lib.flow(flow_id), self.lib.hash(flow_id))

    def _facts(self) -> Facts:
        st = self.state
        return Facts(slots=st.slots, visited=st.visited, attempts=st.attempts, role=st.role.value)

    def _attach(self) -> None:
        self.close()
        for frame in self.state.stack:
            model = StepModel(self._facts)
            self._machine(frame.flow_id).add_model(model, initial=frame.step)
            self._models.append(model)

    def _flow(self) -> Flow:
        return self.lib.flow(self.state.stack[-1].flow_id)

    def _step(self) -> Step:
        return self._flow().step(self.state.stack[-1].step)

    def _slot(self, name: str) -> Slot | None:
        for frame in reversed(self.state.stack):
            slot = self.lib.flow(frame.flow_id).slots.get(name)
            if slot is not None:
                return slot
        for lf in self.lib.flows.values():
            if name in lf.flow.slots:
                return lf.flow.slots[name]
        return None

    def _visit(self, step_id: str) -> None:
        self.state.visited.append(step_id)

    def _advance(self) -> None:
        model = self._models[-1]
        model.advance()  # type: ignore[attr-defined]  # added by transitions
        self.state.stack[-1].step = model.state
        self._visit(model.state)

    def _jump(self, step_id: str) -> None:
        self._machine(self.state.stack[-1].flow_id).set_state(step_id, model=self._models[-1])
        self.state.stack[-1].step = step_id
        self._visit(step_id)

    def _push(self, flow_id: str, return_step: str) -> None:
        flow = self.lib.flow(flow_id)
        self.state.stack.append(Frame(flow_id=flow_id, step=flow.start, return_step=return_step))
        model = StepModel(self._facts)
        self._machine(flow_id).add_model(model, initial=flow.start)
        self._models.append(model)
        self._visit(flow.start)

    def _pop(self) -> None:
        frame = self.state.stack.pop()
        self._machine(frame.flow_id).remove_model(self._models.pop())

    # --- the step loop ------------------------------------------------------------------

    def _run(self, out: _Out) -> None:
        """Walk automatic steps until the bot needs input or the flow ends."""
        st = self.state
        for _ in range(MAX_AUTOMATIC_STEPS):
            step = self._step()
            if isinstance(step, SayStep):
                if not st.edit_return:
                    self._msg(out, "say", step.prompt)
                self._advance()
            elif isinstance(step, AskStep):
                if st.edit_return and step.slot in st.answers:
                    self._advance()  # replaying towards the summary being edited: keep answers given
                    continue
                st.mode = "answer"
                st.attempts[step.id] = 0
                self._checkpoint()
                self._ask(step, out)
                return
            elif isinstance(step, BranchStep):
                self._advance()
            elif isinstance(step, SetStep):
                st.slots.update(step.values)
                self._advance()
            elif isinstance(step, CallStep):
                self._push(step.flow, step.id)
            elif isinstance(step, ComputeStep):
                st.slots.update(compute.run(step.function, st.slots, st.role.value))
                self._advance()
            elif isinstance(step, SummaryStep):
                if st.edit_return == step.id:
                    st.edit_return = None
                self._msg(out, "summary", step.prompt)
                if step.confirm:
                    st.mode = "confirm"
                    self._msg(out, "ask", "common.confirm")
                    return
                self._advance()
            elif isinstance(step, EndStep):
                if step.prompt:
                    self._msg(out, "end", step.prompt)
                self._produce(step, out)
                if len(st.stack) > 1:
                    self._pop()
                    self._advance()
                    continue
                st.status = ConversationStatus.done
                st.mode = "answer"
                self._log("end")
                return
        raise EngineError(f"flow {st.flow_id!r} ran {MAX_AUTOMATIC_STEPS} steps without asking anything")

    def _checkpoint(self) -> None:
        st = self.state
        st.checkpoints.append(
            Checkpoint(
                stack=[f.model_copy() for f in st.stack],
                slots=dict(st.slots),
                answers={k: v.model_copy(deep=True) for k, v in st.answers.items()},
                attempts=dict(st.attempts),
                visited=list(st.visited),
            )
        )

    def _restore(self, cp: Checkpoint) -> None:
        st = self.state
        st.stack = [f.model_copy() for f in cp.stack]
        st.slots = dict(cp.slots)
        st.answers = {k: v.model_copy(deep=True) for k, v in cp.answers.items()}
        st.attempts = dict(cp.attempts)
        st.visited = list(cp.visited)
        st.mode = "answer"
        st.pending_probe = None
        st.edit_return = None
        self._attach()

    def _ask(self, step: AskStep, out: _Out) -> None:
        self._msg(out, "ask", step.prompt)

    def _reask(self, out: _Out) -> None:
        st = self.state
        if st.status == ConversationStatus.done:
            self._msg(out, "info", "common.already_done")
            return
        step = self._step()
        if st.mode in ("review", "review_reason"):
            self._ask_review(out)
        elif st.mode == "probe" and st.pending_probe:
            self._msg(out, "probe", self._probe_key(st.pending_probe.kinds_asked[-1]), self._probe_vars())
        elif st.mode == "confirm" and isinstance(step, SummaryStep):
            self._msg(out, "summary", step.prompt)
            self._msg(out, "ask", "common.confirm")
        elif st.mode == "pick_edit":
            self._msg(out, "ask", "common.pick_edit", {"choices": self._edit_choices_text()})
        elif isinstance(step, AskStep):
            self._ask(step, out)
        else:  # pragma: no cover - the engine only waits at ask and summary steps
            self._run(out)

    # --- answers ------------------------------------------------------------------------

    def _on_answer(self, text: str, out: _Out) -> None:
        st = self.state
        step = self._step()
        assert isinstance(step, AskStep)
        slot = self._slot(step.slot)
        assert slot is not None
        try:
            value = answers.parse(slot, text, self.engine.today())
        except answers.Invalid as bad:
            st.attempts[step.id] = st.attempts.get(step.id, 0) + 1
            n = st.attempts[step.id]
            self._log("invalid", step.id, {"reason": bad.reason, "attempt": n})
            if n >= step.max_attempts:
                self._give_up(step, text, out)
                return
            self._msg(out, "reprompt", f"common.invalid.{bad.reason}", bad.details)
            if n >= 2 and slot.pattern and step.help:  # a format only the flow can explain
                self._msg(out, "reprompt", step.help)
            elif n >= 2:  # escalate: say it another way, with an example and the way out
                self._msg(out, "reprompt", "common.reprompt.escalate", self._question_hint(step, slot))
            self._ask(step, out)
            return
        st.answers[step.slot] = Answer(slot=step.slot, raw=text, value=value)
        st.slots[step.slot] = value
        self._log("answer", step.id, {"slot": step.slot, "chars": len(text)})
        if slot.probe and isinstance(value, str):
            kinds = probes.detect(slot.probe, value, [])
            if kinds:
                self._start_probe(step, kinds[0], out)
                return
        self._accept(out)

    def _start_probe(self, step: AskStep, kind: str, out: _Out) -> None:
        st = self.state
        if st.pending_probe is None:
            st.pending_probe = PendingProbe(slot=step.slot, step=step.id)
        st.pending_probe.kinds_asked.append(kind)
        st.mode = "probe"
        key = self._probe_key(kind)
        st.answers[step.slot].probes.append(Probe(kind=kind, prompt_key=key))
        self._log("probe", step.id, {"kind": kind})
        self._msg(out, "probe", key, self._probe_vars())

    def _probe_key(self, kind: str) -> str:
        specific = f"{self._flow().id}.{self._step().id}.probe.{kind}"
        return specific if self.lib.prompts.has(specific, self.state.locale) else f"common.probe.{kind}"

    def _probe_vars(self) -> dict[str, str]:
        pp = self.state.pending_probe
        if pp is None:
            return {}
        ans = self.state.answers.get(pp.slot)
        return {"answer": ans.raw if ans else ""}

    def _on_probe_answer(self, text: str, out: _Out) -> None:
        st = self.state
        pp = st.pending_probe
        assert pp is not None
        ans = st.answers[pp.slot]
        ans.probes[-1].answer = text
        combined = ans.text
        ans.value = combined
        st.slots[pp.slot] = combined
        self._log("probe_answer", pp.step, {"kind": ans.probes[-1].kind, "chars": len(text)})
        slot = self._slot(pp.slot)
        assert slot is not None and slot.probe is not None
        remaining = probes.detect(slot.probe, combined, pp.kinds_asked)
        step = self._step()
        if remaining and len(pp.kinds_asked) < slot.probe.max and isinstance(step, AskStep):
            self._start_probe(step, remaining[0], out)
            return
        self._accept(out)

    def _accept(self, out: _Out, *, ack: bool = True) -> None:
        """The answer is in: acknowledge it, then move on (or back to the summary being edited)."""
        st = self.state
        st.mode = "answer"
        st.pending_probe = None
        self._advance()
        step = self._step()
        if ack and not (isinstance(step, AskStep) and not step.acknowledge):
            self._ack(out)
        self._run(out)

    def _give_up(self, step: AskStep, text: str, out: _Out) -> None:
        st = self.state
        st.answers[step.slot] = Answer(slot=step.slot, raw=text, value=None, gave_up=True)
        st.slots.pop(step.slot, None)
        self._log("give_up", step.id, {"slot": step.slot})
        self._msg(out, "info", "common.give_up")
        st.mode = "answer"
        self._advance()
        self._run(out)

    def _on_confirm(self, text: str, out: _Out) -> None:
        st = self.state
        picked = self._match_edit_slot(text)
        if picked is not None:
            self._edit(picked, out)
            return
        try:
            yes = answers.parse(Slot(type=SlotType.yes_no), text, self.engine.today())
        except answers.Invalid:
            self._msg(out, "reprompt", "common.invalid.confirm")
            self._msg(out, "ask", "common.confirm")
            return
        if yes:
            self._log("confirm", st.stack[-1].step)
            st.mode = "answer"
            self._ack(out)
            self._advance()
            self._run(out)
        else:
            st.mode = "pick_edit"
            self._msg(out, "ask", "common.pick_edit", {"choices": self._edit_choices_text()})

    def _on_pick_edit(self, text: str, out: _Out) -> None:
        picked = self._match_edit_slot(text)
        if picked is None:
            try:
                keep = answers.parse(Slot(type=SlotType.yes_no), text, self.engine.today()) is False
            except answers.Invalid:
                keep = False
            if keep or answers._norm(text) in ("none", "nothing", "cancel", "keep"):
                self.state.mode = "confirm"
                self._reask(out)
                return
            self._msg(out, "reprompt", "common.invalid.pick_edit", {"choices": self._edit_choices_text()})
            return
        self._edit(picked, out)

    def _edit_slots(self) -> list[str]:
        step = self._step()
        flow = self._flow()
        if isinstance(step, SummaryStep) and step.edit_slots:
            names = step.edit_slots
        else:
            names = [s.slot for s in flow.steps if isinstance(s, AskStep)]
        answered = [n for n in names if n in self.state.answers]
        return list(dict.fromkeys(answered))

    def _slot_label(self, name: str) -> str:
        slot = self._slot(name)
        return (slot.label if slot and slot.label else name.replace("_", " ")).strip()

    def _edit_choices_text(self) -> str:
        return "\n".join(f"{i}. {self._slot_label(n)}" for i, n in enumerate(self._edit_slots(), 1))

    def _match_edit_slot(self, text: str) -> str | None:
        names = self._edit_slots()
        t = answers._norm(text)
        t = re.sub(r"^(change|edit|fix|update)\s+(the\s+)?", "", t)
        if t.isascii() and t.isdigit() and 1 <= int(t) <= len(names) and self.state.mode == "pick_edit":
            return names[int(t) - 1]
        for n in names:
            if t in (n, n.replace("_", " "), answers._norm(self._slot_label(n))):
                return n
        return None

    def _edit(self, slot_name: str, out: _Out) -> None:
        st = self.state
        summary_step = st.stack[-1].step
        target = next(
            (s for s in self._flow().steps if isinstance(s, AskStep) and s.slot == slot_name), None
        )
        if target is None:  # pragma: no cover - edit slots come from this flow's ask steps
            self._reask(out)
            return
        self._log("edit", summary_step, {"slot": slot_name})
        st.edit_return = summary_step
        st.mode = "answer"
        self._jump(target.id)
        st.attempts[target.id] = 0
        previous = st.answers.get(slot_name)
        if previous is not None:
            self._msg(out, "info", "common.editing", {"previous": previous.text})
        self._ask(target, out)

    # --- accountability: commitments from earlier sessions ------------------------------

    def _ask_review(self, out: _Out) -> None:
        st = self.state
        item = st.review[st.review_index]
        c = item.commitment
        due = f" (due {c.due.isoformat()})" if c.due else ""
        other = "mentor" if st.role == Role.mentee else "mentee"
        owner = {"both": "shared", st.role.value: "yours", other: f"your {other}'s"}[c.owner]
        values = {"commitment": c.text, "due": due, "owner": owner, "n": str(st.review_index + 1),
                  "count": str(len(st.review))}
        if st.mode == "review_reason":
            self._msg(out, "ask", "common.review.reason", values)
        else:
            self._msg(out, "ask", "common.review.ask", values)

    def _on_review(self, text: str, out: _Out) -> None:
        st = self.state
        picked = answers._match_choice(text, REVIEW_SLOT.choices)
        if picked is None:
            self._msg(out, "reprompt", "common.invalid.choice", {"choices": answers._choices_text(REVIEW_SLOT.choices)})
            self._ask_review(out)
            return
        item = st.review[st.review_index]
        item.status = picked.value
        self._log("review", data={"commitment": item.commitment.id, "status": picked.value})
        if picked.value == "done":
            self._save_review(item)
            self._msg(out, "ack", "common.review.well_done")
            self._next_review(out)
        else:
            st.mode = "review_reason"
            self._ask_review(out)

    def _on_review_reason(self, text: str, out: _Out) -> None:
        st = self.state
        item = st.review[st.review_index]
        item.reason = text.strip() or None
        self._save_review(item)
        self._ack(out)
        self._next_review(out)

    def _save_review(self, item: ReviewItem) -> None:
        status = CommitmentStatus(item.status) if item.status else item.commitment.status
        updated = item.commitment.model_copy(update={"status": status, "reason": item.reason, "updated_at": utcnow()})
        item.commitment = updated
        self.engine.store.save_commitment(updated)

    def _next_review(self, out: _Out) -> None:
        st = self.state
        st.review_index += 1
        if st.review_index < len(st.review):
            st.mode = "review"
            self._ask_review(out)
            return
        st.mode = "answer"
        self._msg(out, "say", "common.review.done")
        self._run(out)

    # --- commands -----------------------------------------------------------------------

    def _cmd_back(self, out: _Out) -> bool:
        st = self.state
        if st.mode in ("review", "review_reason"):
            self._msg(out, "info", "common.review.no_back")
            self._ask_review(out)
            return False
        step = self._step()
        if st.mode == "probe":
            # Back from a follow-up question: the question itself, answered afresh.
            cp = st.checkpoints[-1]
            self._restore(cp)
            self._log("back", st.stack[-1].step)
            self._msg(out, "back", "common.back")
            self._reask(out)
            return True
        at_own_checkpoint = isinstance(step, AskStep) and st.checkpoints and (
            st.checkpoints[-1].stack[-1].step == step.id and st.edit_return is None
        )
        if at_own_checkpoint:
            if len(st.checkpoints) < 2:
                self._msg(out, "info", "common.back_at_start")
                self._reask(out)
                return False
            st.checkpoints.pop()
        if not st.checkpoints:
            self._msg(out, "info", "common.back_at_start")
            self._reask(out)
            return False
        cp = st.checkpoints[-1]
        target = self.lib.flow(cp.stack[-1].flow_id).step(cp.stack[-1].step)
        assert isinstance(target, AskStep)
        undone = st.answers.get(target.slot)
        self._restore(cp)
        self._log("back", target.id, {"slot": target.slot})
        if undone is not None and not undone.skipped and undone.text:
            self._msg(out, "back", "common.back_with_previous", {"previous": undone.text})
        else:
            self._msg(out, "back", "common.back")
        st.attempts[target.id] = 0
        self._ask(target, out)
        return True

    def _cmd_skip(self, out: _Out) -> bool:
        st = self.state
        if st.mode in ("review", "review_reason"):
            item = st.review[st.review_index]
            if st.mode == "review_reason":
                self._save_review(item)  # the status stands; the reason is left out
            self._log("review_skip", data={"commitment": item.commitment.id})
            self._next_review(out)
            return True
        step = self._step()
        if st.mode == "probe" and st.pending_probe:
            self._log("skip_probe", st.pending_probe.step)
            self._msg(out, "skip", "common.skip_probe")
            self._accept(out, ack=False)
            return True
        if not isinstance(step, AskStep) or st.mode != "answer":
            self._msg(out, "info", "common.cannot_skip_here")
            self._reask(out)
            return False
        if not step.skippable:
            self._msg(out, "info", "common.cannot_skip", {"why": self._why_text(step)})
            self._ask(step, out)
            return False
        st.answers[step.slot] = Answer(slot=step.slot, raw="", value=None, skipped=True)
        st.slots.pop(step.slot, None)
        self._log("skip", step.id, {"slot": step.slot})
        self._msg(out, "skip", "common.skipped")
        self._advance()
        self._run(out)
        return True

    def _cmd_help(self, out: _Out) -> bool:
        step = self._step()
        self._log("help", step.id)
        if self.state.mode == "review":
            self._msg(out, "help", "common.review.help")
        if isinstance(step, AskStep) and self.state.mode == "answer":
            slot = self._slot(step.slot)
            if step.help:
                self._msg(out, "help", step.help)
            kind = slot.type.value if slot else "text"
            if not (slot and slot.pattern and step.help):  # "in your own words" misleads for a format
                self._msg(out, "help", f"common.help.{kind}", self._question_hint(step, slot))
        self._msg(out, "help", "common.help.commands", {"commands": _commands_text()})
        self._reask(out)
        return False

    def _why_text(self, step: AskStep) -> str:
        key = step.why or "common.why.general"
        return self._render(key)[0]

    def _cmd_why(self, out: _Out) -> bool:
        step = self._step()
        self._log("why", step.id)
        if isinstance(step, AskStep) and step.why:
            self._msg(out, "why", step.why)
        else:
            self._msg(out, "why", "common.why.general")
        self._reask(out)
        return False

    def _cmd_summary(self, out: _Out) -> bool:
        lines = []
        for name, ans in self.state.answers.items():
            skipped = ans.skipped or ans.gave_up
            shown = "(skipped)" if skipped else answers.display(self._slot(name), ans.value)
            lines.append((self._slot_label(name), shown))
        if lines:
            text = "\n".join(f"- {label}: {value}" for label, value in lines)
            md = "\n".join(f"- **{md_escape(label)}**: {md_escape(value)}" for label, value in lines)
            head_t, head_md = self._render("common.summary_so_far")
            out.messages.append(BotMessage(kind="summary", text=f"{head_t}\n{text}", markdown=f"{head_md}\n\n{md}",
                                           key="common.summary_so_far", step=self.state.stack[-1].step))
        else:
            self._msg(out, "summary", "common.summary_empty")
        if not self.done:
            self._reask(out)
        return False

    def _cmd_pause(self, out: _Out) -> bool:
        self.state.status = ConversationStatus.paused
        self._log("pause", self.state.stack[-1].step)
        self._msg(out, "info", "common.paused")
        return True

    # --- end of a flow: artifacts and commitments ----------------------------------------

    def _produce(self, step: EndStep, out: _Out) -> None:
        st = self.state
        store = self.engine.store
        for spec in step.artifacts:
            title, _ = self._render(spec.title)
            _, markdown = self._render(spec.template)
            art = Artifact(
                relationship_id=st.relationship_id,
                session_id=st.id,
                stage=self._flow().stage,
                kind=spec.kind,
                title=title,
                markdown=markdown,
                data={k: v for k, v in st.slots.items()},
            )
            store.save_artifact(art)
            out.artifacts.append(art)
        for cspec in step.commitments:
            items = st.slots.get(cspec.slot) or []
            due_raw = st.slots.get(cspec.due_slot) if cspec.due_slot else None
            due = iso_date(due_raw)
            for item in items if isinstance(items, list) else [items]:
                store.save_commitment(
                    Commitment(
                        relationship_id=st.relationship_id,
                        session_id=st.id,
                        stage=self._flow().stage,
                        text=str(item),
                        owner=cspec.owner,
                        due=due,
                    )
                )

    # --- rendering ----------------------------------------------------------------------

    def _vars(self, extra: dict[str, str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
        """Template values, plain and Markdown-escaped."""
        st = self.state
        plain: dict[str, str] = {}
        for name, spec in self._declared_slots().items():  # unanswered or skipped: a dash, not "$name"
            plain[name] = answers.display(spec, None)
            if spec.type in (SlotType.list, SlotType.multichoice):
                plain[f"{name}__bullets"] = "- —"
        plain["role"] = st.role.value
        for k, v in st.context.items():
            plain[k] = str(v)
        for name, value in st.slots.items():
            slot = self._slot(name)
            plain[name] = answers.display(slot, value)
            if isinstance(value, list):
                shown = [answers.display(slot, [v]) if slot and slot.type == SlotType.multichoice else str(v)
                         for v in value]
                plain[f"{name}__bullets"] = "\n".join(f"- {v}" for v in shown) or "- —"
        for name, ans in st.answers.items():
            plain[f"{name}__raw"] = ans.raw
        plain.update(extra or {})
        md = {k: (_md_bullets(v) if k.endswith("__bullets") else md_escape(v)) for k, v in plain.items()}
        return plain, md

    def _declared_slots(self) -> dict[str, Slot]:
        """Slots declared by the flows on the stack and the sub-flows they call."""
        flows = [self.lib.flow(f.flow_id) for f in self.state.stack]
        called = [self.lib.flow(s.flow) for f in flows for s in f.steps
                  if isinstance(s, CallStep) and s.flow in self.lib.flows]
        declared: dict[str, Slot] = {}
        for flow in [*called, *flows]:
            declared.update(flow.slots)
        return declared

    def _render(self, key: str, extra: dict[str, str] | None = None) -> tuple[str, str]:
        st = self.state
        entry = self.lib.prompts.entry(key, st.locale)
        phrasings = entry.phrasings(st.role.value)
        count = st.phrase_counts.get(key, 0)
        avoid = st.last_ack if key == "common.ack" else None
        template = pick(phrasings, f"{st.id}:{key}", count, avoid)
        st.phrase_counts[key] = count + 1
        plain, md = self._vars(extra)
        return render(strip_emphasis(template), plain), render(template, md)

    def _msg(self, out: _Out, kind: MessageKind, key: str, extra: dict[str, str] | None = None) -> None:
        text, markdown = self._render(key, extra)
        out.messages.append(BotMessage(kind=kind, text=text, markdown=markdown, key=key,
                                       step=self.state.stack[-1].step if self.state.stack else None))

    def _ack(self, out: _Out) -> None:
        if not self.lib.prompts.has("common.ack", self.state.locale):
            return
        text, markdown = self._render("common.ack")
        self.state.last_ack = text
        out.messages.append(BotMessage(kind="ack", text=text, markdown=markdown, key="common.ack"))

    def _question_hint(self, step: AskStep, slot: Slot | None) -> dict[str, str]:
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
                hint["min"] = f"{answers._as_int_if_whole(slot.min)}"
            if slot.max is not None:
                hint["max"] = f"{answers._as_int_if_whole(slot.max)}"
        hint["example"] = self._example(slot)
        hint["skip"] = "You can also type /skip to leave this one." if step.skippable else ""
        return hint

    def _example(self, slot: Slot) -> str:
        t = slot.type
        if t == SlotType.date:
            return "2026-01-31, tomorrow, next Friday, in 2 weeks"
        if t == SlotType.yes_no:
            return "yes or no"
        if t == SlotType.scale:
            lo, hi = slot.scale_bounds
            return f"a whole number from {lo} to {hi}"
        if t == SlotType.number:
            return "a number, like 4"
        if t in (SlotType.choice, SlotType.multichoice):
            return "the number or the name of an option"
        if t == SlotType.list:
            return "one item per line, or items separated by semicolons"
        return "a sentence or two in your own words"

    def _question(self) -> Question | None:
        st = self.state
        if st.status == ConversationStatus.done or not st.stack:
            return None
        step = self._step()
        if st.mode == "review":
            opts = [ChoiceOption(value=v, label=label) for v, label in REVIEW_CHOICES]
            return Question(step=step.id, slot=None, type="choice", choices=opts, skippable=True)
        if st.mode == "review_reason":
            return Question(step=step.id, slot=None, type="text", skippable=True)
        if st.mode in ("confirm", "pick_edit"):
            if st.mode == "confirm":
                return Question(step=step.id, slot=None, type="confirm",
                                choices=[ChoiceOption(value="yes", label="Yes, that's right"),
                                         ChoiceOption(value="no", label="No, change something")])
            opts = [ChoiceOption(value=n, label=self._slot_label(n)) for n in self._edit_slots()]
            return Question(step=step.id, slot=None, type="choice", choices=opts)
        if not isinstance(step, AskStep):
            return None
        slot = self._slot(step.slot)
        assert slot is not None
        if st.mode == "probe":
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
        )

    def _progress(self) -> tuple[int, int]:
        st = self.state
        top = self.lib.flow(st.stack[0].flow_id)
        ids = top.step_ids()
        if st.status == ConversationStatus.done:
            return len(ids), len(ids)
        return ids.index(st.stack[0].step), len(ids)

    def _finish(self, out: _Out, *, save: bool = True, paused: bool = False) -> BotTurn:
        st = self.state
        if save:
            st.updated_at = utcnow()
            self.engine.store.save_conversation(st)
        turn = BotTurn(
            messages=out.messages,
            question=self._question() if st.status == ConversationStatus.active else None,
            done=st.status == ConversationStatus.done,
            paused=paused or st.status == ConversationStatus.paused,
            progress=self._progress(),
            artifacts=out.artifacts,
        )
        if st.status == ConversationStatus.done:
            self.close()
        return turn

    def _log(self, kind: str, step: str | None = None, data: dict[str, Any] | None = None) -> None:
        self.state.events.append(Event(kind=kind, step=step, data=dict(data or {})))


_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def strip_emphasis(template: str) -> str:
    """A bot text for plain terminals: Markdown bold/italic markers removed (before values go in)."""
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3), template)


def _default_context(role: Role) -> dict[str, str]:
    """Names the texts may use ($other_name, ...) when the client knows none (e.g. a scripted run)."""
    other = "mentor" if role == Role.mentee else "mentee"
    names = {role.value: "you", other: f"your {other}"}
    return {"name": "you", "other_name": names[other], "mentee_name": names["mentee"], "mentor_name": names["mentor"]}


def _md_bullets(text: str) -> str:
    return "\n".join(f"- {md_escape(line[2:])}" if line.startswith("- ") else md_escape(line)
                     for line in text.splitlines())


def _commands_text() -> str:
    return ", ".join(f"/{c}" for c in COMMANDS)


def parse_command(text: str) -> tuple[str, bool] | None:
    """`/name` typed alone is a command: (name, unknown?). Anything else is an answer."""
    t = text.strip()
    m = re.fullmatch(r"/([A-Za-z]+)", t)
    if not m:
        return None
    name = m.group(1).lower()
    return name, name not in COMMANDS
