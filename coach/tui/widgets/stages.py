"""Stage status: a table on the home screen, a sidebar in the chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from coach.tui.i18n import UiTexts, texts_of, ui_texts

if TYPE_CHECKING:
    from collections.abc import Sequence

    from coach.app.status import StageStatus

MARKS = {"not started": "○", "in progress": "◐", "done": "●"}
STYLES = {"not started": "$text-muted", "in progress": "$warning", "done": "$success"}


def status_text(status: StageStatus, ui: UiTexts | None = None) -> Content:
    state = (ui or ui_texts()).t(f"stage_states.{status.state.replace(' ', '_')}")
    return Content.assemble((f"{MARKS[status.state]} {state}", STYLES[status.state]))


class StageTable(DataTable[Content]):
    """Each stage of the relationship: status and the date of the last session. Enter opens one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.statuses: list[StageStatus] = []

    def on_mount(self) -> None:
        t = texts_of(self).t
        states = [t(f"stage_states.{state.replace(' ', '_')}") for state in MARKS]
        widths = {"number": 2, "stage": 12, "status": max(13, *(len(s) + 2 for s in states)), "last": 12}
        for key, name in (("n", "number"), ("stage", "stage"), ("status", "status"), ("last", "last")):
            header = t(f"stages.{name}")  # a language's longer words widen their column, never cut it
            self.add_column(Text(header), key=key, width=max(widths[name], len(header)))

    def show(self, statuses: Sequence[StageStatus]) -> None:
        keep = self.cursor_row
        self.statuses = list(statuses)
        self.clear()
        for i, s in enumerate(statuses, 1):
            last = texts_of(self).day(s.last) if s.last else "—"
            self.add_row(Content(str(i)), Content(s.title), status_text(s, texts_of(self)), Content(last),
                         key=s.flow_id)
        if statuses:
            self.move_cursor(row=min(keep, len(statuses) - 1))

    @property
    def selected(self) -> StageStatus | None:
        if not self.statuses or self.cursor_row < 0:
            return None
        return self.statuses[min(self.cursor_row, len(self.statuses) - 1)]


def progress_bar(done: int, total: int, width: int) -> Content:
    """A bar like ━━━━━╸──────── 40%, as one line of text."""
    fraction = min(max(done / total, 0.0), 1.0) if total else 0.0
    filled = round(fraction * width)
    return Content.assemble(
        ("━" * filled, "$accent"), ("─" * (width - filled), "$panel-lighten-2"), f" {round(fraction * 100):3d}%"
    )


class StageProgress(Static):
    """Progress through the current stage. (Textual's ProgressBar keeps a timer running for its
    ETA and redraws every second; this only changes when the progress does.)"""

    def __init__(self, *, width: int | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bar_width = width
        self.value = (0, 0)

    def on_mount(self) -> None:
        self.update(self._bar())

    def on_resize(self) -> None:
        self.update(self._bar())

    def set(self, done: int, total: int) -> None:
        if (done, total) != self.value:
            self.value = (done, total)
            self.update(self._bar())

    def _bar(self) -> Content:
        width = self.bar_width or max(self.size.width - 5, 4)
        return progress_bar(*self.value, width)


class StageSidebar(Vertical):
    """The stages of this relationship, the current one marked, and progress through it."""

    def __init__(self, current: str, statuses: list[StageStatus], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current
        self.statuses = statuses

    def compose(self) -> ComposeResult:
        t = texts_of(self).t
        lines = [Content.styled(t("stages.sidebar"), "bold $text-accent")]
        for s in self.statuses:
            if s.flow_id == self.current:
                lines.append(Content.assemble(("▶ ", "$accent"), (s.title, "bold")))
            else:
                lines.append(Content.assemble((f"{MARKS[s.state]} ", STYLES[s.state]), (s.title, "$text-muted")))
        lines += [Content(""), Content.styled(t("stages.this_stage"), "bold $text-accent")]
        yield Static(Content("\n").join(lines), id="stage-list")
        yield StageProgress(width=16, id="stage-progress")

    def set_progress(self, done: int, total: int) -> None:
        self.query_one("#stage-progress", StageProgress).set(done, total)
