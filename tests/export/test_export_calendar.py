"""The .ics for a commitment agreement's recurring meeting: parses with icalendar, its recurrence
matches the dates the stage told the user, and a calendar in another time zone reads the same
instants from it (through the file's own VTIMEZONE), across daylight-saving changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

import coach.export.calendar as calendar_module
from coach.app.documents import words
from coach.export import CalendarDataError, meeting_calendar
from coach.export.calendar import People, people, recurrence
from coach.models import Artifact

MADE_AT = datetime(2026, 11, 27, 18, 30, tzinfo=UTC)  # the stage_artifacts fixture's creation time
EN = words(None)  # the shipped English texts (prompts/en/export.yaml)
StageArtifacts = Callable[[str], dict[str, Artifact]]
LISBON, BERLIN, NEW_YORK = ZoneInfo("Europe/Lisbon"), ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


class IcsSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    _file_extension = "ics"


def _calendar(ics: bytes) -> Any:
    cal = Calendar.from_ical(ics)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert "METHOD" not in cal  # RFC 5546: a METHOD:PUBLISH must not have attendees; no METHOD = a snapshot
    return cal


def _event(ics: bytes) -> Any:
    (event,) = _calendar(ics).walk("VEVENT")
    return event


def _made_by(agreement: Artifact, role: str, me: str, other: str, zone: str | None) -> Artifact:
    """The agreement as `me` (on the `role` side, in `zone`) made it with `other`."""
    mentee, mentor = (me, other) if role == "mentee" else (other, me)
    names = {"name": me, "other_name": other, "mentee_name": mentee, "mentor_name": mentor}
    return agreement.model_copy(update={"names": names, "timezone": zone, "relationship_id": f"rel-{role}"})


def _ana_in_lisbon(stage_artifacts: StageArtifacts) -> Artifact:
    """Fortnightly at 17:30 from Thursday 2026-12-03 to 2027-06-03, by a mentee in Lisbon."""
    return _made_by(stage_artifacts("commitment_mentee_happy")["mentoring_agreement"], "mentee", "Ana Lima",
                    "Sam Okafor", "Europe/Lisbon")


def _sam_in_new_york(stage_artifacts: StageArtifacts) -> Artifact:
    """Monthly on the last Thursday at 08:15 from 2026-12-31 to 2027-12-31, by a mentor in New York."""
    return _made_by(stage_artifacts("commitment_mentor_happy")["mentoring_agreement"], "mentor", "Sam Okafor",
                    "Priya Nair", "America/New_York")


def _file_zone(cal: Any, tzid: str) -> tzinfo:
    """The zone as the file's VTIMEZONE defines it, not as this computer's tz database knows it."""
    (vtimezone,) = [tz for tz in cal.walk("VTIMEZONE") if str(tz["TZID"]) == tzid]
    zone: tzinfo = vtimezone.to_tz(lookup_tzid=False)
    return zone


def _instants(ics: bytes) -> list[datetime]:
    """Every meeting's start, as a calendar that knows only what the file says computes it: the
    RRULE over DTSTART's wall-clock time in the zone of the file's VTIMEZONE."""
    cal = _calendar(ics)
    (event,) = cal.walk("VEVENT")
    zone = _file_zone(cal, event["DTSTART"].params["TZID"])
    start = event.decoded("DTSTART").replace(tzinfo=zone)
    return list(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))


def _occurrences(event: Any) -> list[datetime]:
    start = event.decoded("DTSTART")
    return list(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))


def test_fortnightly_meeting(stage_artifacts: StageArtifacts) -> None:
    agreement = _ana_in_lisbon(stage_artifacts)
    event = _event(meeting_calendar(agreement, EN, with_name="Sam"))
    assert str(event["UID"]) == "commitment_mentee_happy-mentoring_agreement-meeting@coach"
    assert event.decoded("DTSTAMP") == MADE_AT
    assert str(event["SUMMARY"]) == "Mentoring: Ana Lima & Sam Okafor"
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 17, 30, tzinfo=LISBON)
    assert event["DTSTART"].params["TZID"] == "Europe/Lisbon"
    assert event.decoded("DURATION") == timedelta(minutes=45)
    assert str(event["LOCATION"]) == "Video call"
    # the end date's last second in Lisbon (summer time then: UTC+1), in UTC
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270603T225959Z;INTERVAL=2"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Ana Lima (mentee) meets Sam Okafor (mentor).\n"
                                  "Agreed for 17:30, Europe/Lisbon time.\n\n"
                                  "Purpose: Get ready to lead a team of four")
    assert "- Team conflict — desired outcome: a plan for my next one-to-one" in description
    assert "- mentor: read my roadmap draft" in description
    # the calendar agrees with what the stage told the user
    data = agreement.data
    meetings = [d.date() for d in _occurrences(event)]
    assert meetings[1] == date.fromisoformat(data["second_meeting"])
    assert date.fromisoformat(data["review_date"]) in meetings
    assert meetings[-1] == date.fromisoformat(data["end_date"])  # UNTIL keeps the last day's meeting
    assert len(meetings) == 14


def test_a_calendar_in_another_zone_reads_the_same_instants(stage_artifacts: StageArtifacts) -> None:
    ics = meeting_calendar(_ana_in_lisbon(stage_artifacts), EN)
    cal = _calendar(ics)
    (event,) = cal.walk("VEVENT")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Lisbon"]
    assert cal.get_missing_tzids() == set()
    assert ics.index(b"BEGIN:VTIMEZONE") < ics.index(b"BEGIN:VEVENT")
    (until,) = event["RRULE"]["UNTIL"]
    assert until.utcoffset() == timedelta(0)  # RFC 5545: UTC when DTSTART has a TZID

    meetings = _instants(ics)
    assert len(meetings) == 14
    # the file's VTIMEZONE and the tz database agree: every meeting is at 17:30 in Lisbon
    assert all(m == datetime.combine(m.date(), time(17, 30), tzinfo=LISBON) for m in meetings)
    # Berlin changes its clocks with Lisbon: always an hour later
    assert {m.astimezone(BERLIN).time() for m in meetings} == {time(18, 30)}
    # New York moves to summer time on 14 March 2027, Europe on 28 March: one meeting falls between
    in_new_york = {m.date(): m.astimezone(NEW_YORK).time() for m in meetings}
    assert in_new_york.pop(date(2027, 3, 25)) == time(13, 30)
    assert set(in_new_york.values()) == {time(12, 30)}
    in_utc = {m.date(): m.astimezone(UTC).time() for m in meetings}
    assert (in_utc[date(2026, 12, 3)], in_utc[date(2027, 3, 25)], in_utc[date(2027, 4, 8)]) == (
        time(17, 30), time(17, 30), time(16, 30))


def test_monthly_on_the_last_weekday_from_new_york(stage_artifacts: StageArtifacts) -> None:
    agreement = _sam_in_new_york(stage_artifacts)
    ics = meeting_calendar(agreement, EN)
    event = _event(ics)
    assert str(event["SUMMARY"]) == "Mentoring: Priya Nair & Sam Okafor"
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    # 2027-12-31 23:59:59 in New York (UTC-5) is 04:59:59 UTC the next day
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;UNTIL=20280101T045959Z;BYDAY=-1TH"
    assert str(event["LOCATION"]) == "In person"
    meetings = [d.date() for d in _occurrences(event)]
    assert meetings[:3] == [date(2026, 12, 31), date(2027, 1, 28), date(2027, 2, 25)]
    assert meetings[1] == date.fromisoformat(agreement.data["second_meeting"])
    assert date.fromisoformat(agreement.data["review_date"]) in meetings
    assert date(2027, 4, 29) in meetings  # the last Thursday of April, not the fourth
    assert meetings[-1] == date(2027, 12, 30)
    # read in Lisbon: five hours later, but four on 25 March (New York on summer time, Lisbon not yet)
    in_lisbon = {m.date(): m.astimezone(LISBON).time() for m in _instants(ics)}
    assert len(in_lisbon) == 13
    assert in_lisbon.pop(date(2027, 3, 25)) == time(12, 15)
    assert set(in_lisbon.values()) == {time(13, 15)}


def test_both_people_are_in_the_event_and_it_reads_the_same_from_either_side(
    stage_artifacts: StageArtifacts,
) -> None:
    fixture = stage_artifacts("commitment_mentee_happy")["mentoring_agreement"]
    anas = _event(meeting_calendar(_made_by(fixture, "mentee", "Ana Lima", "Sam Okafor", "Europe/Lisbon"), EN))
    sams = _event(meeting_calendar(_made_by(fixture, "mentor", "Sam Okafor", "Ana Lima", "Europe/Lisbon"), EN))
    assert str(anas["SUMMARY"]) == str(sams["SUMMARY"]) == "Mentoring: Ana Lima & Sam Okafor"
    assert str(anas["DESCRIPTION"]).split("\n")[0] == str(sams["DESCRIPTION"]).split("\n")[0] == (
        "Ana Lima (mentee) meets Sam Okafor (mentor).")
    # the organizer is whoever made the agreement, the attendee the other person
    assert (anas["ORGANIZER"].params["CN"], anas["ATTENDEE"].params["CN"]) == ("Ana Lima", "Sam Okafor")
    assert (sams["ORGANIZER"].params["CN"], sams["ATTENDEE"].params["CN"]) == ("Sam Okafor", "Ana Lima")
    # no e-mail addresses: a urn:uuid per person, stable, never a made-up mailto
    addresses = [str(e[p]) for e in (anas, sams) for p in ("ORGANIZER", "ATTENDEE")]
    assert all(a.startswith("urn:uuid:") and len(a) == len("urn:uuid:") + 36 for a in addresses)
    assert len(set(addresses[:2])) == 2
    again = _event(meeting_calendar(_made_by(fixture, "mentee", "Ana Lima", "Sam Okafor", "Europe/Lisbon"), EN))
    assert [str(again["ORGANIZER"]), str(again["ATTENDEE"])] == addresses[:2]


@pytest.mark.parametrize(
    ("names", "with_name", "expected"),
    [
        # the neutral names of a conversation that knew none: the caller's name for the other stands in
        ({"name": "you", "other_name": "your mentor", "mentee_name": "you", "mentor_name": "your mentor"}, "Sam",
         People(None, "Sam", "mentee")),
        ({"name": "you", "other_name": "your mentee", "mentee_name": "your mentee", "mentor_name": "you"}, None,
         People(None, None, "mentor")),
        ({}, "Sam", People(None, "Sam")),
        ({"name": "Ana", "other_name": "Sam", "mentee_name": "Ana", "mentor_name": "Sam"}, "Someone else",
         People("Ana", "Sam", "mentee")),
        ({"name": "Sam", "other_name": "Sam", "mentee_name": "Sam", "mentor_name": "Sam"}, None,
         People("Sam", "Sam")),
    ],
)
def test_who_the_people_are(names: dict[str, str], with_name: str | None, expected: People) -> None:
    assert people(_agreement().model_copy(update={"names": names}), with_name, EN.stand_ins) == expected


def test_without_names_the_other_person_from_the_caller(stage_artifacts: StageArtifacts) -> None:
    named = stage_artifacts("commitment_mentee_happy")["mentoring_agreement"]
    neutral = {"name": "you", "other_name": "your mentor", "mentee_name": "you", "mentor_name": "your mentor"}
    agreement = named.model_copy(update={"names": neutral})  # as a run with no names gives
    event = _event(meeting_calendar(agreement.model_copy(update={"timezone": "Europe/Lisbon"}), EN, with_name="Sam"))
    assert str(event["SUMMARY"]) == "Mentoring meeting with Sam"
    assert str(event["DESCRIPTION"]).startswith("With Sam (mentor).\nAgreed for 17:30, Europe/Lisbon time.\n\n")
    assert "ORGANIZER" not in event and "ATTENDEE" not in event  # no attendee without an organizer
    assert str(_event(meeting_calendar(agreement, EN))["SUMMARY"]) == "Mentoring meeting"


def test_a_reminder_before_each_meeting(stage_artifacts: StageArtifacts) -> None:
    event = _event(meeting_calendar(_ana_in_lisbon(stage_artifacts), EN))
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-30)
    assert str(alarm["DESCRIPTION"]) == "Mentoring: Ana Lima & Sam Okafor — in 30 minutes"
    all_day = _event(meeting_calendar(_agreement(first_meeting="2026-12-03"), EN, with_name="Sam"))
    (alarm,) = all_day.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(hours=-15)  # the day before, at 09:00
    assert str(alarm["DESCRIPTION"]) == "Mentoring meeting with Sam — tomorrow"


@pytest.mark.parametrize(
    ("own", "system", "tzid"),
    [
        ("Asia/Kolkata", "Asia/Tokyo", "Asia/Kolkata"),  # the author's zone first
        (None, "Asia/Tokyo", "Asia/Tokyo"),  # else this computer's
        ("Mars/Olympus_Mons", "Asia/Tokyo", "Asia/Tokyo"),  # an unknown zone counts as none
        (None, None, None),  # else UTC
        (None, "Europe", None),  # a folder of zones is not one
    ],
)
def test_which_time_zone(monkeypatch: pytest.MonkeyPatch, own: str | None, system: str | None,
                         tzid: str | None) -> None:
    monkeypatch.setattr(calendar_module, "get_localzone_name", lambda: system)
    ics = meeting_calendar(_agreement(first_meeting="2026-12-03", meeting_clock="09:00", cadence="weekly",
                                      end_date="2027-01-03", timezone=own), EN)
    cal = _calendar(ics)
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].params.get("TZID") == tzid
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ([tzid] if tzid else [])
    zone = ZoneInfo(tzid) if tzid else UTC
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 9, tzinfo=zone)
    assert event["RRULE"]["UNTIL"] == [datetime(2027, 1, 3, 23, 59, 59, tzinfo=zone).astimezone(UTC)]
    if tzid is None:
        assert b"DTSTART:20261203T090000Z\r\n" in ics and b"UNTIL=20270103T235959Z" in ics


def test_a_broken_system_zone_means_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> str:
        raise LookupError("no zone configured")

    monkeypatch.setattr(calendar_module, "get_localzone_name", broken)
    event = _event(meeting_calendar(_agreement(first_meeting="2026-12-03", meeting_clock="09:00"), EN))
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("first", "cadence", "rule"),
    [
        (date(2026, 12, 1), "weekly", {"freq": "weekly"}),
        (date(2026, 12, 1), "fortnightly", {"freq": "weekly", "interval": 2}),
        (date(2026, 12, 1), "monthly", {"freq": "monthly", "byday": "1TU"}),
        (date(2026, 12, 22), "monthly", {"freq": "monthly", "byday": "4TU"}),
        (date(2026, 12, 29), "monthly", {"freq": "monthly", "byday": "-1TU"}),
        (date(2026, 12, 1), "ad_hoc", None),
    ],
)
def test_recurrence(first: date, cadence: str, rule: dict[str, Any] | None) -> None:
    assert recurrence(first, cadence) == rule


def _agreement(timezone: str | None = "Europe/Lisbon", **data: Any) -> Artifact:
    return Artifact(id="a1", stage="commitment", kind="mentoring_agreement", title="Mentoring agreement",
                    markdown="# Mentoring agreement", data=data, timezone=timezone, created_at=MADE_AT)


def test_without_a_time_the_meetings_are_all_day() -> None:
    ics = meeting_calendar(_agreement(first_meeting="2026-12-03", cadence="weekly", end_date="2027-01-03"), EN)
    event = _event(ics)
    assert event.decoded("DTSTART") == date(2026, 12, 3)
    assert b"DTSTART;VALUE=DATE:20261203\r\n" in ics and b"VTIMEZONE" not in ics  # dates have no zone
    assert "DURATION" not in event
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270103"
    assert "DESCRIPTION" not in event and "LOCATION" not in event


def test_without_a_rhythm_it_is_a_single_meeting_of_an_hour() -> None:
    ics = meeting_calendar(_agreement(first_meeting="2026-12-03", meeting_clock="09:00", channel="bench"), EN)
    event = _event(ics)
    assert "RRULE" not in event
    assert event.decoded("DURATION") == timedelta(hours=1)
    assert str(event["LOCATION"]) == "Bench"
    assert b"TZID:Europe/Lisbon" in ics


def test_what_cannot_become_a_calendar() -> None:
    with pytest.raises(CalendarDataError, match="no first meeting date"):
        meeting_calendar(_agreement(meeting_clock="09:00"), EN)
    with pytest.raises(CalendarDataError, match="no first meeting date"):
        meeting_calendar(_agreement(first_meeting="soon"), EN)
    report = _agreement(first_meeting="2026-12-03").model_copy(update={"kind": "fit_report"})
    with pytest.raises(CalendarDataError, match="a fit_report does not set up a meeting"):
        meeting_calendar(report, EN)


@pytest.mark.parametrize("name", ["commitment_mentee_happy", "commitment_mentor_happy"])
def test_calendar_snapshot(stage_artifacts: StageArtifacts, snapshot: SnapshotAssertion, name: str) -> None:
    made_by = {"commitment_mentee_happy": _ana_in_lisbon, "commitment_mentor_happy": _sam_in_new_york}[name]
    ics = meeting_calendar(made_by(stage_artifacts), EN, with_name="Sam")
    assert b"\r\n" in ics
    assert ics.decode("utf-8").replace("\r\n", "\n") == snapshot(extension_class=IcsSnapshot)
