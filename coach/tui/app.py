"""The coach TUI: a home screen and a chat screen over the conversation engine.

Start it with `coach` (or `coach chat`). Textual is imported only from here down, and only by
that command. The first frame needs only Textual and the screens: the flows, the engine and the
store are imported and loaded on the data thread (see `DataService`) while it is drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, cast, overload

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.content import Content
from textual.dom import DOMNode, NoScreen
from textual.notifications import SeverityLevel
from textual.screen import Screen, ScreenResultCallbackType, ScreenResultType
from textual.widget import AwaitMount

from coach.tui.i18n import UiTexts, ui_texts
from coach.tui.idle_gc import IdleCollector
from coach.tui.screens.home import HomeScreen
from coach.tui.service import DataService
from coach.tui.text import displayable

if TYPE_CHECKING:
    from coach.app.documents import ChatExports
    from coach.app.packets import SharePreview
    from coach.app.service import CoachService
    from coach.tui.paint import HomePaint

THEMES = {"dark": "textual-dark", "light": "textual-light"}
FOCUS_STATES = frozenset({"focus", "blur"})  # the pseudo-classes the app's focus sets (Textual's App.PSEUDO_CLASSES)


class CoachApp(App[None]):
    """The app, in the user's language (`locale`): made as `UiTexts.localized(cls)`, whose key
    descriptions are that language's (see coach.tui.i18n)."""

    CSS_PATH = "app.tcss"
    TITLE = "coach"
    KEYS_AREA = "app"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", priority=True),
        Binding("ctrl+t", "toggle_theme", show=False),
        # Textual's own palette key, restated so that its description comes from tui.yaml too
        Binding(App.COMMAND_PALETTE_BINDING, "command_palette", show=False, priority=True),
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
        locale: str = "en",
        texts: UiTexts | None = None,
        paint: HomePaint | None = None,
    ) -> None:
        """`paint`: where the home screen's look is kept between runs, to draw it in the first frame."""
        super().__init__()
        self.paint = paint
        self.ui: UiTexts = texts or ui_texts(locale)
        self.data = DataService(service_factory)
        self.export_dir = export_dir or Path.cwd() / "coach-export"
        self.start_flow = start_flow
        self.start_role = start_role if start_role in ("mentee", "mentor") else None
        self.theme = THEMES.get(theme, theme)
        self.idle_gc = IdleCollector(self)

    def __new__(cls, *args: Any, locale: str = "en", texts: UiTexts | None = None, **kwargs: Any) -> Self:
        """`texts`: the TUI's texts from another catalog (e.g. a pseudo-locale's), else the shipped ones."""
        return super().__new__((texts or ui_texts(locale)).localized(cls))

    def _watch_app_focus(self, focus: bool) -> None:
        """As Textual's (the widget that had the focus gets it back), but restyling only the widgets
        a rule with the app's focus state in it can reach, not the whole screen: in a browser the
        page's focus comes and goes, and a session's first key gives it (each a full restyle)."""
        screen = self.screen
        self.stylesheet.update_nodes(self._focus_styled(screen), animate=False)
        if focus:
            last = self._last_focused_on_app_blur
            with contextlib.suppress(NoScreen):
                if last is not None and last.screen is screen and screen.focused is None:
                    screen.set_focus(last, scroll_visible=False, from_app_focus=True)
            self._last_focused_on_app_blur = None
        else:
            self._last_focused_on_app_blur = screen.focused
            screen.set_focus(None)

    def _focus_styled(self, screen: Screen[Any]) -> list[DOMNode]:
        """The app and the widgets of `screen` that a rule naming a focus state before its last part
        (`App:blur HeaderTitle`) may style, found by that last part; everything when one is `*`."""
        wanted: set[str] = set()
        for rule in self.stylesheet.rules:
            for selectors in rule.selector_set:
                if any(s.pseudo_classes & FOCUS_STATES for s in selectors.selectors[:-1]):
                    wanted.add(dataclasses.replace(selectors.selectors[-1], pseudo_classes=set()).css)
        if "*" in wanted:
            return [self, *screen.walk_children(with_self=True)]
        return [self, *(node for css in sorted(wanted) for node in screen.query(css))]

    def get_default_screen(self) -> Screen[Any]:
        """The home screen is the app's first (no blank default screen under it to style and lay out)."""
        return self.with_breakpoints(self.ui.localized(HomeScreen)())

    def with_breakpoints(self, screen: Screen[ScreenResultType]) -> Screen[ScreenResultType]:
        """`screen`, not mounted yet, with the breakpoint classes (-narrow, -tall...) of the terminal's
        size. Textual gives a screen them at its first resize, after its widgets are mounted and
        styled, and then styles them all again (a dialog's first frame took a third longer)."""
        width, height = self.size
        for dimension, own, default in ((width, screen.HORIZONTAL_BREAKPOINTS, self.HORIZONTAL_BREAKPOINTS),
                                        (height, screen.VERTICAL_BREAKPOINTS, self.VERTICAL_BREAKPOINTS)):
            points = (default if own is None else own) or []
            hit = next((name for at, name in sorted(points, reverse=True) if dimension >= at), None)
            screen.update_classes({name: name == hit for _, name in points}, update=False)
        return screen

    @overload
    def push_screen(self, screen: Screen[ScreenResultType] | str,
                    callback: ScreenResultCallbackType[ScreenResultType] | None = None,
                    wait_for_dismiss: Literal[False] = False, *, mode: str | None = None) -> AwaitMount: ...

    @overload
    def push_screen(self, screen: Screen[ScreenResultType] | str,
                    callback: ScreenResultCallbackType[ScreenResultType] | None = None,
                    wait_for_dismiss: Literal[True] = True, *,
                    mode: str | None = None) -> asyncio.Future[ScreenResultType]: ...

    def push_screen(self, screen: Screen[ScreenResultType] | str,
                    callback: ScreenResultCallbackType[ScreenResultType] | None = None,
                    wait_for_dismiss: bool = False, *,
                    mode: str | None = None) -> AwaitMount | asyncio.Future[ScreenResultType]:
        """As Textual's, a new screen given its breakpoint classes first (see `with_breakpoints`)."""
        if isinstance(screen, Screen) and not screen.is_attached:
            self.with_breakpoints(screen)
        return super().push_screen(screen, callback, wait_for_dismiss, mode=mode)  # type: ignore[call-overload, no-any-return]

    def on_unmount(self) -> None:
        self.idle_gc.stop()
        if self.paint is not None and self.data.ready:  # after what is still being saved, before closing
            self.data.submit(self._keep_home_look, self.data.service, self.paint)
        self.data.close(wait=False)

    def _keep_home_look(self, service: CoachService, paint: HomePaint) -> None:
        """(Data thread, at exit.) Keep the look the next launch opens on, as the data is now (a
        stage answered since the home screen was last shown, then quit from the chat), for its first frame."""
        from coach.tui.look import HomeLook

        try:
            today = service.today()
            key = paint.key()
            view = service.home_view(None, None, self.start_role)
            if not view.problems:
                paint.save(HomeLook.of(view), key, today, self.ui.day)
        except Exception:  # only a head start is lost: the next launch loads as it would without it
            return

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

    def saved_line(self, paths: list[Path]) -> str:
        """What to say once `paths` were written: where (the served app: that they are downloading)."""
        if len(paths) > 1:
            return self.ui.t("common.saved_to_more", path=paths[0], more=", ".join(p.name for p in paths[1:]))
        return self.ui.t("common.saved_to", path=paths[0])

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

        self.push_screen(self.ui.localized(HelpScreen)())

    def action_command_palette(self) -> None:
        """Textual's command palette, its search field in the user's language."""
        if self.use_command_palette and not CommandPalette.is_open(cast(App[object], self)):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=self.ui.t("palette.search")))

    def action_change_theme(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=self.ui.t("palette.search_themes")))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        t = self.ui.t
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand(t("palette.keys"), t("palette.keys_help"), self.action_keys)
        yield SystemCommand(t("palette.theme"), t("palette.theme_help"), self.action_toggle_theme)
        for command in super().get_system_commands(screen):
            yield self.textual_command(command)

    def textual_command(self, command: SystemCommand) -> SystemCommand:
        """One of Textual's own palette commands, named in the user's language (a command this
        Textual adds that coach does not know keeps its English name)."""
        name = "textual_" + command.title.casefold()
        if not self.ui.has(f"palette.{name}"):
            return command
        panel: dict[object, str] = {self.action_hide_help_panel: f"{name}_hide_help",
                                    self.action_show_help_panel: f"{name}_show_help"}
        helped = panel.get(command.callback, f"{name}_help")
        help_text = self.ui.t(f"palette.{helped}") if self.ui.has(f"palette.{helped}") else command.help
        return command._replace(title=self.ui.t(f"palette.{name}"), help=help_text)
