"""`coach export` end to end: stages played by the engine into a real data folder, then exported."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from icalendar import Calendar

from coach.app.service import CoachService
from coach.cli.main import main
from coach.content.library import FlowLibrary
from coach.models import Profile, Relationship, Role
from coach.store import Store

CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"


def _play(library: FlowLibrary, store: Store, transcript: str, profile: Profile, relationship: Relationship) -> None:
    case = yaml.safe_load((CONVERSATIONS / f"{transcript}.yaml").read_text(encoding="utf-8"))
    service = CoachService(library, store, today=lambda: date(2026, 11, 27))
    chat = service.start(case["flow"], case["role"], relationship=relationship, profile=profile,
                         conversation_id=transcript)
    for turn in case["turns"]:
        if "user" in turn:
            service.answer(chat, str(turn["user"]))
    assert chat.done


@pytest.fixture(scope="module")
def _data_dir_template(tmp_path_factory: pytest.TempPathFactory, library: FlowLibrary) -> Path:
    """A mentee in Lisbon with two mentors: Sam (fit check + commitment) and Priya (a fit check)."""
    root = tmp_path_factory.mktemp("export") / "data"
    with Store(root) as store:
        me = store.save_profile(Profile(name="Ana", role=Role.mentee, timezone="Europe/Lisbon"))
        sam = store.save_relationship(Relationship(id="5a11e0000000", profile_id=me.id, other_name="Sam",
                                                  mentee_name="Ana", mentor_name="Sam"))
        priya = store.save_relationship(Relationship(id="9f1a00000000", profile_id=me.id, other_name="Priya Nair",
                                                    mentee_name="Ana", mentor_name="Priya Nair"))
        _play(library, store, "fit_check_mentee_happy", me, sam)
        _play(library, store, "commitment_mentee_happy", me, sam)
        _play(library, store, "fit_check_mentee_probe_back", me, priya)
    return root


@pytest.fixture
def data_dir(_data_dir_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the data folder for each test."""
    return Path(shutil.copytree(_data_dir_template, tmp_path / "data"))


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COACH_DATA_DIR", raising=False)
    yield


def _export(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, list[str], str]:
    code = main(["export", "--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_markdown_by_default_one_folder_per_relationship(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, err = _export(capsys, data_dir)
    assert (code, err) == (0, "")
    assert [Path(line).parent.as_posix() for line in lines] == ["coach-export/sam"] * 3 + ["coach-export/priya-nair"]
    names = sorted(p.relative_to(tmp_path / "coach-export").as_posix() for p in (tmp_path / "coach-export").rglob("*"))
    day = Path(lines[0]).name[:10]
    assert names == [
        ".coach-export.json",  # what coach wrote: an edit since is never overwritten without --force
        "priya-nair", f"priya-nair/{day}-fit_check-fit_report.md",
        "sam", f"sam/{day}-commitment-meeting_agenda.md", f"sam/{day}-commitment-mentoring_agreement.md",
        f"sam/{day}-fit_check-fit_report.md",
    ]
    report = (tmp_path / "coach-export" / "sam" / f"{day}-fit_check-fit_report.md").read_text(encoding="utf-8")
    assert report.startswith("# Fit report\n") and "**Recommendation: Talk first**" in report


def test_one_relationship_by_name_or_id(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _export(capsys, data_dir, "--relationship", "priya nair", "--out", "out")
    assert code == 0 and len(lines) == 1 and lines[0].startswith("out/priya-nair/")
    code, lines, _ = _export(capsys, data_dir, "--relationship", "5a11", "--out", str(tmp_path / "abs"))
    assert code == 0 and len(lines) == 3 and all(line.startswith(str(tmp_path / "abs" / "sam")) for line in lines)


def test_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _export(capsys, data_dir, "--format", "json", "--relationship", "Sam")
    assert code == 0 and all(line.endswith(".json") for line in lines)
    agreement = json.loads(Path(next(line for line in lines if "mentoring_agreement" in line)).read_text())
    assert agreement["relationship_id"] == "5a11e0000000"
    assert agreement["data"]["cadence"] == "fortnightly"


def test_ics(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _export(capsys, data_dir, "--format", "ics")
    assert (code, err) == (0, "")
    assert len(lines) == 1 and lines[0].endswith("-commitment-mentoring_agreement.ics")
    cal = Calendar.from_ical(Path(lines[0]).read_bytes())
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Mentoring: Ana & Sam"
    assert (event["ORGANIZER"].params["CN"], event["ATTENDEE"].params["CN"]) == ("Ana", "Sam")
    # in Ana's time zone (her profile's), which the file defines; the series' end in UTC
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 17, 30, tzinfo=ZoneInfo("Europe/Lisbon"))
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Lisbon"]
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270603T225959Z;INTERVAL=2"
    assert len(event.walk("VALARM")) == 1


def test_ics_without_an_agreement_says_so(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _export(capsys, data_dir, "--format", "ics", "--relationship", "Priya Nair")
    assert (code, lines) == (1, [])
    assert err == ("coach: no meeting to put in a calendar for Priya Nair yet — the commitment stage's agreement "
                   "sets one up\n")


def test_nothing_to_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _export(capsys, tmp_path / "empty")
    assert (code, lines) == (1, [])
    assert err == "coach: no artifacts to export yet — finish a stage in `coach chat` first\n"
    assert not (tmp_path / "coach-export").exists()


def test_user_mistakes_are_one_line_errors(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _export(capsys, data_dir, "--relationship", "Alex")
    assert code == 2 and err == "coach: --relationship: no relationship with 'Alex' (yours: Priya Nair, Sam)\n"
    (tmp_path / "a-file").write_text("x")
    code, _, err = _export(capsys, data_dir, "--out", "a-file")
    assert code == 2 and err == "coach: --out a-file: exists and is not a folder\n"
    with pytest.raises(SystemExit) as exc:
        main(["export", "--format", "pdf"])
    assert exc.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_ambiguous_names_ask_for_the_id(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(data_dir) as store:
        (me,) = store.list_profiles()
        store.save_relationship(Relationship(id="5a11e0000001", profile_id=me.id, other_name="sam",
                                             mentee_name="Ana", mentor_name="sam"))
    code, _, err = _export(capsys, data_dir, "--relationship", "SAM")
    assert code == 2
    assert err == ("coach: --relationship 'SAM' matches more than one relationship: Sam (5a11e0000000), "
                   "sam (5a11e0000001); use the id\n")
    code, lines, _ = _export(capsys, data_dir, "--relationship", "5a11e0000000")
    assert code == 0 and len(lines) == 3
