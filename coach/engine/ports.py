"""The store interface the engine talks to.  Implementations live elsewhere (coach.store); the
engine only ever sees this Protocol, so it never imports TinyDB."""

from __future__ import annotations

from typing import Protocol

from coach.models import Artifact, Commitment, ConversationState


class ConversationStore(Protocol):
    def save_conversation(self, state: ConversationState) -> None:
        """Persist the whole state durably; called before a bot turn acknowledging an answer is returned."""

    def load_conversation(self, conversation_id: str) -> ConversationState | None: ...

    def save_commitment(self, commitment: Commitment) -> None: ...

    def save_artifact(self, artifact: Artifact) -> None: ...


class MemoryStore:
    """A store that keeps everything in memory (scripted runs, tests, demos)."""

    def __init__(self) -> None:
        self.conversations: dict[str, ConversationState] = {}
        self.commitments: dict[str, Commitment] = {}
        self.artifacts: dict[str, Artifact] = {}

    def save_conversation(self, state: ConversationState) -> None:
        self.conversations[state.id] = state.model_copy(deep=True)

    def load_conversation(self, conversation_id: str) -> ConversationState | None:
        state = self.conversations.get(conversation_id)
        return state.model_copy(deep=True) if state else None

    def save_commitment(self, commitment: Commitment) -> None:
        self.commitments[commitment.id] = commitment.model_copy(deep=True)

    def save_artifact(self, artifact: Artifact) -> None:
        self.artifacts[artifact.id] = artifact.model_copy(deep=True)
