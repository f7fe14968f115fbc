"""`coach flows lint|list|graph`: check, list and draw flow definitions.

Each subcommand is one entry of SUBCOMMANDS: its name, one line of help, and a function that adds
its arguments and sets `func` (what runs it).  To add one, write those two functions and a line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from coach.cli.common import CliError, load_library, require_flow
from coach.cli.flows_new import add_new
from coach.content.graph import mermaid
from coach.content.lint import display_path, lint
from coach.content.loader import FlowLoadError, LoadedFlow, load_flow_file

if TYPE_CHECKING:
    from coach.cli.parser import CoachParser

LINT_EPILOG = """\
Every problem is printed once as `file:line:col: message`, sorted by file and position, and a
summary line goes to stderr. The exit status is 1 if there are errors, else 0. Errors that only
follow from another (unknown prompt keys of a prompt file that cannot be read, calls to a flow
file that cannot be read) are not shown; the cause says how many.

Errors:
  - invalid YAML, duplicate keys, an empty file or one that is not a mapping, a PATH that does not exist
  - a file that cannot be read safely: not UTF-8 (located at the first bad byte), a NUL or other
    control character, NEL/U+2028/U+2029 (YAML breaks lines there, editors do not), a tab or a
    non-breaking space used for indentation, nesting deeper than 64 levels, aliases expanding to
    more than 100,000 values, more than 1 MB, a pipe or a device; positions are an editor's
  - schema errors: unknown or missing fields, wrong types, bad ids, an unknown step kind or condition
    op, a conditional `next` without a final `else`, duplicate step ids
  - a goto/next/else to a step that does not exist
  - unknown slots: an ask on a slot not declared under `slots`; a condition, summary edit_slots or
    commitment naming a slot nothing declares or sets
  - type mismatches: an op that does not fit the slot (lt on a choice slot, eq on a list slot, ...),
    a value that is not one of a choice slot's values, true/false on a non-yes_no slot, a number
    outside a scale, a `set` value that does not fit its declared slot
  - unknown prompt keys (prompt, help, why, artifact title/template not in prompts/en), and
    `$placeholders` that are close misspellings of a slot name
  - steps no path reaches from the first step; a flow with no end step; a loop none of whose steps
    asks anything (the engine would spin); steps from which the conversation can never end
  - a call to an unknown flow, or calls between flows that form a cycle; an unknown compute function
  - prompt files' own errors, and `common.*` keys the engine uses but prompts/en lacks

Errors in a translation (prompts/<locale>/, e.g. prompts/es/):
  - `$placeholders` that differ from the English text's: one the English lacks (it would show as
    written) or one the English shows that the translation leaves out

Warnings (errors with --strict):
  - a prompt key (or a flow's own text: title, labels, choice words under `flow:`) that `en` has and
    another locale lacks: the engine falls back to English per key, so the conversation still works,
    in a mix of languages; and keys a locale has but `en` does not (nothing uses them)
  - a translated text whose English changed since it was translated (each translated file records,
    under `_source:`, a hash of the English of each text), or that records none: check it, then
    `coach flows lint --locale LOCALE --stamp KEY` records the English it now translates
  - `$placeholders` that are not a slot of the flow nor a value the engine passes: they may come
    from the conversation's context (or a compute step), else they show as written
  - slots declared but never asked or set, prompt keys of a flow's namespace that it never uses,
    role conditions a flow's roles can never meet

With no PATH, the shipped flows and prompts are linted. A PATH may be a flow file, a folder of
flow files (its `prompts/` folder, inside or beside it, is linted too), a prompts folder or one
prompt file (`--flows DIR` adds DIR to the PATHs). The shipped flows and prompts are always
loaded, so calls and prompt keys resolve against them, but only what the PATHs name is reported.
"""


def register(p: CoachParser) -> None:
    """The author's tools: their help stays English (docs/authoring.md); argparse's own words
    (usage, -h, errors) follow the parser's language."""
    from coach.cli.main import add_common_options  # the main parser imports this module lazily

    sub = p.add_subparsers(dest="flows_command", metavar="SUBCOMMAND", required=True)
    for name, help_text, add in SUBCOMMANDS:
        sp: CoachParser = sub.add_parser(name, help=help_text, description=help_text)
        sp.keep_line_breaks()
        add_common_options(sp, suppress=True)
        add(sp)


# --- lint ------------------------------------------------------------------------------------


def _add_lint(p: argparse.ArgumentParser) -> None:
    p.epilog = LINT_EPILOG
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="flow files or folders, prompts folders or files (default: the shipped flows and prompts)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--locale", metavar="LOCALE",
                   help="check the translation into LOCALE (e.g. es) whole: the keys it lacks, texts whose English "
                        "changed since they were translated, placeholders that differ from the English")
    p.add_argument("--stamp", nargs="*", metavar="KEY",
                   help="with --locale: record that the texts (all of them, or the KEYs) translate the English as "
                        "it is now (after checking them), then lint")
    p.set_defaults(func=run_lint)


