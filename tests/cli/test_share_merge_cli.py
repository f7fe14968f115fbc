"""`coach share` and `coach merge` through the real command line, in subprocesses: two data
folders (a mentee's and a mentor's) exchange fit checks as files and each gets the joint report;
bad packets are one line, exit code 1, nothing stored."""

from __future__ import annotations

import json
import os
import pty
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.content.library import FlowLibrary

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
from partnership_helpers import fit_checked_pair, snapshot

ROOT = Path(__file__).resolve().parents[2]


def _coach(*args: str, cwd: Path, stdin: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("COACH_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "coach.cli.main", *args], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=120, stdin=stdin if stdin is not None else subprocess.DEVNULL)


def _one_error_line(done: subprocess.CompletedProcess[str], text: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach: ") and text in lines[0], done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def folders(library: FlowLibrary, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    ana, sam = fit_checked_pair(library, tmp_path)
    ana.close()
    sam.close()
    yield ana.folder, sam.folder


def test_two_people_exchange_fit_checks_by_file(folders: tuple[Path, Path], tmp_path: Path) -> None:
    ana, sam = folders
    shared = _coach("--data-dir", str(ana), "share", "fit_check", "--yes", "--out", "ana.coach", cwd=tmp_path)
    assert shared.returncode == 0, shared.stderr
    assert "This is what Sam Okafor will see of your Fit check" in shared.stdout
    assert "Wrote ana.coach for Sam Okafor" in shared.stdout and "coach merge ana.coach" in shared.stdout
    packet = tmp_path / "ana.coach"
    assert stat.S_IMODE(packet.stat().st_mode) == 0o600
    assert b"waste her time" not in packet.read_bytes()
    back = _coach("--data-dir", str(sam), "share", "fit_check", "--yes", "--out", "sam.coach", cwd=tmp_path)
    assert back.returncode == 0, back.stderr

    merged = _coach("--data-dir", str(sam), "merge", "ana.coach", cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr
    assert "Merged Ana Lima's Fit check" in merged.stdout and "joint fit report" in merged.stdout
    assert _coach("--data-dir", str(ana), "merge", "sam.coach", cwd=tmp_path).returncode == 0

    reports = []
    for folder, other in ((ana, "sam-okafor"), (sam, "ana-lima")):
        out = tmp_path / f"export-{folder.name}"
        done = _coach("--data-dir", str(folder), "export", "--out", str(out), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        (report,) = (out / other).glob("*joint_fit_report.md")
        reports.append(report.read_text(encoding="utf-8"))
    assert reports[0] == reports[1]
    assert "| Goals and vision | Partial | Strong | One step apart |" in reports[0]
    assert "**Recommendation for the two of you: Talk first**" in reports[0]


def test_share_asks_what_to_leave_out_at_a_terminal(folders: tuple[Path, Path], tmp_path: Path) -> None:
    ana, _ = folders
    main, secondary = pty.openpty()
    try:
        os.write(main, b"abc\n1 2\n")  # a wrong answer first: asked again
        done = _coach("--data-dir", str(ana), "share", "fit_check", "--out", "ana.coach", cwd=tmp_path,
                      stdin=secondary)
    finally:
        os.close(main)
        os.close(secondary)
    assert done.returncode == 0, done.stderr
    assert "Type the numbers of anything to leave out" in done.stdout
    assert "“abc” is not a list of item numbers" in done.stderr
    assert "Left out: 1, 2." in done.stdout
    slots = {a["slot"] for a in json.loads((tmp_path / "ana.coach").read_bytes())["stages"][0]["answers"]}
    assert "goal" not in slots and "vision" not in slots and "cadence" in slots


def test_share_without_a_terminal_needs_yes(folders: tuple[Path, Path], tmp_path: Path) -> None:
    ana, _ = folders
    done = _coach("--data-dir", str(ana), "share", "fit_check", "--out", "ana.coach", cwd=tmp_path)
    _one_error_line(done, "the preview needs a terminal to answer: nothing was written; run again with --yes")
    assert not (tmp_path / "ana.coach").exists()


def test_share_never_writes_over_a_file(folders: tuple[Path, Path], tmp_path: Path) -> None:
    ana, _ = folders
    (tmp_path / "ana.coach").write_text("mine", encoding="utf-8")
    done = _coach("--data-dir", str(ana), "share", "fit_check", "--yes", "--out", "ana.coach", cwd=tmp_path)
    _one_error_line(done, "ana.coach already exists: nothing was written")
    assert (tmp_path / "ana.coach").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("case", ["edited", "own", "not json", "newer"])
def test_a_bad_packet_is_one_line_exit_1_and_nothing_stored(folders: tuple[Path, Path], tmp_path: Path,
                                                             case: str) -> None:
    ana, sam = folders
    assert _coach("--data-dir", str(sam), "share", "fit_check", "--yes", "--out", "sam.coach",
                  cwd=tmp_path).returncode == 0
    packet = tmp_path / "sam.coach"
    data = json.loads(packet.read_bytes())
    folder, expected = ana, ""
    if case == "edited":
        data["stages"][0]["answers"][0]["shown"] = "something else"
        packet.write_text(json.dumps(data), encoding="utf-8")
        expected = "was changed after it was written (its checksum does not match)"
    elif case == "own":
        folder, expected = sam, "is your own packet (from Sam Okafor, mentor)"
    elif case == "not json":
        packet.write_bytes(b"\x1b[2J not a packet")
        expected = "is not a packet: it is not JSON"
    else:
        data["version"] = 9
        packet.write_text(json.dumps(data), encoding="utf-8")
        expected = "is a packet of version 9, from a newer coach"
    before = snapshot(folder)
    done = _coach("--data-dir", str(folder), "merge", "sam.coach", cwd=tmp_path)
    _one_error_line(done, expected)
    assert snapshot(folder) == before


def test_coach_sign_signs_the_joint_agreement_and_writes_the_packet(library: FlowLibrary, tmp_path: Path) -> None:
    ana_side, sam_side = fit_checked_pair(library, tmp_path)
    ana_side.play("commitment_mentee_happy")
    sam_side.play("commitment_mentor_happy")
    ana_side.close()
    sam_side.close()
    ana, sam = ana_side.folder, sam_side.folder
    early = _coach("--data-dir", str(ana), "sign", "commitment", "--yes", cwd=tmp_path)
    _one_error_line(early, "there is no agreement to sign yet: Sam Okafor has not shared their Commitment")
    assert _coach("--data-dir", str(ana), "share", "commitment", "--yes", "--out", "a.coach", cwd=tmp_path
                  ).returncode == 0
    assert _coach("--data-dir", str(sam), "merge", "a.coach", cwd=tmp_path).returncode == 0
    unasked = _coach("--data-dir", str(sam), "sign", "commitment", cwd=tmp_path)
    _one_error_line(unasked, "the preview needs a terminal to answer")
    signed = _coach("--data-dir", str(sam), "sign", "commitment", "--yes", "--out", "s.coach", cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    assert "## Sam Okafor commits to" in signed.stdout and "Signed. Wrote s.coach for Ana Lima" in signed.stdout
    merged = _coach("--data-dir", str(ana), "merge", "s.coach", cwd=tmp_path)
    assert merged.returncode == 0 and "Sam Okafor has signed it" in merged.stdout
