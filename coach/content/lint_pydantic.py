"""Pydantic validation errors turned into few, readable, located messages.

A bad member of a union (a condition, an entry of `next`, `next` itself) makes pydantic report one
error per union member; only the member the author evidently meant (picked from the keys and the
shape of the data) is kept, and when none fits, one line says what was expected.  Messages name the
step or slot they are about (`step 'ask_goal': ...`) rather than `steps[3]`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from coach.content.lint_diag import code_points
from coach.content.schema import At, Step
from coach.content.yamlsource import PathKey, SourceError, YamlDoc

_MISSING = object()

# condition member chosen by the first of these keys found in the mapping
_COND_KEYS = {"all": "AllCond", "any": "AnyCond", "not": "NotCond", "slot": "SlotCond",
              "visited": "VisitedCond", "attempts": "AttemptsCond", "role": "RoleCond"}
_SCALAR_TAGS = ("str", "constrained-str", "int", "float", "bool", "constrained-int")

_EXPECTED = {
    "cond": "not a condition: expected a mapping with one of slot (with op and value), all, any, not, "
            "visited, attempts or role",
    "entry": "expected {when: CONDITION, goto: STEP}, or as the last entry {else: STEP}",
    "next": "expected a step id, or a list of {when: CONDITION, goto: STEP} entries ending with {else: STEP}",
}

_TYPE_WORDS = {
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "list_type": "expected a list",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
}


def step_kinds() -> list[str]:
    """The `kind` values the schema admits for a step, in schema order."""
    union = get_args(Step)[0]
    return [get_args(m.model_fields["kind"].annotation)[0] for m in get_args(union)]


def _member(tag: str) -> str | None:
    """The union member a loc element names, or None if it is not a union tag."""
    if tag.startswith("function-") and "[" in tag:
        return tag.rstrip("]").rsplit(",", 1)[-1].strip().rsplit("[", 1)[-1]
    if tag in _SCALAR_TAGS or tag.startswith(("list[", "dict[", "union[", "literal[")):
        return tag
    if tag[:1].isupper():
        return tag
    return None


def _union_kind(member: str) -> str | None:
    if member in _COND_KEYS.values():
        return "cond"
    if member in ("When", "Else"):
        return "entry"
    if member in _SCALAR_TAGS or member.startswith("list["):
        return "next"
    return None


def _chosen(member: str, data: Any) -> bool | None:
    """Whether `member` is the union member the author meant for `data` (None: cannot tell)."""
    kind = _union_kind(member)
    if kind == "cond":
        if not isinstance(data, dict):
            return False
        key = next((k for k in _COND_KEYS if k in data), None)
        if key is None and ("op" in data or "value" in data):
            key = "slot"
        return key is not None and _COND_KEYS[key] == member
    if kind == "entry":
        if not isinstance(data, dict):
            return False
        meant = "When" if "when" in data else "Else" if "else" in data else "When" if "goto" in data else None
        return meant == member
    if kind == "next":
        if isinstance(data, dict):
            return False
        return isinstance(data, list) == member.startswith("list[")
    return None


@dataclass
class _Walked:
    path: PathKey  # data path of the deepest node that exists
    names: list[str | int]  # loc without union tags: what the author wrote, plus a missing/extra key
    rejected: tuple[tuple[str | int, ...], PathKey, str] | None = None  # (union loc, data path, kind)
    passed: list[tuple[str | int, ...]] = field(default_factory=list)  # union locs passed through


def _walk(data: Any, loc: tuple[str | int, ...]) -> _Walked:
    cur = data
    path: list[str | int] = []
    names: list[str | int] = []
    passed: list[tuple[str | int, ...]] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            names.append(part)
            if isinstance(cur, list) and 0 <= part < len(cur):
                path.append(part)
                cur = cur[part]
            else:
                cur = _MISSING
            continue
        if isinstance(cur, dict) and part in cur:
            names.append(part)
            path.append(part)
            cur = cur[part]
            continue
        if isinstance(cur, dict) and cur.get("kind") == part:
            continue  # the discriminator tag of a step
        member = _member(part)
        if member is not None and cur is not _MISSING:
            chosen = _chosen(member, cur)
            kind = _union_kind(member)
            if chosen is False and kind is not None:
                return _Walked(tuple(path), names, (loc[:i], tuple(path), kind), passed)
            passed.append(loc[:i])
            continue
        names.append(part)
        cur = _MISSING
    return _Walked(tuple(path), names, None, passed)


def _owner(data: Any, names: list[str | int]) -> tuple[str, list[str | int]]:
    """`step 'ask_goal'` / `slot 'goal'` for the leading names, and the rest."""
    if len(names) >= 2 and names[0] == "steps" and isinstance(names[1], int):
        steps = data.get("steps") if isinstance(data, dict) else None
        step = steps[names[1]] if isinstance(steps, list) and names[1] < len(steps) else None
        sid = step.get("id") if isinstance(step, dict) else None
        label = f"step {sid!r}" if isinstance(sid, str) else f"step #{names[1] + 1}"
        return label, names[2:]
    if len(names) >= 2 and names[0] == "slots" and isinstance(names[1], str):
        return f"slot {names[1]!r}", names[2:]
    return "", names


def _dotted(names: list[str | int]) -> str:
    out = ""
    for n in names:
        if n == "[key]":  # pydantic's mark for a mapping key: the message names the key
            continue
        out += f"[{n}]" if isinstance(n, int) else ("." if out else "") + n
    return out


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _message(err: ErrorDetails) -> str:
    etype = err["type"]
    msg = err["msg"].removeprefix("Value error, ")
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    value = err.get("input")
    if etype == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if isinstance(value, str) and not value.isascii():
            return non_ascii(value, "prompt keys" if "\\." in pattern else "ids")
        if "\\." in pattern:
            return f"expected a prompt key like namespace.key (lowercase), got {_shown(value)}"
        return f"expected an id (lowercase letters, digits and _, starting with a letter), got {_shown(value)}"
    if etype in _TYPE_WORDS:
        return f"{_TYPE_WORDS[etype]}, got {_shown(value)}"
    if etype in ("literal_error", "enum"):
        return f"{msg} (got {_shown(value)})"
    if etype == "union_tag_invalid" and ctx.get("tag") != "None":
        tags = str(ctx.get("expected_tags", "")).replace("'", "")
        return f"unknown step kind {ctx.get('tag')!r}; expected one of: {tags}"
    if etype in ("union_tag_not_found", "union_tag_invalid"):
        tags = ", ".join(step_kinds())
        return f"a step needs a `{str(ctx.get('discriminator', 'kind')).strip(chr(39))}`: one of {tags}"
    return msg


def non_ascii(name: str, what: str = "ids") -> str:
    """`'ask_mооd' contains U+043E CYRILLIC SMALL LETTER O; ids must be ASCII` (each look-alike named)."""
    odd = [c for c in dict.fromkeys(name) if not c.isascii()]
    return (f"{name!r} contains {code_points(odd)}; {what} must be ASCII (lowercase a-z, digits and _): retype it "
            "(it may look right but is not)")


def _field_path(err: ErrorDetails) -> tuple[str | int, ...]:
    """The field inside the model a validator's problem belongs to (schema.At), if it says."""
    error = (err.get("ctx") or {}).get("error")
    return error.path if isinstance(error, At) else ()


