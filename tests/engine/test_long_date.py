"""Dates written out per locale from CLDR (Babel)."""

from __future__ import annotations

from datetime import date

from coach.engine.dates import long_date


def test_english_dates_read_weekday_day_month_year() -> None:
    assert long_date(date(2026, 12, 3)) == "Thursday 3 December 2026"
    assert long_date(date(2027, 2, 27), "en") == "Saturday 27 February 2027"


def test_spanish_dates_use_spanish_names_and_order() -> None:
    assert long_date(date(2026, 12, 3), "es") == "jueves 3 de diciembre de 2026"


def test_a_regional_locale_falls_back_to_its_language_and_an_unknown_one_to_cldr() -> None:
    assert long_date(date(2026, 12, 3), "es_MX") == "jueves 3 de diciembre de 2026"
    assert "2026" in long_date(date(2026, 12, 3), "de") and "Dezember" in long_date(date(2026, 12, 3), "de")
