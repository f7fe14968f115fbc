"""Reading TinyDB JSON files strictly: anything coach did not write is refused, never repaired.

An empty, truncated, non-JSON or oddly shaped file raises :class:`CorruptDataError` after the
bytes that were read are copied aside as ``<name>.corrupt-<timestamp>``; the file itself is
left exactly as it was.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.store.durable import FileIdentity, write_new_file
from coach.store.errors import CorruptDataError

Tables = dict[str, dict[str, Any]]


def encode_tables(tables: Tables) -> bytes:
    return json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_raw(path: Path) -> tuple[bytes, FileIdentity] | None:
    """The bytes of ``path`` and the identity of the very file they came from (None if missing)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    try:
        identity = FileIdentity.of(os.fstat(fd))
        chunks: list[bytes] = []
        while chunk := os.read(fd, max(identity.size, 65536)):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks), identity


def read_tables(path: Path) -> tuple[Tables, FileIdentity] | None:
    """Parse a TinyDB JSON file, checking that it is a mapping of tables of documents."""
    loaded = read_raw(path)
    if loaded is None:
        return None
    raw, identity = loaded
    return decode_tables(path, raw), identity


def decode_tables(path: Path, raw: bytes) -> Tables:
    if not raw.strip():
        raise corrupt(path, raw, "the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise corrupt(path, raw, "it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise corrupt(path, raw, f"it is not valid JSON, maybe truncated ({error.msg} at char {error.pos})") from None
    return check_shape(path, raw, data)


def check_shape(path: Path, raw: bytes, data: object, where: str = "") -> Tables:
    """``data`` if it is a mapping of tables of documents (TinyDB's layout), else raise."""
    if not isinstance(data, dict):
        raise corrupt(path, raw, f"{where}expected a JSON object of tables, found {type(data).__name__}")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise corrupt(path, raw, f"{where}table {name!r} is not a JSON object")
        for doc_id, document in table.items():
            if not (doc_id.isascii() and doc_id.isdigit()) or not isinstance(document, dict):
                raise corrupt(path, raw, f"{where}table {name!r} has a malformed document {doc_id!r}")
    return data


def corrupt(path: Path, raw: bytes, reason: str) -> CorruptDataError:
    """Copy the bytes read aside (once per distinct content) and build the error to raise."""
    try:
        backup: Path | None = quarantine(path, raw)
    except OSError:
        backup = None
    return CorruptDataError(path, reason, backup)


def quarantine(path: Path, raw: bytes) -> Path:
    """Save ``raw`` as ``<name>.corrupt-<UTC timestamp>`` next to ``path``, unless already saved."""
    for existing in sorted(path.parent.glob(f"{path.name}.corrupt-*")):
        try:
            if existing.read_bytes() == raw:
                return existing
        except OSError:
            continue
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while True:
        try:
            write_new_file(target, raw)
            return target
        except FileExistsError:
            counter += 1
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
