"""Dates written out per locale from CLDR (Babel)."""

from __future__ import annotations

from datetime import date

from coach.content.schema import Slot, SlotType
from coach.engine.answers import display
from coach.engine.dates import long_date


def test_english_dates_read_weekday_day_month_year() -> None:
    assert long_date(date(2026, 12, 3)) == "Thursday 3 December 2026"
    assert long_date(date(2027, 2, 27), "en") == "Saturday 27 February 2027"


def test_spanish_dates_use_spanish_names_and_order() -> None:
    assert long_date(date(2026, 12, 3), "es") == "jueves 3 de diciembre de 2026"


def test_a_regional_locale_falls_back_to_its_language_and_an_unknown_one_to_cldr() -> None:
    assert long_date(date(2026, 12, 3), "es_MX") == "jueves 3 de diciembre de 2026"
    assert "2026" in long_date(date(2026, 12, 3), "de") and "Dezember" in long_date(date(2026, 12, 3), "de")


def test_a_date_answer_is_shown_written_out_in_the_conversations_language() -> None:
    slot = Slot(type=SlotType.date)
    assert display(slot, "2026-12-11", locale="en") == "Friday 11 December 2026"
    assert display(slot, "2026-12-11", locale="es") == "viernes 11 de diciembre de 2026"


def test_a_date_answer_without_a_language_or_not_a_date_is_shown_as_stored() -> None:
    slot = Slot(type=SlotType.date)
    assert display(slot, "2026-12-11") == "2026-12-11"  # packets and inputs keep ISO
    assert display(slot, "someday", locale="en") == "someday"
    assert display(Slot(type=SlotType.text), "2026-12-11", locale="en") == "2026-12-11"  # only date slots
