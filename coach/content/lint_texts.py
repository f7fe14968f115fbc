"""Checks of prompt texts against how they are shown at run time: a template with an unclosed `${`,
a text without a variant for a role that sees it, a sub-flow whose texts use slots no path to the
call has given, and prompt keys typed with look-alike letters."""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping

from coach.content.lint_diag import Diagnostic, code_points
from coach.content.lint_paths import given_before, gives, roles_at
from coach.content.loader import LoadedFlow
from coach.content.prompts import PromptCatalog, PromptEntry, placeholders
from coach.content.schema import AskStep, CallStep, EndStep, Flow
from coach.content.yamlsource import PathKey

Emit = Callable[[PromptEntry, LoadedFlow | None, PathKey, str], None]  # (entry, flow, ref, message)


def template_problem(text: str) -> str | None:
    """Why `text` would show a `$` sign as written where a name was meant (an unclosed `${`)."""
    for m in string.Template.pattern.finditer(text):
        if m.group("invalid") is None:
            continue
        start = m.start("invalid")
        if text[start:start + 1] == "{":
            shown = text[start - 1:start + 24].split("\n")[0]
            end = text.find("}", start)
            what = "is not closed" if end < 0 else "does not name a value (letters, digits and _ only)"
            return (f"'{shown}' {what}: write ${{name}} with a closing }} (or $$ for a dollar sign); as it is, "
                    "the text shows it as written")
    return None


def check_templates(catalog: PromptCatalog, in_scope: set[str], add: Callable[[Diagnostic], None]) -> None:
    """Every text of the prompt files linted: templates that would show `${...` as written, and
    keys with non-ASCII letters (a flow naming the key with Latin letters would not find it)."""
    for table in catalog.entries.values():
        for key, entry in table.items():
            if entry.file not in in_scope:
                continue
            if not key.isascii():
                odd = [c for c in dict.fromkeys(key) if not c.isascii()]
                add(Diagnostic(entry.file, *entry.loc, f"{key!r} contains {code_points(odd)}; prompt keys must be "
                               "ASCII (lowercase a-z, digits and _): retype it (it may look right but is not)"))
            for texts in entry.variants.values():
                problem = next((p for p in map(template_problem, texts) if p), None)
                if problem:
                    add(Diagnostic(entry.file, *entry.loc, f"{key}: {problem}"))
                    break


def step_refs(flow: Flow) -> list[tuple[str, str, PathKey]]:
    """(step id, prompt key, data path naming it) for every text a step shows."""
    out: list[tuple[str, str, PathKey]] = []
    for i, step in enumerate(flow.steps):
        for name in ("prompt", "help", "why"):
            key = getattr(step, name, None)
            if isinstance(key, str):
                out.append((step.id, key, ("steps", i, name)))
        if isinstance(step, EndStep):
            for k, art in enumerate(step.artifacts):
                out.append((step.id, art.title, ("steps", i, "artifacts", k, "title")))
                out.append((step.id, art.template, ("steps", i, "artifacts", k, "template")))
        if isinstance(step, AskStep):
            for kind in ("few_words", "vague", "measurable"):
                out.append((step.id, f"{flow.id}.{step.id}.probe.{kind}", ("steps", i, "id")))
    return out


def check_role_variants(lf: LoadedFlow, entries: Callable[[str], list[PromptEntry]], emit: Emit) -> None:
    """A text written per role must have a variant (or a default) for each role that sees it;
    the engine would otherwise show the other role's words."""
    reach = roles_at(lf.flow)
    done: set[tuple[str, str]] = set()
    for sid, key, path in step_refs(lf.flow):
        for entry in entries(key):
            if "default" in entry.variants:
                continue
            missing = sorted(reach.get(sid, set()) - set(entry.variants))
            if not missing or (entry.file, key) in done:
                continue
            done.add((entry.file, key))
            has = " and ".join(sorted(entry.variants))
            lack = " and ".join(missing)
            emit(entry, lf, path, f"{key} has a text for {has} only, but flow {lf.flow.id!r} shows it to a {lack} "
                 f"too (step {sid!r}), who would read the {has}'s words; add a `{missing[0]}:` (or `default:`) text")


def check_call_slots(flow: Flow, flows: Mapping[str, Flow], entries: Callable[[str], list[PromptEntry]],
                     report: Callable[[PathKey, str], None]) -> None:
    """The slots a called flow's texts use, which neither it nor any path to the call gives."""
    declared = {n for f in flows.values() for n in f.slots} | set(flow.slots)
    given = given_before(flow, flows)
    asked_or_set = {n for f in flows.values() for n in gives(f, {}).slots}
    for i, step in enumerate(flow.steps):
        if not isinstance(step, CallStep) or step.flow not in flows or step.id not in given:
            continue
        before = given[step.id]
        callee = flows[step.flow]
        got = gives(callee, flows, frozenset({flow.id}))
        # a name no ask or set anywhere gives is a compute function's output, if the callee computes
        own = got.slots | ({n for n in declared if n not in asked_or_set} if got.anything else set())
        missing: dict[str, str] = {}
        for _sid, key, _path in step_refs(callee):
            for entry in entries(key):
                for text in (t for ts in entry.variants.values() for t in ts):
                    for name in placeholders(text):
                        base = name.split("__")[0]
                        if base in declared and base not in own and not before.has(base):
                            missing.setdefault(base, key)
        if missing:
            names = ", ".join(f"${n} ({k})" for n, k in sorted(missing.items()))
            first = sorted(missing)[0]
            report(("steps", i, "flow"), f"step {step.id!r} calls flow {step.flow!r}, whose texts use {names}, but "
                   f"no path to this step asks or sets {first!r}, so the text would show '${first}' as written; "
                   "ask it before the call")
