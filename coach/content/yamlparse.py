"""The YAML parser's side of coach.content.yamlsource: PyYAML's events (libyaml's when PyYAML has
it) walked into data and marks, within the limits yamlsource sets (read from it at each call, so
that they can be changed for a test)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Final

import yaml

from coach.content import yamlsource as limits
from coach.content.yamlsource import PathKey, SourceError, YamlDoc
from coach.content.yamltext import Lines, Loc

# libyaml's parser when PyYAML was built with it (several times faster); marks are the same.
_FastLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CTOR = yaml.SafeLoader("")  # resolves and constructs scalars; never composes (so keeps nothing)
_PLAIN_TAGS: Final = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null",
                                                                   "timestamp", "binary"))
_MERGE: Final = "tag:yaml.org,2002:merge"
_KINDS: Final = {"tag:yaml.org,2002:int": "number", "tag:yaml.org,2002:float": "number",
                 "tag:yaml.org,2002:timestamp": "date", "tag:yaml.org,2002:bool": "true/false"}


def _loc(mark: Any) -> Loc:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


@dataclass
class _Open:
    """A mapping or sequence being read."""

    value: dict[str, Any] | list[Any]
    path: PathKey
    anchor: str | None
    size: int = 1  # values in it, aliases expanded
    height: int = 1  # levels of nesting, itself included
    key: str | None = None  # a mapping's key waiting for its value


class _Builder:
    """Data and marks from a stream of parser events, without recursion and within the limits."""

    def __init__(self, file: str) -> None:
        self.doc = YamlDoc(file=file, data=None)
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Any, int, int, Loc]] = {}  # value, size, height, where defined
        self.open_anchors: dict[str, Loc] = {}
        self.total = 0
        self.documents = 0

    def error(self, mark: Any, message: str) -> SourceError:
        return SourceError(self.doc.file, *_loc(mark), message)

    def run(self, loader: Any) -> YamlDoc:
        deadline = time.monotonic() + limits.TIME_LIMIT
        n = 0
        while loader.check_event():
            ev = loader.get_event()
            n += 1
            if n % 512 == 0 and time.monotonic() > deadline:
                raise self.error(ev.start_mark, f"reading this file takes more than {limits.TIME_LIMIT:g} seconds; "
                                                "split it or make it simpler")
            self.event(ev)
        return self.doc

    def event(self, ev: Any) -> None:
        if isinstance(ev, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.error(ev.start_mark, "a second YAML document (after `---`): a file holds one; remove "
                                                "the `---` and what follows, or move it to a file of its own")
        elif isinstance(ev, yaml.ScalarEvent):
            self.scalar(ev)
        elif isinstance(ev, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self.start(ev)
        elif isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self.end()
        elif isinstance(ev, yaml.AliasEvent):
            self.alias(ev)

    def _slot(self) -> PathKey | None:
        """The path of the next node, or None when it is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        return None if top.key is None else (*top.path, top.key)

    def _anchor(self, name: str | None, mark: Any) -> None:
        if name is None:
            return
        first = self.anchors.get(name, (None, 0, 0, None))[3] or self.open_anchors.get(name)
        if first is not None:
            raise self.error(mark, f"anchor &{name} is already defined on line {first[0]}; give this one "
                                   "another name")

    def _put(self, path: PathKey, value: Any, mark: Any, size: int, height: int) -> None:
        if mark is not None:
            self.doc.marks[path] = _loc(mark)
        if not self.stack:
            self.doc.data = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            assert top.key is not None
            top.value[top.key] = value
            top.key = None
        top.size += size
        top.height = max(top.height, height + 1)

    def _key(self, key: Any, mark: Any) -> None:
        top = self.stack[-1]
        assert isinstance(top.value, dict)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise self.error(mark, "mapping keys must be plain text")
        if isinstance(key, bool | float):
            key = str(key).lower()
        k = key if isinstance(key, str) else str(key)
        if k in top.value:
            first = self.doc.key_marks.get((*top.path, k))
            where = f" (first on line {first[0]})" if first else ""
            raise self.error(mark, f"duplicate key {k!r}{where}; a mapping names each key once")
        self.doc.key_marks[(*top.path, k)] = _loc(mark)
        top.key = k

    def scalar(self, ev: yaml.ScalarEvent) -> None:
        path = self._slot()
        self._anchor(ev.anchor, ev.start_mark)
        value = _scalar(ev, self.doc.file)
        self.total += 1
        if path is None:
            self._key(value, ev.start_mark)
        else:
            self._put(path, value, ev.start_mark, 1, 0)
        if ev.anchor is not None:
            self.anchors[ev.anchor] = (value, 1, 0, _loc(ev.start_mark))

    def start(self, ev: yaml.CollectionStartEvent) -> None:
        path = self._slot()
        if path is None:
            raise self.error(ev.start_mark, "mapping keys must be plain text")
        if len(self.stack) >= limits.MAX_DEPTH:
            raise self.error(ev.start_mark, f"nested too deeply (more than {limits.MAX_DEPTH} levels); "
                                            "flatten this part of the file")
        self._anchor(ev.anchor, ev.start_mark)
        self.doc.marks[path] = _loc(ev.start_mark)
        value: dict[str, Any] | list[Any] = {} if isinstance(ev, yaml.MappingStartEvent) else []
        self.stack.append(_Open(value, path, ev.anchor))
        if ev.anchor is not None:
            self.open_anchors[ev.anchor] = _loc(ev.start_mark)
        self.total += 1

    def end(self) -> None:
        done = self.stack.pop()
        self._put(done.path, done.value, None, done.size, done.height)
        if done.anchor is not None:
            self.anchors[done.anchor] = (done.value, done.size, done.height, self.open_anchors.pop(done.anchor))

    def alias(self, ev: yaml.AliasEvent) -> None:
        name = ev.anchor
        path = self._slot()
        if name in self.open_anchors:
            raise self.error(ev.start_mark, f"alias *{name} is used inside the value &{name} names (line "
                                            f"{self.open_anchors[name][0]}); a value cannot contain itself")
        if name not in self.anchors:
            known = ", ".join(f"&{a}" for a in sorted(self.anchors)[:5])
            hint = f" (anchors defined so far: {known})" if known else ""
            raise self.error(ev.start_mark, f"unknown alias *{name}: no anchor &{name} comes before it{hint}; "
                                            f"write `&{name}` before the value it should stand for")
        value, size, height, _ = self.anchors[name]
        if path is None:
            if isinstance(value, dict | list):
                raise self.error(ev.start_mark, "mapping keys must be plain text")
            self._key(value, ev.start_mark)
            return
        if len(self.stack) + height > limits.MAX_DEPTH:
            raise self.error(ev.start_mark, f"alias *{name} nests its value too deeply (more than {limits.MAX_DEPTH} "
                                            "levels); flatten it or write it out")
        self.total += size
        if self.total > limits.MAX_VALUES:
            raise self.error(ev.start_mark, f"aliases expand this file to more than {limits.MAX_VALUES:,} values "
                                            f"(at *{name}); use fewer aliases or write the values out")
        self._put(path, value, ev.start_mark, size, height)


