"""The recurring meeting a commitment agreement sets up, as an iCalendar (RFC 5545) file.

Built from the agreement artifact's data (the commitment stage's slots): `first_meeting`
(YYYY-MM-DD), `meeting_clock` (HH:MM), `meeting_length` (minutes), `cadence` (weekly,
fortnightly, monthly), `end_date`, `channel`, and for the description `purpose`, `goals`,
`agenda_plan`, `agenda_prep` and `reschedule`.  Times are floating local times: a meeting agreed
for 17:30 is at 17:30 wherever the calendar is.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from icalendar import Calendar, Event

from coach.models import Artifact, iso_date

AGREEMENT_KIND = "mentoring_agreement"
PRODID = "-//coach//mentorship coach//EN"
CHANNELS = {"video": "Video call", "phone": "Phone call", "in_person": "In person"}
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class CalendarDataError(ValueError):
    """The artifact lacks what a calendar entry needs (e.g. the first meeting's date)."""


def has_meeting(artifact: Artifact) -> bool:
    """Whether the artifact sets up a recurring meeting (a commitment stage's agreement)."""
    return artifact.kind == AGREEMENT_KIND


def _clock(value: Any) -> time | None:
    if not isinstance(value, str):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def _minutes(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and 5 <= value <= 24 * 60:
        return int(value)
    return 60


def recurrence(first: date, cadence: Any, until: date | datetime | None = None) -> dict[str, Any] | None:
    """The RRULE for a cadence: weekly, every two weeks, or monthly on the first meeting's nth
    weekday (a fifth weekday becomes the last one); None for anything else."""
    rule: dict[str, Any]
    if cadence == "weekly":
        rule = {"freq": "weekly"}
    elif cadence == "fortnightly":
        rule = {"freq": "weekly", "interval": 2}
    elif cadence == "monthly":
        nth = (first.day - 1) // 7 + 1
        rule = {"freq": "monthly", "byday": f"{-1 if nth == 5 else nth}{_DAYS[first.weekday()]}"}
    else:
        return None
    if until is not None:
        rule["until"] = until
    return rule


def _lines(title: str, items: Any) -> list[str]:
    if isinstance(items, list) and items:
        return [f"{title}:", *(f"- {item}" for item in items), ""]
    return []


def description(data: dict[str, Any]) -> str:
    """Plain text for the event: the purpose, the goals, the first meeting's agenda, the rules."""
    parts: list[str] = []
    if isinstance(data.get("purpose"), str):
        parts += [f"Purpose: {data['purpose']}", ""]
    parts += _lines("Goals", data.get("goals"))
    parts += _lines("Agenda for the first meeting (after a check-in on commitments)", data.get("agenda_plan"))
    parts += _lines("Preparation", data.get("agenda_prep"))
    if isinstance(data.get("reschedule"), str):
        parts.append(f"If one of us needs to move a meeting: {data['reschedule']}")
    return "\n".join(parts).strip()


def meeting_calendar(artifact: Artifact, *, with_name: str | None = None) -> bytes:
    """The agreement's recurring meeting as an .ics file (bytes, CRLF lines).

    Raises CalendarDataError if the artifact is not an agreement or has no first meeting date.
    Without a time of day the meetings become all-day entries."""
    if not has_meeting(artifact):
        raise CalendarDataError(f"a {artifact.kind} does not set up a meeting")
    data = artifact.data
    first = iso_date(data.get("first_meeting"))
    if first is None:
        raise CalendarDataError("the agreement has no first meeting date")
    clock = _clock(data.get("meeting_clock"))
    end = iso_date(data.get("end_date"))

    event = Event()
    event.add("uid", f"{artifact.id}-meeting@coach")
    event.add("dtstamp", artifact.created_at)
    summary = "Mentoring meeting"
    event.add("summary", f"{summary} with {with_name}" if with_name else summary)
    if clock is not None:
        event.add("dtstart", datetime.combine(first, clock))
        event.add("duration", timedelta(minutes=_minutes(data.get("meeting_length"))))
        until: date | datetime | None = datetime.combine(end, time(23, 59, 59)) if end else None
    else:
        event.add("dtstart", first)
        until = end
    rule = recurrence(first, data.get("cadence"), until)
    if rule is not None:
        event.add("rrule", rule)
    channel = data.get("channel")
    if isinstance(channel, str):
        event.add("location", CHANNELS.get(channel, channel.replace("_", " ").capitalize()))
    text = description(data)
    if text:
        event.add("description", text)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add_component(event)
    result: bytes = cal.to_ical()
    return result
