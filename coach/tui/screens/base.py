"""What every screen shares: typed access to the coach app and its data service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode

if TYPE_CHECKING:
    from coach.tui.app import CoachApp


def coach_app(node: DOMNode) -> CoachApp:
    from coach.tui.app import CoachApp

    app = node.app
    assert isinstance(app, CoachApp)
    return app
