"""Durable, crash-safe storage of coach data in TinyDB files (see :mod:`coach.store.layout`).

Usage::

    from coach.store import Store, StoreError, resolve_data_dir

    with Store(resolve_data_dir(args.data_dir)) as store:
        store.create_conversation(header)
        store.append_entry(header.id, entry)
        header, entries = store.load_conversation(header.id)
"""

from coach.store.errors import (
    CorruptDataError,
    NewerVersionError,
    StoreError,
    StoreLockedError,
    StoreWriteError,
)
from coach.store.journal import JournaledJSONStorage
from coach.store.migrations import CURRENT_SCHEMA_VERSION
from coach.store.paths import resolve_data_dir
from coach.store.storage import AtomicJSONStorage
from coach.store.store import Store

__all__ = [
    "CURRENT_SCHEMA_VERSION",
    "AtomicJSONStorage",
    "CorruptDataError",
    "JournaledJSONStorage",
    "NewerVersionError",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoreWriteError",
    "resolve_data_dir",
]
