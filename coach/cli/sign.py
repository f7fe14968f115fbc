"""`coach sign STAGE [--relationship R] [--out FILE] [--yes] [--force]`: sign the joint agreement.

Once you have merged the other person's commitment (`coach merge`), the joint agreement is the
text both of you get: the purpose, the goals, how you meet, what each commits to, and what is
still to settle. `coach sign commitment` shows that text, asks you to type yes, records your
signature (your name, the date, the hash of the text) and writes your packet of the commitment
with the signature in it; the other person merges it and signs in turn. If either of you later
shares a changed commitment, the text changes and both sign again.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from coach.cli.common import opened_service
from coach.cli.share import packet_options
from coach.literal import visible

if TYPE_CHECKING:
    from coach.cli.parser import CoachParser


def register(p: CoachParser) -> None:
    packet_options(p, "sign")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.app import packets, sharing

    with opened_service(args) as service:
        preview = service.sign_preview(args.stage, args.relationship)
        if not args.yes and not sys.stdin.isatty():
            raise sharing.fail(service, "no_terminal")
        print(visible(f"{preview.note or ''}\n\n{preview.sign_text or ''}\n"))
        if not args.yes:
            try:
                typed = input(packets.text(service, "sign.ask"))
            except EOFError:
                typed = ""
            if typed.strip().casefold() not in packets.text(service, "sign.yes_words").casefold().split():
                print(packets.text(service, "sign.not_signed"))
                return 1
        print(service.share(preview, set(), args.out, force=args.force).message)
    return 0
