"""Checks of prompt texts: keys that flows name exist in `en`, `$placeholders` name something the
engine fills in, the keys the engine itself uses exist, and other locales have every `en` key.

A key missing from another locale is a warning: the engine falls back to `en` per key."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from coach.content import lint_locales
from coach.content.lint_diag import Diagnostic, Sink, did_you_mean
from coach.content.lint_scope import Scope
from coach.content.lint_texts import check_call_slots, check_role_variants, check_templates
from coach.content.loader import LoadedFlow
from coach.content.prompts import FALLBACK_LOCALE, PromptCatalog, PromptEntry, placeholders
from coach.content.schema import AskStep, EndStep, Flow, SlotType, SlotUnit
from coach.content.yamlsource import PathKey, SourceError
from coach.models import CONTEXT_NAMES

_INVALID = ("empty", "too_short", "too_long", "pattern", "yes_no", "scale", "number", "number_min", "number_max",
            "choice", "multichoice", "few_items", "many_items", "date", "date_past", "confirm",
            "pick_edit", "which_date", "date_order", "advice_request", "only_aside", "dont_know", "time",
            *(f"number_unit.{u}" for u in get_args(SlotUnit)))
PROBE_KINDS = ("few_words", "vague", "measurable")

# The `common.*` keys the engine renders by itself (kept in step with coach/engine by tests/lint).
ENGINE_PROMPT_KEYS: frozenset[str] = frozenset({
    "common.ack", "common.ack_warm", "common.ack_plan",
    "common.confirm", "common.pick_edit", "common.editing", "common.reprompt.escalate",
    "common.give_up", "common.back", "common.back_with_previous", "common.back_at_start", "common.skipped",
    "common.skip_probe", "common.cannot_skip", "common.cannot_skip_here", "common.help.commands",
    "common.why.general", "common.summary_so_far", "common.summary_empty", "common.paused",
    "common.already_done", "common.unknown_command", "common.crisis",
    "common.review.intro", "common.review.ask", "common.review.reason", "common.review.well_done",
    "common.review.help", "common.review.no_back", "common.review.done",
    "common.drafts.intro_one", "common.drafts.intro_many", "common.drafts.one", "common.drafts.many",
    "common.drafts.which", "common.drafts.write", "common.drafts.edited", "common.drafts.kept",
    "common.flow_changed.none", "common.flow_changed.one", "common.flow_changed.many",
    "common.moved_on_elsewhere", "common.recall", "common.recall_name", "common.which_date", "common.which_date_rhythm",
    *(f"common.invalid.{r}" for r in _INVALID),
    *(f"common.help.{t.value}" for t in SlotType),
    *(f"common.probe.{k}" for k in PROBE_KINDS),
})
# Values the engine passes to its own texts, besides the slots.
ENGINE_VARIABLES: frozenset[str] = frozenset({
    "role", "answer", "choices", "min", "max", "example", "skip", "previous", "why", "commands", "command",
    "item", "words", "items", "min_words", "max_words", "min_items", "max_items", "count", "n", "commitment",
    "due", "owner", "date", "title", "changed", "kept", "today", "today_long", "recalled", "first", "second",
    "other", "other_date", "rhythm",
})


_CATALOGS: dict[tuple[object, ...], PromptCatalog] = {}


def _root_catalog(root: Path) -> PromptCatalog:
    """PromptCatalog.load([root]), kept while none of its files changes."""
    try:
        files = sorted(root.glob("*/*.yaml"))
        key: tuple[object, ...] = (str(root.resolve()), *((str(f), f.stat().st_mtime_ns, f.stat().st_size)
                                                          for f in files))
    except OSError:
        return PromptCatalog.load([root])
    if key not in _CATALOGS:
        if len(_CATALOGS) > 64:
            _CATALOGS.clear()
        _CATALOGS[key] = PromptCatalog.load([root])
    return _CATALOGS[key]


def load_catalog(roots: Iterable[Path], display: Callable[[Path], str]) -> PromptCatalog:
    """Like PromptCatalog.load, but every file named as `display` shows it (relative to the
    working folder), so that two prompts/ folders never print the same name."""
    merged = PromptCatalog()
    for root in roots:
        cat = _root_catalog(root)

        def fix(name: str, base: Path = root.parent) -> str:
            p = Path(name)
            return display(p if p.is_absolute() else base / p)

        for locale, table in cat.entries.items():
            target = merged.entries.setdefault(locale, {})
            for key, entry in table.items():
                target[key] = PromptEntry(entry.variants, fix(entry.file), entry.loc)
        for locale, recorded in cat.sources.items():
            merged.sources.setdefault(locale, {}).update(recorded)
        merged.errors.extend(SourceError(fix(e.file), e.line, e.col, e.message) for e in cat.errors)
        merged.failed |= cat.failed
    return merged


def prompt_refs(flow: Flow) -> list[tuple[str, PathKey]]:
    """(prompt key, data path of the node naming it) for every key a flow names."""
    refs: list[tuple[str, PathKey]] = []
    for i, step in enumerate(flow.steps):
        for name in ("prompt", "help", "why"):
            key = getattr(step, name, None)
            if isinstance(key, str):
                refs.append((key, ("steps", i, name)))
        if isinstance(step, EndStep):
            for k, art in enumerate(step.artifacts):
                refs.append((art.title, ("steps", i, "artifacts", k, "title")))
                refs.append((art.template, ("steps", i, "artifacts", k, "template")))
    return refs


def probe_keys(flow: Flow) -> list[tuple[str, PathKey]]:
    """Flow-specific follow-up texts `<flow>.<step>.probe.<kind>` the engine would use."""
    return [(f"{flow.id}.{s.id}.probe.{kind}", ("steps", i, "id"))
            for i, s in enumerate(flow.steps) if isinstance(s, AskStep) for kind in PROBE_KINDS]


def template_names(scope: Scope) -> set[str]:
    """The `$names` a flow's texts may use: slots, `role`, the context's names (and their `__first`
    names), `X__raw` of asked and `X__bullets` of list slots, `X__gist` of any of the plain names."""
    names = scope.names() | {"role", "today", "today_long"} | set(CONTEXT_NAMES)
    names |= {f"{n}__first" for n in CONTEXT_NAMES}
    names |= {f"{n}__raw" for n in scope.asked}
    names |= {f"{n}__bullets" for n in scope.names() if scope.list_valued(n) is not False}
    names |= {f"{n}__gist" for n in names - {"role", "today", "today_long"} if "__" not in n}
    return names


@dataclass
class PromptLint:
    catalog: PromptCatalog
    in_scope: set[str]  # display names of the prompt files being linted
    sink: Sink
    _done: set[tuple[str, str, str]] = field(default_factory=set)

    def en(self) -> dict[str, PromptEntry]:
        return self.catalog.entries.get(FALLBACK_LOCALE, {})

    def entries(self, key: str) -> list[PromptEntry]:
        return [t[key] for t in self.catalog.entries.values() if key in t]

    def check_flow(self, lf: LoadedFlow, scope: Scope) -> None:
        allowed = template_names(scope)
        for key, path in prompt_refs(lf.flow):
            if key not in self.en():
                elsewhere = [loc for loc, t in self.catalog.entries.items() if key in t]
                note = f" (only in {', '.join(elsewhere)}; every key must exist in en)" if elsewhere else ""
                self.sink.at(lf.doc, path, f"unknown prompt key {key!r}{note or did_you_mean(key, self.en())}")
                continue
            self._placeholders(key, allowed, scope, lf, path)
        for key, path in probe_keys(lf.flow):
            if self.entries(key):
                self._placeholders(key, allowed | {"answer", "answer__gist"}, scope, lf, path)
        self._private_kept_private(lf)
        check_role_variants(lf, self.entries, self._emit)

    def check_calls(self, lf: LoadedFlow, flows: Mapping[str, Flow]) -> None:
        """The slots the texts of the flows `lf` calls use must have a value by the call."""
        check_call_slots(lf.flow, flows, self.entries, lambda path, message: self.sink.at(lf.doc, path, message))

    def check_templates(self) -> None:
        """Templates of the linted prompt files that would show `${...` as written; non-ASCII keys."""
        check_templates(self.catalog, self.in_scope, self._once)

    def _emit(self, entry: PromptEntry, lf: LoadedFlow | None, ref: PathKey, message: str) -> None:
        """At the text when its file is linted, else at the flow's step that shows it."""
        if entry.file in self.in_scope or lf is None:
            self._once(Diagnostic(entry.file, *entry.loc, message))
        else:
            self.sink.at(lf.doc, ref, message)

    def _private_kept_private(self, lf: LoadedFlow) -> None:
        """A document written to be sent (audience: partner) must not carry a private slot
        (`visibility: private`, or `sensitive: true`)."""
        sensitive = {name for name, slot in lf.flow.slots.items() if slot.declared_private}
        for i, step in enumerate(lf.flow.steps):
            for k, art in enumerate(getattr(step, "artifacts", [])):
                if art.audience != "partner":
                    continue
                for entry in self.entries(art.template):
                    used = {n.split("__")[0] for texts in entry.variants.values() for t in texts
                            for n in placeholders(t)}
                    for name in sorted(used & sensitive):
                        self.sink.at(lf.doc, ("steps", i, "artifacts", k, "template"),
                                     f"{art.template}: ${name} is {_private_as(lf.flow.slots[name].sensitive)} "
                                     "and this document is written to be sent (audience: partner); leave it out")

    def _placeholders(self, key: str, allowed: set[str], scope: Scope, lf: LoadedFlow, ref: PathKey) -> None:
        for entry in self.entries(key):
            used = sorted({n for texts in entry.variants.values() for t in texts for n in placeholders(t)})
            for name in used:
                if name in allowed:
                    continue
                message, warning = _unknown_name(name, allowed, scope)
                text = f"{key}: {message}"
                if entry.file in self.in_scope:
                    self._once(Diagnostic(entry.file, *entry.loc, text, "warning" if warning else "error"))
                else:
                    self.sink.at(lf.doc, ref, text, warning=warning)

    def _once(self, d: Diagnostic) -> None:
        if (d.file, str(d.line), d.message) not in self._done:
            self._done.add((d.file, str(d.line), d.message))
            self.sink.add(d)

    def check_common(self, all_slots: set[str]) -> None:
        """`$names` in the engine's own texts: engine values or slots."""
        allowed = ENGINE_VARIABLES | all_slots | {f"{n}__raw" for n in all_slots} | {f"{n}__bullets" for n in all_slots}
        allowed |= {f"{n}__gist" for n in ENGINE_VARIABLES | all_slots}
        for table in self.catalog.entries.values():
            for key, entry in table.items():
                if not key.startswith("common.") or entry.file not in self.in_scope:
                    continue
                for name in sorted({n for ts in entry.variants.values() for t in ts for n in placeholders(t)}):
                    if name not in allowed:  # shown as written: '$name' in the middle of a sentence
                        hint = did_you_mean(name, allowed) or ", so the text shows it as written ($$ for a dollar sign)"
                        self._once(Diagnostic(entry.file, *entry.loc,
                                              f"{key}: ${name} is not a value the engine passes{hint}"))

    def check_engine_keys(self, common_file: str, required: Iterable[str] = ENGINE_PROMPT_KEYS) -> None:
        en = self.en()
        line = 1 if Path(common_file).is_file() or any(e.file == common_file for e in en.values()) else 0
        for key in sorted(set(required) - set(en)):
            self.sink.add(Diagnostic(common_file, line, line, f"the engine uses {key!r}, which is missing from "
                                     f"prompts/en{did_you_mean(key, en)}"))

    def check_locales(self, flows: Iterable[LoadedFlow], only: str | None = None,
                      flow_files: Iterable[str] = ()) -> None:
        """Missing, stale and mismatched translations (see coach.content.lint_locales); `flow_files`:
        the linted flows, whose own texts (title, labels) a translation should give."""
        english = lint_locales.sources(self.catalog, ((lf.flow, lf.doc.file) for lf in flows))
        lint_locales.check_locales(self.catalog, english, self.sink, self.in_scope | set(flow_files), only)

    def check_unused(self, flows: Iterable[Flow]) -> None:
        """Keys in a flow's namespace that no step of that flow names."""
        by_id = {f.id: f for f in flows}
        used = {key for f in by_id.values() for key, _ in [*prompt_refs(f), *probe_keys(f)]}
        for key, entry in sorted(self.en().items()):
            ns = key.split(".", 1)[0]
            if ns in by_id and key not in used and entry.file in self.in_scope:
                self.sink.add(Diagnostic(entry.file, *entry.loc, f"{key} is not used by flow {ns!r}", "warning"))


