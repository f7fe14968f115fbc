"""`coach brief [--relationship R]`: the relationship on one page before the next meeting.

The next meeting (from the agreed rhythm), the agenda drafted for it, open commitments of both
sides (overdue ones marked), the last feedback and what it asked for, the goals and how far each
has come, questions to open the session with (coaching questions for a mentor, asks for a mentee)
and the stage that fits now, with the reason. Read from local data only; printed as Markdown.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from coach.cli.common import language, load_library, service_errors

if TYPE_CHECKING:
    from coach.cli.parser import CoachParser


def register(p: CoachParser) -> None:
    say, metavar = p.words.help, p.words.metavar
    p.add_argument("--relationship", metavar=metavar("relationship"), help=say("brief.relationship"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.app.setup import open_service

    with service_errors():
        service = open_service(load_library(args), getattr(args, "data_dir", None), language(args))
        try:
            print(service.brief(args.relationship))
        finally:
            service.close()
    return 0
