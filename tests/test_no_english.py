"""No English left in coach/ outside prompts/ (issue 13): every sentence a user reads and every word
list the coach reads answers with comes from `prompts/<locale>/` or `lexicon/<locale>/`.

The scan reads the Python source (its string constants, not comments or docstrings) and reports
- a sentence: a string with at least three words, two of them common English function words
  ("the", "you", "is" …), outside the places named in EXEMPT;
- a word list: a tuple, list or set of five or more one-word strings, most of them English
  function or content words a vocabulary would hold.

EXEMPT_* name what is English by design, each with its reason: the flow author's and translator's
tools (coach/content, `coach flows`), log lines and errors no user sees. The other commands' --help
texts are scanned: they come from prompts/<locale>/cli.yaml (coach/cli/parser.py). The scan is a
heuristic: a short phrase with one function word ("cannot use this address") passes it. The
self-tests at the bottom show the scan catches both kinds."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COACH = ROOT / "coach"

FUNCTION_WORDS = frozenset(re.findall(r"\S+", """
the a an to of and or but you your yours i me my we our us they them their he she his her it its is
are was were be been being have has had do does did will would can could should shall may might must
not no yes this that these those there here what which who when where why how with from for on in at
by about into than then so if as all any some more most very just also only again already still yet
"""))
_WORD = re.compile(r"[A-Za-z][a-z']+|[AI]\b")

# Places whose English is for developers or flow authors, not for the person being coached.
EXEMPT_FILES = {
    # `coach flows lint|list|graph|new`: the flow author's tools, documented as English (docs/authoring.md)
    "coach/cli/flows.py", "coach/cli/flows_new.py",
}
EXEMPT_DIRS = (
    "coach/content/",  # loading and linting flows and prompts: messages for flow authors and translators
)
# Calls whose string arguments are not read by the person coached.
EXEMPT_CALLS = frozenset({"debug", "info", "warning", "exception", "log", "getLogger"})
# Assignments read by no one coached: argparse's own English messages, matched to be reworded in the
# user's language (coach/cli/parser.py).
EXEMPT_TARGETS = frozenset({"ARGPARSE_MESSAGES"})
# Keywords whose strings no one coached reads: a pydantic field's `description` (the data format's docs).
EXEMPT_KEYWORDS = frozenset({"description"})


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def is_sentence(text: str) -> bool:
    if " " not in text.strip():  # a key, a code or an identifier
        return False
    words = _words(re.sub(r"\$\{?\w+\}?|\{[^}]*\}|%\w", " ", text))
    return len(words) >= 3 and sum(w in FUNCTION_WORDS for w in words) >= 2


def is_word_list(node: ast.AST) -> bool:
    if not isinstance(node, ast.Tuple | ast.List | ast.Set):
        return False
    items = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    words = [w for w in items if re.fullmatch(r"[a-z][a-z' ]*", w)]
    return len(words) >= 5 and len(words) >= 0.8 * len(node.elts) and sum(
        any(p in FUNCTION_WORDS for p in w.split()) for w in words) >= 2


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
        # an attribute's docstring: a string statement right after an assignment
        for field in ("body", "orelse"):
            stmts = getattr(node, field, None)
            for stmt in stmts if isinstance(stmts, list) else []:
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                    ids.add(id(stmt.value))
    return ids


def _exempt_nodes(tree: ast.AST) -> set[int]:
    """String constants inside calls and keywords of EXEMPT_CALLS / EXEMPT_KEYWORDS, and in
    `raise` of errors no user sees (AssertionError, NotImplementedError, KeyError, TypeError)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        inside: list[ast.AST] = []
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in EXEMPT_CALLS:
                inside.append(node)
            inside += [k.value for k in node.keywords if k.arg in EXEMPT_KEYWORDS]
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = getattr(node.exc.func, "id", "")
            if name in ("AssertionError", "NotImplementedError", "KeyError", "TypeError", "RuntimeError"):
                inside.append(node.exc)
        if isinstance(node, ast.Assert):
            inside.append(node)
        if isinstance(node, ast.Assign) and any(
                getattr(t, "id", None) in EXEMPT_TARGETS or getattr(t, "attr", None) in EXEMPT_TARGETS
                for t in node.targets):
            inside.append(node.value)
        for sub in inside:
            ids |= {id(n) for n in ast.walk(sub)}
    return ids


def scan_source(source: str, name: str) -> list[str]:
    tree = ast.parse(source)
    skip = _docstrings(tree) | _exempt_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if is_word_list(node):
            found.append(f"{name}:{getattr(node, 'lineno', 0)}: word list")
            skip |= {id(n) for n in ast.walk(node)}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and is_sentence(node.value):
            found.append(f"{name}:{node.lineno}: sentence {node.value[:70]!r}")
    return sorted(found, key=lambda f: int(f.split(":")[1]))


def scan(root: Path = COACH) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in EXEMPT_FILES or rel.startswith(EXEMPT_DIRS):
            continue
        found += scan_source(path.read_text(encoding="utf-8"), rel)
    return found


def test_no_english_sentence_or_word_list_in_coach_outside_prompts() -> None:
    found = scan()
    assert not found, f"{len(found)} English texts in coach/ (move them to prompts/ or lexicon/):\n" + "\n".join(found)


# --- the scan itself ------------------------------------------------------------------------------


def test_the_scan_finds_a_sentence_built_in_python() -> None:
    src = 'def note(hours):\n    return f"You can give {hours} h a month; they can give more."\n'
    assert scan_source(src, "x.py") == ["x.py:2: sentence 'You can give '",
                                        "x.py:2: sentence ' h a month; they can give more.'"]


def test_the_scan_finds_a_word_list() -> None:
    src = 'YES = ("yes", "yeah", "yep", "sure", "of course", "ok")\nNO = ("no", "nope", "not at all", "nah", "never")\n'
    assert [f.split(": ", 1)[1] for f in scan_source(src, "x.py")] == ["word list", "word list"]


def test_the_scan_leaves_docstrings_keys_and_codes_alone() -> None:
    src = '''"""This module is about the way you answer."""
def f(p):
    """Return the thing you want."""
    p.add_argument("--x", help=p.words.help("x.folder"))
    return {"fit_check.ask_goal": "strong", "kind": "not_a_question"}
'''
    assert scan_source(src, "x.py") == []


def test_the_scan_finds_an_english_help_text() -> None:
    src = 'def f(p):\n    p.add_argument("--x", help="the folder where your data is kept")\n'
    assert scan_source(src, "x.py") == ["x.py:2: sentence 'the folder where your data is kept'"]
