"""Pilot: the app losing and getting back the focus (a browser page's focus, a terminal's) dims the
header's title and gives the focus back to the widget that had it, as Textual does, restyling only
what the focus state styles."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.widgets._header import HeaderTitle
from tui_helpers import Backend, add_people, settle

from coach.tui.app import CoachApp


async def test_blur_dims_the_title_and_focus_gives_the_focus_back(
        backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = app.screen.query_one(HeaderTitle)
        focused = app.screen.focused
        assert focused is not None and title.styles.text_opacity == 1.0
        app.post_message(events.AppBlur())
        await pilot.pause(0.05)
        assert not app.app_focus and app.screen.focused is None
        assert title.styles.text_opacity == 0.5  # Textual's `App:blur HeaderTitle`
        app.post_message(events.AppFocus())
        await pilot.pause(0.05)
        assert app.app_focus and app.screen.focused is focused
        assert title.styles.text_opacity == 1.0


async def test_only_what_a_focus_state_styles_is_restyled(
        backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        restyled = app._focus_styled(app.screen)
        everything = list(app.screen.walk_children(with_self=True))
        assert app.screen.query_one(HeaderTitle) in restyled
        assert len(restyled) < len(everything) / 4, (len(restyled), len(everything))