def _private_as(sensitive: bool) -> str:
    return "sensitive (private to the user)" if sensitive else "private (visibility: private)"


def _unknown_name(name: str, allowed: set[str], scope: Scope) -> tuple[str, bool]:
    """(message, is it only a warning) for a `$name` a flow's text uses but the flow does not define."""
    flow = scope.flow.id
    for suffix in ("__bullets", "__raw"):
        base = name.removesuffix(suffix)
        if base != name and scope.known(base):
            if suffix == "__raw":
                return f"${name}: {base!r} is never asked, so it has no raw answer", False
            slot = scope.slot(base)
            kind = f"a {slot.type.value} slot" if slot else "not a list"
            return f"${name}: only list and multichoice slots have __bullets; {base!r} is {kind}", False
    hint = did_you_mean(name, allowed)
    if scope.computes:
        return (f"${name} is not a declared slot of flow {flow!r}{hint}; only a compute step or the "
                "conversation's context could set it (declare it under slots)"), True
    if hint:
        return f"${name} is not a slot of flow {flow!r}{hint}", False
    known = ", ".join(("role", "today", *CONTEXT_NAMES))
    return (f"${name} is not a slot of flow {flow!r} nor a name the coach fills in ({known}), so the text "
            f"shows '${name}' as written; declare a slot {name!r}, or write $$ for a dollar sign"), False
