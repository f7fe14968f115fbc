"""YAML loading that remembers where every node came from, so errors can say `file:line:col`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[int, int]  # 1-based line, column
PathKey = tuple[str | int, ...]


@dataclass
class SourceError(Exception):
    """A problem in a data file, located at `file:line:col`."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass
class YamlDoc:
    """Parsed YAML data plus the source position of each node, by path of keys/indices."""

    file: str
    data: Any
    marks: dict[PathKey, Loc] = field(default_factory=dict)
    key_marks: dict[PathKey, Loc] = field(default_factory=dict)

    def loc(self, path: PathKey) -> Loc:
        """Best position for a path: the node itself, else its nearest located ancestor."""
        p = tuple(path)
        while p:
            if p in self.marks:
                return self.marks[p]
            p = p[:-1]
        return self.marks.get((), (1, 1))

    def key_loc(self, path: PathKey) -> Loc:
        """Position of the mapping key that names `path` (for 'unknown field' errors)."""
        return self.key_marks.get(tuple(path)) or self.loc(path)

    def error(self, path: PathKey, message: str, *, at_key: bool = False) -> SourceError:
        line, col = self.key_loc(path) if at_key else self.loc(path)
        return SourceError(self.file, line, col, message)


class _UniqueKeyLoader(yaml.SafeLoader):
    pass


# libyaml's composer when PyYAML was built with it (several times faster); node marks are the same.
_FastLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _walk(node: yaml.Node, path: PathKey, doc: YamlDoc) -> Any:
    doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _walk_scalar(key_node)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise SourceError(doc.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                  "mapping keys must be plain text")
            if isinstance(key, bool | float):
                key = str(key).lower()
            k = key if isinstance(key, str) else str(key)
            if k in out:
                raise SourceError(doc.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                  f"duplicate key {k!r}")
            doc.key_marks[(*path, k)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[k] = _walk(value_node, (*path, k), doc)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*path, i), doc) for i, item in enumerate(node.value)]
    return _walk_scalar(node)


def _walk_scalar(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _construct(node)
    raise yaml.constructor.ConstructorError(None, None, "complex keys are not supported", node.start_mark)


_constructor_loader = _UniqueKeyLoader("")


def _construct(node: yaml.ScalarNode) -> Any:
    return _constructor_loader.construct_object(node, deep=True)


def parse_yaml(text: str, file: str) -> YamlDoc:
    """Parse one YAML document, keeping node positions. Raises SourceError on bad YAML."""
    doc = YamlDoc(file=file, data=None)
    try:
        try:
            root = yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            root = yaml.compose(text, Loader=_UniqueKeyLoader)  # the pure parser words errors better
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SourceError(file, line, col, f"invalid YAML: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise SourceError(file, 1, 1, f"invalid YAML: {e}") from None
    if root is None:
        raise SourceError(file, 1, 1, "the file is empty")
    try:
        doc.data = _walk(root, (), doc)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SourceError(file, line, col, f"invalid YAML: {e.problem or e.context}") from None
    return doc


def read_yaml(path: Path, display: str | None = None) -> YamlDoc:
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(name, 1, 1, "the file is not UTF-8 text") from None
    except OSError as e:
        raise SourceError(name, 1, 1, f"cannot read the file: {e.strerror}") from None
    return parse_yaml(text, name)
