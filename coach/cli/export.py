"""`coach export [--format md|json|ics] [--relationship R] [--out DIR]`: write your artifacts to files.

Artifacts (fit reports, agreements, agendas, feedback notes, ...) are read from the data folder
and written under DIR, one folder per relationship (named after the other person); every written
path is printed.  `--format ics` writes the recurring meeting of each mentoring agreement.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coach.cli.common import CliError

if TYPE_CHECKING:
    from coach.export import ExportFile, Format
    from coach.models import Artifact, Relationship
    from coach.store import Store

DEFAULT_OUT = Path("coach-export")


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", dest="fmt", choices=["md", "json", "ics"], default="md",
                   help="md: Markdown to read and share (default); json: everything recorded, for other tools; "
                        "ics: the recurring meeting from your mentoring agreement, for your calendar")
    p.add_argument("--relationship", metavar="R",
                   help="only this relationship: the other person's name, or the relationship id (or its start)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                   help=f"where to write the files (default: ./{DEFAULT_OUT})")
    p.set_defaults(func=run)


@dataclass
class _Group:
    folder: str
    name: str | None
    artifacts: list[Artifact]


def _relationships(store: Store) -> list[Relationship]:
    seen: dict[str, Relationship] = {}
    for profile in store.profiles.list():
        for rel in store.relationships.list_for_profile(profile.id):
            seen.setdefault(rel.id, rel)
    return list(seen.values())


def _choose(relationships: list[Relationship], wanted: str) -> Relationship:
    """The relationship `wanted` names: an id, the start of an id, or the other person's name."""
    key = wanted.strip().casefold()
    if not key:
        raise CliError("--relationship: give the other person's name or the relationship id")
    for rel in relationships:
        if rel.id.casefold() == key:
            return rel
    named = [r for r in relationships if r.other_name.strip().casefold() == key]
    if not named and len(key) >= 4:
        named = [r for r in relationships if r.id.casefold().startswith(key)]
    if len(named) == 1:
        return named[0]
    if named:
        options = ", ".join(f"{r.other_name} ({r.id})" for r in named)
        raise CliError(f"--relationship {wanted!r} matches more than one relationship: {options}; use the id")
    known = ", ".join(sorted({r.other_name for r in relationships})) or "none yet"
    raise CliError(f"--relationship: no relationship with {wanted!r} (yours: {known})")


def _groups(store: Store, wanted: str | None) -> list[_Group]:
    from coach.export import folder_name

    relationships = _relationships(store)
    chosen = [_choose(relationships, wanted)] if wanted is not None else relationships
    groups: list[_Group] = []
    used: set[str] = set()
    for rel in chosen:
        folder = folder_name(rel.other_name)
        if folder in used:
            folder = f"{folder}-{rel.id[:6]}"
        used.add(folder)
        groups.append(_Group(folder, rel.other_name, store.artifacts.list_for_relationship(rel.id)))
    if wanted is None:  # artifacts not tied to a relationship
        groups.append(_Group("unassigned", None, store.artifacts.list_for_relationship(None)))
    return [g for g in groups if g.artifacts]


def _files(groups: list[_Group], fmt: Format) -> list[ExportFile]:
    from coach.export import export_artifacts

    tz = datetime.now().astimezone().tzinfo
    assert tz is not None

    def skipped(art: Artifact, error: Exception) -> None:
        print(f"coach: note: skipped the calendar for the {art.title.lower()} of "
              f"{art.created_at.date().isoformat()}: {error}", file=sys.stderr)

    files: list[ExportFile] = []
    for group in groups:
        files += export_artifacts(group.artifacts, fmt, folder=group.folder, with_name=group.name, tz=tz,
                                  on_error=skipped)
    return files


def _write(out: Path, files: list[ExportFile]) -> list[Path]:
    written: list[Path] = []
    for f in files:
        target = out.joinpath(*f.path.parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(f.content)
            tmp.replace(target)
        except OSError as e:
            raise CliError(f"cannot write {target}: {e.strerror or e}") from None
        written.append(target)
    return written


def run(args: argparse.Namespace) -> int:
    from coach.store import Store, StoreError, resolve_data_dir

    data_dir = getattr(args, "data_dir", None)
    if args.out.exists() and not args.out.is_dir():
        raise CliError(f"--out {args.out}: exists and is not a folder")
    try:
        with Store(resolve_data_dir(str(data_dir) if data_dir else None)) as store:
            groups = _groups(store, args.relationship)
    except StoreError as e:
        raise CliError(str(e)) from None
    who = f" for {args.relationship}" if args.relationship else ""
    if not groups:
        raise CliError(f"no artifacts to export{who} yet — finish a stage in `coach chat` first", code=1)
    files = _files(groups, args.fmt)
    if not files:
        raise CliError(f"no meeting to put in a calendar{who} yet — the commitment stage's agreement sets one up",
                       code=1)
    for path in _write(args.out, files):
        print(path)
    return 0
