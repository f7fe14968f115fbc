"""Nothing typed reaches a terminal or a file as a live control sequence: the plain chat and
`coach run` show escape sequences as pictures, the exports (Markdown, plain text, JSON, iCalendar)
and the chat's own Markdown export hold no raw control character, and Markdown made from user
text has no link, entity or code block in it."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hostile import ESCAPES, FLOWS, MARKUP, SURROGATES, raw_controls
from markdown_it import MarkdownIt

from coach.app.documents import ChatExports, words
from coach.cli.plain import run_plain
from coach.engine.text import md_escape
from coach.export import export_artifacts, meeting_calendar
from coach.literal import visible
from coach.models import Artifact

EVIL = "\x1b[2J\x1b]52;c;aGVsbG8=\x07 \x9b31m \x1b]0;title\x07 \r\x08\x00\x7f\x85 caf\udce9"
BIN = Path(sys.executable).parent


def _plain(data_dir: Path, lines: list[str]) -> str:
    args = argparse.Namespace(flow="parrot", role=None, data_dir=data_dir, flow_dirs=[FLOWS])
    out = io.StringIO()
    assert run_plain(args, stdin=io.StringIO("".join(f"{x}\n" for x in lines)), stdout=out) == 0
    return out.getvalue()


def test_plain_chat_shows_escape_sequences_as_pictures(tmp_path: Path) -> None:
    out = _plain(tmp_path, [f"Ana {EVIL}", "1", f"Sam {EVIL}", f"note {EVIL}", "a; b", "1", "tomorrow", "yes",
                            "keep"])
    assert raw_controls(out) == [], raw_controls(out)
    assert "␛[2J␛]52;c;aGVsbG8=␇" in out  # shown, visibly, where the answer is read back
    assert "␛[31m" in out and "caf\ufffd" in out
    assert "Dear Sam ␛[2J" in out  # the plain-text document too


def test_plain_chat_resume_reads_back_names_literally(tmp_path: Path) -> None:
    _plain(tmp_path, ["[bold]Ana[/] \x1b[2J", "1", "Sam\x9b", "first \x1b]52;c;eA==\x07"])
    out = _plain(tmp_path, ["y", "x; y"])  # continue where it was left
    assert raw_controls(out) == []


def test_plain_chat_in_a_real_terminal_pipe_takes_invalid_utf8(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 (a terminal in another encoding) are read, kept and shown, not a traceback."""
    stdin = b"Ana \xff\xfe\n1\nSam\nnote caf\xe9 \x1b[2J \x1b]52;c;aGk=\x07\n"
    result = subprocess.run([str(BIN / "coach"), "chat", "--plain", "--data-dir", str(tmp_path), "--flows",
                             str(FLOWS), "--flow", "parrot"], input=stdin, capture_output=True, timeout=60,
                            env={**os.environ, "PYTHONIOENCODING": "", "LC_ALL": "C.UTF-8"})
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    for raw in (b"\x1b", b"\x07", b"\xff", b"\xe9 "):
        assert raw not in result.stdout
    assert "Saved." in result.stdout.decode()
    # and stored as it was typed: the resumed note is byte for byte the input
    from hostile import parrot_library

    from coach.app.setup import open_service

    service = open_service(parrot_library(), tmp_path)
    try:
        (profile,) = service.profiles()
        assert profile.name.encode("utf-8", "surrogateescape") == b"Ana \xff\xfe"
        (rel,) = service.relationships(profile.id)
        saved = service.unfinished(rel.id, "parrot", "mentee")
        assert saved is not None
        (entry,) = service.resume(saved.id).conversation.entries
        assert entry.text.encode("utf-8", "surrogateescape") == b"note caf\xe9 \x1b[2J \x1b]52;c;aGk=\x07"
    finally:
        service.close()


