"""Which files an export writes for a set of artifacts, in one of the formats."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo
from pathlib import PurePosixPath
from typing import Literal

from coach.export.calendar import CalendarDataError, has_meeting, meeting_calendar
from coach.export.jsonfile import json_document
from coach.export.markdown import markdown_document
from coach.export.naming import fit_name, unique_stems
from coach.export.words import Words
from coach.models import Artifact

Format = Literal["md", "json", "ics"]
FORMATS: tuple[Format, ...] = ("md", "json", "ics")


@dataclass(frozen=True)
class ExportFile:
    """One file to write: its path relative to the export folder, and its bytes."""

    path: PurePosixPath
    content: bytes


def folder_name(name: str) -> str:
    """A safe folder name for a person's name: 'Ana María' -> 'ana-maria'; a very long name is
    shortened (with a hash of the whole name, see `fit_name`)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-")
    return fit_name(slug, 64) if slug else "relationship"


def export_artifacts(
    artifacts: Sequence[Artifact],
    fmt: Format,
    *,
    folder: str = "",
    with_name: str | None = None,
    words: Words | None = None,
    tz: tzinfo = UTC,
    on_error: Callable[[Artifact, CalendarDataError], None] | None = None,
) -> list[ExportFile]:
    """The files for `artifacts` in `fmt`, oldest first, under `folder`.

    md and json: one file per artifact (md: a message to paste, format text, as .txt). ics: one
    calendar per commitment agreement (other artifacts have no meeting to put in a calendar), its
    times in the agreement's own time zone;
    `with_name` (the other person) names them in the event when the agreement itself does not, and
    `words` (needed for ics) words the calendar in the reader's language.
    An agreement that lacks a first meeting date raises CalendarDataError, or, with `on_error`,
    is reported to it and left out."""
    chosen = sorted(artifacts, key=lambda a: (a.created_at, a.id))
    if fmt == "ics":
        chosen = [a for a in chosen if has_meeting(a)]
        if chosen and words is None:
            raise TypeError("export_artifacts: an ics export needs the words to write it in")
    stems = unique_stems(chosen, tz)
    base = PurePosixPath(folder) if folder else PurePosixPath()
    files: list[ExportFile] = []
    for art, stem in zip(chosen, stems, strict=True):
        if fmt == "md":  # a message to paste (format text) is written as it is, as .txt
            suffix = ".txt" if art.format == "text" else ".md"
            files.append(ExportFile(base / f"{stem}{suffix}", markdown_document(art).encode("utf-8")))
        elif fmt == "json":
            files.append(ExportFile(base / f"{stem}.json", json_document(art).encode("utf-8")))
        else:
            try:
                assert words is not None
                ics = meeting_calendar(art, words, with_name=with_name)
            except CalendarDataError as e:
                if on_error is None:
                    raise
                on_error(art, e)
                continue
            files.append(ExportFile(base / f"{stem}.ics", ics))
    return files
