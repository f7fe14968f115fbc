"""File names for exported artifacts: `<date>-<stage>-<kind>`, unique within one export."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, tzinfo

from coach.models import Artifact

_UNSAFE = re.compile(r"[^a-z0-9_]+")


def _part(text: str) -> str:
    return _UNSAFE.sub("_", text.casefold()).strip("_") or "artifact"


def file_stem(artifact: Artifact, tz: tzinfo = UTC) -> str:
    """'2026-11-27-fit_check-fit_report': the day it was made (in `tz`), its stage and its kind."""
    day = artifact.created_at.astimezone(tz).date().isoformat()
    return f"{day}-{_part(artifact.stage)}-{_part(artifact.kind)}"


def unique_stems(artifacts: Sequence[Artifact], tz: tzinfo = UTC) -> list[str]:
    """A stem per artifact, in the given order; repeats get -2, -3, ... in order of creation."""
    order = sorted(range(len(artifacts)), key=lambda i: (artifacts[i].created_at, artifacts[i].id))
    seen: dict[str, int] = {}
    stems = [""] * len(artifacts)
    for i in order:
        stem = file_stem(artifacts[i], tz)
        seen[stem] = seen.get(stem, 0) + 1
        stems[i] = stem if seen[stem] == 1 else f"{stem}-{seen[stem]}"
    return stems
