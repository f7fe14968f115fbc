"""An artifact as a JSON document (everything the stage recorded, including its data)."""

from __future__ import annotations

from coach.literal import json_text
from coach.models import Artifact


def json_document(artifact: Artifact) -> str:
    """Everything, losslessly: control characters and lone surrogates as JSON escapes, never raw."""
    return json_text(artifact.model_dump(mode="json"), indent=2) + "\n"
