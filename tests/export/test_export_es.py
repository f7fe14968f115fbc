"""`coach --lang es export`: a document a Spanish conversation wrote comes out as it was written, the
calendar of an agreement is worded from prompts/es/export.yaml (whatever language the agreement was made
in), and the export's own one-line texts are Spanish."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar

from coach.app.service import CoachService
from coach.cli.main import main
from coach.content.library import FlowLibrary
from coach.models import Artifact, ConversationHeader, Effects, LogEntry, Profile, Relationship, Role
from coach.store import Store

CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"
MADE = datetime(2026, 11, 27, 12, tzinfo=UTC)
REPORT = "# Informe de encaje\n\n*Cómo se ve esta pareja de mentoría desde el lado del mentee.*\n"


def _play(library: FlowLibrary, store: Store, transcript: str, locale: str, profile: Profile,
          relationship: Relationship) -> None:
    case = yaml.safe_load((CONVERSATIONS / f"{transcript}.yaml").read_text(encoding="utf-8"))
    service = CoachService(library, store, today=lambda: date(2026, 11, 27), locale=locale)
    chat = service.start(case["flow"], case["role"], relationship=relationship, profile=profile,
                         conversation_id=transcript.replace("/", "_"))
    for turn in case["turns"]:
        if "user" in turn:
            service.answer(chat, str(turn["user"]))
    assert chat.done, transcript


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory, library: FlowLibrary) -> Path:
    """Lucía (a mentee in Madrid) with Javier: a fit report written in Spanish, and a commitment made in
    English."""
    root = tmp_path_factory.mktemp("export_es") / "data"
    with Store(root) as store:
        me = store.save_profile(Profile(name="Lucía", role=Role.mentee, timezone="Europe/Madrid"))
        rel = store.save_relationship(Relationship(id="7e5a00000000", profile_id=me.id, other_name="Javier",
                                                   mentee_name="Lucía", mentor_name="Javier"))
        report = Artifact(id="es-report", relationship_id=rel.id, session_id="es1", stage="fit_check",
                          kind="fit_report", title="Informe de encaje", markdown=REPORT, created_at=MADE)
        store.create_conversation(ConversationHeader(id="es1", flow_id="fit_check", flow_hash="h", role=Role.mentee,
                                                     relationship_id=rel.id, started_at=MADE, locale="es"))
        store.append_entry("es1", LogEntry(seq=1, kind="answer", text="sí", prompt="fit_check.ask_goal", at=MADE,
                                           today=MADE.date(), effects=Effects(artifacts=[report])), done=True)
        _play(library, store, "commitment_mentee_happy", "en", me, rel)
        store.save_profile(me.model_copy(update={"locale": "es"}))  # since then, she uses the coach in Spanish
    return root


@pytest.fixture
def data_dir(_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(_template, tmp_path / "data"))


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COACH_DATA_DIR", raising=False)
    monkeypatch.delenv("COACH_LANG", raising=False)
    yield


def _export(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, list[str], str]:
    code = main(["--lang", "es", "export", "--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_a_spanish_document_comes_out_as_written(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _export(capsys, data_dir)
    assert (code, err) == (0, "")
    (report,) = [Path(line) for line in lines if line.endswith("-fit_check-fit_report.md")]
    assert report.read_text(encoding="utf-8") == REPORT


def test_the_calendar_is_worded_in_spanish(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _export(capsys, data_dir, "--format", "ics")
    assert (code, err) == (0, "")
    (event,) = Calendar.from_ical(Path(lines[0]).read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Mentoría: Lucía y Javier"
    assert str(event["LOCATION"]) == "Videollamada"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Reunión de Lucía (mentee) con Javier (mentor).\n"
                                  "Acordada a las 17:30, hora de Europe/Madrid.\n\n"
                                  "Propósito: Get ready to lead a team of four")  # the purpose as it was typed
    for heading in ("Objetivos:\n- ", "Agenda de la primera reunión (después de repasar los compromisos):\n- ",
                    "Preparación:\n- ", "Si alguno de los dos necesita mover una reunión: "):
        assert heading in description, heading
    for english in ("Mentoring", "Purpose", "Goals", "Agreed for", "Video call", "Preparation"):
        assert english not in str(event.to_ical().decode()), english
    (alarm,) = event.walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == "Mentoría: Lucía y Javier — dentro de 30 minutos"


def test_without_lang_the_profile_s_language_is_used(
        data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    assert main(["export", "--data-dir", str(data_dir), "--format", "ics"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    (event,) = Calendar.from_ical(Path(line).read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Mentoría: Lucía y Javier"


def test_the_export_s_mistakes_are_one_spanish_line(data_dir: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _export(capsys, data_dir, "--relationship", "Nadie")
    assert (code, lines) == (2, [])
    assert err == "coach: --relationship: no tienes ninguna relación con 'Nadie' (las tuyas: Javier)\n"
    code, _, err = _export(capsys, tmp_path / "empty")
    assert (code, err) == (1, "coach: todavía no hay documentos que exportar: termina primero una etapa en "
                              "`coach chat`\n")
