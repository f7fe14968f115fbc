"""Where coach's files are: the shipped flows and texts, and the data folder.

Standard library (and platformdirs) only: the TUI asks before its first frame, when nothing
heavy is loaded yet (the content loaders bring pydantic; the store, TinyDB).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "coach"
DATA_DIR_ENV = "COACH_DATA_DIR"

_PACKAGE = Path(__file__).resolve().parent


def data_root(name: str) -> Path:
    """The shipped `flows`, `prompts` or `lexicon` folder: inside the wheel (coach/_data/NAME),
    or, in a source checkout, the repository's top-level NAME folder."""
    shipped = _PACKAGE / "_data" / name
    if shipped.is_dir():
        return shipped
    return _PACKAGE.parent / name


def default_data_dir() -> Path:
    import platformdirs  # only when no folder is named

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def chosen_data_dir(cli_value: str | None = None) -> Path:
    """The data folder asked for, as given (not resolved, not created, not checked): an explicit
    value (``--data-dir``), then ``$COACH_DATA_DIR``, then the platform's user data folder."""
    if cli_value is not None:
        return Path(cli_value)
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV])
    return default_data_dir()
