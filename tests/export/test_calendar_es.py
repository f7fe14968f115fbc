"""A commitment stage finished in Spanish gives an .ics in Spanish: the event's SUMMARY, DESCRIPTION,
LOCATION and reminder are worded from prompts/es/export.yaml (coach.export takes them as Words), and
nothing English is left in them, neither the calendar's words nor the agreement's (its agenda items are
worded by prompts/es/reports.yaml).

The agreement is the one tests/conversations/es/commitment_mentee_happy.yaml leaves (Lucía Fernández,
mentee, with Javier Morales: every two weeks by video call at 17:30, the first on Thursday 3 December 2026)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from icalendar import Calendar
from test_conversations import play

from coach.app.documents import words
from coach.app.partnership import Texts
from coach.content.library import FlowLibrary
from coach.export import meeting_calendar
from coach.models import Artifact

CASE = Path(__file__).resolve().parent.parent / "conversations" / "es" / "commitment_mentee_happy.yaml"
MADE_AT = datetime(2026, 11, 27, 18, 30, tzinfo=UTC)

# English that must not be left in a Spanish calendar entry, in the calendar's own words or the agreement's.
ENGLISH = [r"\bMentoring\b", r"\bmeeting\b", r"\bPurpose\b", r"\bGoals\b", r"\bAgenda for\b", r"\bPreparation\b",
           r"\bIf one of us\b", r"\bAgreed for\b", r"\btime\.", r"\bVideo call\b", r"\bminutes\b", r"\bWith\b",
           r"\bdesired outcome\b"]


_PLAYED: dict[str, Artifact] = {}


def _agreement(library: FlowLibrary) -> Artifact:
    """The Spanish commitment transcript played to its end (its own checks run in test_conversations.py)."""
    if "es" in _PLAYED:
        return _PLAYED["es"]
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    answers = [{"user": t["user"]} for t in case["turns"] if "user" in t]  # its checks are test_conversations'
    _, produced, conv = play(library, {**case, "turns": answers, "final": {}}, "es/commitment_mentee_happy")
    conv.close()
    arts = [a for a in produced.artifacts.values() if a.kind == "mentoring_agreement"]
    assert arts, "the Spanish commitment stage left no agreement"
    _PLAYED["es"] = arts[0].model_copy(update={"id": "es-agreement", "created_at": MADE_AT,
                                                "timezone": "Europe/Madrid"})
    return _PLAYED["es"]


def _event(library: FlowLibrary) -> Any:
    """The VEVENT of the .ics the Spanish agreement exports to, worded in Spanish."""
    ics = meeting_calendar(_agreement(library), words(Texts(library.prompts, "es")))
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    return event


def _text(value: Any) -> str:
    return str(value).replace("\r\n", "\n")


def test_spanish_agreement_gives_a_spanish_calendar_entry(library: FlowLibrary) -> None:
    event = _event(library)
    assert _text(event["SUMMARY"]) == "Mentoría: Lucía Fernández y Javier Morales"
    assert _text(event["LOCATION"]) == "Videollamada"
    description = _text(event["DESCRIPTION"])
    for pattern in [
        r"^Reunión de Lucía Fernández \(mentee\) con Javier Morales \(mentor\)\.\n",
        r"Acordada a las 17:30, hora de Europe/Madrid\.",
        r"Propósito: Prepararme para dirigir un equipo de cuatro personas",
        r"Objetivos:\n- Dirigir mi primera retrospectiva de equipo antes de febrero\n",
        r"Agenda de la primera reunión \(después de repasar los compromisos\):\n- Conflictos en el equipo",
        r"Preparación:\n- yo: una actualización de una página\n- mentor: leer mi borrador de la hoja de ruta",
        r"Si alguno de los dos necesita mover una reunión: Quien necesite cambiarla avisa con un día de antelación",
    ]:
        assert re.search(pattern, description, re.M), f"/{pattern}/ not in the DESCRIPTION:\n{description}"
    (alarm,) = event.walk("VALARM")
    assert _text(alarm["DESCRIPTION"]) == "Mentoría: Lucía Fernández y Javier Morales — dentro de 30 minutos"


def test_spanish_calendar_entry_has_no_english(library: FlowLibrary) -> None:
    event = _event(library)
    (alarm,) = event.walk("VALARM")
    texts = {"SUMMARY": event["SUMMARY"], "LOCATION": event["LOCATION"], "DESCRIPTION": event["DESCRIPTION"],
             "VALARM DESCRIPTION": alarm["DESCRIPTION"]}
    left = {name: pattern for name, value in texts.items() for pattern in ENGLISH if re.search(pattern, _text(value))}
    assert not left, f"English left in the Spanish calendar entry: {left}\n{_text(event['DESCRIPTION'])}"
