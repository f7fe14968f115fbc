"""`coach share STAGE [--relationship R] [--out FILE] [--yes] [--force]`: write a packet for the other person.

Shows "this is what Sam will see" (the stage's answers the other person may see, and its
documents written to be sent), numbered; type the numbers of anything to leave out, or press
Enter. `--yes` shares the preview as shown (for scripts; without a terminal it is required).
The packet is one private file (0600), `NAME-STAGE.coach` unless --out names one, never written
over a file already there unless --force. The other person adds it with `coach merge FILE`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coach.cli.common import opened_service
from coach.literal import visible

if TYPE_CHECKING:
    from coach.app.packets import SharePreview
    from coach.app.service import CoachService
    from coach.cli.parser import CoachParser

TRIES = 3  # times a wrong list of numbers is asked again


def register(p: CoachParser) -> None:
    packet_options(p, "share")
    p.set_defaults(func=run)


def packet_options(p: CoachParser, command: str) -> None:
    """The options of a command that writes a packet (`coach share`, `coach sign`): the stage's and
    --yes's help are the command's own (cli.help.<command>.stage, .yes), the others `packet`'s."""
    say, metavar = p.words.help, p.words.metavar
    p.add_argument("stage", metavar=metavar("stage"), help=say(f"{command}.stage"))
    p.add_argument("--relationship", metavar=metavar("relationship"), help=say("packet.relationship"))
    p.add_argument("--out", type=Path, metavar=metavar("file"), help=say("packet.out"))
    p.add_argument("--yes", action="store_true", help=say(f"{command}.yes"))
    p.add_argument("--force", action="store_true", help=say("packet.force"))


def run(args: argparse.Namespace) -> int:
    from coach.app import sharing

    with opened_service(args) as service:
        preview = service.share_preview(args.stage, args.relationship)
        if not args.yes and not sys.stdin.isatty():
            raise sharing.fail(service, "no_terminal")
        print(visible("\n".join(preview.lines())))
        drop: set[int] = set()
        if not args.yes:
            drop = _ask(service, preview)
        shared = service.share(preview, drop, args.out, force=args.force)
        if shared.left_out:
            print(shared.left_out)
        print(shared.message)
    return 0


def _ask(service: CoachService, preview: SharePreview) -> set[int]:
    """The numbers the user types to leave out (asked again, up to TRIES, when they are not the
    preview's numbers)."""
    from coach.app import packets, sharing
    from coach.app.errors import AppError

    for attempt in range(TRIES):
        try:
            typed = input(packets.text(service, "share.ask_drop"))
        except EOFError:
            raise sharing.fail(service, "all_left_out") from None
        try:
            return service.share_drop(preview, typed)
        except AppError as error:
            if attempt == TRIES - 1:
                raise
            print(f"coach: {error}", file=sys.stderr)
    return set()
