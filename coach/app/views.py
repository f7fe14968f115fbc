"""What the application service hands its clients: plain values to draw, and an open chat."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coach.app.status import StageState, StageStatus, resumable
from coach.engine.conversation import Conversation
from coach.engine.turns import BotTurn, Question
from coach.models import Commitment, Profile, Relationship

__all__ = ["Chat", "HomeView", "StageState", "StageStatus"]


@dataclass(frozen=True)
class HomeView:
    """Everything the home screen shows, read in one go."""

    profiles: list[Profile]
    profile: Profile | None
    relationships: list[Relationship]
    relationship: Relationship | None
    stages: list[StageStatus]
    commitments: list[Commitment]
    problems: list[str] = field(default_factory=list)  # what could not be read: one line each, set aside
    prepare: tuple[str, date] | None = None  # the check-in to offer (flow id) and the meeting it prepares

    @property
    def resumable(self) -> StageStatus | None:
        """The stage to continue with one key: the most recently touched unfinished one."""
        return resumable(self.stages)


@dataclass
class Chat:
    """An open conversation as a client holds it: what to show first, and what it is now."""

    conversation: Conversation
    title: str
    resumed: bool
    opening: BotTurn
    again: bool = False  # a stage finished before, started again
    note: str | None = None  # something to tell the user on opening

    @property
    def id(self) -> str:
        return self.conversation.id

    @property
    def flow_id(self) -> str:
        return self.conversation.header.flow_id

    @property
    def relationship_id(self) -> str | None:
        return self.conversation.header.relationship_id

    @property
    def done(self) -> bool:
        return self.conversation.done

    def question(self) -> Question | None:
        return self.conversation.question()
