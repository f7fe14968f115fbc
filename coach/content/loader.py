"""Loading flow files (YAML -> pydantic `Flow`), with errors located at `file:line:col`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from coach.content.lint_pydantic import located_errors
from coach.content.schema import Flow
from coach.content.yamlsource import SourceError, SourceErrors, YamlDoc, read_yaml


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


def validation_errors(doc: YamlDoc, exc: ValidationError) -> list[SourceError]:
    """Pydantic errors as located, readable messages (union noise collapsed; see lint_pydantic)."""
    return located_errors(doc, exc)


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
    except SourceErrors as e:  # problems that let the rest be read: report the rest too
        errors = list(e.errors)
        if e.doc is not None:
            try:
                parse_flow(e.doc)
            except FlowLoadError as more:
                errors += more.errors
        raise FlowLoadError(sorted(errors, key=lambda x: (x.line, x.col))) from None
    except SourceError as e:
        raise FlowLoadError([e]) from None
    flow = parse_flow(doc)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return LoadedFlow(flow=flow, doc=doc, path=path, hash=digest)
