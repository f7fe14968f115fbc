"""The key bindings footer, rebuilt only when what it shows changes, and compact when the keys
would not fit on one line otherwise (a draft's extra key at 80 columns)."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

PALETTE_WIDTH = 10
"""Room the command palette's key takes at the right (beyond the last key's padding)."""


def _shown(screen: Screen[object]) -> tuple[tuple[str, str, str, bool], ...]:
    return tuple(
        (binding.key, binding.action, binding.description, enabled)
        for _node, binding, enabled, _tooltip in screen.active_bindings.values()
        if binding.show
    )


def needed_width(screen: Screen[object]) -> int:
    """The width the footer's keys take in Textual's usual (not compact) style."""
    widths: dict[str, int] = {}
    for _node, binding, _enabled, _tooltip in screen.active_bindings.values():
        if binding.show:  # one key per action, as the footer shows them
            widths.setdefault(binding.action, len(screen.app.get_key_display(binding)) + len(binding.description) + 3)
    return sum(widths.values()) + PALETTE_WIDTH


class KeyFooter(Footer):
    """Textual's footer rebuilds itself on every focus change; in the chat, focus moves between
    answer widgets whose keys are not shown, so most of those rebuilds would redraw the same keys."""

    _last: tuple[tuple[str, str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = _shown(screen)
        focused = screen.app.app_focus
        if self._bindings_ready and focused and shown == self._last:
            return
        if focused:
            self._last = shown
        self.compact = needed_width(screen) > screen.app.size.width
        super().bindings_changed(screen)

    def on_resize(self) -> None:
        self.compact = needed_width(self.screen) > self.app.size.width
