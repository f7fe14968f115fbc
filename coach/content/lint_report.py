"""The lint's report made readable: each problem once, in file and line order, without the errors
that only follow from another one.

A prompt file that cannot be read (or one of its entries) makes every flow that names its keys
report "unknown prompt key", and a flow file that cannot be read makes its callers report "call to
unknown flow". Those knock-on errors are left out while their cause is in the report; the cause's
first error says how many were left out, since they may show once it is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Final

from coach.content.lint_diag import Diagnostic
from coach.content.prompts import FALLBACK_LOCALE, PromptCatalog

# message pattern -> (locale group or None for en, the key/name group, what kind of name it is)
_KNOCK_ONS: Final = [
    (re.compile(r"unknown prompt key '([^']+)'"), None, "key"),
    (re.compile(r"the engine uses '([^']+)', which is missing"), None, "key"),
    (re.compile(r"(\S+) is not in prompts/en, so nothing uses it"), None, "key"),
    (re.compile(r"(\S+) has no '([^']+)' text"), 2, "key"),
    (re.compile(r"locale '([^']+)' has no (\S+)\.yaml"), 1, "namespace"),
    (re.compile(r"call to unknown flow '([^']+)'"), None, "flow"),
]


def _prompt_file(errors: Iterable[Diagnostic], locale: str, namespace: str) -> str | None:
    """The reported prompt file `prompts/<locale>/<namespace>.yaml`, if it has an error."""
    for d in errors:
        p = Path(d.file)
        if p.stem == namespace and p.parent.name == locale and d.severity == "error":
            return d.file
    return None


def _cause(d: Diagnostic, catalog: PromptCatalog, failed_flows: Mapping[str, str],
           errors: list[Diagnostic]) -> str | None:
    """The reported file whose error `d` only follows from, if any."""
    for pattern, locale_group, kind in _KNOCK_ONS:
        m = pattern.match(d.message)
        if not m:
            continue
        if kind == "flow":
            return failed_flows.get(m.group(1))
        if kind == "namespace":
            locale, name = m.group(1), m.group(2)
            return _prompt_file(errors, locale, name) if (locale, name) in catalog.failed else None
        key = m.group(1)
        locale = m.group(locale_group) if locale_group else FALLBACK_LOCALE
        if catalog.unreadable(key, locale):
            return _prompt_file(errors, locale, key.split(".", 1)[0])
        return None
    return None


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def tidy(items: Iterable[Diagnostic], catalog: PromptCatalog, failed_flows: Mapping[str, str]) -> list[Diagnostic]:
    """Each problem once (an error wins over the same warning), knock-on errors left out, sorted by
    file, line and column. `failed_flows`: flow id -> the reported file that should define it."""
    unique: dict[tuple[str, int, int, str], Diagnostic] = {}
    for d in items:
        k = (d.file, d.line, d.col, d.message)
        if k not in unique or d.severity == "error":
            unique[k] = d
    kept = list(unique.values())
    errors = [d for d in kept if d.severity == "error"]
    causes = {id(d): _cause(d, catalog, failed_flows, errors) for d in kept}
    real = {d.file for d in errors if causes[id(d)] is None}  # files with an error of their own
    left_out: dict[str, int] = {}
    out: list[Diagnostic] = []
    for d in kept:
        cause = causes[id(d)]
        if cause is not None and cause in real:
            left_out[cause] = left_out.get(cause, 0) + 1
        else:
            out.append(d)
    out.sort(key=lambda d: (d.file, d.line, d.col, d.severity, d.message))
    for file, n in left_out.items():
        first = next(i for i, d in enumerate(out) if d.file == file and d.severity == "error")
        note = _plural(n, "problem that follows from it is", "problems that follow from it are")
        out[first] = replace(out[first], message=f"{out[first].message} ({note} not shown)")
    return out
