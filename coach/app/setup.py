"""Putting the service together on a data folder: the composition root the commands use, so that
they never construct the store themselves."""

from __future__ import annotations

from pathlib import Path

from coach.app.errors import AppError
from coach.app.service import CoachService
from coach.content.library import FlowLibrary


def open_service(library: FlowLibrary, data_dir: Path | str | None) -> CoachService:
    """The service over the durable store in `data_dir` (None: $COACH_DATA_DIR or the user's
    data folder). A data folder that cannot be used raises AppError with the store's one line."""
    from coach.store import Store, StoreError, resolve_data_dir

    try:
        store = Store(resolve_data_dir(str(data_dir) if data_dir is not None else None))
    except StoreError as error:
        raise AppError(str(error)) from None
    return CoachService(library, store)
