"""Documents out of the app: what `coach export` writes, and the exports of the chat.

Both write the same files (`coach.export` makes them: Markdown, JSON, an .ics for an agreement's
meeting); a chat export goes into one folder, `coach export` into one folder per relationship.
`on_written` (if given) hears of every file written: `coach serve` hands each to the browser.
The words in the files and the one-line errors are `prompts/<locale>/export.yaml`'s, from the
`Texts` the service passes (the shipped English ones when none is given).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path, PurePath

from coach.app.errors import AppError
from coach.app.partnership import Texts
from coach.app.ports import Repository
from coach.app.writing import DIR_MODE, ExportConflict, Manifest, place, read_existing, write_private
from coach.content.library import data_root
from coach.content.prompts import PromptCatalog
from coach.engine.names import default_names
from coach.export import ExportFile, Format, Words, export_artifacts, fit_name, folder_name, has_meeting
from coach.literal import visible
from coach.models import Artifact, ConversationStatus, Relationship, SessionSummary

Written = Callable[[Path], None]


@functools.cache
def _shipped_english() -> Texts:
    return Texts(PromptCatalog.load([data_root("prompts")]), "en", "export")


def export_texts(texts: Texts | None) -> Texts:
    """The export's texts (`export.<key>`): those given, else the shipped English ones."""
    return texts.under("export") if texts is not None else _shipped_english()


def words(texts: Texts | None) -> Words:
    """What the writers word, in the texts' language; the stand-in names of every language's
    conversations ("you", "your mentor") are nobody's name."""
    t = export_texts(texts)
    stand_ins: set[str] = set()
    for locale in t.prompts.locales():
        try:
            stand_ins |= set(default_names(t.prompts, locale).values())
        except KeyError:
            continue
    return Words.of(t.say, stand_ins)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "artifact"


def keep_file(root: Path, relative: PurePath, content: bytes) -> Path:
    """Write `content` at `relative` under `root`, never over a different file: a file already
    there with the same content is kept as it is; otherwise the name gets -2, -3, ... Written
    safely (private, whole, never through a link out of `root`: see `coach.app.writing`).
    Returns the path used."""
    target = place(root, relative)
    candidate, n = target, 2
    while (existing := read_existing(candidate)) is not None:
        if existing == content:
            return candidate
        candidate, n = target.with_name(f"{target.stem}-{n}{target.suffix}"), n + 1
    return write_private(candidate, content)


def make_root(folder: Path, texts: Texts | None = None) -> None:
    """Create the export folder (0700) if it is not there yet; AppError if it cannot be."""
    if folder.is_dir():
        return
    say = export_texts(texts).say
    try:
        folder.mkdir(mode=DIR_MODE, parents=True)
    except FileExistsError:
        raise AppError(say("errors.not_a_folder", path=visible(str(folder)))) from None
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise AppError(say("errors.cannot_create", path=visible(str(folder)), reason=reason)) from None


class ChatExports:
    """What the chat saves, laid out as `coach export` lays it out: a folder per relationship
    (named after the other person), `<date>-<stage>-<kind>.md` per document and an .ics for an
    agreement's meeting; never over a different file."""

    def __init__(self, folder: Path, today: Callable[[], date], on_written: Written | None = None,
                 texts: Texts | None = None) -> None:
        self.folder = folder
        self.today = today
        self.on_written = on_written
        self.texts = texts  # the user's language (`export.yaml`); None: English

    def _keep(self, relative: Path, content: bytes) -> Path:
        make_root(self.folder, self.texts)
        path = keep_file(self.folder, relative, content)
        if self.on_written is not None:
            self.on_written(path)
        return path

    def markdown(self, name: str, markdown: str, other_name: str | None = None) -> Path:
        """A Markdown file `<date>-<name>.md` (in the relationship's folder, if given)."""
        text = visible(markdown if markdown.endswith("\n") else markdown + "\n")  # no live control character
        folder = Path(folder_name(other_name)) if other_name else Path()
        return self._keep(folder / fit_name(f"{self.today().isoformat()}-{_slug(name)}.md"), text.encode("utf-8"))

    def documents(self, artifacts: Sequence[Artifact], other_name: str | None) -> list[Path]:
        """Each document as Markdown (the document `coach export` writes), plus a calendar file
        for an agreement's meeting."""
        folder = folder_name(other_name) if other_name else "unassigned"
        files = [*export_artifacts(artifacts, "md", folder=folder, with_name=other_name)]
        files += export_artifacts([a for a in artifacts if has_meeting(a)], "ics", folder=folder, with_name=other_name,
                                  words=words(self.texts), on_error=lambda _a, _e: None)
        return [self._keep(Path(*f.path.parts), f.content) for f in files]


