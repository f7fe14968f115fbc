"""Loading flow files (YAML -> pydantic `Flow`), with errors located at `file:line:col`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coach.content.schema import Flow
from coach.content.yamlsource import PathKey, SourceError, YamlDoc, read_yaml


@dataclass(frozen=True)
class LoadedFlow:
    flow: Flow
    doc: YamlDoc
    path: Path
    hash: str


class FlowLoadError(Exception):
    """One or more located errors in one flow file."""

    def __init__(self, errors: list[SourceError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def _data_path(data: Any, loc: tuple[int | str, ...]) -> tuple[PathKey, bool]:
    """Follow a pydantic error location through the data, skipping union tags and class names.

    Returns the path of existing nodes and whether the last loc element was a missing key
    (so the error belongs to the mapping that lacks it)."""
    path: list[str | int] = []
    cur = data
    for part in loc:
        is_key = isinstance(cur, dict) and isinstance(part, str) and part in cur
        is_index = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if is_key or is_index:
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, dict) and part in ("not_", "else_"):
            alias = part.rstrip("_")
            if alias in cur:
                path.append(alias)
                cur = cur[alias]
    return tuple(path), False


def _describe(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part[:1].isupper() or part in ("say", "ask", "branch", "set", "call", "summary", "end"):
            continue  # union member names and discriminator tags say nothing to a flow author
        else:
            out += ("." if out else "") + part.rstrip("_")
    return out


def validation_errors(doc: YamlDoc, exc: ValidationError) -> list[SourceError]:
    errors: list[SourceError] = []
    seen: set[tuple[int, int, str]] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path, _ = _data_path(doc.data, loc)
        where = _describe(loc)
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if err["type"] == "extra_forbidden":
            line, col = doc.key_loc(path)
            text = f"unknown field {where!r}"
        else:
            line, col = doc.loc(path)
            text = f"{where}: {msg}" if where else msg
        key = (line, col, text)
        if key not in seen:
            seen.add(key)
            errors.append(SourceError(doc.file, line, col, text))
    # A wrong member of a union yields one error per member; keep the most specific few.
    return errors


def parse_flow(doc: YamlDoc) -> Flow:
    if not isinstance(doc.data, dict):
        raise FlowLoadError([doc.error((), "a flow file must be a mapping (schema_version, id, steps, ...)")])
    try:
        return Flow.model_validate(doc.data)
    except ValidationError as e:
        raise FlowLoadError(validation_errors(doc, e)) from None


def load_flow_file(path: Path, display: str | None = None) -> LoadedFlow:
    try:
        doc = read_yaml(path, display)
    except SourceError as e:
        raise FlowLoadError([e]) from None
    flow = parse_flow(doc)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return LoadedFlow(flow=flow, doc=doc, path=path, hash=digest)
