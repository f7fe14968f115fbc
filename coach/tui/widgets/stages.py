"""Stage status: a table on the home screen, a sidebar in the chat."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Label, ProgressBar, Static

from coach.tui.data import StageStatus

MARKS = {"not started": "○", "in progress": "◐", "done": "●"}
STYLES = {"not started": "$text-muted", "in progress": "$warning", "done": "$success"}


def status_text(status: StageStatus) -> Content:
    return Content.assemble((f"{MARKS[status.state]} {status.state}", STYLES[status.state]))


class StageTable(DataTable[Content]):
    """Each stage of the relationship: status and the date of the last session. Enter opens one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.statuses: list[StageStatus] = []

    def on_mount(self) -> None:
        self.add_column("#", key="n", width=2)
        self.add_column("Stage", key="stage", width=16)
        self.add_column("Status", key="status", width=14)
        self.add_column("Last", key="last", width=10)

    def show(self, statuses: list[StageStatus]) -> None:
        keep = self.cursor_row
        self.statuses = statuses
        self.clear()
        for i, s in enumerate(statuses, 1):
            last = s.last.isoformat() if s.last else "—"
            self.add_row(Content(str(i)), Content(s.title), status_text(s), Content(last), key=s.flow_id)
        if statuses:
            self.move_cursor(row=min(keep, len(statuses) - 1))

    @property
    def selected(self) -> StageStatus | None:
        if not self.statuses or self.cursor_row < 0:
            return None
        return self.statuses[min(self.cursor_row, len(self.statuses) - 1)]


class StageSidebar(Vertical):
    """The stages of this relationship, the current one marked, and progress through it."""

    def __init__(self, current: str, statuses: list[StageStatus], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current
        self.statuses = statuses

    def compose(self) -> ComposeResult:
        yield Label("Stages", classes="title")
        for s in self.statuses:
            here = s.flow_id == self.current
            mark = "▶" if here else MARKS[s.state]
            line = Content.assemble((f"{mark} ", STYLES[s.state] if not here else "$accent"), s.title)
            yield Static(line, classes="stage -current" if here else "stage")
        yield Label("This stage", classes="title")
        yield ProgressBar(total=1, show_eta=False, show_percentage=True, id="stage-progress")

    def set_progress(self, done: int, total: int) -> None:
        self.query_one("#stage-progress", ProgressBar).update(total=max(total, 1), progress=done)
