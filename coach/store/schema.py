"""The shape of each kind of data file in format version ``SCHEMA_VERSION``.

Every file is a TinyDB JSON document (``{table: {doc_id: document}}``) with an extra ``_meta``
table recording the format version and the kind of file, so a file copied from a newer coach or
put in the wrong place is refused instead of misread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from coach.models import (
    Artifact,
    Commitment,
    ConversationState,
    ConversationStatus,
    Profile,
    Relationship,
    Role,
)

SCHEMA_VERSION = 2
META_TABLE = "_meta"
META_DOC_ID = "1"


class SessionSummary(BaseModel):
    """What a relationship file remembers about each session, to list them without opening each."""

    model_config = ConfigDict(extra="forbid")

    id: str
    flow_id: str
    relationship_id: str | None
    role: Role
    status: ConversationStatus
    started_at: datetime

    @classmethod
    def fields_of(cls, document: Mapping[str, Any]) -> dict[str, Any]:
        """The summary fields of a (JSON-dumped) conversation state, as plain JSON values."""
        return {name: document.get(name) for name in cls.model_fields}


@dataclass(frozen=True)
class FileSchema:
    kind: str
    tables: Mapping[str, type[BaseModel]]

    def meta(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "kind": self.kind}


INDEX = FileSchema("index", {"profiles": Profile, "relationships": Relationship})
RELATIONSHIP = FileSchema(
    "relationship", {"sessions": SessionSummary, "commitments": Commitment, "artifacts": Artifact}
)
SESSION = FileSchema("session", {"conversation": ConversationState})
