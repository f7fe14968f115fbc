"""Drafts the user finishes: a stage's documents are shown as drafts before they are kept.

At the end of the flow its documents wait here; the user keeps them as they are, or edits one
(its whole text, as a "draft" question whose default is the document) and comes back to the
drafts. Only "keep" stores them, with the stage's commitments, as the effects of that input:
the edited text is what is stored and exported; the answers stay as given.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from transitions import EventData

from coach.engine import answers
from coach.engine.summary import YES_NO, arg
from coach.engine.text import md_escape, md_unescape
from coach.engine.turns import BotMessage, ChoiceOption, Question
from coach.models import Artifact, Commitment

if TYPE_CHECKING:
    from coach.engine.dialogue import Dialogue


class Drafts:
    def __init__(self, dialogue: Dialogue) -> None:
        self.d = dialogue
        self.documents: list[Artifact] = []  # made at the end of the flow, not kept yet
        self.commitments: list[Commitment] = []
        self.editing: int | None = None
        self.closing: str | None = None  # the flow's last words, said once the drafts are kept

    def hold(self, documents: list[Artifact], commitments: list[Commitment]) -> None:
        self.documents += documents
        self.commitments += commitments

    def tag(self, mode: str) -> str:
        base = f"{self.d.runner.tag()}#drafts"
        return f"{base}/{self.editing}" if mode == "writing" and self.editing is not None else base

    # --- reading what the user said -----------------------------------------------------------

    def classify(self, text: str) -> tuple[str, str | None]:
        """In the drafts: keep them, or edit which one. Writing: the new text, whatever it is.

        The options are numbered as a picker shows them — 1 keeps, 2 edits the first document, and
        so on — and an option's label ("Keep them", "Edit: Tour report") reads back as the option."""
        if self.d.state == "writing":
            return "answer", text
        lex = self.d.lex
        t = lex.key(answers.norm(text))
        keep_label = lex.key(answers.norm(self._options()[0].label))  # the option as shown ("Keep them as they are")
        if not t or t in lex.words("replies.drafts_keep") or t == keep_label:
            return "keep", None
        if t.isascii() and t.isdigit():
            n = int(t)
            if n == 1:
                return "keep", None
            return ("edit", str(n - 2)) if 2 <= n <= len(self.documents) + 1 else ("answer", text)
        try:
            if answers.parse(YES_NO, text, self.d.today, lex):
                return "keep", None
            if len(self.documents) == 1:
                return "edit", "0"
        except answers.Invalid:
            pass
        picked = self.which(t)
        return ("edit", str(picked)) if picked is not None else ("answer", text)

    def which(self, text: str) -> int | None:
        """The document a reply to edit names: "edit 3" (option 3, as the list numbers them; "edit 1", which
        would be "keep", is the first document), a word of its title, or the only one."""
        t = re.sub(self.d.lex.regex("replies.drafts_edit_re"), "", text).strip(" :“”«»\"'")
        if t.isascii() and t.isdigit() and t != text and 1 <= int(t) <= len(self.documents) + 1:
            return max(int(t) - 2, 0)
        if not t or t.isdigit():
            return 0 if len(self.documents) == 1 else None
        lex = self.d.lex
        hits = [n for n, doc in enumerate(self.documents) if t in lex.key(answers.norm(doc.title)) or t in doc.kind]
        return hits[0] if len(hits) == 1 else None

    def names_one(self, event: EventData) -> bool:
        return arg(event) is not None

    # --- prompts --------------------------------------------------------------------------------

    def put(self, _: EventData) -> None:
        d = self.d
        self.editing = None
        d.groups.begin("drafts", self.tag("drafting"))
        which = "one" if len(self.documents) == 1 else "many"
        intro = d.say("say", f"common.drafts.intro_{which}")
        shown = [self._shown(doc) for doc in self.documents]
        d.messages.extend(shown)
        d.put(intro, *shown, d.say("ask", f"common.drafts.{which}", {"choices": self._choices_text()}))

    def _shown(self, doc: Artifact) -> BotMessage:
        plain = doc.markdown if doc.format == "text" else md_unescape(doc.markdown)  # no "\\*" in a terminal
        # A plain-text document is shown as the text it is: escaped where it is drawn as Markdown.
        markdown = md_escape(doc.markdown) if doc.format == "text" else doc.markdown
        return BotMessage(kind="draft", text=plain, markdown=markdown, key="draft",
                          step=self.d.runner.frames[-1].step)

    def _choices_text(self) -> str:
        """The options as the picker numbers them."""
        return "\n".join(f"{n}. {o.label}" for n, o in enumerate(self._options(), 1))

    def _options(self) -> list[ChoiceOption]:
        word = self.d.render.word
        one = len(self.documents) == 1
        options = [ChoiceOption(value="keep", label=word("drafts.keep_one" if one else "drafts.keep_many"))]
        options += [ChoiceOption(value=f"edit {n}", label=word("drafts.edit", title=doc.title))  # "edit N": option N
                    for n, doc in enumerate(self.documents, 2)]
        return options

    def put_writing(self, event: EventData) -> None:
        d = self.d
        self.editing = int(arg(event) or 0)
        d.groups.begin("draft", self.tag("writing"))
        d.put(d.say("ask", "common.drafts.write", {"title": self.documents[self.editing].title}))

    def reprompt(self, _: EventData) -> None:
        self.d.say("reprompt", "common.drafts.which", {"choices": self._choices_text()})

    # --- what the user did ----------------------------------------------------------------------

    def record(self, event: EventData) -> None:
        """The edited document (an empty answer keeps it as it was)."""
        assert self.editing is not None
        text = (arg(event) or "").strip("\n")
        if text.strip():
            doc = self.documents[self.editing]
            self.documents[self.editing] = doc.model_copy(update={"markdown": text})
            self.d.say("ack", "common.drafts.edited", {"title": doc.title})
        self.d.trigger("draft")

    def keep_as_it_is(self, _: EventData) -> None:
        self.d.trigger("draft")

    def keep(self, _: EventData) -> None:
        """Keep the documents as they stand now: they and the commitments are stored with this input."""
        d = self.d
        d.effects.artifacts += self.documents
        d.effects.commitments += self.commitments
        d.say("info", "common.drafts.kept")
        if self.closing:
            d.say("end", self.closing)
        d.trigger("finish")

    # --- for clients ----------------------------------------------------------------------------

    def question(self, mode: str) -> Question:
        step = self.d.runner.step().id
        if mode == "writing" and self.editing is not None:
            return Question(step=step, slot=None, type="draft", default=self.documents[self.editing].markdown,
                            skippable=True)
        return Question(step=step, slot=None, type="choice", choices=self._options())