def _relocated(doc: YamlDoc, err: ErrorDetails) -> SourceError | None:
    """Flow-wide errors that belong to one node (duplicate step ids)."""
    m = re.fullmatch(r"duplicate step id '(.+)'", err["msg"].removeprefix("Value error, "))
    steps = doc.data.get("steps") if isinstance(doc.data, dict) else None
    if not m or not isinstance(steps, list):
        return None
    seen: dict[str, int] = {}
    for i, step in enumerate(steps):
        sid = step.get("id") if isinstance(step, dict) else None
        if sid == m.group(1):
            if sid in seen:
                first_line = doc.loc(("steps", seen[sid], "id"))[0]
                return doc.error(("steps", i, "id"), f"duplicate step id {sid!r} (first used on line {first_line})")
            seen[sid] = i
    return None


@dataclass
class _Located:
    parent: PathKey
    extra: str | None
    missing: str | None
    error: SourceError


def located_errors(doc: YamlDoc, exc: ValidationError) -> list[SourceError]:
    """One readable, located error per problem in `doc` (see the module docstring)."""
    if isinstance(doc.data, dict) and not {"schema_version", "id", "steps"} & set(doc.data):
        found = ", ".join(str(k) for k in list(doc.data)[:4])
        return [doc.error((), f"not a flow: a flow has schema_version, id, steps, ... (this file has {found})")]
    items: list[_Located] = []
    rejected: dict[tuple[str | int, ...], tuple[PathKey, str]] = {}
    chosen_unions: set[tuple[str | int, ...]] = set()
    for err in exc.errors(include_url=False):
        moved = _relocated(doc, err)
        if moved is not None:
            items.append(_Located((), None, None, moved))
            continue
        walked = _walk(doc.data, (*err["loc"], *_field_path(err)))
        chosen_unions.update(walked.passed)
        if walked.rejected is not None:
            union_loc, path, kind = walked.rejected
            rejected.setdefault(union_loc, (path, kind))
            continue
        items.append(_item(doc, err, walked))
    for union_loc, (path, kind) in rejected.items():
        if union_loc in chosen_unions:
            continue
        owner, rest = _owner(doc.data, _walk(doc.data, union_loc).names)
        text = _EXPECTED[kind]
        node = _node(doc.data, path)
        if kind == "cond" and isinstance(node, dict) and node:
            text += f" (found: {', '.join(map(str, node))})"
        items.append(_Located(path, None, None, doc.error(path, _join(owner, _dotted(rest), text))))
    errors = _dedupe(_pair_typos(items))
    return sorted(errors, key=lambda e: (e.line, e.col))


