"""An artifact as a JSON document (everything the stage recorded, including its data)."""

from __future__ import annotations

import json

from coach.models import Artifact


def json_document(artifact: Artifact) -> str:
    return json.dumps(artifact.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
