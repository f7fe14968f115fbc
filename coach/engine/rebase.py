"""Moving a conversation onto an edited flow: which of its inputs still fit, and what changed.

A lenient replay (inputs that no longer fit are dropped, not counted as tries) goes as far as the
kept answers reach; the inputs for questions further on are checked against those questions as
the flow has them now. What is kept is replayed exactly from then on; what changed is counted for
the one line the user is told ("2 questions changed since you started; your other answers are
kept"): answers that no longer fit or whose question is gone, and a new question where the user
had gone further before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coach.content.lexicon import Lexicon
from coach.content.library import FlowLibrary
from coach.content.schema import AskStep, Flow, Step
from coach.engine import answers
from coach.engine.dialogue import Dialogue
from coach.engine.groups import matches
from coach.models import ConversationHeader, LogEntry


@dataclass(frozen=True)
class Rebased:
    keep: list[int]  # the effective inputs that stay, by index, in order
    changed: int  # questions the user will be asked again, new, or no longer asked
    kept_answers: int


def rebase(lib: FlowLibrary, header: ConversationHeader, inputs: list[LogEntry], trial: Dialogue,
           dormant: list[int]) -> Rebased:
    """What to keep of `inputs` after the lenient replay `trial` (which left `dormant` unread)."""
    kept_answers = sum(1 for a in trial.answers.values() if not (a.skipped or a.gave_up))
    gone = {i for i in dormant if step_of(lib, header, inputs[i].prompt) is None}
    unfit, lost_later = _unfit(lib, header, inputs, (i for i in dormant if i not in gone))
    drop = set(trial.dropped) | gone | unfit
    lost = {inputs[i].prompt for i in drop if inputs[i].kind == "answer"} | lost_later
    keep = [i for i in range(len(inputs)) if i not in drop]
    waiting = trial.prompt_tag()
    new_question = bool(
        waiting and any(inputs[i].kind == "answer" for i in dormant if i not in drop)
        and not any(matches(inputs[i].prompt, waiting) for i in keep)
    )
    return Rebased(keep, len(lost) + int(new_question), kept_answers)


def step_of(lib: FlowLibrary, header: ConversationHeader, prompt: str) -> tuple[Flow, Step] | None:
    """The flow and step a stored input's prompt names, if the flows still have it (a review
    prompt stands for the review: the flow's first step)."""
    if prompt.startswith("@"):
        found = any(prompt.endswith(f"/{c.id}") for c in header.review)
        flow = lib.flow(header.flow_id)
        return (flow, flow.steps[0]) if found else None
    flow_id, _, step_id = prompt.removesuffix("#edit").partition(".")
    for f in list(lib.flows) if flow_id == "*" else [flow_id]:
        if f in lib.flows and step_id in lib.flow(f).step_ids():
            return lib.flow(f), lib.flow(f).step(step_id)
    return None


def _unfit(lib: FlowLibrary, header: ConversationHeader, inputs: list[LogEntry],
           dormant: Iterable[int]) -> tuple[set[int], set[str]]:
    """Of inputs not reached yet, those that no longer fit their question (tried in order until
    one fits: earlier invalid tries go too), and the questions left with no answer."""
    by_prompt: dict[str, list[int]] = {}
    for i in dormant:
        by_prompt.setdefault(inputs[i].prompt, []).append(i)
    unfit: set[int] = set()
    lost: set[str] = set()
    for prompt, indices in by_prompt.items():
        found = step_of(lib, header, prompt)
        if found is None or prompt.endswith("#edit"):
            continue
        flow, step = found
        if not isinstance(step, AskStep):
            continue
        for i in indices:
            if _fits(flow, step, inputs[i], header.locale):
                break
            unfit.add(i)
        else:
            lost.add(prompt)
    return unfit, lost


def _fits(flow: Flow, step: AskStep, entry: LogEntry, locale: str) -> bool:
    if entry.kind == "command":
        return entry.text != "skip" or step.skippable
    slot = flow.slots.get(step.slot)
    if slot is None:
        return False
    try:
        answers.parse(slot, entry.text, entry.today, Lexicon.load(locale))
    except answers.Invalid:
        return False
    return True
