"""Accountability: before the stage, the open commitments of earlier sessions, one at a time:
done, partly or not yet, and for the last two a reason. Each verdict is an effect of the input
that gave it (the commitment with its new status), stored with that input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from transitions import EventData

from coach.content.lexicon import Lexicon
from coach.content.messages import message
from coach.content.schema import Choice
from coach.engine import answers
from coach.engine.dates import long_date
from coach.engine.turns import ChoiceOption, Question
from coach.models import Commitment, CommitmentStatus

if TYPE_CHECKING:
    from coach.engine.dialogue import Dialogue

VERDICTS = ("done", "partly", "not_yet")
"""The verdicts on an earlier commitment: their names are `engine.review.*`, the words that answer each
the lexicon's (`replies.review_*`)."""


def _synonyms(lex: Lexicon) -> dict[str, list[str]]:
    return {v: list(lex.words(f"replies.review_{v}")) for v in VERDICTS}


class Review:
    def __init__(self, dialogue: Dialogue) -> None:
        self.d = dialogue
        self.index = 0
        self.status: str | None = None  # the verdict on the current commitment, once given

    @property
    def item(self) -> Commitment:
        return self.d.header.review[self.index]

    def tag(self, mode: str) -> str:
        return f"@{'reason' if mode == 'review_reason' else 'review'}/{self.item.id}"

    def choices(self) -> list[Choice]:
        """The verdicts, named in the conversation's language."""
        return [Choice(value=v, label=self.d.render.word(f"review.{v}")) for v in VERDICTS]

    def choice(self, text: str) -> Choice | None:
        lex = self.d.lex
        words = lex.memo("review", _synonyms)
        picks = [c.model_copy(update={"synonyms": words[c.value]}) for c in self.choices()]
        return answers.match_choice(text, picks, lex)

    # --- prompts --------------------------------------------------------------------------------

    def put(self, _: EventData) -> None:
        d, c = self.d, self.item
        d.groups.begin("review", self.tag(d.state))
        if d.state == "reviewing":
            self.status = None
        locale = d.header.locale
        whose = "shared" if c.owner == "both" else "yours" if c.owner == d.header.role.value else c.owner
        owner = message(f"errors.review.owner.{whose}", locale)
        due = message("errors.review.due", locale, date=long_date(c.due, locale)) if c.due else ""
        values = {"commitment": c.text, "due": due, "owner": owner,
                  "n": str(self.index + 1), "count": str(len(d.header.review))}
        key = "common.review.reason" if d.state == "review_reason" else "common.review.ask"
        d.put(d.say("ask", key, values))

    def reprompt(self, _: EventData) -> None:
        self.d.say("reprompt", "common.invalid.choice", {"choices": answers.choices_text(self.choices())})
        self.d.reask()

    # --- guards and what was said ---------------------------------------------------------------

    def heard_status(self, _: EventData) -> bool:
        return self.d.heard is not None and self.choice(self.d.heard.text) is not None

    def wants_reason(self, _: EventData) -> bool:
        heard = self.d.heard
        picked = self.choice(heard.text) if heard is not None else None
        return picked is not None and picked.value != "done"

    def record_status(self, _: EventData) -> None:
        heard = self.d.heard
        picked = self.choice(heard.text) if heard is not None else None
        assert picked is not None
        self.status = picked.value
        if picked.value == "done":
            self._store(None)

    def praise(self, _: EventData) -> None:
        self.d.say("ack", "common.review.well_done")

    def record_reason(self, event: EventData) -> None:
        """The reason for partly / not yet (or none, on /skip): the verdict is stored with it."""
        heard = self.d.heard
        reason = heard.text.strip() if event.event.name == "answer" and heard is not None else ""
        self._store(reason or None)

    def _store(self, reason: str | None) -> None:
        d = self.d
        status = CommitmentStatus(self.status) if self.status else self.item.status
        d.effects.reviewed.append(self.item.model_copy(update={"status": status, "reason": reason, "updated_at": d.at}))

    def next(self, _: EventData) -> None:
        d = self.d
        self.index += 1
        if self.index < len(d.header.review):
            d.trigger("review")
            return
        d.say("say", "common.review.done")
        d.continue_flow()

    # --- for clients ----------------------------------------------------------------------------

    def question(self, mode: str) -> Question:
        step = self.d.runner.step().id
        if mode == "review_reason":
            return Question(step=step, slot=None, type="text", skippable=True)
        return Question(step=step, slot=None, type="choice", skippable=True,
                        choices=[ChoiceOption(value=c.value, label=c.label) for c in self.choices()])
