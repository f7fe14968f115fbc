"""Checks for translators: what a locale lacks, what went stale, and placeholders that differ.

A translation is `prompts/<locale>/<namespace>.yaml` with the keys of the English one (and, in a
flow's namespace, the flow's own texts under `flow:`, see coach.content.localize). Each translated
file records, under `_source:`, a short hash of the English each of its texts was made from:

    ask_goal: "¿Qué quieres conseguir con esta mentoría?"
    _source:
      ask_goal: 3f2a9c1b

When the English changes, its hash no longer matches and the translation is reported as stale until a
translator checks it and records the new hash (`coach flows lint --locale es --stamp`).

Reported per locale:
- a key the English has and the locale lacks (warning: English is shown);
- a text whose English changed since it was translated, or that records no source (warning);
- `$placeholders` the English does not have (error: they would show as written) or that it has and the
  translation leaves out (warning: a value goes missing);
- a key the English does not have (warning: nothing uses it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coach.content import patterns
from coach.content.lint_diag import Diagnostic, Sink, did_you_mean
from coach.content.localize import flow_keys
from coach.content.prompts import FALLBACK_LOCALE, SOURCE_KEY, PromptCatalog, PromptEntry, placeholders
from coach.content.schema import Flow

HASH_LENGTH = 8


@dataclass(frozen=True)
class Source:
    """The English a translated key is made from."""

    variants: dict[str, list[str]]  # role or "default" -> phrasings (a flow's text: {"default": [text]})
    file: str
    loc: tuple[int, int]

    @property
    def hash(self) -> str:
        return source_hash(self.variants)

    def names(self) -> set[str]:
        return {n for texts in self.variants.values() for t in texts for n in placeholders(t)}


def source_hash(variants: dict[str, list[str]]) -> str:
    """A short, stable hash of an English text (all its role variants and phrasings)."""
    canonical = json.dumps(variants, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def sources(catalog: PromptCatalog, flows: Iterable[tuple[Flow, str]]) -> dict[str, Source]:
    """Every key a translation should give, with its English: the `en` prompts, and the texts of each
    flow (`(flow, display name of its file)`)."""
    out = {key: Source(entry.variants, entry.file, entry.loc)
           for key, entry in catalog.entries.get(FALLBACK_LOCALE, {}).items()}
    for flow, file in flows:
        for key, value in flow_keys(flow).items():
            out.setdefault(key, Source({"default": value if isinstance(value, list) else [value]}, file, (1, 1)))
    return out


def _names(entry: PromptEntry) -> set[str]:
    return {n for texts in entry.variants.values() for t in texts for n in placeholders(t)}


def check_locales(catalog: PromptCatalog, english: dict[str, Source], sink: Sink, in_scope: Collection[str],
                  only: str | None = None) -> None:
    """The checks above for every locale but English (or only `only`). A locale's texts are reported
    when their file is linted; its missing keys when the English file (or the flow) they translate is
    linted, or any file of that namespace in the locale is. A namespace the locale lacks altogether is
    reported where the locale has a folder beside the English one, or when `only` names the locale."""
    for locale, table in sorted(catalog.entries.items()):
        if locale == FALLBACK_LOCALE or (only is not None and locale != only):
            continue
        recorded = catalog.sources.get(locale, {})
        linted_ns = {k.split(".", 1)[0] for k, e in table.items() if e.file in in_scope}
        namespaces = {k.split(".", 1)[0] for k in table}
        reported: set[str] = set()
        stamped_files = {table[k].file for k in recorded if k in table}
        unstamped: set[str] = set()
        for key, src in sorted(english.items()):
            ns = key.split(".", 1)[0]
            if key in table or not (src.file in in_scope or ns in linted_ns):
                continue
            if ns not in namespaces:
                # a folder of flows with its own prompts is not expected to have every shipped language
                translated_here = (Path(src.file).parent.parent / locale).is_dir()
                if ns not in reported and (only or translated_here):
                    reported.add(ns)
                    sink.add(Diagnostic(src.file, 1, 1, f"locale {locale!r} has no {ns}.yaml: its texts show in "
                                        "English", "warning"))
                continue
            sink.add(Diagnostic(src.file, *src.loc, f"{key} has no {locale!r} text (English is used)", "warning"))
        for key, entry in sorted(table.items()):
            if entry.file not in in_scope:
                continue
            found = english.get(key)
            if found is None:
                sink.add(Diagnostic(entry.file, *entry.loc, f"{key} is not in prompts/en, so nothing uses "
                                    f"it{did_you_mean(key, english)}", "warning"))
                continue
            src = found
            _check_names(key, entry, src, sink)
            if ".flow.steps." in key and key.rsplit(".", 1)[-1].startswith("matches"):
                _check_pattern(key, entry, sink)
            stamp = recorded.get(key)
            if stamp is None and entry.file not in stamped_files:
                if entry.file not in unstamped:
                    unstamped.add(entry.file)
                    sink.add(Diagnostic(entry.file, 1, 1, f"records no {SOURCE_KEY}: (which English each text was "
                                        f"translated from), so changes to the English go unnoticed; once the texts "
                                        f"are checked, `coach flows lint --locale {locale} --stamp` records it",
                                        "warning"))
            elif stamp is None:
                sink.add(Diagnostic(entry.file, *entry.loc, f"{key}: records no source under {SOURCE_KEY}: (once it "
                                    f"is checked, `coach flows lint --locale {locale} --stamp {key}` records it)",
                                    "warning"))
            elif stamp[0] != src.hash:
                sink.add(Diagnostic(entry.file, *entry.loc, f"{key}: the English changed since this was translated "
                                    f"({src.file}:{src.loc[0]}); check it, then record the new source with "
                                    f"`coach flows lint --locale {locale} --stamp {key}`", "warning"))
        for key, (_, loc) in sorted(recorded.items()):
            if key not in table:
                file = _file_of(key, table)
                if file and file in in_scope:
                    sink.add(Diagnostic(file, *loc, f"{SOURCE_KEY}: {key.split('.', 1)[1]} names no text of this "
                                        "file; remove it", "warning"))


def _file_of(key: str, table: dict[str, PromptEntry]) -> str | None:
    """The file of `key`'s namespace in a locale's texts (where its recorded source stands)."""
    ns = key.split(".", 1)[0]
    return next((e.file for k, e in table.items() if k.split(".", 1)[0] == ns), None)


def _check_pattern(key: str, entry: PromptEntry, sink: Sink) -> None:
    """A translated `matches` pattern RE2 can run (else the engine keeps the English one)."""
    for texts in entry.variants.values():
        for text in texts:
            problem = patterns.check(text)
            if problem:
                sink.add(Diagnostic(entry.file, *entry.loc, f"{key}: {problem}; the English pattern is used until "
                                    "it is fixed"))


def _check_names(key: str, entry: PromptEntry, src: Source, sink: Sink) -> None:
    """Placeholders of a translation against its English: every phrasing may use only names the
    English uses, and the translation as a whole must use every one the English uses."""
    english = src.names()
    extra = sorted(_names(entry) - english)
    missing = sorted(english - _names(entry))
    if extra:
        sink.add(Diagnostic(entry.file, *entry.loc, f"{key}: {', '.join('$' + n for n in extra)} not in the English "
                            "text, so it shows as written"))
    if missing:  # a language may say it without the value; most often it was forgotten
        sink.add(Diagnostic(entry.file, *entry.loc, f"{key}: leaves out {', '.join('$' + n for n in missing)}, "
                            "which the English text shows", "warning"))


# --- recording sources ---------------------------------------------------------------------------------

_SOURCE_BLOCK = re.compile(rf"^{SOURCE_KEY}:[^\n]*\n(?:(?:[ \t]+[^\n]*|[ \t]*#[^\n]*|[ \t]*)(?:\n|$))*", re.MULTILINE)


def stamp(catalog: PromptCatalog, english: dict[str, Source], locale: str,
          keys: Sequence[str] = (), files: Collection[str] | None = None) -> list[Path]:
    """Record, in each file of `locale`, the hash of the English its texts now translate (all of its
    texts, or only `keys`) among `files` (default: all); texts whose placeholders differ from the English
    are left out. Returns the files written."""
    table = catalog.entries.get(locale, {})
    recorded = {k: h for k, (h, _) in catalog.sources.get(locale, {}).items()}
    wanted = set(keys) or set(table)
    by_file: dict[str, dict[str, str]] = {}
    for key, entry in table.items():
        if files is not None and entry.file not in files:
            continue
        src = english.get(key)
        current = recorded.get(key)
        if key in wanted and src is not None and _names(entry) == src.names():
            current = src.hash
        if current is not None and key in english:
            by_file.setdefault(entry.file, {})[key.split(".", 1)[1]] = current
    written = []
    for file, hashes in sorted(by_file.items()):
        path = Path(file)
        text = path.read_text(encoding="utf-8")
        # keys and hashes quoted: YAML would read `no:` as false and 12345678 as a number
        lines = [f"  {json.dumps(k, ensure_ascii=False)}: \"{v}\"" for k, v in sorted(hashes.items())]
        block = "\n".join([f"{SOURCE_KEY}:  # the English each text was translated from (coach flows lint "
                           f"--locale {locale} --stamp)", *lines])
        kept = _SOURCE_BLOCK.sub("", text).rstrip("\n")
        new = f"{kept}\n\n{block}\n"
        if new != text:
            path.write_text(new, encoding="utf-8")
            written.append(path)
    return written
