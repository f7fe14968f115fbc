"""The key bindings footer, rebuilt only when what it shows changes."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def _shown(screen: Screen[object]) -> tuple[tuple[str, str, str, bool], ...]:
    return tuple(
        (binding.key, binding.action, binding.description, enabled)
        for _node, binding, enabled, _tooltip in screen.active_bindings.values()
        if binding.show
    )


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
        super().bindings_changed(screen)
