"""Helpers shared by the commands: loading the flow library, turning known errors into one line, and
the command line's own texts (`prompts/<locale>/cli.yaml`, keyed `cli.<key>`) in the user's language."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the library (pydantic, YAML) loads only when a command needs it
    from coach.app.language import Language
    from coach.app.partnership import Texts
    from coach.app.service import CoachService
    from coach.content.library import FlowLibrary
    from coach.content.prompts import PromptCatalog


class CliError(Exception):
    """A user-facing error: printed as one line `coach: <message>`, exit code `code`."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def flow_dirs(args: argparse.Namespace) -> list[Path]:
    dirs: list[Path] = list(getattr(args, "flow_dirs", None) or [])
    for d in dirs:
        if not d.exists():
            raise CliError(texts(args).say("errors.no_flows_folder", path=d))
    return dirs


def _prompt_roots(args: argparse.Namespace) -> list[Path]:
    from coach.cli.parser import prompt_roots

    return prompt_roots(getattr(args, "flow_dirs", None) or [])


def prompts(args: argparse.Namespace) -> PromptCatalog:
    """Every text (the shipped prompts, and those beside any --flows DIR), read once per command;
    for a command that needs no flows (`coach export`), or the texts of an error before the flows
    are loaded."""
    from coach.content.library import data_root
    from coach.content.prompts import PromptCatalog

    catalog: PromptCatalog | None = getattr(args, "prompt_catalog", None)
    if catalog is None:
        catalog = args.prompt_catalog = PromptCatalog.load([data_root("prompts"), *_prompt_roots(args)])
    return catalog


def texts(args: argparse.Namespace, service: CoachService | None = None, namespace: str = "cli") -> Texts:
    """The command line's texts (`cli.<key>`): in the service's language once there is one (it follows
    the profile's), else in the one `language` chooses."""
    from coach.app.partnership import Texts

    if service is not None:
        return Texts(service.library.prompts, service.locale, namespace)
    return Texts(prompts(args), language(args).locale, namespace)


def language(args: argparse.Namespace) -> Language:
    """The language to speak (`--lang`, $COACH_LANG, the profile's, the system's; see
    coach.app.language), worked out once per command; a named language without texts is a CliError."""
    from coach.app.errors import AppError
    from coach.app.language import available, choose

    chosen: Language | None = getattr(args, "language", None)
    if chosen is None:
        try:
            chosen = choose(getattr(args, "lang", None), locales=available(_prompt_roots(args)))
        except AppError as error:
            raise CliError(str(error)) from None
        args.language = chosen
    return chosen


SHOWN_ERRORS = 30  # lint lines a refused command shows (the lint itself shows them all)


def load_library(args: argparse.Namespace, *, strict: bool = True) -> FlowLibrary:
    """The flows and prompts to use. With strict, the flows of each --flows DIR go through the
    lint's checks first, and any error stops the command with the lint's own located lines (the
    shipped flows pass them: tests/lint/test_lint_shipped.py)."""
    from coach.content.library import FlowLibrary

    dirs = flow_dirs(args)
    if strict and dirs:
        refuse_broken(dirs, args)
    lib = FlowLibrary.load(dirs)
    if strict and lib.errors:
        lines = "\n".join(str(e) for e in lib.errors[:SHOWN_ERRORS])
        raise CliError(texts(args).say("errors.flow_errors", lines=lines))
    return lib


def refuse_broken(dirs: list[Path], args: argparse.Namespace) -> None:
    """CliError with the lint's errors (one block: the lines, then the summary) when the flows
    or texts in `dirs` have any; their warnings are let through."""
    from coach.content.lint import display_path, lint
    from coach.engine import compute

    # a folder may hold only personas (for the demo) or only texts: nothing to say about its flows
    paths = [p for d in dirs for p in ([d] if d.is_file() or any(d.glob("*.yaml")) else [d / "prompts"])
             if p.exists()]
    if not paths:
        return
    report = lint(paths, compute_functions=set(compute.names()))
    if report.ok():
        return
    errors = [str(d) for d in report.errors()]
    shown = errors[:SHOWN_ERRORS]
    named = " ".join(display_path(d) for d in dirs)
    say = texts(args).say
    if len(errors) > len(shown):
        shown.append(say("errors.more_flow_errors", count=len(errors) - len(shown), folders=named))
    raise CliError(say("errors.broken_flows", folders=named) + "\n" + "\n".join(shown)
                   + f"\ncoach: {report.summary()}", code=1)


def require_flow(lib: FlowLibrary, flow_id: str) -> None:
    if flow_id not in lib.flows:
        raise CliError(lib.unknown(flow_id))


@contextmanager
def service_errors(code: int = 2) -> Iterator[None]:
    """What the application service refuses (and the data folder problems it reports) becomes
    the command's one-line error, with exit code `code`."""
    from coach.app.errors import AppError
    from coach.models import DataError

    try:
        yield
    except (AppError, DataError) as error:
        raise CliError(str(error), code=code) from None


@contextmanager
def opened_service(args: argparse.Namespace) -> Iterator[CoachService]:
    """The application service on the data folder the options name, closed afterwards; what it
    refuses while in use is the command's one-line error with exit code 1 (2 while opening)."""
    from coach.app.setup import open_service

    library = load_library(args)
    with service_errors():
        service = open_service(library, getattr(args, "data_dir", None), language(args))
    try:
        with service_errors(code=1):
            yield service
    finally:
        service.close()
