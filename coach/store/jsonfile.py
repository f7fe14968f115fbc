"""Reading TinyDB JSON files strictly: anything coach did not write is refused, never repaired.

An empty, truncated, non-JSON or oddly shaped file raises :class:`CorruptDataError` after the
bytes that were read are copied aside as ``<name>.corrupt-<timestamp>``; the file itself is
left exactly as it was.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.content.messages import Later, message
from coach.literal import json_bytes
from coach.store.durable import FileIdentity, write_new_file
from coach.store.errors import CorruptDataError, UnreadableFileError

Tables = dict[str, dict[str, Any]]


def encode_tables(tables: Tables) -> bytes:
    return json_bytes(tables)  # any text, lone surrogates included, reads back as it was


def read_raw(path: Path) -> tuple[bytes, FileIdentity] | None:
    """The bytes of ``path`` and the identity of the very file they came from (None if missing).

    Anything but a readable regular file raises :class:`UnreadableFileError` (a FIFO is opened
    without blocking and refused, so a planted pipe never hangs coach)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise unreadable(path, error) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = message("errors.data.a_folder") if stat.S_ISDIR(st.st_mode) else message("errors.data.not_regular")
            raise UnreadableFileError(path, kind)
        identity = FileIdentity.of(st)
        chunks: list[bytes] = []
        while chunk := os.read(fd, max(identity.size, 65536)):
            chunks.append(chunk)
    except OSError as error:
        raise unreadable(path, error) from None
    finally:
        os.close(fd)
    return b"".join(chunks), identity


def unreadable(path: Path, error: OSError) -> UnreadableFileError:
    """The one-line error for a data file the OS would not let coach read."""
    if error.errno in (errno.EACCES, errno.EPERM):
        return UnreadableFileError(path, message("errors.os.permission.why"), message("errors.data.permission_todo"))
    if error.errno == errno.ENOTDIR:
        return UnreadableFileError(path, message("errors.data.parent_is_file", parent=path.parent),
                                   message("errors.data.parent_is_file_todo"))
    if error.errno == errno.EISDIR:
        return UnreadableFileError(path, message("errors.data.a_folder"))
    if error.errno == errno.ELOOP:
        return UnreadableFileError(path, message("errors.data.link_loops"))
    return UnreadableFileError(path, (error.strerror or type(error).__name__).lower())


def read_tables(path: Path) -> tuple[Tables, FileIdentity] | None:
    """Parse a TinyDB JSON file, checking that it is a mapping of tables of documents."""
    loaded = read_raw(path)
    if loaded is None:
        return None
    raw, identity = loaded
    return decode_tables(path, raw), identity


def decode_tables(path: Path, raw: bytes) -> Tables:
    if not raw.strip():
        raise corrupt(path, raw, message("errors.data.empty"))
    try:
        data = json.loads(raw.decode("utf-8", "surrogatepass"))  # as json_bytes writes a surrogate pair
    except UnicodeDecodeError:
        raise corrupt(path, raw, message("errors.data.not_utf8")) from None
    except json.JSONDecodeError as error:
        raise corrupt(path, raw, message("errors.data.not_json", detail=error.msg, pos=error.pos)) from None
    except RecursionError:
        raise corrupt(path, raw, message("errors.data.too_deep")) from None
    except ValueError:  # e.g. an integer of thousands of digits (Python's int_max_str_digits)
        raise corrupt(path, raw, message("errors.data.long_number")) from None
    return check_shape(path, raw, data)


def check_shape(path: Path, raw: bytes, data: object, where: str | Later = "") -> Tables:
    """``data`` if it is a mapping of tables of documents (TinyDB's layout), else raise."""
    if not isinstance(data, dict):
        raise corrupt(path, raw, message("errors.data.not_tables", where=where, found=type(data).__name__))
    for name, table in data.items():
        if not isinstance(table, dict):
            raise corrupt(path, raw, message("errors.data.table_not_object", where=where, table=repr(name)))
        for doc_id, document in table.items():
            if not (doc_id.isascii() and doc_id.isdigit() and len(doc_id) <= 18) or not isinstance(document, dict):
                raise corrupt(path, raw, message("errors.data.malformed_document", where=where, table=repr(name),
                                                 document=repr(doc_id)))
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
