"""Fuzz: hostile input (a seeded generator, see hostile.py: control characters, ESC/OSC/C1
sequences, lone surrogates, bidi overrides, zero-width characters, huge pastes, Markdown/HTML/Rich
markup, emoji ZWJ sequences, NUL, and /back /skip /pause ... mixed in) through every way in.

The split (10,000 + 300 + 3 x 26 + 160 inputs):

* 10,000 inputs through the application service (the parrot flow over the in-memory repository,
  conversations finished and started again, every answer handed back in a summary and documents);
* 300 through the plain chat's function (run_plain over StringIO, ten sessions resumed in turn);
* 3 real `coach chat --plain` processes fed hostile bytes, invalid UTF-8 among them;
* 160 through the TUI with Pilot (tests/tui/test_fuzz_tui.py; about 40 s of CPU).

Each must give 0 crashes, 0 non-literal renders (Markdown from user text that a viewer with
autolinks, HTML and entities would turn into a link, image, HTML, code, quote or emphasis) and 0
raw control sequences out (terminal output, documents, exports); and what was typed is stored as
typed."""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
from pathlib import Path

from hostile import FLOWS, PARROT_PATH, hostile_inputs, parrot_library, parrot_service, raw_controls
from markdown_it import MarkdownIt

from coach.cli.plain import run_plain
from coach.cli.run import print_turn
from coach.engine.turns import BotTurn
from coach.export import export_artifacts

# A viewer that renders everything it can: what user text must never turn into.
VIEWER = MarkdownIt("gfm-like")
# (Emphasis is left out: the templates use it; that user text makes none is tested in test_hostile_output.)
NOT_FROM_TEMPLATES = {"link_open", "image", "html_inline", "html_block", "code_block", "fence", "code_inline",
                      "s_open", "blockquote_open", "table_open", "hr"}


def non_literal(markdown: str) -> list[str]:
    """The formatting a viewer finds in a message that its template does not have."""
    found = []
    headings = 0
    for token in VIEWER.parse(markdown):
        headings += token.type == "heading_open"
        found += [t.type for t in [token, *(token.children or [])] if t.type in NOT_FROM_TEMPLATES]
    if headings > 2:  # the parrot report has two headings of its own
        found.append(f"{headings} headings")
    return found


def check_turn(turn: BotTurn, text: str, problems: list[str], *, edited: bool = False) -> None:
    """`edited`: the user has rewritten a draft's Markdown source (a document they now write
    themselves, as Markdown by design): its drafts and documents are only checked for controls."""
    out = io.StringIO()
    print_turn(turn, out)  # what the plain chat and `coach run` write
    if raw_controls(out.getvalue()):
        problems.append(f"raw control on the terminal after {text[:60]!r}")
    for message in turn.messages:
        if not (edited and message.kind == "draft") and (bad := non_literal(message.markdown)):
            problems.append(f"{bad} in {message.kind} after {text[:60]!r}")
    for art in turn.artifacts:
        if art.format != "text" and not edited and (bad := non_literal(art.markdown)):  # text is shown as text
            problems.append(f"{bad} in document {art.title!r}")
        for fmt in ("md", "json"):
            for file in export_artifacts([art], fmt):
                content = file.content.decode("utf-8").replace("\n", "").replace("\t", "")
                if raw_controls(content):
                    problems.append(f"raw control in the {fmt} export of {art.title!r}")


def test_ten_thousand_hostile_inputs_through_the_service() -> None:
    library = parrot_library()
    service = parrot_service(library)
    rng = random.Random(3)
    profile = service.add_profile("Ana", "mentee")
    rel = service.add_relationship(profile, "Sam")
    chat = service.open_stage(profile, rel, "parrot")
    problems: list[str] = []
    finished = 0
    edited = False
    for n, text in enumerate(hostile_inputs(10_000, seed=11)):
        if chat.done:
            finished += 1
            if n % 7 == 0:  # now and then new people with hostile names
                profile = service.add_profile(f"Ana {text[:80]}" if text.strip() else "Ana", "mentee")
                rel = service.add_relationship(profile, f"Sam {text[:80]}" if text.strip() else "Sam")
            chat, edited = service.open_stage(profile, rel, "parrot"), False
        question = chat.question()
        edited = edited or (question is not None and question.type == "draft")
        before = len(chat.conversation.entries)
        try:
            turn = service.answer(chat, text)
        except Exception as error:  # a crash is a finding, with its input
            problems.append(f"crash {error!r} on {text[:80]!r}")
            chat = service.open_stage(profile, rel, "parrot")
            continue
        entries = chat.conversation.entries
        if len(entries) > before and entries[before].kind == "answer" and entries[before].text != text:
            problems.append(f"stored {entries[before].text[:40]!r} for {text[:40]!r}")
        check_turn(turn, text, problems, edited=edited)
        if n % 100 == 0 and text.strip() and not text.strip().startswith("/"):
            # Every 100th: a whole conversation with this answer in it, so its documents hold it.
            chat, edited = service.open_stage(profile, rel, "parrot"), False
            for answer in (text, f"{text}; b", *PARROT_PATH[2:]):
                check_turn(service.answer(chat, answer), answer, problems)
        if rng.random() < 0.03:  # help, the summary and going back, on hostile answers
            for command in ("/summary", "/help", "/back"):
                check_turn(service.answer(chat, command), command, problems, edited=edited)
    assert problems == [], f"{len(problems)} problems, first: {problems[:5]}"
    assert finished > 80  # the documents were made (and checked) many times over


def _plain(data_dir: Path, lines: list[str]) -> str:
    args = argparse.Namespace(flow="parrot", role=None, data_dir=data_dir, flow_dirs=[FLOWS])
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    assert run_plain(args, stdin=stdin, stdout=out) == 0
    return out.getvalue()


def test_three_hundred_hostile_inputs_through_the_plain_chat(tmp_path: Path) -> None:
    inputs = list(hostile_inputs(300, seed=12, huge_every=100))
    problems: list[str] = []
    for n in range(10):
        batch = inputs[n * 30:(n + 1) * 30]
        first = ["Ana \x1b[2J", "1", "Sam \x9b31m"] if n == 0 else ["", "y"]
        out = _plain(tmp_path, [*first, *batch])
        if found := raw_controls(out):
            problems.append(f"session {n}: {sorted(set(found))[:5]}")
        assert "Traceback" not in out
    assert problems == []


def test_real_plain_chat_processes_take_hostile_bytes(tmp_path: Path) -> None:
    rng = random.Random(13)
    coach = Path(sys.executable).parent / "coach"
    for run in range(3):
        lines = [t.encode("utf-8", "surrogatepass")  # a surrogate as the invalid bytes it would be
                 for t in hostile_inputs(25, seed=20 + run, huge_every=0)]
        lines.insert(rng.randrange(len(lines)), b"caf\xe9 \xff\xfe \x1b[2J \x1b]52;c;aGk=\x07")
        head = [b"Ana \xff", b"1", b"Sam"] if run == 0 else [b"", b"y"]
        stdin = b"\n".join([*head, *lines]) + b"\n"
        result = subprocess.run([str(coach), "chat", "--plain", "--data-dir", str(tmp_path), "--flows", str(FLOWS),
                                 "--flow", "parrot"], input=stdin, capture_output=True, timeout=90,
                                env={**os.environ, "LC_ALL": "C.UTF-8"})
        assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
        assert b"Traceback" not in result.stderr
        out = result.stdout.decode("utf-8")  # valid UTF-8: nothing invalid is echoed back
        assert raw_controls(out) == [], sorted(set(raw_controls(out)))
