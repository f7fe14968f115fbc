"""A conversation's derived state, as the model of the modes machine (`coach.engine.modes`).

A `Dialogue` is built by replaying a conversation's inputs through its flow; it is never stored.
It holds what the replay derives (slots, answers, attempts, where the flow is, the review of
earlier commitments) and the callbacks the machine's transitions name. The repair dialogues are
parts of their own: `questions` (answers, follow-ups, skips), `confirmation` (the summary:
confirm and edit) and `accountability` (the review of earlier commitments); the flow
interpreter is `runner`, the texts `render`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from transitions import EventData

from coach.content.lexicon import Lexicon
from coach.content.schema import AskStep
from coach.engine import compute, probes
from coach.engine.compute import ComputeContext
from coach.engine.drafts import Drafts
from coach.engine.groups import Groups
from coach.engine.names import default_names
from coach.engine.questions import Heard, Questions
from coach.engine.render import Renderer
from coach.engine.review import Review
from coach.engine.runner import FlowRunner
from coach.engine.summary import Summary, arg
from coach.engine.text import commands_text
from coach.engine.turns import BotMessage, MessageKind, Question
from coach.models import Answer, ConversationHeader, Effects, LogEntry

if TYPE_CHECKING:
    from coach.content.library import FlowLibrary
    from coach.engine.conversation import Engine


def names_known(context: dict[str, str], stand_ins: set[str]) -> dict[str, str]:
    """The first names the coach knows from the conversation's context (not stand-ins like "you")."""
    known = {}
    for key, name in (("mentee_first_name", "mentee_name"), ("mentor_first_name", "mentor_name"),
                      ("my_first_name", "name"), ("other_first_name", "other_name")):
        full = context.get(name, "")
        if full.strip() and full not in stand_ins:
            known[key] = full.split()[0]
    return known


