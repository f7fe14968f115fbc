"""Helpers shared by the commands: loading the flow library, turning known errors into one line."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the library (pydantic, YAML) loads only when a command needs it
    from coach.content.library import FlowLibrary


class CliError(Exception):
    """A user-facing error: printed as one line `coach: <message>`, exit code `code`."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def flow_dirs(args: argparse.Namespace) -> list[Path]:
    dirs: list[Path] = list(getattr(args, "flow_dirs", None) or [])
    for d in dirs:
        if not d.exists():
            raise CliError(f"--flows {d}: no such folder")
    return dirs


def load_library(args: argparse.Namespace, *, strict: bool = True) -> FlowLibrary:
    """The flows and prompts to use. With strict, any error in them stops the command with the
    located errors (the same lines `coach flows lint` prints)."""
    from coach.content.library import FlowLibrary

    lib = FlowLibrary.load(flow_dirs(args))
    if strict and lib.errors:
        lines = "\n".join(str(e) for e in lib.errors[:20])
        raise CliError(f"the flow definitions have errors (run `coach flows lint`):\n{lines}")
    return lib


def require_flow(lib: FlowLibrary, flow_id: str) -> None:
    if flow_id not in lib.flows:
        raise CliError(lib.unknown(flow_id))


@contextmanager
def service_errors() -> Iterator[None]:
    """What the application service refuses (and the data folder problems it reports) becomes
    the command's one-line error."""
    from coach.app.errors import AppError
    from coach.models import DataError

    try:
        yield
    except (AppError, DataError) as error:
        raise CliError(str(error)) from None
