"""The .ics for a commitment agreement's recurring meeting: parses with icalendar, and its
recurrence matches the dates the stage told the user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from coach.export import CalendarDataError, meeting_calendar
from coach.export.calendar import recurrence
from coach.models import Artifact

MADE_AT = datetime(2026, 11, 27, 18, 30, tzinfo=UTC)  # the stage_artifacts fixture's creation time
StageArtifacts = Callable[[str], dict[str, Artifact]]


class IcsSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    _file_extension = "ics"


def _event(ics: bytes) -> Any:
    cal = Calendar.from_ical(ics)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    (event,) = cal.walk("VEVENT")
    return event


def _occurrences(event: Any, n: int) -> list[datetime]:
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    return list(rule[:n]) if n else list(rule)


def test_fortnightly_meeting(stage_artifacts: StageArtifacts) -> None:
    agreement = stage_artifacts("commitment_mentee_happy")["mentoring_agreement"]
    event = _event(meeting_calendar(agreement, with_name="Sam"))
    assert str(event["UID"]) == "commitment_mentee_happy-mentoring_agreement-meeting@coach"
    assert event.decoded("DTSTAMP") == MADE_AT
    assert str(event["SUMMARY"]) == "Mentoring meeting with Sam"
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 17, 30)  # floating local time
    assert event.decoded("DTSTART").tzinfo is None
    assert event.decoded("DURATION") == timedelta(minutes=45)
    assert str(event["LOCATION"]) == "Video call"
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270603T235959;INTERVAL=2"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Purpose: Get ready to lead a team of four")
    assert "- Team conflict — desired outcome: a plan for my next one-to-one" in description
    assert "- mentor: read my roadmap draft" in description
    # the calendar agrees with what the stage told the user
    data = agreement.data
    meetings = [d.date() for d in _occurrences(event, 0)]
    assert meetings[1] == date.fromisoformat(data["second_meeting"])
    assert date.fromisoformat(data["review_date"]) in meetings
    assert meetings[-1] <= date.fromisoformat(data["end_date"])
    assert len(meetings) == 14


def test_monthly_on_the_last_weekday(stage_artifacts: StageArtifacts) -> None:
    agreement = stage_artifacts("commitment_mentor_happy")["mentoring_agreement"]
    event = _event(meeting_calendar(agreement))
    assert str(event["SUMMARY"]) == "Mentoring meeting"
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;UNTIL=20271231T235959;BYDAY=-1TH"
    assert str(event["LOCATION"]) == "In person"
    meetings = [d.date() for d in _occurrences(event, 0)]
    assert meetings[:3] == [date(2026, 12, 31), date(2027, 1, 28), date(2027, 2, 25)]
    assert meetings[1] == date.fromisoformat(agreement.data["second_meeting"])
    assert date.fromisoformat(agreement.data["review_date"]) in meetings
    assert date(2027, 4, 29) in meetings  # the last Thursday of April, not the fourth


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


def _agreement(**data: Any) -> Artifact:
    return Artifact(id="a1", stage="commitment", kind="mentoring_agreement", title="Mentoring agreement",
                    markdown="# Mentoring agreement", data=data, created_at=MADE_AT)


def test_without_a_time_the_meetings_are_all_day() -> None:
    event = _event(meeting_calendar(_agreement(first_meeting="2026-12-03", cadence="weekly", end_date="2027-01-03")))
    assert event.decoded("DTSTART") == date(2026, 12, 3)
    assert "DURATION" not in event
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270103"
    assert "DESCRIPTION" not in event and "LOCATION" not in event


def test_without_a_rhythm_it_is_a_single_meeting_of_an_hour() -> None:
    event = _event(meeting_calendar(_agreement(first_meeting="2026-12-03", meeting_clock="09:00", channel="bench")))
    assert "RRULE" not in event
    assert event.decoded("DURATION") == timedelta(hours=1)
    assert str(event["LOCATION"]) == "Bench"


def test_what_cannot_become_a_calendar() -> None:
    with pytest.raises(CalendarDataError, match="no first meeting date"):
        meeting_calendar(_agreement(meeting_clock="09:00"))
    with pytest.raises(CalendarDataError, match="no first meeting date"):
        meeting_calendar(_agreement(first_meeting="soon"))
    report = _agreement(first_meeting="2026-12-03").model_copy(update={"kind": "fit_report"})
    with pytest.raises(CalendarDataError, match="a fit_report does not set up a meeting"):
        meeting_calendar(report)


@pytest.mark.parametrize("name", ["commitment_mentee_happy", "commitment_mentor_happy"])
def test_calendar_snapshot(stage_artifacts: StageArtifacts, snapshot: SnapshotAssertion, name: str) -> None:
    ics = meeting_calendar(stage_artifacts(name)["mentoring_agreement"], with_name="Sam")
    assert b"\r\n" in ics
    assert ics.decode("utf-8").replace("\r\n", "\n") == snapshot(extension_class=IcsSnapshot)
