"""Where coach keeps its data: ``--data-dir``, else ``$COACH_DATA_DIR``, else the user data dir."""

from __future__ import annotations

from pathlib import Path

from coach.content.messages import message
from coach.places import APP_NAME, DATA_DIR_ENV, chosen_data_dir, default_data_dir
from coach.store.durable import ensure_dir
from coach.store.errors import DataDirError

ENV_VAR = DATA_DIR_ENV
__all__ = ["APP_NAME", "ENV_VAR", "default_data_dir", "resolve_data_dir"]


def resolve_data_dir(cli_value: str | None = None) -> Path:
    """The data directory to use, created with mode 0700 if it does not exist yet.

    Priority: an explicit value (``--data-dir``), then ``$COACH_DATA_DIR``, then the platform's
    user data directory (e.g. ``~/.local/share/coach`` on Linux).
    An explicit empty value is refused (:class:`DataDirError`) rather than read as "the default".
    """
    if cli_value is not None and not cli_value.strip():
        raise DataDirError(Path(cli_value), reason=message("errors.store.empty_name"))
    chosen = chosen_data_dir(cli_value)
    try:
        directory = chosen.expanduser().resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python < 3.13)
        loop = message("errors.store.links_loop")
        raise DataDirError(chosen, error if isinstance(error, OSError) else None, loop) from None
    ensure_dir(directory)
    return directory
