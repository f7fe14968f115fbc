"""`coach --help` and argparse's own messages in the user's language (issue 13): the words come from
prompts/<locale>/cli.yaml (cli.help.*), chosen from --lang, $COACH_LANG or the system before parsing."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli.main import build_parser, main
from coach.cli.parser import HelpTexts, requested

ROOT = Path(__file__).resolve().parents[2]
ENGLISH_HELP_WORDS = ("usage:", "positional arguments", "options:", "show this help message", "the language to use",
                      "where your data lives", "write your artifacts")


@pytest.fixture(autouse=True)
def _no_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COACH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _assert_no_english(text: str) -> None:
    for words in ENGLISH_HELP_WORDS:
        assert words not in text, words


def test_lang_es_help_shows_spanish_usage_titles_and_option_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--lang", "es", "--help"], capsys)
    assert code == 0
    assert out.startswith("uso: coach [-h] [--version] [--data-dir CARPETA] [--lang IDIOMA]")
    assert "\nargumentos posicionales:\n" in out and "\nopciones:\n" in out
    assert "muestra esta ayuda y termina" in out and "muestra la versión del programa" in out
    assert "el idioma que se usa" in out and "guarda tus documentos" in out  # an option, a command
    assert "Sin ninguna orden, `coach` abre el chat." in out
    _assert_no_english(out)


def test_lang_equals_es_export_help_is_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--lang=es", "export", "--help"], capsys)
    assert code == 0
    assert out.startswith("uso: coach export ")
    assert "--out CARPETA" in out and "dónde escribir los archivos (por defecto: ./coach-export)" in out
    assert "sobrescribe los archivos" in out
    _assert_no_english(out)


@pytest.mark.parametrize("command", ["chat", "run", "export", "share", "merge", "sign", "demo", "serve"])
def test_every_command_help_in_spanish_has_no_english_help_line(command: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([command, "--lang", "es", "--help"], capsys)
    assert code == 0 and out.startswith(f"uso: coach {command} ")
    _assert_no_english(out)


def test_coach_lang_environment_variable_gives_spanish_help(tmp_path: Path) -> None:
    env = {**os.environ, "COACH_LANG": "es", "COLUMNS": "100"}
    r = subprocess.run([sys.executable, "-m", "coach.cli.main", "--help"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("uso: coach ") and "opciones:" in r.stdout
    _assert_no_english(r.stdout)


def test_the_system_locale_gives_spanish_help(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    code, out, _ = _run(["--help"], capsys)
    assert code == 0 and out.startswith("uso: coach ")


def test_lang_on_the_command_line_wins_over_coach_lang(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COACH_LANG", "es")
    code, out, _ = _run(["--lang", "en", "--help"], capsys)
    assert code == 0 and out.startswith("usage: coach ")


def test_an_unknown_option_in_spanish_is_one_spanish_error_line_with_exit_2(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["--lang", "es", "--bogus"], capsys)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("uso: coach ")
    assert lines[-1] == "coach: error: argumentos no reconocidos: --bogus"
    assert sum("error" in line for line in lines) == 1 and "Traceback" not in err


@pytest.mark.parametrize(("argv", "line"), [
    (["run"], "coach run: error: faltan estos argumentos obligatorios: FLUJO, --answers"),
    (["bogus"], "coach: error: argumento ORDEN: opción no válida: 'bogus' (elige entre 'chat', "),
    (["export", "--out"], "coach export: error: argumento --out: falta un valor"),
    (["demo", "--speed", "0"], "coach demo: error: argumento --speed: tiene que ser mayor que 0"),
    (["serve", "--port", "x"], "coach serve: error: argumento --port: no es un número de puerto: 'x'"),
    (["--data-dir", "", "export"], "coach: error: argumento --data-dir: indica una carpeta"),
])
def test_argparse_errors_are_spanish_one_liners(argv: list[str], line: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["--lang", "es", *argv], capsys)
    assert code == 2
    assert err.splitlines()[-1].startswith(line), err
    assert err.startswith("uso: ")


def test_english_help_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--help"], capsys)
    assert code == 0
    assert out.startswith("usage: coach [-h] [--version] [--data-dir DIR] [--lang LANG] [--flows DIR]")
    for text in ("\npositional arguments:\n", "\noptions:\n", "-h, --help      show this help message and exit",
                 "--version       show program's version number and exit",
                 "lint, list, graph or scaffold flow definitions",
                 "Run `coach` with no command to open the chat."):
        assert text in out, text
    code, out, _ = _run(["share", "--help"], capsys)
    assert "--yes             share the preview as shown, without asking (for scripts)" in out
    assert "the packet file to write (default: NAME-STAGE.coach)" in out


def test_english_errors_keep_argparse_wording(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["--bogus"], capsys)
    assert code == 2 and err.splitlines()[-1] == "coach: error: unrecognized arguments: --bogus"
    code, _, err = _run(["run"], capsys)
    assert err.splitlines()[-1] == "coach run: error: the following arguments are required: FLOW, --answers"


@pytest.mark.parametrize("argv", [["--lang", "xx"], ["--lang", "xx", "--help"], ["--lang=xx", "export", "--help"]])
def test_a_language_without_texts_is_the_one_line_refusal_even_with_help(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert err == "coach: there are no texts in 'xx' (--lang); languages: en, es\n"


def test_the_pseudo_locale_gives_help_without_crashing() -> None:
    for argv in (["--help"], ["export", "--help"], ["demo", "--help"], ["--bogus"]):
        r = subprocess.run([sys.executable, "-m", "coach.cli.main", "--lang", "qps-ploc", *argv], cwd=ROOT,
                           capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "80"})
        assert r.returncode == (2 if argv == ["--bogus"] else 0), r.stderr
        assert "Traceback" not in r.stderr and (r.stdout or r.stderr).startswith("⟦")


def test_help_in_spanish_loads_no_pydantic_textual_or_flows() -> None:
    code = (
        "import sys\nfrom coach.cli.main import main\n"
        "try:\n    main(['--lang', 'es', '--help'])\nexcept SystemExit:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'pydantic', 'babel')"
        " or m.startswith('coach.content.library'))\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


class _Recording(HelpTexts):
    """HelpTexts noting every key the parser asks for that its locale has no text for."""

    missing: set[str]

    def say(self, key: str, /, **values: object) -> str:
        if f"cli.help.{key}" not in self.catalog.table(self.locale):
            self.missing.add(key)
        return super().say(key, **values)


@pytest.mark.parametrize("locale", ["en", "es"])
def test_every_help_text_the_parser_asks_for_exists_in_english_and_spanish(locale: str) -> None:
    loaded = HelpTexts.load(locale)
    words = _Recording(loaded.catalog, locale)
    words.missing = set()
    parser = build_parser(words=words)
    parsers = [parser]
    while parsers:
        p = parsers.pop()
        p.format_help()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers += action.choices.values()
    for shape in ("unrecognized arguments: --x", "argument --x: expected one argument", "invalid choice: 'a' "
                  "(choose from 'b')", "the following arguments are required: X", "expected at most one argument",
                  "expected at least one argument", "argument X: invalid int value: 'a'",
                  "not allowed with argument --y", "ignored explicit argument 'a'",
                  "ambiguous option: --f could match --foo, --fob", "one of the arguments --a --b is required"):
        assert (words.argparse_message(shape) == shape) == (locale == "en"), shape  # each shape is known
    words.say("error", prog="coach", message="m")
    assert not words.missing, sorted(words.missing)


def test_argparse_messages_of_unknown_shape_are_kept_as_written() -> None:
    words = HelpTexts.load("es")
    assert words.argparse_message("something argparse may say one day") == "something argparse may say one day"
    assert words.argparse_message("argument --x: expected 2 arguments") == "argumento --x: hacen falta 2 valores"


def test_the_language_is_read_from_argv_before_parsing() -> None:
    assert requested(["--lang", "es", "export"]) == ("es", [])
    assert requested(["--lang=es", "--lang", "en"]) == ("en", [])
    assert requested(["--flows", "x", "--flows=y", "--lang"]) == (None, [Path("x"), Path("y")])
    assert requested(["run", "--", "--lang", "es"]) == (None, [])
