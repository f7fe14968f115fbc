"""`coach flows lint`: every problem in flow and prompt files, located at `file:line:col`.

    report = lint([Path("my_flows")])      # or lint() for the shipped flows and prompts
    for d in report.diagnostics: print(d)
    print(report.summary())

PATHs are flow files, folders of flow files (`*.yaml`; a `prompts/` folder inside or beside one is
linted too), prompts folders, or single prompt files (`prompts/<locale>/<namespace>.yaml`).  The
shipped flows and prompts are always loaded as context (calls and prompt keys resolve against
them) but only what the PATHs name is reported on.  What is checked: see `coach flows lint --help`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coach.content import lint_locales
from coach.content.library import data_root, display_path, real_path
from coach.content.lint_diag import Diagnostic, Sink, did_you_mean
from coach.content.lint_flow import check_flow
from coach.content.lint_graph import check_calls, check_shape
from coach.content.lint_locales import Source
from coach.content.lint_prompts import ENGINE_PROMPT_KEYS, PromptLint, load_catalog
from coach.content.lint_report import tidy
from coach.content.lint_scope import flow_scope
from coach.content.loader import FlowLoadError, LoadedFlow, load_flow_file
from coach.content.prompts import FALLBACK_LOCALE, PromptCatalog
from coach.content.yamlsource import MAX_BYTES

__all__ = ["Diagnostic", "LintReport", "display_path", "lint"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class LintReport:
    diagnostics: list[Diagnostic]
    flows: int
    prompt_keys: int
    locales: list[str] = field(default_factory=list)  # the translations found (not en)

    def errors(self, strict: bool = False) -> list[Diagnostic]:
        return [d for d in self.diagnostics if strict or d.severity == "error"]

    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors(strict)

    def lines(self, strict: bool = False) -> list[str]:
        """The diagnostics as printed; with strict, warnings are errors (no `warning:` tag)."""
        if not strict:
            return [str(d) for d in self.diagnostics]
        return [str(Diagnostic(d.file, d.line, d.col, d.message)) for d in self.diagnostics]

    def summary(self, strict: bool = False) -> str:
        errors = self.errors(strict)
        warnings = [] if strict else self.warnings()
        extra = f", {_plural(len(warnings), 'warning')}" if warnings else ""
        if errors:
            files = len({d.file for d in errors})
            return f"{_plural(len(errors), 'error')} in {_plural(files, 'file')}{extra}"
        return f"ok: {_plural(self.flows, 'flow')}, {_plural(self.prompt_keys, 'prompt key')}{extra}"


@dataclass
class _Inputs:
    """What the PATHs name: flow files and prompt files to report on."""

    flow_files: list[Path] = field(default_factory=list)
    prompt_roots: list[Path] = field(default_factory=list)  # prompts/ folders to load
    prompt_files: set[Path] = field(default_factory=set)  # resolved prompt files to report on
    problems: list[Diagnostic] = field(default_factory=list)

    def add_flow(self, path: Path) -> None:
        if real_path(path) not in {real_path(p) for p in self.flow_files}:
            self.flow_files.append(path)

    def add_prompts(self, root: Path, only: Path | None = None) -> None:
        if real_path(root) not in {real_path(r) for r in self.prompt_roots}:
            self.prompt_roots.append(root)
        files = [only] if only else sorted(root.glob("*/*.yaml"))
        self.prompt_files.update(real_path(f) for f in files)


def _is_prompts_root(d: Path) -> bool:
    return d.name == "prompts" or (not any(d.glob("*.yaml")) and any(d.glob("*/*.yaml")))


def _resolve(paths: Sequence[Path]) -> _Inputs:
    inputs = _Inputs()
    for p in paths:
        shown = display_path(p)
        if p.is_file():
            if p.parent.parent.name == "prompts" and p.suffix in (".yaml", ".yml"):
                inputs.add_prompts(p.parent.parent, p)
                continue
            inputs.add_flow(p)
            siblings = [p.parent / "prompts"]
        elif p.is_dir():
            if _is_prompts_root(p):
                inputs.add_prompts(p)
                continue
            files = sorted(p.glob("*.yaml"))
            for f in files:
                inputs.add_flow(f)
            for f in sorted(p.glob("*.yml")):
                inputs.problems.append(Diagnostic(display_path(f), 0, 0, "ignored: flow files must end in .yaml",
                                                  "warning"))
            if not files:
                inputs.problems.append(Diagnostic(shown, 0, 0, "no flow files (*.yaml) in this folder"))
            siblings = [p / "prompts", p.parent / "prompts"]
        elif p.exists():
            inputs.problems.append(Diagnostic(shown, 0, 0, "not a file or a folder"))
            continue
        else:
            inputs.problems.append(Diagnostic(shown, 0, 0, "no such file or folder"))
            continue
        for d in siblings:
            if d.is_dir():
                inputs.add_prompts(d)
    return inputs


_LOADED: dict[tuple[str, str, int, int], LoadedFlow | FlowLoadError] = {}


def _load_file(path: Path) -> LoadedFlow | FlowLoadError:
    """A flow file loaded, or its errors; kept while the file is unchanged (repeated lints in one
    process, e.g. the tests or an editor integration, parse each file once)."""
    shown = display_path(path)
    try:
        st = path.stat()
        key: tuple[str, str, int, int] | None = (str(real_path(path)), shown, st.st_mtime_ns, st.st_size)
    except OSError:
        key = None
    if key is not None and key in _LOADED:
        return _LOADED[key]
    try:
        result: LoadedFlow | FlowLoadError = load_flow_file(path, shown)
    except FlowLoadError as e:
        result = e
    if key is not None:
        if len(_LOADED) > 512:
            _LOADED.clear()
        _LOADED[key] = result
    return result


_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([A-Za-z0-9_]+)", re.MULTILINE)


def _meant_ids(path: Path) -> set[str]:
    """The flow ids a file that could not be loaded was probably meant to define."""
    ids = {path.stem}
    try:
        with path.open("rb") as f:
            ids.update(_ID_LINE.findall(f.read(MAX_BYTES).decode("utf-8", errors="replace")))
    except OSError:
        pass
    return ids


def _load(files: Iterable[Path], sink: Sink | None, failed: dict[str, str] | None = None) -> list[LoadedFlow]:
    """The flows that load; the others' errors go to `sink`, and `failed` gets the ids they were
    probably meant to define (so that calls to them are not reported as well)."""
    out: list[LoadedFlow] = []
    for f in files:
        result = _load_file(f)
        if isinstance(result, LoadedFlow):
            out.append(result)
            continue
        if sink is not None:
            for err in result.errors:
                sink.add(Diagnostic.of(err))
        if failed is not None and result.errors and f.is_file():
            for fid in _meant_ids(f):
                failed.setdefault(fid, result.errors[0].file)
    return out


def lint(
    paths: Sequence[Path] | None = None,
    *,
    compute_functions: Collection[str] | None = None,
    engine_keys: Collection[str] = ENGINE_PROMPT_KEYS,
    locale: str | None = None,
) -> LintReport:
    """Lint the flows and prompts named by `paths` (default: the shipped ones).

    `compute_functions`: the names a compute step may use (None: not checked).
    `engine_keys`: the `common.*` prompt keys the engine renders by itself.
    `locale`: check that translation whole (what it lacks, what went stale), whatever `paths` name."""
    shipped_flows, shipped_prompts = data_root("flows"), data_root("prompts")
    inputs = _resolve(paths) if paths else _resolve([shipped_flows])
    sink = Sink(list(inputs.problems))
    targets = {real_path(f) for f in inputs.flow_files}
    context = [f for f in sorted(shipped_flows.glob("*.yaml")) if real_path(f) not in targets]
    flows = {lf.flow.id: lf for lf in _load(context, None)}
    failed_flows: dict[str, str] = {}
    linted = _load(inputs.flow_files, sink, failed_flows)
    first: dict[str, LoadedFlow] = {}
    for lf in linted:
        if lf.flow.id in first:
            other = first[lf.flow.id].doc.file
            sink.at(lf.doc, ("id",), f"flow id {lf.flow.id!r} is also the id of {other}")
        first.setdefault(lf.flow.id, lf)
        flows[lf.flow.id] = first[lf.flow.id]
    by_id = {fid: lf.flow for fid, lf in flows.items()}

    roots = [shipped_prompts, *(r for r in inputs.prompt_roots if real_path(r) != real_path(shipped_prompts))]
    catalog = load_catalog(roots, display_path)
    in_scope = {display_path(f) for f in inputs.prompt_files}
    prompts = PromptLint(catalog, in_scope, sink)
    for e in catalog.errors:
        if e.file in in_scope:
            sink.add(Diagnostic.of(e))

    for lf in first.values():
        scope = flow_scope(lf.flow, by_id)
        check_flow(lf, scope, by_id, sink, compute_functions)
        check_shape(lf, by_id, sink)
        prompts.check_flow(lf, scope)
        prompts.check_calls(lf, by_id)
    check_calls(flows, set(first), sink)

    prompts.check_common({name for f in by_id.values() for name in f.slots})
    common = shipped_prompts / FALLBACK_LOCALE / "common.yaml"
    if real_path(common) in inputs.prompt_files:
        prompts.check_engine_keys(display_path(common), engine_keys)
    prompts.check_locales(flows.values(), locale, {lf.doc.file for lf in linted})
    prompts.check_templates()
    prompts.check_unused(by_id.values())

    keys = sum(1 for e in catalog.entries.get(FALLBACK_LOCALE, {}).values() if e.file in in_scope)
    loaded_ids = {lf.flow.id for lf in linted} | set(flows)
    failed_flows = {fid: f for fid, f in failed_flows.items() if fid not in loaded_ids}
    diagnostics = tidy(sink.items, catalog, failed_flows)
    return LintReport(diagnostics, flows=len(inputs.flow_files), prompt_keys=keys,
                      locales=[loc for loc in catalog.locales() if loc != FALLBACK_LOCALE])


def translation(locale: str, paths: Sequence[Path] | None = None
                ) -> tuple[PromptCatalog, dict[str, Source], set[str]]:
    """The prompts (shipped, and those `paths` name), what a translation into `locale` is made from, and
    the prompt files `paths` name (display names)."""
    shipped_flows, shipped_prompts = data_root("flows"), data_root("prompts")
    inputs = _resolve(paths) if paths else _resolve([shipped_flows])
    roots = [shipped_prompts, *(r for r in inputs.prompt_roots if real_path(r) != real_path(shipped_prompts))]
    catalog = load_catalog(roots, display_path)
    files = [*sorted(shipped_flows.glob("*.yaml")), *inputs.flow_files]
    flows = {lf.flow.id: lf for lf in _load(files, None)}
    english = lint_locales.sources(catalog, ((lf.flow, lf.doc.file) for lf in flows.values()))
    return catalog, english, {display_path(f) for f in inputs.prompt_files}


def stamp_locale(locale: str, keys: Sequence[str] = (), paths: Sequence[Path] | None = None) -> list[Path]:
    """Record that `locale`'s texts (all, or `keys`) in the files `paths` name (default: the shipped
    ones) translate the English as it is now. ValueError names a locale there are no texts for, or
    keys it does not have."""
    catalog, english, files = translation(locale, paths)
    if locale == FALLBACK_LOCALE or locale not in catalog.entries:
        others = ", ".join(loc for loc in catalog.locales() if loc != FALLBACK_LOCALE) or "none"
        raise ValueError(f"no translation into {locale!r} (translations: {others})")
    unknown = [k for k in keys if k not in catalog.entries[locale]]
    if unknown:
        raise ValueError(f"{locale!r} has no text {unknown[0]!r}{did_you_mean(unknown[0], catalog.entries[locale])}")
    return lint_locales.stamp(catalog, english, locale, keys, files)