def _scalar(ev: yaml.ScalarEvent, file: str) -> Any:
    tag = ev.tag
    if tag is None or tag == "!":
        tag = _CTOR.resolve(yaml.ScalarNode, ev.value, ev.implicit)  # type: ignore[no-untyped-call]
    where = _loc(ev.start_mark)
    if tag == _MERGE:
        raise SourceError(file, *where, "`<<` merge keys are not supported; write the fields out (an alias "
                                        "`*name` can stand for a whole value)")
    if tag not in _PLAIN_TAGS:
        raise SourceError(file, *where, f"the tag {ev.tag} is not supported; remove it (flows and prompts use "
                                        "plain text, numbers, true/false, dates, lists and mappings)")
    node = yaml.ScalarNode(tag, ev.value, None, None, ev.style)
    try:
        return _CTOR.yaml_constructors[tag](_CTOR, node)
    except yaml.MarkedYAMLError as e:
        raise SourceError(file, *where, f"invalid YAML: {e.problem or e.context}") from None
    except (ValueError, OverflowError) as e:
        shown = ev.value if len(ev.value) <= 40 else ev.value[:37] + "..."
        why = "it has too many digits" if tag.endswith(":int") else str(e)
        raise SourceError(file, *where, f"{shown!r} is not a valid {_KINDS.get(tag, 'value')} ({why}); quote it "
                                        "to keep it as text") from None


