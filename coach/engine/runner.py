"""The flow interpreter: walks a flow's steps (and the sub-flows it calls) from data.

Each flow definition has one `transitions` machine whose states are its step ids and whose
`advance` edges carry the flow's conditions (see `coach.engine.machine`); a conversation keeps
one model per frame of its call stack on those machines. The runner walks the automatic steps
(say, set, compute, branch, call, a summary that needs no answer, end) and stops where the user
is needed: a question, a summary to confirm, or the end of the flow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from coach.content.messages import message
from coach.content.schema import (
    AskStep,
    BranchStep,
    CallStep,
    CommitmentSpec,
    ComputeStep,
    EndStep,
    Flow,
    SayStep,
    SetStep,
    Slot,
    Step,
    SummaryStep,
)
from coach.engine import compute
from coach.engine.conditions import Facts
from coach.engine.errors import EngineError
from coach.engine.machine import StepModel
from coach.engine.text import capitalise_lines
from coach.models import CONTEXT_NAMES, Artifact, Commitment, iso_date

if TYPE_CHECKING:
    from coach.engine.dialogue import Dialogue

MAX_AUTOMATIC_STEPS = 10_000
OwnerName = Literal["mentee", "mentor", "both"]


@dataclass
class Frame:
    """One level of the flow call stack: which flow, which step, and where to go back to."""

    flow_id: str
    step: str
    return_step: str | None = None


@dataclass(frozen=True)
class Stop:
    """Where the runner stopped: a question, a summary to confirm, or the end of the flow."""

    kind: str  # "ask" | "summary" | "end"
    step: Step


class FlowRunner:
    def __init__(self, dialogue: Dialogue) -> None:
        self.d = dialogue
        self.lib = dialogue.lib
        self.frames: list[Frame] = []
        self._models: list[StepModel] = []
        self._push(dialogue.header.flow_id, None)

    # --- where we are ------------------------------------------------------------------------

    def flow(self) -> Flow:
        return self.lib.flow(self.frames[-1].flow_id)

    def step(self) -> Step:
        return self.flow().step(self.frames[-1].step)

    def tag(self) -> str:
        """The name of the current step in the whole library: `flow.step`."""
        return f"{self.frames[-1].flow_id}.{self.frames[-1].step}"

    def slot(self, name: str) -> Slot | None:
        """A slot's definition: from the flows on the stack first, else from any flow."""
        for frame in reversed(self.frames):
            slot = self.lib.flow(frame.flow_id).slots.get(name)
            if slot is not None:
                return slot
        for loaded in self.lib.flows.values():
            if name in loaded.flow.slots:
                return loaded.flow.slots[name]
        return None

    def progress(self, done: bool) -> tuple[int, int]:
        ids = self.lib.flow(self.frames[0].flow_id).step_ids()
        return (len(ids), len(ids)) if done else (ids.index(self.frames[0].step), len(ids))

    # --- moving ------------------------------------------------------------------------------

    def _facts(self) -> Facts:
        d = self.d
        return Facts(slots=d.slots, visited=d.visited, attempts=d.attempts, role=d.header.role.value)

    def _machine(self, flow_id: str) -> Any:
        return self.d.engine.machines.get(self.lib.flow(flow_id), self.lib.hash(flow_id))

    def _push(self, flow_id: str, return_step: str | None) -> None:
        if flow_id not in self.lib.flows:
            caller = self.frames[-1].flow_id if self.frames else flow_id
            raise EngineError(message("errors.engine.subflow_gone", self.d.header.locale, flow=repr(caller),
                                      called=repr(flow_id)))
        flow = self.lib.flow(flow_id)
        model = StepModel(self._facts)
        self._machine(flow_id).add_model(model, initial=flow.start)
        self.frames.append(Frame(flow_id, flow.start, return_step))
        self._models.append(model)
        self.d.visited.append(flow.start)

    def _pop(self) -> None:
        frame = self.frames.pop()
        self._machine(frame.flow_id).remove_model(self._models.pop())

    def advance(self) -> None:
        """Follow the current step's `next` edge whose condition holds."""
        model = self._models[-1]
        model.advance()  # type: ignore[attr-defined]  # a trigger added by transitions
        self.frames[-1].step = model.state
        self.d.visited.append(model.state)

    def jump(self, step_id: str) -> None:
        """Go straight to a step of the current flow (to ask a question again from the summary)."""
        self._machine(self.frames[-1].flow_id).set_state(step_id, model=self._models[-1])
        self.frames[-1].step = step_id
        self.d.visited.append(step_id)

    def close(self) -> None:
        """Detach this conversation's models from the shared machines."""
        while self.frames:
            self._pop()

    # --- walking -----------------------------------------------------------------------------

    def settle(self) -> Step:
        """Walk the silent steps (branches, sets, computes) and return the first step that says or asks
        something — so whoever moves on can see what the user meets next."""
        for _ in range(MAX_AUTOMATIC_STEPS):
            if not self._silent(self.step()):
                return self.step()
        raise self._runaway()

    def _silent(self, step: Step) -> bool:
        """Run `step` if it is silent (True), else leave it (False)."""
        d = self.d
        if isinstance(step, BranchStep):
            self.advance()
        elif isinstance(step, SetStep):
            d.slots.update(step.values)
            self.advance()
        elif isinstance(step, ComputeStep):
            d.slots.update(compute.run(step.function, d.slots, d.compute_context()))
            self.advance()
        else:
            return False
        return True

    def run(self) -> Stop:
        """Walk automatic steps until the user is needed (or the flow ends)."""
        d = self.d
        for _ in range(MAX_AUTOMATIC_STEPS):
            step = self.step()
            if self._silent(step):
                continue
            if isinstance(step, SayStep):
                d.say("say", step.prompt)
                self.advance()
            elif isinstance(step, AskStep):
                return Stop("ask", step)
            elif isinstance(step, CallStep):
                self._push(step.flow, step.id)
            elif isinstance(step, SummaryStep):
                if step.confirm:
                    return Stop("summary", step)
                d.say("summary", step.prompt)
                self.advance()
            elif isinstance(step, EndStep):
                self._produce(step)
                if len(self.frames) == 1 and d.drafts.documents:
                    d.drafts.closing = step.prompt  # said once the drafts are kept
                elif step.prompt:
                    d.say("end", step.prompt)
                if len(self.frames) == 1:
                    return Stop("end", step)
                self._pop()
                self.advance()
        raise self._runaway()

    def _runaway(self) -> EngineError:
        return EngineError(message("errors.engine.runaway", self.d.header.locale, flow=repr(self.frames[0].flow_id),
                                   steps=MAX_AUTOMATIC_STEPS))

    def _produce(self, step: EndStep) -> None:
        """The documents and commitments an end step leaves, keyed by this conversation."""
        d = self.d
        header, at = d.header, d.at
        stage = self.flow().stage
        documents: list[Artifact] = []
        commitments: list[Commitment] = []
        where = f"{header.id}.{self.frames[-1].flow_id}.{step.id}"
        declared = d.render.declared_slots()
        # a document written to be sent carries no private answer in its data either
        shareable = {k: v for k, v in d.slots.items() if not (k in declared and declared[k].declared_private)}
        for n, spec in enumerate(step.artifacts):
            title, _ = d.render.texts(spec.title)
            plain, markdown = d.render.texts(spec.template)
            documents.append(Artifact(
                id=f"{where}.{n}", relationship_id=header.relationship_id, session_id=header.id, stage=stage,
                kind=spec.kind, title=title, markdown=capitalise_lines(plain if spec.format == "text" else markdown),
                data=dict(shareable if spec.audience == "partner" else d.slots), created_at=at, format=spec.format,
                audience=spec.audience,
                names={k: v for k, v in d.context.items() if k in CONTEXT_NAMES}, timezone=header.timezone,
            ))
        for cspec in step.commitments:
            for n, text, owner, when in commitment_items(d.slots, cspec):
                commitments.append(Commitment(
                    id=f"{where}.{cspec.slot}.{n}", relationship_id=header.relationship_id, session_id=header.id,
                    stage=stage, text=capitalise_lines(str(text)), owner=owner, due=when, created_at=at, updated_at=at,
                ))
        d.drafts.hold(documents, commitments)


def commitment_items(slots: Mapping[str, Any], spec: CommitmentSpec) -> list[tuple[int, Any, OwnerName, date | None]]:
    """The commitments `spec` makes of `slots`: (position, text as stored, owner, due date) for
    each item of its list slot. An item of a plan (a mapping) carries its own text, owner and due
    date; an owner that is none of the three is the spec's."""
    items = slots.get(spec.slot) or []
    due = iso_date(slots.get(spec.due_slot)) if spec.due_slot else None
    out: list[tuple[int, Any, OwnerName, date | None]] = []
    for n, item in enumerate(items if isinstance(items, list) else [items]):
        text, owner, when = item, spec.owner, due
        if isinstance(item, dict):
            text, owner, when = item.get("text", ""), item.get("owner", owner), iso_date(item.get("due"))
        out.append((n, text, owner if owner in ("mentee", "mentor", "both") else spec.owner, when))
    return out