def _compute_functions() -> set[str]:
    from coach.engine import compute

    return set(compute.names())


def run_lint(args: argparse.Namespace) -> int:
    from coach.content.lint import stamp_locale

    paths = [*args.paths, *(getattr(args, "flow_dirs", None) or [])]
    locale = args.locale
    if args.stamp is not None and not locale:
        raise CliError("--stamp records sources for one translation: name it with --locale (e.g. --locale es)")
    try:
        if args.stamp is not None:
            written = stamp_locale(locale, args.stamp, paths or None)
            for path in written:
                print(f"coach: recorded the English sources in {display_path(path)}", file=sys.stderr)
        report = lint(paths or None, compute_functions=_compute_functions(), locale=locale)
    except ValueError as e:
        raise CliError(str(e)) from None
    except OSError as e:
        raise CliError(f"{e.filename or 'lint'}: {e.strerror}", 1) from None
    if locale and locale not in report.locales:
        raise CliError(f"no translation into {locale!r} (translations: {', '.join(report.locales) or 'none'})")
    for line in report.lines(args.strict):
        print(line)
    print(report.summary(args.strict), file=sys.stderr)
    return 0 if report.ok(args.strict) else 1


# --- list ------------------------------------------------------------------------------------


def _add_list(p: argparse.ArgumentParser) -> None:
    p.set_defaults(func=run_list)


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def flow_row(lf: LoadedFlow) -> tuple[str, ...]:
    f = lf.flow
    questions = sum(1 for s in f.steps if getattr(s, "kind", None) == "ask")
    stage = f"{f.stage} (sub-flow)" if f.subflow else f.stage
    return (f.id, stage, ",".join(f.roles), f.title, str(len(f.steps)), str(questions), display_path(lf.path))


def run_list(args: argparse.Namespace) -> int:
    lib = load_library(args, strict=False)
    rows: list[tuple[str, ...]] = [("ID", "STAGE", "ROLES", "TITLE", "STEPS", "QUESTIONS", "SOURCE")]
    rows += [flow_row(lf) for _, lf in sorted(lib.flows.items())]
    print(table(rows))
    if lib.errors:
        files = len({e.file for e in lib.errors})
        print(f"coach: {files} file{'s' if files != 1 else ''} with errors not listed "
              "(run `coach flows lint`)", file=sys.stderr)
    return 0


# --- graph -----------------------------------------------------------------------------------


def _add_graph(p: argparse.ArgumentParser) -> None:
    p.add_argument("flow", metavar="FLOW", help="a flow id (see `coach flows list`) or a flow file")
    p.add_argument("--format", choices=["mermaid"], default="mermaid", help="output format (default: mermaid)")
    p.add_argument("--full", action="store_true", help="write conditions on edges in full (default: shortened)")
    p.set_defaults(func=run_graph)


def run_graph(args: argparse.Namespace) -> int:
    width = None if args.full else 32
    path = Path(args.flow)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise CliError(f"{args.flow}: no such file")
        try:
            flow = load_flow_file(path, display_path(path)).flow
        except FlowLoadError as e:
            raise CliError(f"{args.flow} has errors (run `coach flows lint {args.flow}`):\n{e}", 1) from None
    else:
        lib = load_library(args, strict=False)
        if args.flow not in lib.flows and lib.errors:
            raise CliError(f"unknown flow {args.flow!r}; some flow files have errors (run `coach flows lint`)")
        require_flow(lib, args.flow)
        flow = lib.flow(args.flow)
    print(mermaid(flow, width=width), end="")
    return 0


Subcommand = tuple[str, str, Callable[[argparse.ArgumentParser], None]]
SUBCOMMANDS: list[Subcommand] = [
    ("lint", "check flow and prompt files; every problem as file:line:col: message", _add_lint),
    ("list", "a table of the installed flows", _add_list),
    ("graph", "a flow's steps as a Mermaid flowchart", _add_graph),
    ("new", "scaffold a flow to adapt: the flow, its texts, scripted answers, a demo persona", add_new),
]
