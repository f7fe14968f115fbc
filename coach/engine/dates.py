"""Dates and meeting rhythms: dates written out per locale (Babel, CLDR), clock times, and the
meetings of a weekly / fortnightly / monthly rhythm. Pure functions; no words of any language here."""

from __future__ import annotations

from typing import Any

# How a date is written out, per language (CLDR pattern letters; a locale without one here uses
# its CLDR "full" date format). Names of days and months come from CLDR through Babel.
DATE_PATTERNS = {"en": "EEEE d MMMM y", "en_GB": "EEEE d MMMM y", "es": "EEEE d 'de' MMMM 'de' y"}


def long_date(d: Any, locale: str = "en") -> str:
    """'Thursday 3 December 2026' (`locale`'s names and order, whatever the process locale)."""
    from babel.dates import format_date

    tag = babel_locale(locale)
    language = tag.split("_")[0]
    return str(format_date(d, DATE_PATTERNS.get(tag) or DATE_PATTERNS.get(language) or "full", locale=tag))


def babel_locale(locale: str) -> str:
    """The CLDR name Babel knows `locale` by ('es-MX' -> 'es_MX'); English is British English ("3 December
    2026", no comma before "and"), and so is the pseudo-locale (it is made from English); a tag CLDR
    does not know reads as its language, else as English."""
    from babel import Locale, UnknownLocaleError

    tag = locale.replace("-", "_")
    if tag in ("en", "en_GB") or tag.startswith("qps"):
        return "en_GB"
    for cand in (tag, tag.split("_")[0]):
        try:
            Locale.parse(cand)
            return cand
        except (UnknownLocaleError, ValueError):
            continue
    return "en_GB"


def clock_time(text: Any) -> str | None:
    """'17:30', '5:30pm', '9 am', '9.15', '17h30' -> 'HH:MM' (24-hour), else None."""
    import re

    if not isinstance(text, str):
        return None
    m = re.fullmatch(r"\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(?:([ap])\.?\s*m\.?)?\s*", text.casefold())
    if not m:
        return None
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    elif m.group(2) is None:
        return None  # a bare number is not a time of day
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def nth_weekday(d: Any) -> int:
    """Which occurrence of its weekday `d` is in its month: 1-4, or -1 for a fifth (the last)."""
    n = (d.day - 1) // 7 + 1
    return -1 if n == 5 else n


def _nth_weekday_of(year: int, month: int, weekday: int, n: int) -> Any:
    import calendar

    days = [day for day in calendar.Calendar().itermonthdates(year, month)
            if day.month == month and day.weekday() == weekday]
    return days[n - 1] if n > 0 else days[-1]


def plus_months(d: Any, n: int) -> Any:
    import calendar
    from datetime import date

    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def regular_rhythm(first_meeting: Any, cadence: Any) -> tuple[Any, str] | None:
    """(first meeting, cadence) of an agreed rhythm that repeats (weekly, fortnightly, monthly),
    from stored values; None for none, or one that does not repeat ("as needed")."""
    from coach.models import iso_date  # (not at import: the TUI's first frame writes dates with this module)

    first = iso_date(first_meeting)
    if first is None or cadence not in ("weekly", "fortnightly", "monthly"):
        return None
    return first, str(cadence)


def nearest_on_rhythm(first: Any, cadence: Any, target: Any, not_before: Any) -> Any:
    """The meeting of a regular rhythm (see `regular_rhythm`) nearest to `target`, not before
    `not_before`. A later one wins a tie."""
    from datetime import timedelta

    period = {"weekly": 7, "fortnightly": 14}.get(cadence, 35)
    later = meeting_on_or_after(first, cadence, target)
    earlier = meeting_on_or_after(first, cadence, max(target - timedelta(days=period), not_before, first))
    earlier = earlier if earlier <= target else later
    return earlier if (target - earlier) < (later - target) else later


def next_meeting_after(first: Any, cadence: Any) -> Any:
    """The meeting after `first` for a weekly / fortnightly / monthly (same nth weekday) rhythm."""
    from datetime import timedelta

    if cadence == "weekly":
        return first + timedelta(weeks=1)
    if cadence == "fortnightly":
        return first + timedelta(weeks=2)
    nxt = plus_months(first, 1)
    return _nth_weekday_of(nxt.year, nxt.month, first.weekday(), nth_weekday(first))


def meeting_on_or_after(first: Any, cadence: Any, target: Any) -> Any:
    """The first meeting of the rhythm that starts at `first` falling on or after `target`
    (monthly meetings keep the first meeting's nth weekday, or the last one)."""
    from datetime import timedelta

    if target <= first:
        return first
    if cadence in ("weekly", "fortnightly"):
        step = 7 if cadence == "weekly" else 14
        periods = -(-(target - first).days // step)
        return first + timedelta(days=periods * step)
    n, k = nth_weekday(first), 1
    while True:
        month = plus_months(first.replace(day=1), k)
        d = _nth_weekday_of(month.year, month.month, first.weekday(), n)
        if d >= target:
            return d
        k += 1

