"""The coach app as served to a web browser (`coach serve`): one process per browser connection,
each with its own temporary data folder (made and removed by the command that runs it).

What differs from the terminal app: every export is also delivered to the browser as a download
(textual's `App.deliver_text`), since the participant cannot reach the server's files; and the keys
are ones a browser leaves to the page. Browsers take Ctrl with nearly every letter (Ctrl+R reload,
N new window, T new tab, W close tab, Q quit, P print, O open, S save, ...) and F5 (reload), F6,
F11 and F12: the served app binds none of them (`BROWSER_KEYS`), with a keymap over the bindings'
ids, and the footer and the help show the keys it binds.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import os
import string
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from coach.content.library import FlowLibrary
from coach.models import Role
from coach.tui.app import CoachApp

if TYPE_CHECKING:
    from coach.app.documents import ChatExports
    from coach.app.packets import SharePreview
    from coach.app.room import RoomEvent
    from coach.app.service import CoachService


EDITING_LETTERS = "acvxyz"
"""Ctrl with these is the page's (select all, copy, paste, cut, undo, redo), not the browser's."""

BROWSER_KEYS: frozenset[str] = frozenset(
    {f"ctrl+{c}" for c in string.ascii_lowercase if c not in EDITING_LETTERS}
    | {f"ctrl+shift+{c}" for c in string.ascii_lowercase}
    | {"ctrl+tab", "ctrl+shift+tab", "ctrl+pageup", "ctrl+pagedown", "alt+left", "alt+right", "alt+home",
       "f5", "f6", "f11", "f12"}
)
"""Keys a browser may keep for itself (tabs, windows, reload, print, open, save, find, history,
the address bar, full screen, developer tools): the served app binds none of them."""

SERVED_KEYMAP: dict[str, str] = {
    "chat.back": "f2",
    "chat.skip": "f3",
    "chat.help": "f1",
    "chat.summary": "f4",
    "chat.export": "f8",
    "answer.send": "f9",
    "answer.send_draft": "f9",
    "app.palette": "f10",
    "app.theme": "",  # the command palette switches the theme; quitting is closing the tab
    "app.quit": "",
}
"""Binding id -> the key the served app binds instead (none of `BROWSER_KEYS`)."""


class RoomLog:
    """The observer a served participant's service is given with `coach serve --facilitator`:
    appends each event (stage, step id, kind: never what was typed) to `path`, one JSON object a
    line, for the server's room view (coach.cli.facilitator)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, event: RoomEvent) -> None:
        line = json.dumps({"stage": event.stage, "step": event.step, "kind": event.kind}) + "\n"
        with contextlib.suppress(OSError):  # the room view is never worth a participant's reply
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)


INBOX_EVERY = 1.0  # seconds between looks for a packet added on the page


class ServeApp(CoachApp, inherit_bindings=False):
    """CoachApp whose exports become browser downloads, with keys a browser leaves alone."""

    TITLE = "coach"
    # Not CoachApp's Ctrl+Q / Ctrl+T nor Textual's Ctrl+Q: a browser takes those. Ctrl+C stays for
    # copying (it is the page's, not the browser's); the palette switches theme and quits.
    COMMAND_PALETTE_BINDING = SERVED_KEYMAP["app.palette"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "help_quit", show=False, system=True),
        Binding(COMMAND_PALETTE_BINDING, "command_palette", show=False, priority=True),
    ]
    OWN_BINDINGS_ONLY = True  # as inherit_bindings=False says (coach.tui.i18n restates only these)
    HINT_KEYS: ClassVar[dict[str, str]] = {"send": SERVED_KEYMAP["answer.send"].upper(),
                                           "skip": SERVED_KEYMAP["chat.skip"].upper()}
    """The keys the answer line's hints name (AnswerBar reads them)."""
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
        locale: str = "en",
        room_log: Path | None = None,
    ) -> None:
        self.library_factory = library_factory
        self.data_dir = data_dir
        self.room_log = room_log  # `coach serve --facilitator`: where this app's room events go (no content)
        self.delivered: list[Path] = []
        self.delivered_packets: list[tuple[str, bytes]] = []
        super().__init__(self.open_service, start_flow=start_flow, start_role=start_role, theme=theme,
                         export_dir=data_dir / "exports", locale=locale)
        self.set_keymap({binding_id: keys for binding_id, keys in SERVED_KEYMAP.items() if keys})

    def on_mount(self) -> None:  # Textual calls CoachApp's on_mount too (the home screen)
        self.set_interval(INBOX_EVERY, self._check_inbox)

    def _check_inbox(self) -> None:
        """Packets the participant added on the page ("Add a packet…", kept in the inbox by the
        server): merged one by one, each said in a notification."""
        inbox = self.data_dir / "inbox"
        if self.data.ready and inbox.is_dir() and any(inbox.glob("*.coach")):
            self.run_worker(self._take_inbox(inbox), group="inbox", exclusive=True)

    async def _take_inbox(self, inbox: Path) -> None:
        from coach.tui.screens.base import service_call
        from coach.tui.screens.documents import DocumentsScreen

        t = self.ui.t
        for path in sorted(inbox.glob("*.coach")):
            try:
                merged = await service_call(self, t("common.packet_not_added"), t("common.packet_could_not_add"),
                                            self.data.service.merge_bytes, path.read_bytes(),
                                            t("serve.packet_you_added"))
            finally:
                path.unlink(missing_ok=True)
            if merged is not None:
                self.notify("\n".join(merged.messages) or t("common.added"), title=t("common.packet_added"),
                            markup=False)
                for screen in self.screen_stack:
                    if isinstance(screen, DocumentsScreen):
                        await screen.reload()

    def action_keys(self) -> None:
        from coach.tui.screens.help import HelpScreen

        self.push_screen(self.ui.localized(HelpScreen)(SERVED_KEYMAP))

    def action_help_quit(self) -> None:
        """Ctrl+C with nothing selected: say how to leave (Textual's own names Ctrl+Q, a browser key)."""
        self.notify(self.ui.t("serve.leaving"), title=self.ui.t("serve.leaving_title"), markup=False)

    def open_service(self) -> CoachService:
        """Load the flows and open the store in this connection's data folder (data thread); with a
        room log, the service tells it where each input lands (the facilitator's room view)."""
        from coach.app.language import Language
        from coach.app.setup import open_service

        service = open_service(self.library_factory(), self.data_dir, Language(self.ui.locale, chosen=True))
        if self.room_log is not None:
            service.observer = RoomLog(self.room_log)  # stage, step id and kind of each input, never its text
        return service

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

    PASTE_PACKETS: ClassVar[bool] = True  # the participant cannot name a file on the server

    def send_packet(self, preview: SharePreview, drop: set[int]) -> str:
        """(Data thread.) The packet is delivered to the browser as a download, not written here."""
        name, data, message = self.data.service.packet_file(preview, drop)
        self.call_from_thread(self.deliver_packet, name, data)
        if not self.is_web:
            return message
        return self.ui.t("serve.packet_downloading", name=name, other=preview.relationship.other_name)

    def deliver_packet(self, name: str, data: bytes) -> None:
        self.delivered_packets.append((name, data))
        if self.is_web:
            self.deliver_binary(io.BytesIO(data), save_filename=name, mime_type="application/octet-stream")

    def saved_line(self, paths: list[Path]) -> str:
        """Where an export was saved is on the server, which means nothing to a participant in a
        browser: say that it is downloading instead."""
        if self.is_web and self.delivered:
            return self.ui.t("serve.downloading", name=self.delivered[-1].name)
        return super().saved_line(paths)
