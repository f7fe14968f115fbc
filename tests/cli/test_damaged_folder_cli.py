"""The damaged-folder test: hand-made damage, the real `coach` in a subprocess, 0 tracebacks, 0 hangs.

Each case builds a small data folder, damages one thing in it, and runs a command on it with a
timeout: the command ends in time, says one line naming the damaged path (or, for a damaged
session, sets it aside and goes on), and never shows a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from coach.models import Artifact, ConversationHeader, Effects, LogEntry, Profile, Relationship, Role
from coach.store import Store

TIMEOUT = 60
MADE = datetime(2026, 11, 27, 12, tzinfo=UTC)

Damage = Callable[[Path], None]


def _replace(make: Callable[[Path], None]) -> Damage:
    def damage(path: Path) -> None:
        path.unlink()
        make(path)

    return damage


DAMAGE: dict[str, Damage] = {
    "folder": _replace(lambda p: p.mkdir()),
    "fifo": _replace(lambda p: os.mkfifo(p)),
    "deep": lambda p: p.write_bytes(b"[" * 100_000 + b"]" * 100_000),
    "bigint": lambda p: p.write_bytes(b'{"_meta": {"1": {"schema_version": ' + b"9" * 5000 + b"}}}"),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:40]),
    "garbage": lambda p: p.write_bytes(b"\x00garbage{{{"),
    "not-utf8": lambda p: p.write_bytes(b'{"_meta": "\xff\xfe"}'),
}


def _entry(seq: int, text: str, effects: Effects | None = None) -> LogEntry:
    return LogEntry(seq=seq, kind="answer", text=text, prompt=f"fit_check.q{seq}", at=MADE, today=date(2026, 11, 27),
                    effects=effects)


def _build(root: Path) -> dict[str, Path]:
    """Ana (mentee) with Sam: one finished conversation with a report, one unfinished."""
    with Store(root) as store:
        ana = store.save_profile(Profile(name="Ana", role=Role.mentee, timezone="UTC"))
        store.save_relationship(Relationship(id="r1", profile_id=ana.id, other_name="Sam", mentee_name="Ana",
                                             mentor_name="Sam"))
        report = Artifact(id="a1", relationship_id="r1", session_id="done1", stage="fit_check", kind="fit_report",
                          title="Fit report", markdown="# Fit report\n", created_at=MADE)
        for cid in ("done1", "open1"):
            store.create_conversation(ConversationHeader(id=cid, flow_id="fit_check", flow_hash="h", role=Role.mentee,
                                                         relationship_id="r1", started_at=MADE))
        store.append_entry("done1", _entry(1, "yes", Effects(artifacts=[report])), done=True)
        store.append_entry("open1", _entry(1, "yes"))
    return {"index": root / "index.json", "relationship": root / "relationships" / "r1.json",
            "session": root / "sessions" / "open1.json"}


def _coach(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_DATA_DIR": str(cwd / "unused-default"), "PYTHONIOENCODING": "utf-8"}
    try:
        return subprocess.run([sys.executable, "-m", "coach.cli.main", *args], cwd=cwd, input=stdin, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"coach {' '.join(args)} hung for {TIMEOUT}s")


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    assert "Error:" not in done.stderr and "Errno" not in done.stderr, done.stderr


def _one_line_naming(done: subprocess.CompletedProcess[str], path: Path, code: int = 2) -> str:
    _no_traceback(done)
    assert done.returncode == code, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach: ") and str(path) in lines[0], done.stderr
    return lines[0]


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("which", ["index", "relationship"])
def test_a_damaged_file_is_one_line_naming_it(tmp_path: Path, which: str, damage: str) -> None:
    paths = _build(tmp_path / "data")
    DAMAGE[damage](paths[which])
    done = _coach("--data-dir", "data", "export", "--out", "out", cwd=tmp_path)
    line = _one_line_naming(done, paths[which].resolve())
    assert "backup" in line or "move" in line.lower()


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_session_is_set_aside_and_the_rest_works(tmp_path: Path, damage: str) -> None:
    paths = _build(tmp_path / "data")
    DAMAGE[damage](paths["session"])
    done = _coach("--data-dir", "data", "chat", "--plain", "--flow", "fit_check", cwd=tmp_path, stdin="1\ny\n")
    _no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert "could not be read" in done.stdout and "set aside in" in done.stdout
    assert (tmp_path / "data" / "damaged" / "open1.txt").exists()
    assert not os.path.lexists(paths["session"])
    again = _coach("--data-dir", "data", "chat", "--plain", "--flow", "fit_check", cwd=tmp_path, stdin="1\nn\n")
    _no_traceback(again)
    assert "was set aside" in again.stdout  # said again on the next start, never forgotten
    export = _coach("--data-dir", "data", "export", "--out", "out", cwd=tmp_path)
    _no_traceback(export)
    assert export.returncode == 0 and "fit_report" in export.stdout


def test_a_deleted_session_is_reported_not_restarted_silently(tmp_path: Path) -> None:
    paths = _build(tmp_path / "data")
    paths["session"].unlink()
    paths["session"].with_suffix(".journal").unlink()
    done = _coach("--data-dir", "data", "chat", "--plain", "--flow", "fit_check", cwd=tmp_path, stdin="1\n")
    _no_traceback(done)
    assert done.returncode == 0
    assert f"is missing its file {paths['session'].resolve()}" in done.stdout


def test_a_file_where_the_sessions_folder_belongs(tmp_path: Path) -> None:
    paths = _build(tmp_path / "data")
    sessions = paths["session"].parent
    for child in sessions.iterdir():
        child.unlink()
    sessions.rmdir()
    sessions.write_text("x", encoding="utf-8")
    done = _coach("--data-dir", "data", "export", cwd=tmp_path)
    assert "a file, not a folder" in _one_line_naming(done, sessions.resolve())


@pytest.mark.parametrize("where", ["/proc/coach-data", "a-file/data", "a-file"])
def test_a_data_dir_that_cannot_be_one(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    done = _coach("--data-dir", where, "export", cwd=tmp_path)
    line = _one_line_naming(done, Path(where) if where.startswith("/") else tmp_path / where)
    assert "disk space" not in line


def test_an_empty_data_dir_is_an_error(tmp_path: Path) -> None:
    done = _coach("--data-dir", "", "export", cwd=tmp_path)
    _no_traceback(done)
    assert done.returncode == 2 and "--data-dir" in done.stderr and "empty" in done.stderr
    assert not (tmp_path / "unused-default").exists() and not (tmp_path / "index.json").exists()


def test_output_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    # long answers: far more output than a pipe holds, so coach is still writing when the reader leaves
    answers.write_text("".join(f"- answer {n} {'word ' * 4000}\n" for n in range(40)), encoding="utf-8")
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "unused")}
    reader = subprocess.Popen([sys.executable, "-m", "coach.cli.main", "run", "fit_check", "--answers", str(answers)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()  # what `| head -1` does
    try:
        err = reader.stderr.read().decode("utf-8", "replace")
        code = reader.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        reader.kill()
        pytest.fail("coach run hung on a closed pipe")
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err
    assert code == 141  # 128 + SIGPIPE, as a shell reports it
