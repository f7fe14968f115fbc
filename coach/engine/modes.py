"""The conversation's modes as a `transitions` machine: states, named triggers, guards, callbacks.

One machine serves every conversation (each `Dialogue` is a model added to it and removed when it
closes). The machine is where a conversation's modes are: what the user may do in each, and
what happens when they do it, is this table. The guards and callbacks it names are methods of
`Dialogue`, or of one of its parts (`questions.…`, `confirmation.…`, `accountability.…`, `drafts.…`).

Triggers of two kinds:

* the user's: ``answer`` (text), ``confirm``, ``edit`` (optionally naming a slot), ``keep``,
  ``skip``, ``back``, ``help``, ``why``, ``summary``, ``pause``, ``resume``, ``crisis``;
* the flow's, putting the next prompt to the user: ``review``, ``ask``, ``summarize``, ``draft``,
  ``finish``.
"""

from __future__ import annotations

from typing import Any

from transitions import Machine

REVIEW = ["reviewing", "review_reason"]
"""Before the stage: commitments from earlier sessions, one at a time (status, then a reason)."""
QUESTION = ["asking", "probing", "clarifying"]
"""A question of the flow, follow-up questions on a vague answer to it, and "which one did you
mean?" for an answer that could mean two things (a date)."""
SUMMARY = ["confirming", "choosing_edit"]
"""The summary: "does this capture it?", then "what would you like to change?"."""
DRAFTS = ["drafting", "writing"]
"""The stage's documents as drafts: keep them, or edit one (its whole text)."""
PROMPTS = [*REVIEW, *QUESTION, *SUMMARY, *DRAFTS]
"""States in which the coach waits for the user."""
STATES = ["starting", *PROMPTS, "paused", "crisis", "done"]

_SHOW = ("help", "why", "summary")  # show something, change nothing
_ANYWHERE = [*PROMPTS, "paused", "crisis"]


def _t(trigger: str, source: str | list[str], dest: str | None = None, **kw: Any) -> dict[str, Any]:
    return {"trigger": trigger, "source": source, "dest": dest, **kw}


TRANSITIONS: list[dict[str, Any]] = [
    # --- the flow puts a prompt to the user ------------------------------------------------------
    _t("review", ["starting", *REVIEW], "reviewing", after="accountability.put"),
    _t("ask", ["starting", *PROMPTS], "asking", after="questions.put"),
    _t("summarize", ["starting", *PROMPTS], "confirming", after="confirmation.put"),
    _t("draft", ["starting", *PROMPTS], "drafting", after="drafts.put"),
    _t("finish", ["starting", *PROMPTS], "done"),
    # --- reviewing earlier commitments -------------------------------------------------------------
    _t("answer", "reviewing", unless="accountability.heard_status", after="accountability.reprompt"),
    _t("answer", "reviewing", "review_reason", conditions="accountability.wants_reason",
       before="accountability.record_status", after="accountability.put"),
    _t("answer", "reviewing", after=["accountability.record_status", "accountability.praise", "accountability.next"]),
    _t("answer", "review_reason", after=["accountability.record_reason", "acknowledge", "accountability.next"]),
    _t("skip", "reviewing", after="accountability.next"),
    _t("skip", "review_reason", after=["accountability.record_reason", "accountability.next"]),
    _t("back", REVIEW, after="say_no_back_in_review"),
    # --- a question, and follow-ups ----------------------------------------------------------------
    _t("answer", "asking", conditions="questions.heard_invalid", unless="questions.out_of_attempts",
       after="questions.reprompt"),
    _t("answer", "asking", conditions="questions.heard_invalid", after="questions.give_up"),
    _t("answer", "asking", "clarifying", conditions="questions.heard_two_meanings", after="questions.put_which"),
    _t("answer", "clarifying", conditions="questions.heard_which", after=["questions.record_answer",
                                                                          "questions.accept"]),
    _t("answer", "clarifying", after="questions.reprompt_which"),
    _t("skip", "clarifying", after="questions.reprompt_which"),
    _t("answer", "asking", "probing", conditions="questions.needs_followup",
       before="questions.record_answer", after="questions.put_probe"),
    _t("answer", "asking", after=["questions.record_answer", "questions.accept"]),
    _t("answer", "probing", "probing", conditions="questions.needs_followup",
       before="questions.record_followup", after="questions.put_probe"),
    _t("answer", "probing", after=["questions.record_followup", "questions.accept"]),
    _t("skip", "asking", conditions="questions.skippable", after="questions.skip"),
    _t("skip", "asking", after="questions.say_cannot_skip"),
    _t("skip", "probing", after="questions.accept_as_it_is"),
    # --- the summary -------------------------------------------------------------------------------
    _t("confirm", "confirming", after="confirmation.accept"),
    _t("edit", SUMMARY, conditions="confirmation.names_slot", after="confirmation.start_edit"),
    _t("edit", "confirming", "choosing_edit", after="confirmation.put_pick"),
    _t("edit", "choosing_edit", after="confirmation.reprompt_pick"),
    _t("keep", "choosing_edit", "confirming", after="confirmation.put"),
    _t("answer", "confirming", after="confirmation.reprompt_confirm"),
    _t("answer", "choosing_edit", after="confirmation.reprompt_pick"),
    _t("skip", SUMMARY, after="confirmation.say_cannot_skip"),
    # --- the documents, as drafts --------------------------------------------------------------------
    _t("keep", "drafting", after="drafts.keep"),
    _t("skip", "drafting", after="drafts.keep"),
    _t("edit", "drafting", "writing", conditions="drafts.names_one", after="drafts.put_writing"),
    _t("edit", "drafting", after="drafts.reprompt"),
    _t("answer", "drafting", after="drafts.reprompt"),
    _t("answer", "writing", after="drafts.record"),
    _t("skip", "writing", after="drafts.keep_as_it_is"),
    # --- undo ---------------------------------------------------------------------------------------
    _t("back", [*QUESTION, *SUMMARY, *DRAFTS], conditions="can_go_back", after="go_back"),
    _t("back", [*QUESTION, *SUMMARY, *DRAFTS], after="say_back_at_start"),
    # --- showing, pausing, and a person in crisis --------------------------------------------------
    *(_t(name, PROMPTS, after=f"show_{name}") for name in _SHOW),
    _t("summary", "done", after="show_summary"),
    _t("pause", PROMPTS, "paused", before="remember_prompt", after="say_paused"),
    _t("crisis", PROMPTS, "crisis", before="remember_prompt", after="say_crisis"),
    *(_t("resume", ["paused", "crisis"], state, conditions="resumes_to", after="forget_prompt")
      for state in PROMPTS),
    # --- a finished conversation -------------------------------------------------------------------
    *(_t(name, "done", after="say_already_done")
      for name in ("answer", "confirm", "edit", "keep", "skip", "back", "help", "why", "pause")),
]

USER_TRIGGERS = frozenset({"answer", "confirm", "edit", "keep", "skip", "back", *_SHOW, "pause", "crisis"})


def build_modes_machine() -> Machine:
    """The machine all conversations share (models are added per conversation)."""
    return Machine(
        model=None,
        states=STATES,
        transitions=TRANSITIONS,
        initial="starting",
        auto_transitions=False,
        send_event=True,
        prepare_event="understand",
        ignore_invalid_triggers=False,
    )
