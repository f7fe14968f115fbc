"""The lint's file layer on hostile files: it never crashes, hangs or fills the memory, and reports
each problem once, at the line and column an editor shows, without the errors that only follow from it.

The fixtures in tests/flows_broken (nested_too_deep, alias_*, line_separator, next_line, nul_byte,
nbsp_indent, ...) pin the messages; these tests push the limits further than a fixture can."""

from __future__ import annotations

import inspect
import os
import random
import shutil
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from coach.cli.main import main
from coach.content import yamlparse, yamlsource
from coach.content.library import FlowLibrary
from coach.content.lint import lint
from coach.content.lint_diag import Diagnostic
from coach.content.lint_report import tidy
from coach.content.loader import FlowLoadError, load_flow_file
from coach.content.prompts import PromptCatalog
from coach.content.yamlsource import SourceError, SourceErrors, parse_yaml, read_yaml

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "flows_broken"
HEAD = "schema_version: 1\nid: hostile\nstage: broken\ntitle: Broken on purpose\nroles: [mentee]\n"
STEPS = ("steps:\n"
         "  - {id: hello, kind: say, prompt: broken.hello, next: done}\n"
         "  - {id: done, kind: end, prompt: broken.done}\n")


@pytest.fixture(params=["libyaml", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser, then with PyYAML's pure-Python one (as without libyaml)."""
    if request.param == "pure":
        monkeypatch.setattr(yamlparse, "_FastLoader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    return str(request.param)


def errors_of(text: str, file: str = "f.yaml") -> list[SourceError]:
    try:
        parse_yaml(text, file)
    except SourceErrors as e:
        return e.errors
    except SourceError as e:
        return [e]
    return []


def one_error(text: str) -> SourceError:
    errors = errors_of(text)
    assert len(errors) == 1, errors
    return errors[0]


@pytest.fixture
def shallow_stack() -> Iterator[None]:
    """Python's recursion limit a little above the current depth: reading must not recurse."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 80)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


# --- depth -------------------------------------------------------------------------------------


def _deep(style: str, n: int) -> str:
    if style == "flow":
        return "x: " + "[" * n + "]" * n + "\n"
    if style == "flow_map":
        return "x: " + "{a: " * n + "1" + "}" * n + "\n"
    if style == "block_map":
        return "".join("  " * i + f"k{i}:\n" for i in range(n)) + "  " * n + "v\n"
    return "".join("  " * i + "-\n" for i in range(n)) + "  " * n + "v\n"  # block sequences


@pytest.mark.parametrize("style", ["flow", "flow_map", "block_map", "block_seq"])
def test_deep_nesting_is_one_located_error_without_recursion(style: str, parser: str, shallow_stack: None) -> None:
    n = 5000 if style.startswith("flow") else 300
    text = _deep(style, n)
    started = time.monotonic()
    error = one_error(text)
    assert time.monotonic() - started < 3
    assert "nested too deeply" in error.message and "flatten" in error.message
    if style.startswith("flow"):
        assert error.line == 1 and 60 < error.col < 1100, error
    else:  # the line of the first level past the limit (or libyaml's own limit, further on)
        assert yamlsource.MAX_DEPTH <= error.line <= n + 1, error


def test_nesting_up_to_the_limit_is_read(parser: str) -> None:
    depth = yamlsource.MAX_DEPTH - 1  # the document's mapping is a level too
    doc = parse_yaml("x: " + "[" * depth + "1" + "]" * depth, "f.yaml")
    value = doc.data["x"]
    for _ in range(depth):
        value = value[0]
    assert value == 1


def test_an_alias_cannot_nest_deeper_than_the_limit(parser: str, shallow_stack: None) -> None:
    lines = ["a0: &a0 " + "[" * 30 + "]" * 30]
    for i in range(1, 40):
        lines.append(f"a{i}: &a{i} " + "[" * 30 + f"*a{i - 1}" + "]" * 30)
    error = one_error("\n".join(lines))
    assert "alias *a1 nests its value too deeply" in error.message
    assert (error.line, error.col) == (3, 39)  # a1 nests 60 levels; a2 would nest 90


# --- aliases ---------------------------------------------------------------------------------


def _billion_laughs(levels: int = 12) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_a_located_error_fast_and_small(parser: str) -> None:
    text = _billion_laughs()
    assert len(text) < 1000
    tracemalloc.start()
    started = time.monotonic()
    try:
        error = one_error(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 20_000_000
    assert "aliases expand this file to more than 100,000 values" in error.message
    assert text.splitlines()[error.line - 1][error.col - 1] == "*"  # at an alias


def test_one_big_anchor_used_many_times_is_bounded_too() -> None:
    text = "big: &big [" + ", ".join(["x"] * 20_000) + "]\n" + "".join(f"use{i}: *big\n" for i in range(10))
    error = one_error(text)
    assert "aliases expand" in error.message
    assert (error.line, error.col) == (5, 7)  # the alias that passes the limit: 5 x 20,001 values


def test_aliases_within_the_limit_share_their_value_and_are_located_at_their_use() -> None:
    doc = parse_yaml("a: &one {x: 1, y: [2]}\nb: *one\n", "f.yaml")
    assert doc.data["a"] == doc.data["b"] == {"x": 1, "y": [2]}
    assert doc.loc(("a", "y")) == (1, 19)
    assert doc.loc(("b",)) == doc.loc(("b", "y", 0)) == (2, 4)


@pytest.mark.parametrize(("text", "where", "words"), [
    ("a: 1\nb: *nope\n", (2, 4), "unknown alias *nope: no anchor &nope comes before it"),
    ("a: *later\nb: &later 1\n", (1, 4), "unknown alias *later"),
    ("a: &me [1, *me]\n", (1, 12), "alias *me is used inside the value &me names (line 1)"),
    ("a: &x 1\nb: &x 2\n", (2, 4), "anchor &x is already defined on line 1"),
])
def test_alias_errors_are_at_the_alias(text: str, where: tuple[int, int], words: str, parser: str) -> None:
    error = one_error(text)
    assert (error.line, error.col) == where
    assert words in error.message


def test_a_duplicate_made_by_an_alias_is_reported_at_the_alias(tmp_path: Path) -> None:
    flow = tmp_path / "f.yaml"
    flow.write_text(HEAD + "steps:\n  - &s {id: hello, kind: say, prompt: broken.hello, next: done}\n"
                    "  - {id: done, kind: end, prompt: broken.done}\n  - *s\n")
    with pytest.raises(FlowLoadError) as info:
        load_flow_file(flow, "f.yaml")
    [error] = info.value.errors
    assert (error.line, error.col) == (9, 5)
    assert error.message == "duplicate step id 'hello' (first used on line 7)"


# --- characters and lines ----------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("place", ["comment", "plain", "quoted"])
def test_yaml_only_line_breaks_are_errors_and_later_lines_stay_right(char: str, place: str, parser: str) -> None:
    line3 = {"comment": f"# a comment{char} more", "plain": f"c: one{char}two", "quoted": f'c: "one{char}two"'}[place]
    text = f"a: 1\nb: 2\n{line3}\nd: 4\nb: 5\n"
    errors = errors_of(text)
    assert [(e.line, e.col) for e in errors] == [(3, line3.index(char) + 1), (5, 1)], errors
    assert f"U+{ord(char):04X}" in errors[0].message and "editors do not" in errors[0].message
    assert errors[1].message.startswith("duplicate key 'b'")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_positions_count_only_editor_line_breaks(newline: str, parser: str) -> None:
    text = newline.join(["a: 1", "# \u00e9t\u00e9 \u2014 caf\u00e9", "b: 'caf\u00e9'", "  c: [", ""])
    error = one_error(text)
    assert error.line == 4, error


def test_a_nul_byte_is_one_located_error_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    flow = tmp_path / "nul.yaml"
    flow.write_bytes((HEAD + STEPS).replace("title: Broken", "title: Bro\x00ken").encode())
    monkeypatch.chdir(tmp_path)
    assert main(["flows", "lint", "nul.yaml"]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == ["nul.yaml:4:11: a NUL byte (U+0000) is not allowed in a YAML file; remove it (is "
                                    "this a text file?)"]
    assert out.err.strip() == "1 error in 1 file"


@pytest.mark.parametrize(("space", "name"), [("\u00a0", "a non-breaking space (U+00A0)"),
                                             ("\u3000", "an IDEOGRAPHIC SPACE (U+3000)"),
                                             ("\u2007", "a FIGURE SPACE (U+2007)")])
def test_a_non_ascii_space_as_indentation_is_named_at_its_line(space: str, name: str, parser: str) -> None:
    text = f"slots:\n  a: 1\n{space} b: 2\nsteps:\n  {space}- x\n"
    errors = errors_of(text)
    assert [(e.line, e.col) for e in errors] == [(3, 1)]
    assert errors[0].message == f"{name} is used for indentation (also on line 5); use ordinary spaces"


def test_the_rest_of_a_file_indented_with_a_non_breaking_space_is_still_read() -> None:
    try:
        parse_yaml("a:\n\u00a0 b: 1\n  b: 2\n", "f.yaml")
    except SourceErrors as e:
        assert [(x.line, x.col) for x in e.errors] == [(2, 1), (3, 3)]
        assert "duplicate key 'b'" in e.errors[1].message
    else:
        pytest.fail("no error")


@pytest.mark.parametrize("text", [
    "text: \"Bonjour\u00a0! \u00c7a va\u00a0?\"\n",  # French typography: a non-breaking space inside a text
    "text: |\n  one\n  \u00a0\u00a0indented by the author\n",  # content of a block text, after its indentation
    "text: >\n  Qu'en pensez-vous\n  \u00a0?\n",
])
def test_a_non_breaking_space_inside_a_text_is_no_error(text: str, parser: str) -> None:
    assert errors_of(text) == []


@pytest.mark.parametrize(("text", "where", "words"), [
    ("a: 1\nb: [one,\n  two\n", (2, 4), "the `[` here is never closed; add the `]`"),
    ("a: {b: 1\n\n", (1, 4), "the `{` here is never closed; add the `}`"),
    ("a: 1\nb: 'one\n", (2, 4), "a quoted text starts here and is never closed"),
])
def test_an_unclosed_bracket_or_quote_is_reported_where_it_opens(text: str, where: tuple[int, int], words: str,
                                                               parser: str) -> None:
    error = one_error(text)
    assert (error.line, error.col) == where and words in error.message, error


def test_a_tab_as_indentation_is_named(parser: str) -> None:
    error = one_error("a:\n  b: 1\n\tc: 2\n")
    assert (error.line, error.col) == (3, 1)
    assert error.message.startswith("a tab is used for indentation")


def test_not_utf8_is_located_at_the_first_bad_byte(tmp_path: Path) -> None:
    f = tmp_path / "latin1.yaml"
    f.write_bytes("a: 1\nb: caf\u00e9 cr\u00e8me\n".encode("latin-1"))
    with pytest.raises(SourceError) as info:
        read_yaml(f, "latin1.yaml")
    assert (info.value.line, info.value.col) == (2, 7)
    assert "not UTF-8" in info.value.message and "0xe9" in info.value.message


# --- size, time, odd files -------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_BYTES", 1000)
    f = tmp_path / "big.yaml"
    f.write_text("a: " + "x" * 2000)
    with pytest.raises(SourceError) as info:
        read_yaml(f)
    assert "too large" in info.value.message and "1,000" in info.value.message


def test_reading_is_bounded_in_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "TIME_LIMIT", 0.0)
    error = one_error("".join(f"k{i}: {i}\n" for i in range(2000)))
    assert "takes more than 0 seconds" in error.message
    assert error.line > 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_or_a_folder_named_like_a_flow_file_does_not_hang(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    os.mkfifo(flows / "pipe.yaml")
    (flows / "folder.yaml").mkdir()
    shutil.copy(BROKEN / "bad_yaml.yaml", flows / "bad.yaml")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    import subprocess

    r = subprocess.run([sys.executable, "-m", "coach.cli.main", "flows", "lint", str(flows)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = r.stdout.splitlines()
    assert any("pipe.yaml:1:1: cannot read the file: it is not a regular file" in line for line in lines), lines
    assert any("bad.yaml:6:6: invalid YAML" in line for line in lines), lines


def test_symlink_loops_are_one_line_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "self.yaml").symlink_to("self.yaml")
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    monkeypatch.chdir(tmp_path)
    report = lint([tmp_path])
    assert [(d.file, d.line) for d in report.diagnostics] == [("a.yaml", 1), ("b.yaml", 1), ("self.yaml", 1)]
    assert all(d.message.startswith("cannot read the file: ") for d in report.diagnostics)


# --- the report: once, in order, without knock-on errors -----------------------------------------


def _project(tmp_path: Path, texts: str) -> Path:
    flows = tmp_path / "flows"
    (flows / "prompts" / "en").mkdir(parents=True)
    (flows / "uses.yaml").write_text(HEAD.replace("id: hostile", "id: uses") + "steps:\n"
                                     "  - {id: hello, kind: say, prompt: mine.hello, next: more}\n"
                                     "  - {id: more, kind: say, prompt: mine.extra, next: done}\n"
                                     "  - {id: done, kind: end, prompt: mine.done}\n")
    (flows / "prompts" / "en" / "mine.yaml").write_text(texts)
    return flows


def test_an_unreadable_prompt_file_is_one_error_not_a_dozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    flows = _project(tmp_path, "hello: [Hello\ndone: Done.\nextra: More.\n")
    report = lint([flows])
    assert report.lines() == ["flows/prompts/en/mine.yaml:2:5: invalid YAML: expected ',' or ']', but got ':' "
                              "(is a `]` missing, or a text with a comma not quoted?) "
                              "(3 problems that follow from it are not shown)"]
    # once it reads, what is still wrong is reported
    (flows / "prompts" / "en" / "mine.yaml").write_text("hello: Hello\ndone: Done.\n")
    assert [d.message for d in lint([flows]).diagnostics] == ["unknown prompt key 'mine.extra'"]


def test_a_bad_entry_hides_only_its_own_knock_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    flows = _project(tmp_path, "hello: Hello\ndone: ''\n")
    report = lint([flows])
    assert report.lines() == [
        "flows/prompts/en/mine.yaml:2:7: mine.done: expected text, a list of texts or role variants (1 problem that "
        "follows from it is not shown)",
        "flows/uses.yaml:8:35: unknown prompt key 'mine.extra'",
    ]


def test_calls_to_a_flow_that_cannot_be_read_are_not_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "caller.yaml").write_text(HEAD.replace("id: hostile", "id: caller") + "steps:\n"
                                          "  - {id: sub, kind: call, flow: callee, next: done}\n"
                                          "  - {id: done, kind: end, prompt: broken.done}\n")
    (tmp_path / "callee.yaml").write_text(HEAD.replace("id: hostile", "id: callee") + "steps: [\n")
    (tmp_path / "prompts" / "en").mkdir(parents=True)
    shutil.copy(BROKEN / "prompts" / "en" / "broken.yaml", tmp_path / "prompts" / "en" / "broken.yaml")
    lines = lint([tmp_path / "caller.yaml", tmp_path / "callee.yaml"]).lines()
    assert len(lines) == 1 and lines[0].startswith("callee.yaml:7:1: invalid YAML"), lines
    assert lines[0].endswith("(1 problem that follows from it is not shown)")
    # linted alone, the caller's error stands: its cause is not in the report
    [alone] = lint([tmp_path / "caller.yaml"]).diagnostics
    assert alone.message.startswith("call to unknown flow 'callee'")


def test_each_problem_is_reported_once_in_file_and_line_order() -> None:
    cat = PromptCatalog()
    items = [Diagnostic("b.yaml", 3, 1, "x"), Diagnostic("a.yaml", 9, 2, "y", "warning"),
             Diagnostic("a.yaml", 9, 2, "y"), Diagnostic("b.yaml", 3, 1, "x"), Diagnostic("a.yaml", 0, 0, "z"),
             Diagnostic("a.yaml", 2, 5, "w", "warning")]
    assert tidy(items, cat, {}) == [Diagnostic("a.yaml", 0, 0, "z"), Diagnostic("a.yaml", 2, 5, "w", "warning"),
                                    Diagnostic("a.yaml", 9, 2, "y"), Diagnostic("b.yaml", 3, 1, "x")]


def test_a_path_with_dot_dot_lints_and_counts_its_prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(BROKEN / "prompts", tmp_path / "project" / "prompts")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "project")
    here = lint([Path("prompts")])
    monkeypatch.chdir(tmp_path / "elsewhere")
    there = lint([Path("../project/prompts")])
    assert there.prompt_keys == here.prompt_keys > 0
    assert len(there.diagnostics) == len(here.diagnostics) > 0
    capsys.readouterr()
    assert main(["flows", "lint", "../project/prompts"]) == 1
    out = capsys.readouterr()
    assert f"{tmp_path}/project/prompts/en/broken_texts.yaml:3:13: broken_texts.empty_text" in out.out
    assert out.out.splitlines() == there.lines()


# --- the same checks when flows are loaded to run ----------------------------------------------


def test_the_library_loads_hostile_files_as_located_errors(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    bomb = "".join(f"  {line}\n" for line in _billion_laughs().splitlines())
    (flows / "bomb.yaml").write_text(HEAD + "bomb:\n" + bomb + STEPS)
    (flows / "deep.yaml").write_text(HEAD + _deep("flow", 3000) + STEPS)
    (flows / "sep.yaml").write_text(HEAD + "# x\u2028y\n" + STEPS)
    lib = FlowLibrary.load([flows])
    got = sorted((Path(e.file).name, e.message.split(" (")[0].split(";")[0]) for e in lib.errors)
    assert got == [("bomb.yaml", "aliases expand this file to more than 100,000 values"),
                   ("deep.yaml", "nested too deeply"),
                   ("sep.yaml", "a LINE SEPARATOR")], got
    assert not {"bomb", "deep", "sep"} & set(lib.flows)


def test_a_prompt_file_with_a_line_separator_still_has_its_keys(tmp_path: Path) -> None:
    root = tmp_path / "prompts"
    (root / "en").mkdir(parents=True)
    (root / "en" / "x.yaml").write_text("a: one\u2028two\nb: Two\n")
    cat = PromptCatalog.load([root])
    assert [(e.line, e.col) for e in cat.errors] == [(1, 7)]
    assert cat.keys() == {"x.a", "x.b"}


# --- fuzz ---------------------------------------------------------------------------------------

_PIECES = ["a: 1\n", "- x\n", "[", "]", "{", "}", ": ", ", ", "&a ", "*a ", "&b [*a, *a, *a]\n", "*b ", "\t", "\u00a0",
           "\x85", "\u2028", "\u2029", "'", '"', "|\n", ">\n", "? ", "!!binary ", "!foo ", "<<: ",
           "---\n", "...\n", "#", "\r", "\r\n", "\n", "  ", "    ", "9" * 4400, "2024-13-45", ".inf", "~", "\ufeff",
           "\U0001f600", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "steps:\n", "  - {id: a, kind: end}\n",
           "when: {not: {not: {not: ", "schema_version: 1\nid: f\n", "\\", "@", "`", "é", "ß"]


_FATAL = ["\x00", "\x1b[31m", "\ud800", "\x07"]  # no YAML file may hold them: reading stops there


def _hostile(rng: random.Random) -> str:
    n = rng.randint(1, 60)
    text = "".join(rng.choice(_FATAL if rng.random() < 0.005 else _PIECES) for _ in range(n))
    if rng.random() < 0.1:
        text = "[" * rng.randint(60, 3000) + text
    if rng.random() < 0.1:
        text += "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 8) + "]\n" for i in range(1, 10))
    return text


def test_fuzz_hostile_texts_and_bytes_never_crash_nor_hang(tmp_path: Path) -> None:
    rng = random.Random(20240611)
    slowest = 0.0
    for i in range(400):
        if i % 4 == 3:
            data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
        else:
            data = _hostile(rng).encode("utf-8", errors="surrogatepass")
        f = tmp_path / f"h{i}.yaml"
        f.write_bytes(data)
        started = time.monotonic()
        try:
            load_flow_file(f, f.name)
        except FlowLoadError as e:
            assert e.errors and all(err.line >= 1 and err.col >= 1 and err.file == f.name for err in e.errors)
            assert all("\n" not in err.message for err in e.errors), e.errors
        slowest = max(slowest, time.monotonic() - started)
    assert slowest < 3, slowest
    report = lint([tmp_path])
    assert not report.ok()
    assert len(report.lines()) == len(set(report.lines()))
