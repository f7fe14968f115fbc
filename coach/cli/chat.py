"""`coach chat` (also plain `coach`): the TUI, or with --plain a plain-terminal chat.

Textual is imported only inside :func:`run_tui`, so other commands never load it; the flows and
the store are loaded by :func:`make_service`, on the app's data thread, while the first frame is
drawn.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.app.service import CoachService
    from coach.cli.parser import CoachParser


def register(p: CoachParser) -> None:
    say = p.words.help
    p.add_argument("--plain", action="store_true", help=say("chat.plain"))
    p.add_argument("--flow", metavar=p.words.metavar("flow"), help=say("chat.flow"))
    p.add_argument("--role", choices=["mentee", "mentor"], help=say("chat.role"))
    p.add_argument("--theme", choices=["light", "dark"], default="dark", help=say("theme"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "plain", False):
        return run_plain(args)
    if not _interactive():
        from coach.cli.common import texts

        print(f"coach: {texts(args).say('chat.not_a_terminal')}", file=sys.stderr)
        return run_plain(args)
    return run_tui(args)


def _interactive() -> bool:
    # textual-serve runs the app with its own driver, talking over pipes: that is interactive too.
    return bool(os.environ.get("TEXTUAL_DRIVER")) or (sys.stdin.isatty() and sys.stdout.isatty())


def run_plain(args: argparse.Namespace) -> int:
    from coach.cli.common import CliError, texts

    try:
        from coach.cli.plain import run_plain as plain
    except ModuleNotFoundError as error:
        if error.name != "coach.cli.plain":
            raise
        raise CliError(texts(args).say("chat.not_available")) from None
    code: int = plain(args)
    return code


def make_service(args: argparse.Namespace) -> CoachService:
    """Load the flows and open the store in the data folder (runs on the app's data thread)."""
    from coach.app.setup import open_service
    from coach.cli.common import language, load_library, service_errors

    with service_errors():
        service = open_service(load_library(args), getattr(args, "data_dir", None), language(args))
        flow = getattr(args, "flow", None)
        if flow:
            service.require_stage(flow)
    return service


def run_tui(args: argparse.Namespace) -> int:
    import gc

    from coach.cli.common import language
    from coach.places import chosen_data_dir
    from coach.tui.app import CoachApp
    from coach.tui.paint import HomePaint

    # What the imports made (Textual's classes, coach's) lives as long as the app: kept out of the
    # collections, so that none walks it before the first frame (a full one took 30 ms of it).
    # The app collects again once idle (coach.tui.idle_gc).
    gc.freeze()

    locale = language(args).locale
    data_dir = getattr(args, "data_dir", None)
    role = getattr(args, "role", None)
    app = CoachApp(
        lambda: make_service(args),
        start_flow=getattr(args, "flow", None),
        start_role=role,
        theme=getattr(args, "theme", None) or "dark",
        locale=locale,  # the TUI's own texts (coach.tui.i18n)
        paint=HomePaint(chosen_data_dir(None if data_dir is None else str(data_dir)), locale=locale, role=role,
                        flow_dirs=getattr(args, "flow_dirs", None) or []),
    )
    app.run()
    return app.return_code or 0
