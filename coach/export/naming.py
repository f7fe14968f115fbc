"""File names for exported artifacts: `<date>-<stage>-<kind>`, unique within one export."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, tzinfo

from coach.models import Artifact

_UNSAFE = re.compile(r"[^a-z0-9_]+")
# A path component may hold 255 bytes on most file systems; names stay well under it, leaving room
# for the -2, -3 of a repeat and for the temporary name a file is written under.
NAME_BYTES = 120


def fit_name(name: str, limit: int = NAME_BYTES) -> str:
    """``name`` if it fits in ``limit`` UTF-8 bytes, else its start (cut on a character boundary,
    its suffix kept) and a short hash of the whole name: stable, and unique for different names."""
    if len(name.encode("utf-8", "surrogatepass")) <= limit:
        return name
    dot = name.rfind(".")
    stem, suffix = (name[:dot], name[dot:]) if dot > 0 and len(name) - dot <= 8 else (name, "")
    tag = "-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    room = limit - len(suffix.encode("utf-8", "surrogatepass")) - len(tag)
    cut = stem.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore").rstrip("-_. ")
    return f"{cut}{tag}{suffix}"


def _part(text: str) -> str:
    return _UNSAFE.sub("_", text.casefold()).strip("_") or "artifact"


def file_stem(artifact: Artifact, tz: tzinfo = UTC) -> str:
    """'2026-11-27-fit_check-fit_report': the day it was made (in `tz`), its stage and its kind."""
    day = artifact.created_at.astimezone(tz).date().isoformat()
    return fit_name(f"{day}-{_part(artifact.stage)}-{_part(artifact.kind)}", NAME_BYTES - 16)


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
