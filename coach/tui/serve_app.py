"""The coach app as served to a web browser (`coach serve`): one process per browser connection,
each with its own temporary data folder (made and removed by the command that runs it).

What differs from the terminal app: every export is also delivered to the browser as a download
(textual's `App.deliver_text`), since the participant cannot reach the server's files.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from coach.content.library import FlowLibrary
from coach.models import Artifact, Role
from coach.tui.app import CoachApp
from coach.tui.data import Backend, StoreBackend

if TYPE_CHECKING:
    from coach.store import Store


class DeliveringBackend(StoreBackend):
    """A store backend whose exports are handed to `deliver` (runs on the data thread)."""

    def __init__(self, library: FlowLibrary, store: Store, deliver: Callable[[Path], None],
                 *, today: Callable[[], date] = date.today) -> None:
        super().__init__(library, store, today=today)
        self.deliver = deliver

    def export_markdown(self, name: str, markdown: str) -> Path:
        path = super().export_markdown(name, markdown)
        self.deliver(path)
        return path

    def export_calendar(self, artifact: Artifact, other_name: str) -> Path | None:
        path = super().export_calendar(artifact, other_name)
        if path is not None:
            self.deliver(path)
        return path


class ServeApp(CoachApp):
    """CoachApp whose exports become browser downloads."""

    TITLE = "coach"
    # Textual reads a relative CSS_PATH beside the running class's module: name the app's in full.
    CSS_PATH = str(Path(inspect.getfile(CoachApp)).with_name(CoachApp.CSS_PATH))

    def __init__(
        self,
        library_factory: Callable[[], FlowLibrary],
        data_dir: Path,
        *,
        start_flow: str | None = None,
        start_role: Role | str | None = None,
        theme: str = "dark",
    ) -> None:
        self.library_factory = library_factory
        self.data_dir = data_dir
        self.delivered: list[Path] = []
        super().__init__(self.open_backend, start_flow=start_flow, start_role=start_role, theme=theme)

    def open_backend(self) -> Backend:
        """Load the flows and open the store in this connection's data folder (data thread)."""
        from coach.store import Store

        return DeliveringBackend(self.library_factory(), Store(self.data_dir), self._deliver_from_thread)

    def _deliver_from_thread(self, path: Path) -> None:
        self.call_from_thread(self.deliver, path)

    def deliver(self, path: Path) -> None:
        """Send `path` to the browser as a download (in a terminal: textual saves a copy to the
        downloads folder, so only do it on the web)."""
        self.delivered.append(path)
        if self.is_web:
            mime = "text/calendar" if path.suffix == ".ics" else "text/markdown"
            self.deliver_text(path, save_filename=path.name, mime_type=mime)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # The screens say where an export was saved: on the server, which means nothing to a
        # participant in a browser; say that it is downloading instead.
        if self.is_web and message.startswith("Saved to ") and self.delivered:
            message = f"{self.delivered[-1].name} is downloading in your browser."
            markup = False
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