class Dialogue:
    state: str  # set by transitions: the mode, one of coach.engine.modes.STATES

    def __init__(self, engine: Engine, header: ConversationHeader, *, lenient: bool = False,
                 generation: int = 0) -> None:
        self.engine = engine
        self.lib: FlowLibrary = engine.library.localized(header.locale)  # its flows' labels in its language
        self.header = header
        self.lex = Lexicon.load(header.locale)  # the words its answers are read by
        self.context = dict(header.context)
        # "you", "your mentor": what texts say where no relationship gives a name (not a name to shorten)
        self.stand_ins = set(default_names(self.lib.prompts, header.locale).values())
        self.memory = {**names_known(header.context, self.stand_ins), **header.memory}  # what can be offered back
        self.lenient = lenient  # a replay into an edited flow: inputs that no longer fit are dropped
        self.generation = generation  # how often the stored log was rewritten (/back, edits): rotates texts
        # derived by the replay
        self.slots: dict[str, Any] = {}
        self.answers: dict[str, Answer] = {}
        self.attempts: dict[str, int] = {}
        self.visited: list[str] = []
        self.phrase_counts: dict[str, int] = {}
        self.last_ack: str | None = None
        self.groups = Groups()
        self.resume_to: str | None = None
        # the input being handled and what it produced
        self.at: datetime = header.started_at
        self.today: date = header.started_at.date()
        self.heard: Heard | None = None
        self.messages: list[BotMessage] = []
        self.prompt: list[BotMessage] = []  # the messages that put the open prompt (re-shown on request)
        self.effects = Effects()
        self.rewrite: list[int] | None = None  # the effective inputs after this one (back, edit)
        self.dropped: list[int] = []
        self.input_count = 0
        self.seq = 0  # the stored position of the input being handled
        # parts
        self.render = Renderer(self)
        self.runner = FlowRunner(self)
        self.questions = Questions(self)
        self.confirmation = Summary(self)
        self.accountability = Review(self)
        self.drafts = Drafts(self)
        engine.modes.add_model(self, initial="starting")

    def compute_context(self) -> ComputeContext:
        """What a flow's compute step knows besides the slots: the role, the locale and its texts."""
        return compute.context(self.lib.prompts, self.header.role.value, self.header.locale, lexicon=self.lex)

    def close(self) -> None:
        """Detach from the shared machines (the modes machine and the flows' step machines)."""
        self.runner.close()
        if self in self.engine.modes.models:
            self.engine.modes.remove_model(self)

    # --- driving ------------------------------------------------------------------------------

    def begin(self) -> None:
        """The opening: the review of earlier commitments, or the flow's first prompt."""
        if self.header.review:
            self.say("say", "common.review.intro", {"count": str(len(self.header.review))})
            self.trigger("review")
        else:
            self.continue_flow()

    def continue_flow(self) -> None:
        """Walk the flow to where the user is needed and put that prompt to them."""
        stop = self.runner.run()
        if stop.kind == "ask":
            self.trigger("ask")
        elif stop.kind == "summary":
            self.trigger("summarize")
        elif self.drafts.documents:
            self.trigger("draft")
        else:
            self.effects.commitments += self.drafts.commitments
            self.trigger("finish")

    def start_input(self, entry: LogEntry, count: int, *, fresh: bool = True) -> None:
        """Handle `entry` next (the `count`-th effective input); `fresh`: forget the messages
        and effects of the input before."""
        self.at, self.today = entry.at, entry.today
        if fresh:
            self.messages, self.effects = [], Effects()
        self.rewrite = None
        self.input_count = count
        self.seq = entry.seq

    def feed(self, index: int, entry: LogEntry) -> bool:
        """Handle one stored input (the `index`-th effective one); False if it was dropped
        because it no longer fits (only in a lenient replay)."""
        if self.state in ("paused", "crisis"):
            self.trigger("resume")
        trigger, arg = self.classify(entry)
        if self.lenient and not self.fits(trigger, arg):
            self.dropped.append(index)
            return False
        self.groups.add(index)
        self.trigger(trigger, arg)
        return True

    def classify(self, entry: LogEntry) -> tuple[str, str | None]:
        if entry.kind == "command":
            return entry.text, None
        if self.state in ("confirming", "choosing_edit"):
            return self.confirmation.classify(entry.text)
        if self.state in ("drafting", "writing"):
            return self.drafts.classify(entry.text)
        return "answer", entry.text

    def fits(self, trigger: str, arg: str | None) -> bool:
        """Would this input be taken as it was meant, here? (For a replay into an edited flow:
        an answer that is no longer valid, or not understood at the summary, is dropped.)"""
        if trigger == "answer":
            if self.state == "asking":
                return self.questions.parse(arg or "").invalid is None
            if self.state == "reviewing":
                return self.accountability.choice(arg or "") is not None
            return self.state not in ("confirming", "choosing_edit", "drafting")  # there: not understood
        if trigger == "skip":
            return self.state != "asking" or self.questions.skippable()
        return trigger != "back"

    @contextmanager
    def showing(self) -> Iterator[None]:
        """Render without using up phrasings: for what is shown but not stored (help, why, ...)."""
        counts, last_ack = dict(self.phrase_counts), self.last_ack
        try:
            yield
        finally:
            self.phrase_counts, self.last_ack = counts, last_ack

    # --- where we are -------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        return self.resume_to if self.state in ("paused", "crisis") and self.resume_to else self.state

    def prompt_tag(self) -> str | None:
        """The name of the prompt open now (what an input given now answers), None when done."""
        mode = self.mode
        if mode in ("reviewing", "review_reason"):
            return self.accountability.tag(mode)
        if mode in ("asking", "probing", "confirming"):
            return self.runner.tag()
        if mode == "clarifying":
            return f"{self.runner.tag()}#which"
        if mode == "choosing_edit":
            return f"{self.runner.tag()}#edit"
        if mode in ("drafting", "writing"):
            return self.drafts.tag(mode)
        return None

    def question(self) -> Question | None:
        """The input the coach waits for, so a client can offer the right widget."""
        mode = self.mode
        if mode in ("reviewing", "review_reason"):
            return self.accountability.question(mode)
        if mode in ("confirming", "choosing_edit"):
            return self.confirmation.question(mode)
        if mode in ("asking", "probing"):
            return self.questions.question(probing=mode == "probing")
        if mode == "clarifying":
            return self.questions.which_question()
        if mode in ("drafting", "writing"):
            return self.drafts.question(mode)
        return None

    # --- messages -----------------------------------------------------------------------------

    def say(self, kind: MessageKind, key: str, extra: dict[str, str] | None = None) -> BotMessage:
        msg = self.render.message(kind, key, extra)
        self.messages.append(msg)
        return msg

    def put(self, *messages: BotMessage) -> None:
        """These messages put the prompt now open (shown again by `reask`)."""
        self.prompt = list(messages)

    def reask(self) -> None:
        self.messages.extend(self.prompt)

    def acknowledge(self, _: EventData | None = None, *, tone: str | None = None) -> None:
        """Thank the user for the answer just given: warmly if it voices a worry, whatever the question."""
        if self.heard is not None and probes.sounds_worried(self.heard.text, self.lex):
            tone = "warm"
        msg = self.render.ack(tone)
        if msg is not None:
            self.messages.append(msg)

    # --- guards and callbacks the machine names (see coach.engine.modes) ----------------------

    def understand(self, event: EventData) -> None:
        """Before a trigger is handled: read the text for the prompt it answers."""
        self.heard = None
        if event.event.name != "answer":
            return
        text = arg(event) or ""
        if self.state == "clarifying":
            self.heard = self.questions.parse_which(text)
        elif self.state == "asking":
            self.heard = self.questions.parse(text)
            if self.heard.invalid is not None:
                step = self.runner.step()
                self.attempts[step.id] = self.attempts.get(step.id, 0) + 1
        else:
            self.heard = Heard(text)

    def __getattr__(self, name: str) -> Any:
        # Guards and callbacks named `part.method` in the transitions table are the parts' methods.
        part, _, method = name.partition(".")
        if method and part in ("questions", "confirmation", "accountability", "drafts"):
            return getattr(self.__dict__[part], method)
        raise AttributeError(name)

    def can_go_back(self, _: EventData) -> bool:
        return self.groups.back_drop(self.state in ("probing", "clarifying")) is not None

    def go_back(self, _: EventData) -> None:
        found = self.groups.back_drop(self.state in ("probing", "clarifying"))
        assert found is not None
        drop, undone = found
        previous = self._answer_of(undone)
        if previous is not None:
            self.say("back", "common.back_with_previous", {"previous": previous})
        else:
            self.say("back", "common.back")
        dropped = set(drop)
        self.rewrite = [i for i in range(self.input_count) if i not in dropped]

    def _answer_of(self, group: Any) -> str | None:
        if group is None or group.kind != "question" or group.slot is None:
            return None
        ans = self.answers.get(group.slot)
        return ans.text if ans is not None and not ans.skipped and ans.text else None

    def say_back_at_start(self, _: EventData) -> None:
        self.say("info", "common.back_at_start")
        self.reask()

    def say_no_back_in_review(self, _: EventData) -> None:
        self.say("info", "common.review.no_back")
        self.reask()

    def show_help(self, _: EventData) -> None:
        if self.state in ("reviewing", "review_reason"):
            self.say("help", "common.review.help")
        elif self.state == "asking":
            self.questions.help()
        self.say("help", "common.help.commands", {"commands": commands_text()})
        self.reask()

    def show_why(self, _: EventData) -> None:
        step = self.runner.step()
        key = step.why if isinstance(step, AskStep) and step.why else "common.why.general"
        self.say("why", key)
        self.reask()

    def show_summary(self, _: EventData) -> None:
        self.messages.append(self.render.summary_so_far())
        if self.state != "done":
            self.reask()

    def remember_prompt(self, _: EventData) -> None:
        self.resume_to = self.state

    def forget_prompt(self, _: EventData) -> None:
        self.resume_to = None

    def resumes_to(self, event: EventData) -> bool:
        return event.transition is not None and event.transition.dest == self.resume_to

    def say_paused(self, _: EventData) -> None:
        self.say("info", "common.paused")

    def say_crisis(self, _: EventData) -> None:
        self.say("crisis", "common.crisis")

    def say_already_done(self, _: EventData) -> None:
        self.say("info", "common.already_done")

    def say_unknown_command(self, name: str) -> None:
        self.say("error", "common.unknown_command", {"command": name, "commands": commands_text()})
        if self.state != "done":
            self.reask()
