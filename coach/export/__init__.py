"""Writing a user's artifacts out as files: Markdown to read and share, JSON for other tools, and
an iCalendar file for the recurring meeting a commitment agreement sets up.

Pure functions over :class:`coach.models.Artifact`: they return file names and contents and
never touch the disk, the store or the engine (the CLI writes what they return)::

    files = export_artifacts(artifacts, "md", folder="priya")
    ics = export_artifacts(artifacts, "ics", folder="priya", words=Words.of(say, stand_ins))

The words they write (the calendar's texts) are the caller's, in the reader's language (see
coach.export.words): this package reads no file.
"""

from coach.export.calendar import CalendarDataError, has_meeting, meeting_calendar
from coach.export.files import FORMATS, ExportFile, Format, export_artifacts, folder_name
from coach.export.jsonfile import json_document
from coach.export.markdown import markdown_document
from coach.export.naming import file_stem, fit_name, unique_stems
from coach.export.words import Say, Words

__all__ = [
    "FORMATS",
    "CalendarDataError",
    "ExportFile",
    "Format",
    "Say",
    "Words",
    "export_artifacts",
    "file_stem",
    "fit_name",
    "folder_name",
    "has_meeting",
    "json_document",
    "markdown_document",
    "meeting_calendar",
    "unique_stems",
]
