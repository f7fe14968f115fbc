"""The shape of each kind of data file in format version ``SCHEMA_VERSION``.

Every file is a TinyDB JSON document (``{table: {doc_id: document}}``) with an extra ``_meta``
table recording the format version and the kind of file, so a file copied from a newer coach or
put in the wrong place is refused instead of misread.  Each table's documents must validate
against the pydantic model given here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from coach.models import (
    Artifact,
    Commitment,
    ConversationHeader,
    LogEntry,
    OwnStage,
    PartnerStage,
    Profile,
    Relationship,
    SessionSummary,
)

SCHEMA_VERSION = 3
META_TABLE = "_meta"
META_DOC_ID = "1"

# Table names, shared by the repositories and the migrations.
CONVERSATION = "conversation"  # session file: doc "1" is the ConversationHeader
INPUTS = "inputs"  # session file: doc str(seq) is the LogEntry of that seq
SUMMARIES = "sessions"  # relationship file: one SessionSummary per conversation
COMMITMENTS = "commitments"
ARTIFACTS = "artifacts"
PARTNER_STAGES = "partner_stages"  # relationship file: what the other person shared, one per stage
OWN_STAGES = "own_stages"  # relationship file: this person's seals and signatures, one per stage
HEADER_DOC_ID = "1"


@dataclass(frozen=True)
class FileSchema:
    """A kind of data file: its tables, the model of their documents, and its format version."""

    kind: str
    tables: Mapping[str, type[BaseModel]]
    version: int = SCHEMA_VERSION

    def meta(self) -> dict[str, Any]:
        return {"schema_version": self.version, "kind": self.kind}


INDEX = FileSchema("index", {"profiles": Profile, "relationships": Relationship})
RELATIONSHIP = FileSchema("relationship", {SUMMARIES: SessionSummary, COMMITMENTS: Commitment, ARTIFACTS: Artifact,
                                           PARTNER_STAGES: PartnerStage, OWN_STAGES: OwnStage})
SESSION = FileSchema("session", {CONVERSATION: ConversationHeader, INPUTS: LogEntry})
