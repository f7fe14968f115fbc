"""Export file safety: never over an edit without --force, temp files that follow no planted link,
nothing written through a link out of --out, private files whatever the umask, long names shortened."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

import pytest

from coach.app.documents import ChatExports, write_export
from coach.app.errors import AppError
from coach.app.writing import MANIFEST, ExportConflict
from coach.cli.main import main
from coach.export import ExportFile, export_artifacts, fit_name, folder_name
from coach.models import Artifact, ConversationHeader, Effects, LogEntry, Profile, Relationship, Role
from coach.store import Store

MADE = datetime(2026, 11, 27, 12, tzinfo=UTC)


def _files(text: str = "# Report\n") -> list[ExportFile]:
    return [ExportFile(PurePosixPath("sam/2026-11-27-fit_check-fit_report.md"), text.encode("utf-8"))]


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_a_file_coach_wrote_is_replaced_an_edited_one_is_not(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (path,) = write_export(out, _files("# Report v1\n"))
    assert write_export(out, _files("# Report v2\n")) == [path]  # unchanged since coach wrote it: replaced
    assert path.read_text(encoding="utf-8") == "# Report v2\n"
    path.write_text("# Report v2\n\nMy own notes.\n", encoding="utf-8")  # the user edits it
    with pytest.raises(ExportConflict) as raised:
        write_export(out, _files("# Report v3\n"))
    message = str(raised.value)
    assert "\n" not in message and str(path) in message and "--force" in message
    assert path.read_text(encoding="utf-8") == "# Report v2\n\nMy own notes.\n"  # nothing was written
    assert write_export(out, _files("# Report v3\n"), force=True) == [path]
    assert path.read_text(encoding="utf-8") == "# Report v3\n"


def test_a_file_coach_never_wrote_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "sam").mkdir(parents=True)
    theirs = out / "sam" / "2026-11-27-fit_check-fit_report.md"
    theirs.write_text("someone else's file\n", encoding="utf-8")
    with pytest.raises(ExportConflict):
        write_export(out, _files())
    assert theirs.read_text(encoding="utf-8") == "someone else's file\n"


def test_exported_files_are_private_whatever_the_umask(tmp_path: Path, umask_022: None) -> None:
    (path,) = write_export(tmp_path / "out", _files())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    chat = ChatExports(tmp_path / "chat", today=lambda: MADE.date()).markdown("fit_check-conversation", "# Hi")
    assert stat.S_IMODE(chat.stat().st_mode) == 0o600


def test_a_planted_temp_link_is_never_followed(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    (out / "sam").mkdir(parents=True)
    name = "2026-11-27-fit_check-fit_report.md"
    for planted in (f".{name}.tmp", ".coach-export.json.tmp", f".{name}", f"{name}.tmp"):  # names a writer might use
        (out / "sam" / planted).symlink_to(outside)
    (path,) = write_export(out, _files())
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert path.read_text(encoding="utf-8") == "# Report\n" and not path.is_symlink()


@pytest.mark.parametrize("where", ["folder", "file"])
def test_nothing_is_written_through_a_link_out_of_out(tmp_path: Path, where: str) -> None:
    out, outside = tmp_path / "out", tmp_path / "elsewhere"
    outside.mkdir()
    out.mkdir()
    if where == "folder":
        (out / "sam").symlink_to(outside, target_is_directory=True)
    else:
        (out / "sam").mkdir()
        (out / "sam" / "2026-11-27-fit_check-fit_report.md").symlink_to(outside / "report.md")
    with pytest.raises(AppError, match="symbolic link that leads out of"):
        write_export(out, _files())
    assert list(outside.iterdir()) == []


def test_a_link_inside_out_is_fine(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "real").mkdir(parents=True)
    (out / "sam").symlink_to(out / "real", target_is_directory=True)
    write_export(out, _files())
    assert (out / "real" / "2026-11-27-fit_check-fit_report.md").read_text(encoding="utf-8") == "# Report\n"


@pytest.mark.parametrize("name", ["a" * 300, "Ñandú " * 60, "名前" * 150, "x" * 299 + "é"])
def test_over_long_names_are_shortened_stably_and_uniquely(name: str) -> None:
    short = fit_name(name)
    assert len(short.encode("utf-8")) <= 120 and short == fit_name(name)
    assert fit_name(name + "!") != short  # a different long name: a different short one
    folder = folder_name(name)
    assert len(folder.encode("utf-8")) <= 64 and folder == folder_name(name)
    assert fit_name("report.md") == "report.md"
    assert fit_name("r" * 300 + ".md").endswith(".md")


def test_a_300_character_name_exports(tmp_path: Path) -> None:
    long_name = "Maximiliana " * 25  # 300 characters
    art = Artifact(stage="fit_check" * 30, kind="fit_report", title="Fit report", markdown="# Fit report",
                   created_at=MADE)
    files = export_artifacts([art], "md", folder=folder_name(long_name))
    (path,) = write_export(tmp_path / "out", files)
    assert all(len(part.encode("utf-8")) < 255 for part in path.relative_to(tmp_path).parts)
    assert path.read_text(encoding="utf-8").startswith("# Fit report")
    chat = ChatExports(tmp_path / "chat", today=lambda: MADE.date())
    (doc,) = chat.documents([art], long_name)
    assert doc.exists() and all(len(part) < 255 for part in doc.parts)


def test_the_cli_refuses_to_overwrite_an_edit_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    with Store(data) as store:
        me = store.save_profile(Profile(name="Ana", role=Role.mentee))
        rel = store.save_relationship(Relationship(profile_id=me.id, other_name="Sam " * 80, mentee_name="Ana",
                                                   mentor_name="Sam"))
        store.create_conversation(_header(rel.id))
        store.append_entry("c1", _entry_with_report(rel.id))
    assert main(["export", "--data-dir", str(data), "--out", "out"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    path = tmp_path / line
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and (tmp_path / "out" / MANIFEST).exists()
    assert main(["export", "--data-dir", str(data), "--out", "out"]) == 0  # again, unchanged: fine
    capsys.readouterr()
    path.write_text("edited\n", encoding="utf-8")
    assert main(["export", "--data-dir", str(data), "--out", "out"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("coach: ") and "--force" in err and "Traceback" not in err
    assert path.read_text(encoding="utf-8") == "edited\n"
    assert main(["export", "--data-dir", str(data), "--out", "out", "--force"]) == 0
    assert path.read_text(encoding="utf-8").startswith("# Fit report")


def _header(relationship_id: str) -> ConversationHeader:
    return ConversationHeader(id="c1", flow_id="fit_check", flow_hash="h", role=Role.mentee,
                              relationship_id=relationship_id)


def _entry_with_report(relationship_id: str) -> LogEntry:
    art = Artifact(id="a1", relationship_id=relationship_id, session_id="c1", stage="fit_check", kind="fit_report",
                   title="Fit report", markdown="# Fit report\n\nBody", created_at=MADE)
    return LogEntry(seq=1, kind="answer", text="yes", prompt="fit_check.q1", at=MADE, today=date(2026, 11, 27),
                    effects=Effects(artifacts=[art]))
