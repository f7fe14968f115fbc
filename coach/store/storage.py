"""``AtomicJSONStorage``: a TinyDB storage that never leaves a half-written file.

TinyDB's own ``JSONStorage`` truncates the file and rewrites it in place without fsync, so a
crash mid-write loses the whole database.  This storage writes through
:func:`coach.store.durable.atomic_write` (temp file 0600 + fsync + ``os.replace`` + directory
fsync) and reads strictly: wrong format version, wrong kind of file, or documents that do not
validate against the file's schema raise a one-line :class:`StoreError` instead of being
silently rewritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage

from coach.content.messages import Later, message
from coach.store.cache import ValidationCache
from coach.store.durable import FileIdentity, atomic_write
from coach.store.errors import NewerVersionError
from coach.store.jsonfile import Tables, corrupt, decode_tables, encode_tables, read_raw
from coach.store.schema import META_DOC_ID, META_TABLE, SCHEMA_VERSION, FileSchema


def describe_validation_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or message("errors.data.whole_document")
    return f"{where}: {first['msg']}"


def check_meta(path: Path, raw: bytes, tables: Mapping[str, Any], schema: FileSchema) -> None:
    meta_table = tables.get(META_TABLE)
    meta = meta_table.get(META_DOC_ID) if isinstance(meta_table, dict) else None
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        raise corrupt(path, raw, message("errors.data.no_version"))
    if version > SCHEMA_VERSION:
        raise NewerVersionError(path, version, SCHEMA_VERSION)
    if version != schema.version:
        raise corrupt(path, raw, message("errors.data.wrong_version", version=version,
                                                 expected=schema.version))
    assert isinstance(meta, dict)
    if meta.get("kind") != schema.kind:
        raise corrupt(path, raw, message("errors.data.wrong_kind", kind=repr(meta.get("kind")),
                                                 expected=repr(schema.kind)))


def check_documents(
    path: Path, raw: bytes, tables: Mapping[str, Mapping[str, Any]], schema: FileSchema, where: str | Later = ""
) -> None:
    """Raise (after setting ``raw`` aside) unless every document validates against its table's model."""
    for name, table in tables.items():
        if name == META_TABLE:
            continue
        model = schema.tables.get(name)
        if model is None:
            raise corrupt(path, raw, message("errors.data.unexpected_table", where=where, table=repr(name)))
        for doc_id, document in table.items():
            try:
                model.model_validate(document)
            except ValidationError as error:
                detail = describe_validation_error(error)
                reason = message("errors.data.invalid_record", where=where, table=repr(name), document=doc_id,
                                 detail=detail)
                raise corrupt(path, raw, reason) from None


class AtomicJSONStorage(Storage):
    """TinyDB storage for one data file of a given :class:`FileSchema`.

    ``guard`` (if given) is called before each write and must return True: the store passes
    "is the write lock held by me", so no write can slip out of a locked transaction.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        schema: FileSchema,
        cache: ValidationCache | None = None,
        guard: Callable[[], bool] | None = None,
    ) -> None:
        self.path = Path(path)
        self.schema = schema
        self.cache = cache if cache is not None else ValidationCache()
        self.guard = guard

    def read(self) -> Tables | None:
        loaded = self.read_with_meta()
        return None if loaded is None else loaded[0]

    def read_with_meta(self) -> tuple[Tables, dict[str, Any]] | None:
        """The file's tables (without ``_meta``) and its meta document; None if missing."""
        loaded = read_raw(self.path)
        return None if loaded is None else self.decode(*loaded)

    def decode(self, raw: bytes, identity: FileIdentity) -> tuple[Tables, dict[str, Any]]:
        """Check and split the content ``raw`` read from the file (whose identity is given)."""
        tables = decode_tables(self.path, raw)
        check_meta(self.path, raw, tables, self.schema)
        if not self.cache.fresh(self.path, identity):
            check_documents(self.path, raw, tables, self.schema)
        meta: dict[str, Any] = tables.pop(META_TABLE)[META_DOC_ID]
        self.cache.remember(self.path, identity, meta)
        return tables, meta

    def check_guard(self) -> None:
        if self.guard is not None and not self.guard():
            raise RuntimeError(f"write to {self.path} outside a store transaction")

    def write(self, data: Tables) -> None:
        self.write_with_meta(data)

    def write_with_meta(self, data: Tables, extra_meta: Mapping[str, Any] | None = None) -> FileIdentity:
        """Replace the file with ``data`` (plus ``_meta``); return the new file's identity."""
        self.check_guard()
        meta: dict[str, Any] = {**self.schema.meta(), **(extra_meta or {})}
        tables: Tables = {META_TABLE: {META_DOC_ID: meta}}
        tables.update((name, table) for name, table in data.items() if name != META_TABLE)
        identity = atomic_write(self.path, encode_tables(tables))
        self.cache.remember(self.path, identity, meta)
        return identity

    def verify(self) -> None:
        """Read and fully validate the file, ignoring the cache (raises on any problem)."""
        self.cache.forget(self.path)
        self.read()


def write_file(path: Path, schema: FileSchema, tables: Tables, extra_meta: Mapping[str, Any] | None = None) -> None:
    """Replace ``path`` with ``tables`` as a ``schema`` file, durably (used by the migrations)."""
    AtomicJSONStorage(path, schema=schema).write_with_meta(tables, extra_meta)


def open_db(
    path: Path,
    schema: FileSchema,
    cache: ValidationCache | None = None,
    guard: Callable[[], bool] | None = None,
    storage: type[Storage] = AtomicJSONStorage,
) -> TinyDB:
    """A TinyDB over one data file.  Cheap: nothing is read until a table is used."""
    return TinyDB(path, storage=storage, schema=schema, cache=cache, guard=guard)
