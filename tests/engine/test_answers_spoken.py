"""Answers said the way people say them, in English and Spanish: numbers with their units ("an hour and a
half", "un año"), spoken times ("half past five pm", "a las cinco y media de la tarde") and dates ("el 3/12",
"next month")."""

from __future__ import annotations

from datetime import date

import pytest

from coach.content.lexicon import Lexicon
from coach.content.library import FlowLibrary
from coach.content.schema import Slot, SlotType
from coach.engine import answers

EN, ES = Lexicon.load("en"), Lexicon.load("es")
TODAY = date(2026, 12, 2)  # a Wednesday
MINUTES = Slot(type=SlotType.number, unit="minutes", min=15, max=180)
MONTHS = Slot(type=SlotType.number, unit="months", min=1, max=24)
HOURS = Slot(type=SlotType.number, unit="hours", min=0.5, max=40)


# --- numbers with units -------------------------------------------------------------------------


@pytest.mark.parametrize(("said", "n"), [
    ("1 hour", 60), ("an hour", 60), ("An hour.", 60), ("about an hour", 60), ("an hour and a half", 90),
    ("one and a half hours", 90), ("1.5 hours", 90), ("1h30", 90), ("1h 15", 75), ("1 hour 30 minutes", 90),
    ("1 hour and 30 minutes", 90), ("45 min", 45), ("45min", 45), ("half an hour", 30),
    ("a quarter of an hour", 15), ("two hours", 120), ("90", 90), ("45", 45),
])
def test_english_minutes_are_read_with_their_unit(said: str, n: int) -> None:
    assert answers.parse(MINUTES, said, TODAY, EN) == n


@pytest.mark.parametrize(("said", "n"), [
    ("una hora", 60), ("1 hora", 60), ("hora y media", 90), ("una hora y media", 90), ("1h30", 90),
    ("1 hora y 30 minutos", 90), ("45 minutos", 45), ("45 min", 45), ("unos 45 min", 45), ("media hora", 30),
    ("tres cuartos de hora", 45), ("un cuarto de hora", 15), ("dos horas", 120), ("un par de horas", 120),
    ("noventa minutos", 90), ("90", 90),
])
def test_spanish_minutes_are_read_with_their_unit(said: str, n: int) -> None:
    assert answers.parse(MINUTES, said, TODAY, ES) == n


@pytest.mark.parametrize(("lex", "said", "n"), [
    (EN, "one year", 12), (EN, "a year", 12), (EN, "two years", 24), (EN, "half a year", 6),
    (EN, "a year and a half", 18), (EN, "18 months", 18), (EN, "6", 6), (EN, "six months", 6),
    (ES, "un año", 12), (ES, "un ano", 12), (ES, "dos años", 24), (ES, "medio año", 6), (ES, "un año y medio", 18),
    (ES, "año y medio", 18), (ES, "1 año y 6 meses", 18), (ES, "seis meses", 6), (ES, "6", 6),
])
def test_months_are_read_with_years(lex: Lexicon, said: str, n: int) -> None:
    assert answers.parse(MONTHS, said, TODAY, lex) == n


def test_a_slot_in_hours_reads_minutes_as_parts_of_an_hour() -> None:
    assert answers.parse(HOURS, "90 minutes", TODAY, EN) == 1.5
    assert answers.parse(HOURS, "hora y media", TODAY, ES) == 1.5
    assert answers.parse(HOURS, "3", TODAY, EN) == 3


@pytest.mark.parametrize(("lex", "said"), [(EN, "6 weeks"), (ES, "6 semanas"), (ES, "diez días")])
def test_weeks_and_days_are_not_turned_into_months_but_asked_again_in_months(lex: Lexicon, said: str) -> None:
    with pytest.raises(answers.Invalid) as e:
        answers.parse(MONTHS, said, TODAY, lex)
    assert e.value.reason == "number_unit.months"


@pytest.mark.parametrize(("lex", "said"), [(EN, "a few hours"), (EN, "2 hours, maybe 3"), (EN, "1h75"),
                                           (ES, "unas horas"), (ES, "2 horas o 3")])
def test_an_amount_that_is_no_one_number_is_asked_again(lex: Lexicon, said: str) -> None:
    with pytest.raises(answers.Invalid) as e:
        answers.parse(MINUTES, said, TODAY, lex)
    assert e.value.reason == "number"


def test_the_bounds_apply_to_the_converted_amount() -> None:
    with pytest.raises(answers.Invalid) as e:
        answers.parse(MINUTES, "4 hours", TODAY, EN)
    assert e.value.reason == "number_max"
    with pytest.raises(answers.Invalid) as e:
        answers.parse(MONTHS, "tres años", TODAY, ES)
    assert e.value.reason == "number_max"


def test_a_number_slot_without_a_unit_reads_as_before() -> None:
    plain = Slot(type=SlotType.number)
    assert answers.parse(plain, "1 hour", TODAY, EN) == 1
    assert answers.parse(plain, "noventa minutos", TODAY, ES) == 90


def test_the_commitment_flow_measures_its_meeting_length_and_duration(library: FlowLibrary) -> None:
    flow = library.flow("commitment")
    assert flow.slots["meeting_minutes"].unit == "minutes"
    assert flow.slots["duration_months"].unit == "months"


