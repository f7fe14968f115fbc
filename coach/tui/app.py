"""The coach TUI: a home screen and a chat screen over the conversation engine.

Start it with `coach` (or `coach chat`). Textual is imported only from here down, and only by
that command. The first frame needs only Textual and the screens: the flows, the engine and the
store are imported and loaded on the data thread (see `DataService`) while it is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from coach.tui.idle_gc import IdleCollector
from coach.tui.screens.home import HomeScreen
from coach.tui.service import DataService
from coach.tui.text import displayable

if TYPE_CHECKING:
    from coach.app.documents import ChatExports
    from coach.app.packets import SharePreview
    from coach.app.service import CoachService

THEMES = {"dark": "textual-dark", "light": "textual-light"}


class CoachApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "coach"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (an instance variable in App)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012

    def __init__(
        self,
        service_factory: Callable[[], CoachService],
        *,
        start_flow: str | None = None,
        start_role: str | None = None,
        theme: str = "dark",
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.data = DataService(service_factory)
        self.export_dir = export_dir or Path.cwd() / "coach-export"
        self.start_flow = start_flow
        self.start_role = start_role if start_role in ("mentee", "mentor") else None
        self.theme = THEMES.get(theme, theme)
        self.idle_gc = IdleCollector(self)

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())

    def on_unmount(self) -> None:
        self.idle_gc.stop()
        self.data.close(wait=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.idle_gc.touch()
        await super().on_event(event)

    def exports(self) -> ChatExports:
        """Where the chat's exports go (the folder `coach export` writes to by default)."""
        return self.data.service.exports(self.export_dir)

    PASTE_PACKETS: ClassVar[bool] = False
    """Whether a packet from the other person is pasted as text (`coach serve`) or named by its path."""

    def send_packet(self, preview: SharePreview, drop: set[int]) -> str:
        """(Data thread.) Write the packet of `preview` without `drop` into the export folder, under
        the next free name (never over a file there); what to tell the user."""
        from coach.app.packets import default_out

        self.export_dir.mkdir(parents=True, exist_ok=True)
        name = default_out(preview)
        out, n = self.export_dir / name, 1
        while out.exists():
            n += 1
            out = self.export_dir / f"{name.stem}-{n}{name.suffix}"
        shared = self.data.service.share(preview, drop, out)
        return " ".join(line for line in (shared.message, shared.left_out) if line)

    def fail(self, message: str) -> None:
        """A problem the app cannot work around (e.g. an unreadable data folder): exit with it."""
        self.exit(return_code=2, message=f"coach: {displayable(message)}")

    def format_title(self, title: str, sub_title: str) -> Content:
        """Every screen's header: a title and subtitle hold names people typed, shown literally."""
        return super().format_title(displayable(title), displayable(sub_title))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """A notification; what it quotes (a name, a path) shows no control character live.
        A message that quotes what people typed is sent with markup=False."""
        super().notify(displayable(message), title=displayable(title), severity=severity, timeout=timeout,
                       markup=markup)

    def action_toggle_theme(self) -> None:
        self.theme = THEMES["light"] if self.theme == THEMES["dark"] else THEMES["dark"]

    def action_keys(self) -> None:
        from coach.tui.screens.help import HelpScreen  # Markdown: not needed for the first frame

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand("Keys and commands", "Every key and typed command of coach", self.action_keys)
        yield SystemCommand("Light or dark theme", "Switch between the light and dark theme", self.action_toggle_theme)
        yield from super().get_system_commands(screen)
