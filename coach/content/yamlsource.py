"""YAML loading that remembers where every node came from, so errors can say `file:line:col`.

Positions are an editor's (see yamltext). Reading is bounded: a file of at most MAX_BYTES, nesting
at most MAX_DEPTH deep, at most MAX_VALUES values once aliases are expanded (an alias bomb is an
error at the alias, not a full memory), and at most TIME_LIMIT seconds; nothing recurses, so no
file can reach Python's recursion limit. Errors that still let the rest of the file be read (a
non-breaking space used as indentation, a U+2028) come together as SourceErrors, with the document
read as if they were fixed, so that every later error is reported too.

The parser itself (PyYAML, and the walk over its events: coach.content.yamlparse) is imported
only when a file is not in the cache of parsed files (coach.content.yamlcache).
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from coach.content import yamlcache
from coach.content.yamltext import Lines, Loc, as_spaces, indent_problem, not_printable, odd_indents, screen

__all__ = ["Loc", "PathKey", "SourceError", "SourceErrors", "YamlDoc", "parse_yaml", "read_yaml"]

PathKey = tuple[str | int, ...]

MAX_BYTES: Final = 1_000_000
MAX_DEPTH: Final = 64
MAX_VALUES: Final = 100_000
TIME_LIMIT: Final = 10.0  # seconds to read one file
PURE_RETRY_BYTES: Final = 200_000  # the pure-Python parser words errors better, but is slower


@dataclass
class SourceError(Exception):
    """A problem in a data file, located at `file:line:col`."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class SourceErrors(SourceError):
    """Several problems in one file (the first is this error's own), and the document as read with
    them fixed (None when it could not be read even so)."""

    def __init__(self, errors: list[SourceError], doc: YamlDoc | None) -> None:
        first = errors[0]
        super().__init__(first.file, first.line, first.col, first.message)
        self.errors = errors
        self.doc = doc


@dataclass
class YamlDoc:
    """Parsed YAML data plus the source position of each node, by path of keys/indices.

    A value that an alias (`*name`) stands for is located at the alias, everything inside it too."""

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


def parse_yaml(text: str, file: str) -> YamlDoc:
    """Parse one YAML document, keeping node positions. Raises SourceError on bad YAML, or
    SourceErrors for several problems (with the document as read with them fixed)."""
    from coach.content.yamlparse import compose as _compose

    text = text.removeprefix("\ufeff")  # a byte order mark: editors do not show it (nor count it)
    fatal = not_printable(text)
    if fatal:
        raise SourceError(file, *fatal)
    text, problems = screen(text)
    indents = odd_indents(text)
    doc: YamlDoc | None = None
    error: SourceError | None = None
    try:
        doc = _compose(text, file)
    except SourceError as e:
        error = e
    if indents:
        if doc is not None:
            starts: dict[int, int] = {}
            for line, col in (*doc.marks.values(), *doc.key_marks.values()):
                starts[line] = min(col, starts.get(line, col))
            culprits = [o for o in indents if starts.get(o.line, o.col + 1) <= o.col]
        else:
            assert error is not None
            culprits = indents if any(o.line <= error.line for o in indents) else []
        if culprits:
            problems.append(indent_problem(culprits))
            doc, error = None, None
            try:
                doc = _compose(as_spaces(text, culprits), file)
            except SourceError as e:
                error = e
    if not problems:
        if error is not None:
            raise error
        assert doc is not None
        return doc
    errors = [SourceError(file, *p) for p in problems] + ([error] if error else [])
    raise SourceErrors(sorted(errors, key=lambda e: (e.line, e.col)), doc)


def _undecodable(data: bytes, e: UnicodeDecodeError, file: str) -> SourceError:
    head = data[:e.start].decode("utf-8", errors="replace")
    line, col = Lines.of(head).loc(len(head))
    hint = " (it looks like UTF-16)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
    return SourceError(file, line, col, f"the file is not UTF-8 text{hint}: byte 0x{data[e.start]:02x} here; save "
                                        "it as UTF-8")


def read_yaml(path: Path, display: str | None = None) -> YamlDoc:
    """Read and parse a YAML file; anything that is not a regular, small, UTF-8 text file is a
    SourceError (a pipe is never opened, so it cannot hang)."""
    name = display or str(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a pipe or a device)"
            raise SourceError(name, 1, 1, f"cannot read the file: it is {what}")
        if st.st_size > MAX_BYTES:
            raise SourceError(name, 1, 1, f"the file is too large ({st.st_size:,} bytes; a flow or prompts file "
                                          f"may have {MAX_BYTES:,}); split it")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise SourceError(name, 1, 1, f"cannot read the file: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:
        raise SourceError(name, 1, 1, f"the file is too large (more than {MAX_BYTES:,} bytes); split it")
    entry = yamlcache.key(data, (MAX_BYTES, MAX_DEPTH, MAX_VALUES, TIME_LIMIT, PURE_RETRY_BYTES))
    kept = yamlcache.load(entry, name)
    if kept is not None:
        return kept
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _undecodable(data, e, name) from None
    doc = parse_yaml(text, name)
    yamlcache.save(entry, doc)
    return doc
