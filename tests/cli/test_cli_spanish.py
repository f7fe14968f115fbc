"""The command line in Spanish: `coach --lang es chat --plain` with piped input asks, answers and says
goodbye in Spanish (and the profile then remembers it), and a user's mistake is one Spanish line.
Every text comes from prompts/es/cli.yaml (and the stage's own prompts/es/<stage>.yaml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.app.partnership import Texts
from coach.cli.main import main
from coach.content.library import FlowLibrary

TIMEOUT = 60
ENGLISH = ("What's your", "Which stage", "not started", "Saved.", "Bye for now", "you>", "number", "mentoring")


def _coach(*args: str, stdin: str, data: Path, lang: str | None = "es") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COACH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(LANG="C.UTF-8", COACH_DATA_DIR=str(data), PYTHONIOENCODING="utf-8")
    argv = [sys.executable, "-m", "coach.cli.main", *(["--lang", lang] if lang else []), *args]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False)


def test_the_plain_chat_speaks_spanish_from_the_first_question_to_the_goodbye(
        library: FlowLibrary, tmp_path: Path) -> None:
    es = Texts(library.prompts, "es", "cli")
    first = _coach("chat", "--plain", stdin="Lucía\n1\nJavier\n1\n", data=tmp_path)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    for key in ("plain.your_name", "plain.your_role", "plain.which_stage", "plain.you", "plain.paused"):
        assert es.say(key) in out, key
    assert es.say("plain.other_name", "mentor") in out
    assert "¿Cómo te llamas?" in out and "¿Eres mentee o mentor?" in out and "sin empezar" in out
    assert "¿Qué es lo que más quieres conseguir" in out  # the stage's first question, in Spanish
    assert "coach> Guardado. Vuelve a ejecutar `coach chat --plain`" in out  # input ended: paused, not lost
    assert not [w for w in ENGLISH if w in out], out
    assert first.stderr == ""

    # next time, no --lang and an English system: the profile remembers Spanish; quitting says goodbye
    again = _coach("chat", "--plain", stdin="", data=tmp_path, lang=None)
    assert again.returncode == 0, again.stderr
    assert "¿Con qué relación de mentoría?" in again.stdout and "con Javier" in again.stdout
    assert again.stdout.rstrip().endswith("coach> ¡Hasta pronto!")
    assert not [w for w in ENGLISH if w in again.stdout], again.stdout


def test_the_same_chat_in_english_is_unchanged(tmp_path: Path) -> None:
    done = _coach("chat", "--plain", stdin="Ana\n", data=tmp_path, lang="en")
    assert done.returncode == 0, done.stderr
    assert "What's your name? " in done.stdout and "Are you the mentee or the mentor?" in done.stdout
    assert done.stdout.rstrip().endswith("coach> Bye for now.")


def test_a_mistake_is_one_spanish_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "es", "run", "fit_check", "--answers", str(tmp_path / "respuestas.yaml")]) == 2
    assert capsys.readouterr().err == f"coach: {tmp_path / 'respuestas.yaml'}: no existe el archivo\n"

    assert main(["--lang", "es", "--flows", str(tmp_path / "no-está"), "chat", "--plain"]) == 2
    assert capsys.readouterr().err == f"coach: --flows {tmp_path / 'no-está'}: no existe la carpeta\n"

    (tmp_path / "un-archivo").write_text("x", encoding="utf-8")
    assert main(["--lang", "es", "--data-dir", str(tmp_path / "datos"), "export", "--out",
                 str(tmp_path / "un-archivo")]) == 2
    assert capsys.readouterr().err == f"coach: --out {tmp_path / 'un-archivo'}: ya existe y no es una carpeta\n"


def test_a_wrong_answer_to_a_numbered_question_is_asked_again_in_spanish(tmp_path: Path) -> None:
    done = _coach("chat", "--plain", stdin="Lucía\n7\n", data=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Escribe un número del 1 al 2." in done.stdout and "número> " in done.stdout
