"""What the engine hands back to a client: bot messages and the question now open."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.models import Artifact, LogEntry

MessageKind = Literal[
    "say", "ask", "ack", "reprompt", "probe", "help", "why", "summary", "info", "back", "skip", "end", "error",
    "crisis", "draft",
]


class BotMessage(BaseModel):
    """One bot message. `text` has user values inserted verbatim (for plain terminals and
    transcripts); `markdown` has them escaped so a Markdown renderer shows them literally."""

    model_config = ConfigDict(frozen=True)

    kind: MessageKind
    text: str
    markdown: str
    key: str | None = None
    step: str | None = None


class ChoiceOption(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: str
    label: str


class Question(BaseModel):
    """The input the bot is waiting for, so a UI can offer the right widget."""

    model_config = ConfigDict(frozen=True)

    step: str
    slot: str | None
    type: Literal["text", "choice", "multichoice", "scale", "yes_no", "number", "date", "time", "list", "confirm",
                  "draft"]
    choices: list[ChoiceOption] = Field(default_factory=list)
    min: float | None = None
    max: float | None = None
    multiline: bool = False
    skippable: bool = False
    probing: bool = False
    default: str | None = None  # a "draft": the text to start from (the document, to edit as a whole)


class BotTurn(BaseModel):
    """Everything the bot says in reply to one user input, and what it waits for next.

    `entry` is the input as the conversation's log keeps it (with the documents and commitments
    it produced as its effects); None for what is shown but not kept (/help, /why, /summary,
    /pause, an unknown command, re-showing the open question). The caller stores it."""

    messages: list[BotMessage] = Field(default_factory=list)
    question: Question | None = None
    done: bool = False
    paused: bool = False
    progress: tuple[int, int] = (0, 0)
    artifacts: list[Artifact] = Field(default_factory=list)
    entry: LogEntry | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(m.text for m in self.messages)