# --- `coach export` -------------------------------------------------------------------------------


@dataclass
class ExportGroup:
    folder: str
    name: str | None
    artifacts: list[Artifact]


def all_relationships(repo: Repository) -> list[Relationship]:
    seen: dict[str, Relationship] = {}
    for profile in repo.list_profiles():
        for rel in repo.list_relationships(profile.id):
            seen.setdefault(rel.id, rel)
    return list(seen.values())


def choose_relationship(relationships: list[Relationship], wanted: str, texts: Texts | None = None) -> Relationship:
    """The relationship `wanted` names: an id, the start of an id, or the other person's name."""
    say = export_texts(texts).say
    key = wanted.strip().casefold()
    if not key:
        raise AppError(say("errors.no_relationship_named"))
    for rel in relationships:
        if rel.id.casefold() == key:
            return rel
    named = [r for r in relationships if r.other_name.strip().casefold() == key]
    if not named and len(key) >= 4:
        named = [r for r in relationships if r.id.casefold().startswith(key)]
    if len(named) == 1:
        return named[0]
    if named:
        options = ", ".join(say("errors.option", name=visible(r.other_name), id=r.id) for r in named)
        raise AppError(say("errors.several_match", wanted=visible(repr(wanted)), options=options))
    known = ", ".join(sorted({visible(r.other_name) for r in relationships})) or say("errors.none_yet")
    raise AppError(say("errors.no_such_relationship", wanted=visible(repr(wanted)), known=known))


def current_documents(repo: Repository, relationship_id: str | None) -> list[Artifact]:
    """A relationship's documents as they stand: those of the newest finished run of each stage and
    side, of the runs in progress, and the joint ones (none of earlier runs: see `list_artifacts`)."""
    summaries = repo.summaries(relationship_id)
    newest = SessionSummary.newest_finished(summaries)
    current = {s.id for s in newest.values()} | {s.id for s in summaries if s.status != ConversationStatus.done}
    return [a for a in repo.list_recent_artifacts(relationship_id) if a.session_id is None or a.session_id in current]


def export_groups(repo: Repository, wanted: str | None, texts: Texts | None = None, *,
                  history: bool = False) -> list[ExportGroup]:
    """The documents to export, one group (folder) per relationship, plus those tied to none: the
    current ones (see `current_documents`), or with `history` every one ever made."""
    documents = repo.list_artifacts if history else functools.partial(current_documents, repo)
    relationships = all_relationships(repo)
    chosen = [choose_relationship(relationships, wanted, texts)] if wanted is not None else relationships
    groups: list[ExportGroup] = []
    used: set[str] = set()
    for rel in chosen:
        repo.finish_pending(rel.id)
        folder = folder_name(rel.other_name)
        if folder in used:
            folder = f"{folder}-{rel.id[:6]}"
        used.add(folder)
        groups.append(ExportGroup(folder, rel.other_name, documents(rel.id)))
    if wanted is None:
        groups.append(ExportGroup("unassigned", None, documents(None)))
    return [g for g in groups if g.artifacts]


def export_files(groups: list[ExportGroup], fmt: Format, *, tz: tzinfo | None = None,
                 skipped: Callable[[Artifact, Exception], None] | None = None,
                 texts: Texts | None = None) -> list[ExportFile]:
    zone = tz or datetime.now().astimezone().tzinfo
    assert zone is not None
    wording = words(texts) if fmt == "ics" else None
    files: list[ExportFile] = []
    for group in groups:
        files += export_artifacts(group.artifacts, fmt, folder=group.folder, with_name=group.name, words=wording,
                                  tz=zone, on_error=skipped)
    return files


def write_export(out: Path, files: list[ExportFile], *, force: bool = False, texts: Texts | None = None) -> list[Path]:
    """Write the files under `out`. A file already there is replaced only if it is what coach
    wrote last time (the folder's manifest says so) or `force` is given; otherwise nothing at all
    is written and ExportConflict names the edited files. The same content is left as it is."""
    make_root(out, texts)
    manifest = Manifest(out)
    plan: list[tuple[Path, bytes, bool]] = []
    conflicts: list[Path] = []
    for file in files:
        target = place(out, file.path)
        existing = read_existing(target)
        if existing is not None and existing != file.content and not manifest.wrote(target, existing):
            conflicts.append(target)
        plan.append((target, file.content, existing != file.content))
    if conflicts and not force:
        raise ExportConflict(conflicts)
    for target, content, changed in plan:
        if changed:
            write_private(target, content)
        manifest.remember(target, content)
    manifest.save()
    return [target for target, _, _ in plan]