def test_a_unit_belongs_to_number_slots_only() -> None:
    with pytest.raises(ValueError, match="unit only applies to number slots"):
        Slot(type=SlotType.scale, unit="minutes")
    with pytest.raises(ValueError):
        Slot(type=SlotType.number, unit="lightyears")  # type: ignore[arg-type]


# --- spoken times -------------------------------------------------------------------------------

TIME = Slot(type=SlotType.time)


@pytest.mark.parametrize(("said", "clock"), [
    ("17:30", "17:30"), ("5:30pm", "17:30"), ("5:30 pm", "17:30"), ("8.15am", "08:15"), ("14.00", "14:00"),
    ("5:30", "05:30"),  # written with its minutes: the 24-hour clock, as before
    ("17h", "17:00"), ("17h30", "17:30"), ("5pm", "17:00"), ("half past five pm", "17:30"),
    ("half past five", "17:30"), ("a quarter to six", "17:45"), ("ten past five", "17:10"), ("five thirty", "17:30"),
    ("noon", "12:00"), ("midday", "12:00"), ("at 5", "17:00"), ("at 9 in the morning", "09:00"),
    ("at nine", "09:00"), ("12am", "00:00"), ("twelve", "12:00"),
])
def test_english_times_of_day(said: str, clock: str) -> None:
    assert answers.parse(TIME, said, TODAY, EN) == clock


@pytest.mark.parametrize(("said", "clock"), [
    ("a las cinco y media de la tarde", "17:30"), ("17h", "17:00"), ("las 18:00", "18:00"),
    ("a las 9 de la mañana", "09:00"), ("a las 9 de la manana", "09:00"), ("a las cinco", "17:00"),
    ("a las 5", "17:00"), ("a la una", "13:00"), ("la una del mediodía", "13:00"), ("a las seis menos cuarto", "17:45"),
    ("las cinco y diez", "17:10"), ("a las nueve y cuarto", "09:15"), ("mediodía", "12:00"),
    ("a las diez de la noche", "22:00"), ("las 7 y media", "19:30"), ("17:30", "17:30"), ("8:15", "08:15"),
])
def test_spanish_times_of_day(said: str, clock: str) -> None:
    assert answers.parse(TIME, said, TODAY, ES) == clock


@pytest.mark.parametrize(("lex", "said"), [
    (EN, "5"), (EN, "17"), (EN, "25:00"), (EN, "13pm"), (EN, "half five"), (EN, "after lunch"), (EN, "5:61"),
    (ES, "después de comer"), (ES, "5"), (ES, "a las 25"), (ES, "por la tarde"),
])
def test_what_is_no_time_of_day_is_asked_again(lex: Lexicon, said: str) -> None:
    with pytest.raises(answers.Invalid) as e:
        answers.parse(TIME, said, TODAY, lex)
    assert e.value.reason == "time"


def test_a_time_without_its_part_of_day_is_taken_in_business_hours() -> None:
    """1 to 7 said without am/pm or "de la tarde" is in the afternoon; 8 to 12 as said."""
    assert [answers.parse_time(f"a las {h}", ES) for h in (7, 8, 12)] == ["19:00", "08:00", "12:00"]
    assert answers.parse_time("at 7 in the morning", EN) == "07:00"
    assert answers.parse_time("a las 7 de la mañana", ES) == "07:00"


def test_the_meeting_time_is_a_time_slot_the_calendar_reads(library: FlowLibrary) -> None:
    from coach.engine.dates import clock_time

    slot = library.flow("commitment").slots["meeting_time"]
    assert slot.type == SlotType.time
    assert clock_time(answers.parse(slot, "a las cinco y media de la tarde", TODAY, ES)) == "17:30"


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("said", "iso"), [
    ("el 3/12", "2026-12-03"), ("3/12", "2026-12-03"), ("el 1/12", "2027-12-01"),  # past this year: next year's
    ("el próximo mes", "2027-01-02"), ("el mes que viene", "2027-01-02"), ("dentro de un mes", "2027-01-02"),
    ("a finales de mes", "2026-12-31"), ("el lunes que viene", "2026-12-07"), ("pasado mañana", "2026-12-04"),
    ("dentro de dos semanas", "2026-12-16"), ("3/6/2027", "2027-06-03"),
])
def test_spanish_dates(said: str, iso: str) -> None:
    assert answers.parse(Slot(type=SlotType.date), said, TODAY, ES) == iso


@pytest.mark.parametrize(("said", "iso"), [
    ("next month", "2027-01-02"), ("in a month", "2027-01-02"), ("the day after tomorrow", "2026-12-04"),
    ("end of the month", "2026-12-31"), ("3/6/2027", "2027-06-03"),
])
def test_english_dates(said: str, iso: str) -> None:
    assert answers.parse(Slot(type=SlotType.date), said, TODAY, EN) == iso


def test_english_keeps_a_day_and_month_in_figures_unread() -> None:
    """3/12 is the 3rd of December to some and March 12th to others: English asks for the date again."""
    with pytest.raises(answers.Invalid):
        answers.parse(Slot(type=SlotType.date), "3/12", TODAY, EN)


def test_next_month_on_a_day_the_next_month_lacks_is_its_last_day() -> None:
    assert answers.parse_date("next month", date(2027, 1, 31), EN) == date(2027, 2, 28)
    assert answers.parse_date("el mes que viene", date(2027, 1, 31), ES) == date(2027, 2, 28)