def _node(data: Any, path: PathKey) -> Any:
    for p in path:
        data = data[p]
    return data


def _join(owner: str, where: str, text: str) -> str:
    return ": ".join(x for x in (owner, where, text) if x)


def _item(doc: YamlDoc, err: ErrorDetails, walked: _Walked) -> _Located:
    owner, rest = _owner(doc.data, walked.names)
    etype = err["type"]
    if etype == "extra_forbidden" and rest:
        name = str(rest[-1])
        where = _dotted(rest[:-1])
        text = f"unknown field {name!r}" + (f" in {where}" if where else "")
        line, col = doc.key_loc(walked.path)
        return _Located(walked.path[:-1], name, None, SourceError(doc.file, line, col, _join(owner, "", text)))
    if etype == "missing" and rest:
        name = str(rest[-1])
        text = f"missing required field {name!r}"
        return _Located(walked.path, None, name, doc.error(walked.path, _join(owner, _dotted(rest[:-1]), text)))
    path = walked.path
    node = _node(doc.data, path)
    if etype == "union_tag_invalid" and isinstance(node, dict) and node.get("kind") is not None:
        path = (*path, "kind")
    return _Located(path, None, None, doc.error(path, _join(owner, _dotted(rest), _message(err))))


def _pair_typos(items: list[_Located]) -> list[_Located]:
    """An unknown field next to a missing one of a similar name is one typo: say so once."""
    missing = {(it.parent, it.missing): it for it in items if it.missing}
    drop: set[int] = set()
    for it in items:
        if it.extra is None:
            continue
        names = [m for (parent, m) in missing if parent == it.parent and m]
        close = difflib.get_close_matches(it.extra, names, n=1, cutoff=0.6)
        if close:
            drop.add(id(missing[(it.parent, close[0])]))
            e = it.error
            it.error = SourceError(e.file, e.line, e.col, f"{e.message} (did you mean {close[0]!r}?)")
    return [it for it in items if id(it) not in drop]


def _dedupe(items: list[_Located]) -> list[SourceError]:
    seen: set[tuple[int, int, str]] = set()
    out: list[SourceError] = []
    for it in items:
        e = it.error
        if (e.line, e.col, e.message) not in seen:
            seen.add((e.line, e.col, e.message))
            out.append(e)
    return out
