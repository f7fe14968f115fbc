"""Textual's header, its icon's tooltip (it opens the command palette) in the user's language."""

from __future__ import annotations

from textual.widgets import Header

from coach.tui.i18n import texts_of


class CoachHeader(Header):
    def on_mount(self) -> None:
        self.call_after_refresh(self._name_icon)

    def _name_icon(self) -> None:
        if self.app.ENABLE_COMMAND_PALETTE:
            for icon in self.query("HeaderIcon"):
                icon.tooltip = texts_of(self).t("tips.app.command_palette")
