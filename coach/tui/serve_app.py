"""The coach app as served to a web browser (`coach serve`): one process per browser connection,
each with its own temporary data folder (made and removed by the command that runs it).

What differs from the terminal app: every export is also delivered to the browser as a download
(textual's `App.deliver_text`), since the participant cannot reach the server's files.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from coach.content.library import FlowLibrary
from coach.models import Role
from coach.tui.app import CoachApp

if TYPE_CHECKING:
    from coach.app.documents import ChatExports
    from coach.app.service import CoachService


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
        super().__init__(self.open_service, start_flow=start_flow, start_role=start_role, theme=theme,
                         export_dir=data_dir / "exports")

    def open_service(self) -> CoachService:
        """Load the flows and open the store in this connection's data folder (data thread)."""
        from coach.app.setup import open_service

        return open_service(self.library_factory(), self.data_dir)

    def exports(self) -> ChatExports:
        return self.data.service.exports(self.export_dir, on_written=self._deliver_from_thread)

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
