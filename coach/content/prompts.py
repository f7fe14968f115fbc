"""Bot texts: `prompts/<locale>/<namespace>.yaml`, keyed `<namespace>.<key>`.

An entry is a text, a list of phrasings, or role variants `{mentee: ..., mentor: ..., default: ...}`
whose values are themselves a text or a list of phrasings.  Templating is `string.Template`
(`$name` / `${name}`): values are substituted as plain text, never looked up as attributes.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.content.pseudo import PSEUDO, pseudo
from coach.content.yamlsource import Loc, SourceError, SourceErrors, YamlDoc, read_yaml

ROLE_KEYS = frozenset({"mentee", "mentor", "default"})
FALLBACK_LOCALE = "en"
SOURCE_KEY = "_source"  # in a translation: the hash of the English each of its texts was made from


@dataclass
class PromptEntry:
    variants: dict[str, list[str]]  # role or "default" -> phrasings
    file: str
    loc: Loc

    def phrasings(self, role: str) -> list[str]:
        return self.variants.get(role) or self.variants.get("default") or next(iter(self.variants.values()))


@dataclass
class PromptCatalog:
    """All prompt texts of all locales found under one or more prompts/ folders."""

    entries: dict[str, dict[str, PromptEntry]] = field(default_factory=dict)  # locale -> key -> entry
    errors: list[SourceError] = field(default_factory=list)
    # (locale, key or namespace) whose texts could not be read: a flow naming one of their keys has
    # no error of its own (the error is the prompt file's)
    failed: set[tuple[str, str]] = field(default_factory=set)
    # locale -> key -> (the hash of the English a translation was made from, where it is recorded):
    # each translated file's `_source:` mapping (see coach.content.lint_locales)
    sources: dict[str, dict[str, tuple[str, Loc]]] = field(default_factory=dict)
    _pseudo_table: dict[str, PromptEntry] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, roots: list[Path]) -> PromptCatalog:
        cat = cls()
        for root in roots:
            if not root.is_dir():
                continue
            for locale_dir in sorted(p for p in root.iterdir() if p.is_dir()):
                for f in sorted(locale_dir.glob("*.yaml")):
                    cat._load_file(locale_dir.name, f, root)
        return cat

    def _load_file(self, locale: str, path: Path, root: Path) -> None:
        try:
            display = str(path.relative_to(root.parent))
        except ValueError:
            display = str(path)
        doc: YamlDoc | None
        try:
            doc = read_yaml(path, display)
        except SourceErrors as e:  # read as if fixed: its keys are known, so flows get no knock-on errors
            self.errors.extend(e.errors)
            doc = e.doc
        except SourceError as e:
            self.errors.append(e)
            doc = None
        if doc is None or not isinstance(doc.data, dict):
            if doc is not None:
                self.errors.append(doc.error((), "a prompts file must be a mapping of keys to texts"))
            self.failed.add((locale, path.stem))
            return
        table = self.entries.setdefault(locale, {})
        if SOURCE_KEY in doc.data:
            self._load_sources(locale, path.stem, doc)

        def visit(prefix: str, node: Any, path: tuple[str | int, ...]) -> None:
            # a flow's own texts (`flow:`, see coach.content.localize) have no role variants: a choice
            # may be called `mentee`
            if isinstance(node, dict) and node and set(node) <= ROLE_KEYS and path[:1] != ("flow",):
                variants: dict[str, list[str]] = {}
                for role, v in node.items():
                    texts = _texts(v)
                    if texts is None:
                        self.errors.append(doc.error((*path, role), f"{prefix}.{role}: expected text or a list"))
                        self.failed.add((locale, prefix))
                        return
                    variants[role] = texts
                table[prefix] = PromptEntry(variants, doc.file, doc.loc(path))
            elif isinstance(node, dict):
                for k, v in node.items():
                    visit(f"{prefix}.{k}", v, (*path, k))
            else:
                texts = _texts(node)
                if texts is None:
                    self.errors.append(doc.error(path, f"{prefix}: expected text, a list of texts or role variants"))
                    self.failed.add((locale, prefix))
                    return
                table[prefix] = PromptEntry({"default": texts}, doc.file, doc.loc(path))

        visit(path.stem, {k: v for k, v in doc.data.items() if k != SOURCE_KEY}, ())

    def _load_sources(self, locale: str, namespace: str, doc: YamlDoc) -> None:
        recorded = doc.data[SOURCE_KEY]
        if not isinstance(recorded, dict):
            self.errors.append(doc.error((SOURCE_KEY,), f"{SOURCE_KEY}: expected a mapping of keys to source hashes"))
            return
        table = self.sources.setdefault(locale, {})
        for key, value in recorded.items():
            if not isinstance(value, str) or not isinstance(key, str):
                self.errors.append(doc.error((SOURCE_KEY, key), f"{SOURCE_KEY}.{key}: expected a hash (text)"))
                continue
            table[f"{namespace}.{key}"] = (value, doc.loc((SOURCE_KEY, key)))

    def unreadable(self, key: str, locale: str = FALLBACK_LOCALE) -> bool:
        """Whether `key` may be missing only because its prompt file (or its entry) has errors."""
        parts = key.split(".")
        return any((locale, ".".join(parts[:i])) in self.failed for i in range(1, len(parts) + 1))

    def locales(self) -> list[str]:
        """The locales with texts (the pseudo-locale not among them: it is made from English)."""
        return sorted(self.entries)

    def table(self, locale: str) -> dict[str, PromptEntry]:
        """The texts of `locale` (the pseudo-locale's made from English on first use)."""
        if locale == PSEUDO and PSEUDO not in self.entries:
            return self._pseudo()
        return self.entries.get(locale, {})

    def _pseudo(self) -> dict[str, PromptEntry]:
        if self._pseudo_table is None:
            self._pseudo_table = {
                key: PromptEntry({role: [pseudo(t) for t in texts] for role, texts in entry.variants.items()},
                                 entry.file, entry.loc)
                for key, entry in self.entries.get(FALLBACK_LOCALE, {}).items()}
        return self._pseudo_table

    def keys(self, locale: str = FALLBACK_LOCALE) -> set[str]:
        return set(self.table(locale))

    def has(self, key: str, locale: str = FALLBACK_LOCALE) -> bool:
        return key in self.table(locale) or key in self.entries.get(FALLBACK_LOCALE, {})

    def entry(self, key: str, locale: str = FALLBACK_LOCALE) -> PromptEntry:
        """The entry for `key` in `locale`, falling back to `en` per key."""
        found = self.table(locale).get(key) or self.entries.get(FALLBACK_LOCALE, {}).get(key)
        if found is None:
            raise KeyError(key)
        return found


def _texts(v: Any) -> list[str] | None:
    if isinstance(v, str) and v.strip():
        return [v]
    if isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v):
        return list(v)
    return None


def pick(phrasings: list[str], seed: str, count: int, avoid: str | None = None) -> str:
    """Deterministic choice of a phrasing: rotates with `count`, starting at a seed-derived offset,
    and skips `avoid` (the previous text) when there is an alternative."""
    n = len(phrasings)
    offset = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) % n
    for i in range(n):
        text = phrasings[(offset + count + i) % n]
        if text != avoid or n == 1:
            return text
    return phrasings[0]


def placeholders(text: str) -> set[str]:
    """Names used as `$name` / `${name}` in a template."""
    names: set[str] = set()
    for m in string.Template.pattern.finditer(text):
        name = m.group("named") or m.group("braced")
        if name:
            names.add(name)
    return names


def render(text: str, values: Mapping[str, str]) -> str:
    """Substitute plain-text values; unknown names are left as written."""
    return string.Template(text).safe_substitute(values)
