"""The recurring meeting a commitment agreement sets up, as an iCalendar (RFC 5545) file.

Built from the agreement artifact's data (the commitment stage's slots): `first_meeting`
(YYYY-MM-DD), `meeting_clock` (HH:MM), `meeting_length` (minutes), `cadence` (weekly,
fortnightly, monthly), `end_date`, `channel`, and for the description `purpose`, `goals`,
`agenda_plan`, `agenda_prep` and `reschedule`.

Times: the agreed time of day is in the time zone of the person who made the agreement
(`Artifact.timezone`; else this computer's zone, via tzlocal; else UTC).  DTSTART carries that
zone's TZID and the file has a matching VTIMEZONE (covering the years of the series), so a
calendar elsewhere shows the same instant in its own time: 17:30 in Lisbon is 18:30 in Berlin.
The RRULE's UNTIL (the end date, 23:59:59 local) is in UTC, as RFC 5545 requires with a TZID;
a UTC meeting is written with the Z suffix and needs no VTIMEZONE.  Without a time of day the
meetings are all-day entries (dates: no zone, UNTIL a date).

Reminder: a DISPLAY alarm 30 minutes before, or for an all-day entry the day before at 09:00
(-PT15H, what calendar apps offer as "1 day before").

Words: every text in the file (summary, description, location, reminder) is the caller's, in
the reader's language: `Words.say` renders `prompts/<locale>/export.yaml`'s `calendar.*` keys (see
coach.export.words). Times of day stay as the agreement wrote them (HH:MM).

People: the summary names both, mentee first, so it reads the same from either side
("Mentoring: Ana Lima & Sam Okafor"), from `Artifact.names`; the neutral names a conversation
uses when it knows none ("you", "your mentor": `Words.stand_ins`) do not count, and the caller's
`with_name` (the other person) stands in ("Mentoring meeting with Sam").  When both are known, ORGANIZER is the
author and ATTENDEE the other person, each with CN.  The app has no e-mail addresses, and a
CAL-ADDRESS is any URI (RFC 5545 3.3.3; `mailto:` is only required for an e-mail address, and
RFC 6047 iMIP only for scheduling by e-mail), so each person gets a `urn:uuid:` (RFC 9562) URN
derived from the relationship and their side: valid, stable from one export to the next, and
honest — it identifies the person without pretending to be a mailbox, so no calendar or CalDAV
server will send invitations or replies anywhere (as it would to an invented `mailto:`).  Apps
show the CN.  For the same reason the file has no METHOD: RFC 5546 forbids attendees in a
METHOD:PUBLISH, and without METHOD the file is a plain snapshot to import, not an invitation
(RFC 5545 3.7.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, uuid5
from zoneinfo import ZoneInfo

from tzlocal import get_localzone_name

from coach.export.words import Words
from coach.literal import visible
from coach.models import Artifact, iso_date

if TYPE_CHECKING:  # icalendar loads with the first calendar written, not with coach
    from icalendar import Alarm, Event, vCalAddress

AGREEMENT_KIND = "mentoring_agreement"
PRODID = "-//coach//mentorship coach//EN"
CHANNELS = ("video", "phone", "in_person")  # worded as calendar.channel.<channel>
REMINDER_MINUTES = 30
REMINDER = timedelta(minutes=-REMINDER_MINUTES)
ALL_DAY_REMINDER = timedelta(hours=-15)  # the day before, at 09:00
OPEN_ENDED_YEARS = 10  # how far a VTIMEZONE reaches for a series without an end date
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class CalendarDataError(ValueError):
    """The artifact lacks what a calendar entry needs (e.g. the first meeting's date)."""


def has_meeting(artifact: Artifact) -> bool:
    """Whether the artifact sets up a recurring meeting (a commitment stage's agreement)."""
    return artifact.kind == AGREEMENT_KIND


# --- time -----------------------------------------------------------------------------------------


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


def _zone(key: str | None) -> ZoneInfo | None:
    if not key:
        return None
    try:
        return ZoneInfo(key)
    except (KeyError, ValueError, OSError):  # unknown, malformed, or a folder of zones
        return None


def _system_zone_name() -> str | None:
    try:
        return get_localzone_name()
    except Exception:  # an unusual system setting must not stop an export
        return None


def meeting_zone(artifact: Artifact) -> tzinfo:
    """The zone the agreement's times are in: its author's, else this computer's, else UTC."""
    return _zone(artifact.timezone) or _zone(_system_zone_name()) or UTC


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


def _until(end: date | None, clock: time | None, zone: tzinfo) -> date | datetime | None:
    """The RRULE's UNTIL: the end date itself for all-day entries, else its last second in UTC."""
    if end is None or clock is None:
        return end
    return datetime.combine(end, time(23, 59, 59), tzinfo=zone).astimezone(UTC)


def _schedule(event: Event, data: dict[str, Any], first: date, clock: time | None, zone: tzinfo) -> date | None:
    """Add DTSTART, DURATION and RRULE; return the last day the series can reach (None: open)."""
    end = iso_date(data.get("end_date"))
    if clock is None:
        event.add("dtstart", first)
    else:
        event.add("dtstart", datetime.combine(first, clock, tzinfo=zone))
        event.add("duration", timedelta(minutes=_minutes(data.get("meeting_length"))))
    rule = recurrence(first, data.get("cadence"), _until(end, clock, zone))
    if rule is None:
        return first
    event.add("rrule", rule)
    return end


def _zone_years(first: date, last: date | None) -> tuple[date, date]:
    """The span a VTIMEZONE must cover: the years from the first meeting to the last."""
    last_year = last.year if last else first.year + OPEN_ENDED_YEARS
    return date(first.year, 1, 1), date(max(last_year, first.year) + 1, 1, 1)


# --- people ---------------------------------------------------------------------------------------


def _known(name: Any, stand_ins: frozenset[str]) -> str | None:
    if isinstance(name, str) and name.strip() and name.strip().casefold() not in stand_ins:
        return visible(name.strip())  # no control character in a calendar, whatever was typed
    return None


@dataclass(frozen=True)
class People:
    """Who meets: the agreement's author, the other person, and the author's side if known."""

    author: str | None
    other: str | None
    author_role: str | None = None  # "mentee" or "mentor"

    @property
    def other_role(self) -> str | None:
        return {"mentee": "mentor", "mentor": "mentee"}.get(self.author_role or "")

    def pair(self) -> tuple[str, str] | None:
        """Both names, the mentee first when the sides are known."""
        if self.author is None or self.other is None:
            return None
        return (self.other, self.author) if self.author_role == "mentor" else (self.author, self.other)

    def summary(self, words: Words) -> str:
        pair, say = self.pair(), words.say
        if pair is not None:
            return say("calendar.summary.pair", first=pair[0], second=pair[1])
        return say("calendar.summary.with", name=self.other) if self.other else say("calendar.summary.alone")

    def who(self, words: Words) -> str | None:
        """One sentence for the description: who meets whom."""
        pair, say = self.pair(), words.say
        if pair is not None and self.author_role:
            return say("calendar.who.roles", mentee=pair[0], mentor=pair[1])
        if pair is not None:
            return say("calendar.who.pair", first=pair[0], second=pair[1])
        if self.other and self.other_role:
            return say(f"calendar.who.with_{self.other_role}", name=self.other)
        return say("calendar.who.with", name=self.other) if self.other else None


def _side(names: dict[str, str]) -> str | None:
    """The author's side: the role whose name is the author's ("you" counts, it says who is who)."""
    me, mentee, mentor = names.get("name"), names.get("mentee_name"), names.get("mentor_name")
    if not me or mentee == mentor:
        return None
    return "mentee" if me == mentee else "mentor" if me == mentor else None


def people(artifact: Artifact, with_name: str | None = None, stand_ins: frozenset[str] = frozenset()) -> People:
    """The people of the agreement, from its `names` (a name of `stand_ins`, casefolded, is none);
    `with_name` stands in for the other person."""
    names = artifact.names
    other = _known(names.get("other_name"), stand_ins) or _known(with_name, stand_ins)
    return People(_known(names.get("name"), stand_ins), other, _side(names))


def _address(artifact: Artifact, side: str, name: str) -> vCalAddress:
    """A CAL-ADDRESS without an e-mail: a urn:uuid stable for this relationship and side."""
    key = f"urn:coach:relationship:{artifact.relationship_id or artifact.id}:{side}"
    from icalendar import vCalAddress

    address = vCalAddress(f"urn:uuid:{uuid5(NAMESPACE_URL, key)}")
    address.params["CN"] = name
    return address


def _add_people(event: Event, artifact: Artifact, who: People) -> None:
    if who.author is None or who.other is None:
        return
    event.add("organizer", _address(artifact, who.author_role or "author", who.author))
    event.add("attendee", _address(artifact, who.other_role or "other", who.other))


# --- text -----------------------------------------------------------------------------------------


def _lines(words: Words, key: str, items: Any) -> list[str]:
    if isinstance(items, list) and items:
        return [words.say(key), *(words.say("calendar.item", text=item) for item in items), ""]
    return []


def description(data: dict[str, Any], words: Words) -> str:
    """Plain text for the event: the purpose, the goals, the first meeting's agenda, the rules."""
    say = words.say
    parts: list[str] = []
    if isinstance(data.get("purpose"), str):
        parts += [say("calendar.purpose", text=data["purpose"]), ""]
    parts += _lines(words, "calendar.goals", data.get("goals"))
    parts += _lines(words, "calendar.agenda", data.get("agenda_plan"))
    parts += _lines(words, "calendar.preparation", data.get("agenda_prep"))
    if isinstance(data.get("reschedule"), str):
        parts.append(say("calendar.reschedule", text=data["reschedule"]))
    return visible("\n".join(parts).strip())


def _heading(who: People, clock: time | None, zone: tzinfo, words: Words) -> str:
    """Who meets whom, and the agreed time in the zone it was agreed in."""
    agreed = words.say("calendar.agreed", time=f"{clock:%H:%M}", zone=zone) if clock is not None else None
    return "\n".join(line for line in (who.who(words), agreed) if line)


def _reminder(summary: str, all_day: bool, words: Words) -> Alarm:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", ALL_DAY_REMINDER if all_day else REMINDER)
    key = "calendar.reminder.all_day" if all_day else "calendar.reminder.timed"
    alarm.add("description", words.say(key, summary=summary, minutes=REMINDER_MINUTES))
    return alarm


def _details(event: Event, data: dict[str, Any], heading: str, words: Words) -> None:
    channel = data.get("channel")
    if isinstance(channel, str):
        place = words.say(f"calendar.channel.{channel}") if channel in CHANNELS else None
        event.add("location", visible(place or channel.replace("_", " ").capitalize()))
    text = "\n\n".join(part for part in (heading, description(data, words)) if part)
    if text:
        event.add("description", text)


# --- the file -------------------------------------------------------------------------------------


def _calendar(event: Event, years: tuple[date, date]) -> bytes:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add_component(event)
    cal.add_missing_timezones(*years)
    result: bytes = cal.to_ical()
    return result


def meeting_calendar(artifact: Artifact, words: Words, *, with_name: str | None = None) -> bytes:
    """The agreement's recurring meeting as an .ics file (bytes, CRLF lines), worded by `words`;
    `with_name` (the other person's name) is used when the artifact's `names` do not tell.

    Raises CalendarDataError if the artifact is not an agreement or has no first meeting date.
    Without a time of day the meetings become all-day entries."""
    if not has_meeting(artifact):
        raise CalendarDataError(words.say("calendar.errors.not_an_agreement", kind=artifact.kind))
    data = artifact.data
    first = iso_date(data.get("first_meeting"))
    if first is None:
        raise CalendarDataError(words.say("calendar.errors.no_first_meeting"))
    clock, zone = _clock(data.get("meeting_clock")), meeting_zone(artifact)
    who = people(artifact, with_name, words.stand_ins)

    from icalendar import Event

    event = Event()
    event.add("uid", f"{artifact.id}-meeting@coach")
    event.add("dtstamp", artifact.created_at)
    summary = who.summary(words)
    event.add("summary", summary)
    last = _schedule(event, data, first, clock, zone)
    _add_people(event, artifact, who)
    _details(event, data, _heading(who, clock, zone, words), words)
    event.add_component(_reminder(summary, clock is None, words))
    return _calendar(event, _zone_years(first, last))
