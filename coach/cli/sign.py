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
from pathlib import Path

from coach.cli.common import load_library, service_errors
from coach.literal import visible


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("stage", metavar="STAGE", help="the stage whose joint agreement to sign: commitment")
    p.add_argument("--relationship", metavar="R",
                   help="which relationship: the other person's name, or the relationship id (or its start); "
                        "needed when you have more than one")
    p.add_argument("--out", type=Path, metavar="FILE", help="the packet file to write (default: NAME-STAGE.coach)")
    p.add_argument("--yes", action="store_true", help="sign the text as shown, without asking (for scripts)")
    p.add_argument("--force", action="store_true", help="replace FILE if it is already there")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.app import packets, sharing
    from coach.app.setup import open_service

    library = load_library(args)
    with service_errors():
        service = open_service(library, getattr(args, "data_dir", None))
    try:
        with service_errors(code=1):
            preview = service.sign_preview(args.stage, args.relationship)
            if not args.yes and not sys.stdin.isatty():
                raise sharing.fail(service, "no_terminal")
            print(visible(preview.note or ""))
            print()
            print(visible(preview.sign_text or ""))
            print()
            if not args.yes:
                try:
                    typed = input(packets.text(service, "sign.ask"))
                except EOFError:
                    typed = ""
                if typed.strip().casefold() not in packets.text(service, "sign.yes_words").casefold().split():
                    print(packets.text(service, "sign.not_signed"))
                    return 1
            shared = service.share(preview, set(), args.out, force=args.force)
            print(shared.message)
    finally:
        service.close()
    return 0
