"""Putting the service together on a data folder: the composition root the commands use, so that
they never construct the store themselves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coach.app.errors import AppError
from coach.app.language import Language, choose
from coach.app.service import CoachService
from coach.content.library import FlowLibrary
from coach.content.messages import message, set_language


def open_service(library: FlowLibrary, data_dir: Path | str | None, language: Language | None = None) -> CoachService:
    """The service over the durable store in `data_dir` (None: $COACH_DATA_DIR or the user's
    data folder), speaking `language` (default: `coach.app.language.choose`, with no --lang). A data
    folder that cannot be used raises AppError with the store's one line."""
    from coach.store import Store, StoreError, resolve_data_dir

    lang = language or choose(None, locales=library.prompts.locales())
    set_language(lang.locale)  # a data folder that cannot be used is reported in it too
    try:
        store = Store(resolve_data_dir(str(data_dir) if data_dir is not None else None))
    except StoreError as error:
        raise AppError(str(error)) from None
    return CoachService(library, store, locale=lang.locale, locale_chosen=lang.chosen)


@contextmanager
def only_app(data_dir: Path, wait: float) -> Iterator[None]:
    """Held while one app runs over `data_dir` (a served participant's folder): a second one waits
    up to `wait` seconds for the first to let go, then raises AppError."""
    from coach.store.errors import StoreLockedError
    from coach.store.lock import FileLock

    lock = FileLock(data_dir / "participant.lock", wait)
    try:
        with lock.hold():
            yield
    except StoreLockedError:
        raise AppError(message("errors.app.connection_open")) from None
    finally:
        lock.close()