def test_coach_run_echoes_and_writes_the_transcript_without_controls(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(json.dumps([f"note {EVIL.replace(chr(0xdce9), '')}", "a; b", "1", "tomorrow", "yes", "keep"]),
                       encoding="utf-8")
    transcript = tmp_path / "t.json"
    result = subprocess.run([str(BIN / "coach"), "run", "parrot", "--flows", str(FLOWS), "--answers", str(answers),
                             "--transcript", str(transcript), "--today", "2026-11-27"],
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    out = result.stdout.decode("utf-8")
    assert raw_controls(out) == [] and "you>   note ␛[2J" in out
    text = transcript.read_text(encoding="utf-8")
    assert raw_controls(text.replace("\n", "")) == []
    assert json.loads(text)["turns"][1]["text"].startswith("note \x1b[2J")  # escaped, read back as typed


ENGLISH = words(None)  # the calendar's words, as the export writes them in English


def _artifact(text: str, fmt: str = "markdown") -> Artifact:
    data = {"purpose": text, "goals": [text], "first_meeting": "2026-12-01", "meeting_clock": "10:00",
            "cadence": "weekly", "channel": text, "reschedule": text}
    return Artifact(id="a1", relationship_id="r1", session_id="s1", stage="commitment", kind="mentoring_agreement",
                    title=f"Agreement {text}", markdown=f"# Agreement\n\n{md_escape(text)}\n", data=data,
                    created_at=datetime(2026, 11, 27, 12, tzinfo=UTC), format=fmt,  # type: ignore[arg-type]
                    names={"name": f"Ana {text}", "other_name": f"Sam {text}"})


@pytest.mark.parametrize("text", [EVIL, *ESCAPES, *SURROGATES])
def test_exports_hold_no_raw_control(text: str) -> None:
    for fmt in ("md", "json", "ics"):
        for art in (_artifact(text), _artifact(text, "text")):
            (file,) = export_artifacts([art], fmt, words=ENGLISH)  # type: ignore[arg-type]
            content = file.content.decode("utf-8")  # valid UTF-8, surrogates and all
            allowed = content.replace("\r\n", "") if fmt == "ics" else content
            assert raw_controls(allowed.replace("\n", "").replace("\t", "")) == [], (fmt, text)
            if fmt == "json":  # lossless: the data reads back as stored
                back = json.loads(content)
                expected = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
                assert back["data"]["purpose"] == expected and back["names"]["name"] == f"Ana {expected}"
    assert b"\x1b" not in meeting_calendar(_artifact(EVIL), ENGLISH)


def test_the_chat_export_holds_no_raw_control(tmp_path: Path) -> None:
    exports = ChatExports(tmp_path, today=lambda: datetime(2026, 11, 27).date())
    path = exports.markdown("conversation", f"# Chat\n\n**You:**\n\n{md_escape(EVIL)}\n", other_name="Sam")
    text = path.read_text(encoding="utf-8")
    assert raw_controls(text.replace("\n", "")) == [] and "␛\\[2J" in text


def _html(markdown: str) -> str:
    return MarkdownIt("gfm-like").render(markdown)  # as a viewer with autolinks, HTML and entities renders it


@pytest.mark.parametrize("text", MARKUP)
def test_markdown_from_user_text_renders_as_the_text(text: str) -> None:
    html = _html(md_escape(text))
    assert "<a " not in html and "<img" not in html and "<code" not in html and "<pre" not in html
    assert "<h1" not in html and "<blockquote" not in html and "<li" not in html and "<em" not in html
    assert "<strong" not in html and "<b>" not in html and "<script" not in html and "<table" not in html
    assert "<s>" not in html and "<del" not in html
    if "&" in text:
        assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html  # not decoded


def test_indentation_is_kept_as_no_break_spaces_not_a_code_block() -> None:
    html = _html("Text\n\n" + md_escape("    four spaces\n\ttab\n  two"))
    assert "<pre" not in html and "four spaces" in html


def test_visible_is_what_every_way_out_uses() -> None:
    """The picture of ESC, as the plain chat, the exports and the TUI show it."""
    from coach.tui.text import displayable

    assert visible("\x1b") == displayable("\x1b") == "␛"
