"""What every screen shares: typed access to the coach app and its data service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.widget import Widget

P = ParamSpec("P")
R = TypeVar("R")

if TYPE_CHECKING:
    from coach.tui.app import CoachApp


def coach_app(node: DOMNode) -> CoachApp:
    from coach.tui.app import CoachApp

    app = node.app
    assert isinstance(app, CoachApp)
    return app


async def service_call(node: Widget | App[Any], refused: str, failed: str, fn: Callable[P, R], *args: P.args,
                       **kwargs: P.kwargs) -> R | None:
    """`fn` on the data thread. What the service refuses (AppError) is said in one notification
    titled `refused`, anything else under `failed`; None then (`fn` itself never returns None)."""
    from coach.app.errors import AppError

    try:
        return await coach_app(node).data.call(fn, *args, **kwargs)
    except AppError as error:
        node.notify(str(error), title=refused, severity="error", markup=False)
    except Exception as error:
        node.notify(str(error), title=failed, severity="error", markup=False)
    return None


class StyledOnce:
    """A screen mixin (before Screen in the bases): its first resume, just after it was mounted,
    does not style all its widgets again (Textual does so on every resume; they were styled as they
    were mounted, with the same stylesheet). Later resumes, after another screen, do as Textual does."""

    _resumed = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