_HINTS: Final = [  # words of the parser's complaint -> how to fix it
    ("mapping values are not allowed", " (a text with ': ' in it must be quoted)"),
    ("cannot start any token", " (quote the text)"),
    ("expected <block end>", " (check this line's indentation against the lines above)"),
    ("did not find expected key", " (check this line's indentation against the lines above)"),
    ("could not find expected ':'", " (a key needs ': ' after it; quote a text that spans lines)"),
    ("expected ',' or ']'", " (is a `]` missing, or a text with a comma not quoted?)"),
    ("expected ',' or '}'", " (is a `}` missing, or a text with a comma not quoted?)"),
    ("expected alphabetic or numeric character", " (`&` and `*` start anchors and aliases; quote a text that "
                                                 "starts with them)"),
    ("expected the node content", " (a value is missing here)"),
]


def _indented_by_tab(text: str, mark: Any) -> bool:
    """Whether the parser stopped at a tab in a line's leading white space."""
    starts = Lines.of(text).starts
    if mark is None or mark.line >= len(starts):
        return False
    lead = text[starts[mark.line]:starts[mark.line] + mark.column + 1]
    return lead.endswith("\t") and not lead.strip(" \t")


def _parse_error(e: yaml.MarkedYAMLError, text: str, file: str) -> SourceError:
    """The parser's complaint, located where the fix goes, with a fix for the commonest ones."""
    mark, problem = e.problem_mark or e.context_mark, str(e.problem or e.context)
    if "quoted scalar" in str(e.context) and "end of stream" in problem and e.context_mark is not None:
        return SourceError(file, *_loc(e.context_mark), "invalid YAML: a quoted text starts here and is never "
                                                         "closed; add the closing quote")
    if "'\\t'" in problem or "tab character" in problem or _indented_by_tab(text, mark):
        return SourceError(file, *_loc(mark), "a tab is used for indentation; YAML indents with spaces only "
                                              "(replace the tab with spaces)")
    context = str(e.context)
    if "<stream end>" in problem and "while parsing a flow" in context and e.context_mark is not None:
        bracket = "[" if "sequence" in context else "{"
        closing = "]" if bracket == "[" else "}"
        return SourceError(file, *_loc(e.context_mark), f"invalid YAML: the `{bracket}` here is never closed; "
                                                         f"add the `{closing}`")
    if "maximum nesting depth" in problem:  # libyaml's own limit
        return SourceError(file, *_loc(mark), "nested too deeply; flatten this part of the file")
    hint = next((h for words, h in _HINTS if words in problem), "")
    return SourceError(file, *_loc(mark), f"invalid YAML: {problem}{hint}")


def _build(loader_type: type, text: str, file: str) -> YamlDoc:
    loader = loader_type(text)
    try:
        builder = _Builder(file)
        doc = builder.run(loader)
    finally:
        loader.dispose()
    if builder.documents == 0:
        raise SourceError(file, 1, 1, "the file is empty")
    return doc


def compose(text: str, file: str) -> YamlDoc:
    """Parse and build with libyaml; on a parser error, parse again with the pure-Python parser,
    which words errors better (unless the file is large, or the two disagree)."""
    try:
        return _build(_FastLoader, text, file)
    except yaml.MarkedYAMLError as e:
        fast = _parse_error(e, text, file)
    except yaml.YAMLError as e:  # a reader error: screened for already, but stay safe
        raise SourceError(file, 1, 1, f"invalid YAML: {str(e).splitlines()[0]}") from None
    if _FastLoader is yaml.SafeLoader or len(text) > limits.PURE_RETRY_BYTES:
        raise fast
    try:
        _build(yaml.SafeLoader, text, file)
    except yaml.MarkedYAMLError as e:
        raise _parse_error(e, text, file) from None
    except SourceError as e:  # a limit reached before the parser's error: the first problem
        raise e from None
    except yaml.YAMLError:
        pass
    raise fast
