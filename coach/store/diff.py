"""The journal's line format: one change between two successive states of a session file.

A line is ``{"seq": n, "v": <format>, "set": {table: {doc_id: doc}}, "del": {table: [doc_id]}}``
(an empty ``set`` or ``del`` is left out), encoded as compact JSON on a single line.  ``set``
adds or replaces whole documents (a new table may appear with no documents), ``del`` removes
documents.  A change never removes a table: a state that loses one is written as a snapshot.

Everything here is pure: :func:`diff` and :func:`apply` never mutate their arguments, and
:func:`parse_line` raises :class:`CorruptDataError` (after setting the bytes aside) for anything
that is not a line in this format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.content.messages import Later, message
from coach.literal import json_bytes
from coach.store.errors import NewerVersionError
from coach.store.jsonfile import Tables, check_shape, corrupt
from coach.store.schema import SCHEMA_VERSION

LINE_KEYS = frozenset({"seq", "v", "set", "del"})


@dataclass(frozen=True)
class Change:
    """Documents added or replaced (``set``) and removed (``delete``), by table."""

    set: Tables = field(default_factory=dict)
    delete: dict[str, list[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.set and not self.delete


def diff(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]) -> Change | None:
    """The change that turns ``old`` into ``new`` (documents compared by equality); None if it
    cannot be expressed as one (a table of ``old`` is missing from ``new``).  Documents in the
    change are copies, so later changes to ``new`` do not reach it."""
    if any(name not in new for name in old):
        return None
    sets: Tables = {}
    deletes: dict[str, list[str]] = {}
    for name, table in new.items():
        before = old.get(name)
        if before is None:
            sets[name] = {doc_id: dict(doc) for doc_id, doc in table.items()}
            continue
        changed = {doc_id: dict(doc) for doc_id, doc in table.items() if doc_id not in before or before[doc_id] != doc}
        gone = [doc_id for doc_id in before if doc_id not in table]
        if changed:
            sets[name] = changed
        if gone:
            deletes[name] = gone
    return Change(sets, deletes)


def apply(tables: Mapping[str, Mapping[str, Any]], change: Change) -> Tables:
    """``tables`` with ``change`` applied, as a new mapping (tables it does not touch are shared).
    Raises KeyError if it removes a document that is not there."""
    result: Tables = dict(tables)  # type: ignore[arg-type]
    for name, documents in change.set.items():
        table = dict(result.get(name, {}))
        table.update(documents)
        result[name] = table
    for name, doc_ids in change.delete.items():
        table = dict(result[name])
        for doc_id in doc_ids:
            del table[doc_id]
        result[name] = table
    return result


def encode_line(seq: int, change: Change) -> bytes:
    line: dict[str, Any] = {"seq": seq, "v": SCHEMA_VERSION}
    if change.set:
        line["set"] = change.set
    if change.delete:
        line["del"] = change.delete
    return json_bytes(line) + b"\n"  # one line: JSON escapes every line break inside a string


def parse_line(path: Path, raw: bytes, line: bytes, number: int) -> tuple[int, Change]:
    """The seq and change of journal line ``number`` (1-based) of ``raw``, the content of ``path``."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):  # also: nested too deep, a number of thousands of digits
        raise corrupt(path, raw, message("errors.journal.not_json", line=number)) from None
    if not isinstance(data, dict):
        raise corrupt(path, raw, message("errors.journal.not_entry", line=number))
    version, seq = data.get("v"), data.get("seq")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise NewerVersionError(path, version, SCHEMA_VERSION)
    if version != SCHEMA_VERSION or not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise corrupt(path, raw, message("errors.journal.no_version", line=number))
    if not LINE_KEYS.issuperset(data):
        raise corrupt(path, raw, message("errors.journal.unexpected_keys", line=number,
                                          keys=sorted(set(data) - LINE_KEYS)))
    sets = check_shape(path, raw, data.get("set", {}), Later("errors.journal.at_line", line=number))
    deletes = data.get("del", {})
    if not isinstance(deletes, dict) or not all(
        isinstance(ids, list) and all(isinstance(i, str) and i.isascii() and i.isdigit() for i in ids)
        for ids in deletes.values()
    ):
        raise corrupt(path, raw, message("errors.journal.bad_deletions", line=number))
    if any(doc_id in sets.get(name, {}) for name, ids in deletes.items() for doc_id in ids):
        raise corrupt(path, raw, message("errors.journal.set_and_delete", line=number))
    return seq, Change(sets, deletes)
