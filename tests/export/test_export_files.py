"""File names, Markdown and JSON documents, and which files each format writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import PurePosixPath

import pytest
from markdown_it import MarkdownIt

from coach.app.documents import words
from coach.export import (
    CalendarDataError,
    export_artifacts,
    file_stem,
    folder_name,
    json_document,
    markdown_document,
    unique_stems,
)
from coach.models import Artifact

EN = words(None)  # the shipped English texts (prompts/en/export.yaml)

StageArtifacts = Callable[[str], dict[str, Artifact]]
T0 = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)


def _art(kind: str = "fit_report", stage: str = "fit_check", at: datetime = T0, markdown: str = "# T\n\nBody",
         data: dict[str, object] | None = None) -> Artifact:
    return Artifact(id=f"{kind}-{at:%H%M%S}", stage=stage, kind=kind, title="T", markdown=markdown,
                    data=data or {}, created_at=at)


def test_file_stem_is_date_stage_kind() -> None:
    assert file_stem(_art()) == "2026-11-27-fit_check-fit_report"
    # the day is the one where the user is, when a zone is given
    assert file_stem(_art(), timezone(timedelta(hours=2))) == "2026-11-28-fit_check-fit_report"
    assert file_stem(_art(kind="Odd kind/../x", stage="commitment")) == "2026-11-27-commitment-odd_kind_x"


def test_repeated_stems_are_numbered_in_order_of_creation() -> None:
    later = _art(at=T0 + timedelta(minutes=5))
    first = _art()
    other = _art(kind="mentoring_agreement", stage="commitment")
    assert unique_stems([later, first, other]) == [
        "2026-11-27-fit_check-fit_report-2",
        "2026-11-27-fit_check-fit_report",
        "2026-11-27-commitment-mentoring_agreement",
    ]


@pytest.mark.parametrize(
    ("name", "folder"),
    [("Priya", "priya"), ("Ana María López", "ana-maria-lopez"), ("  Sam O'Neil ", "sam-o-neil"),
     ("李", "relationship"), ("../etc", "etc")],
)
def test_folder_name(name: str, folder: str) -> None:
    assert folder_name(name) == folder


def test_markdown_document_ends_with_one_newline_and_no_trailing_spaces() -> None:
    art = _art(markdown="# T  \n\nBody \n\n")
    assert markdown_document(art) == "# T\n\nBody\n"


def test_json_document_is_the_whole_artifact() -> None:
    art = _art(data={"goal": "Lead a team — by June", "hours_per_month": 4})
    doc = json.loads(json_document(art))
    assert doc["kind"] == "fit_report" and doc["created_at"] == "2026-11-27T23:30:00Z"
    assert doc["data"] == {"goal": "Lead a team — by June", "hours_per_month": 4}
    assert "—" in json_document(art)  # readable, not \\u escaped
    assert Artifact.model_validate(doc) == art


def test_markdown_export_of_every_stage_artifact_renders(stage_artifacts: StageArtifacts) -> None:
    arts = [*stage_artifacts("fit_check_mentee_happy").values(), *stage_artifacts("commitment_mentor_happy").values(),
            *stage_artifacts("feedback_mentor_happy").values()]
    files = export_artifacts(arts, "md", folder="priya")
    assert [str(f.path) for f in files] == [
        "priya/2026-11-27-commitment-meeting_agenda.md",
        "priya/2026-11-27-commitment-mentoring_agreement.md",
        "priya/2026-11-27-feedback-feedback_note.md",
        "priya/2026-11-27-fit_check-fit_report.md",
    ]
    md = MarkdownIt("commonmark").enable("table")
    for f in files:
        text = f.content.decode("utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n")
        html = md.render(text)
        assert html.startswith("<h1>") and "$" not in html and "**" not in html
    report = next(f for f in files if f.path.name.endswith("fit_report.md")).content.decode()
    assert "<table>" in md.render(report)


def test_json_export(stage_artifacts: StageArtifacts) -> None:
    files = export_artifacts(list(stage_artifacts("commitment_mentee_happy").values()), "json")
    assert [f.path for f in files] == [
        PurePosixPath("2026-11-27-commitment-meeting_agenda.json"),
        PurePosixPath("2026-11-27-commitment-mentoring_agreement.json"),
    ]
    agreement = json.loads(files[1].content)
    assert agreement["data"]["meeting_clock"] == "17:30"


def test_ics_export_writes_one_calendar_per_agreement(stage_artifacts: StageArtifacts) -> None:
    arts = [*stage_artifacts("fit_check_mentee_happy").values(), *stage_artifacts("commitment_mentee_happy").values()]
    files = export_artifacts(arts, "ics", folder="sam", with_name="Sam", words=EN)
    assert [str(f.path) for f in files] == ["sam/2026-11-27-commitment-mentoring_agreement.ics"]
    assert b"SUMMARY:Mentoring: Ana Lima & Sam Okafor" in files[0].content
    assert export_artifacts(list(stage_artifacts("fit_check_mentee_happy").values()), "ics", words=EN) == []


def test_ics_export_of_an_agreement_without_a_date_fails_clearly() -> None:
    with pytest.raises(CalendarDataError):
        export_artifacts([_art(kind="mentoring_agreement", stage="commitment")], "ics", words=EN)


def test_ics_export_can_skip_and_report_what_it_cannot_build(stage_artifacts: StageArtifacts) -> None:
    bad = _art(kind="mentoring_agreement", stage="commitment")
    good = stage_artifacts("commitment_mentee_happy")["mentoring_agreement"]
    problems: list[str] = []
    files = export_artifacts([bad, good], "ics", words=EN, on_error=lambda art, e: problems.append(f"{art.id}: {e}"))
    assert [f.path.suffix for f in files] == [".ics"]
    assert problems == ["mentoring_agreement-233000: the agreement has no first meeting date"]
