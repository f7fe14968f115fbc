"""`coach export [--format md|json|ics] [--relationship R] [--out DIR]`: write your artifacts to files.

Artifacts (fit reports, agreements, agendas, feedback notes, ...) are read from the data folder
and written under DIR, one folder per relationship (named after the other person); every written
path is printed.  Files are private (0600); a file you edited since coach wrote it is never
overwritten without --force.  The latest run of each stage is written (with the stages in progress
and the joint documents); `--all` adds the earlier runs.  `--format ics` writes the recurring
meeting of each mentoring agreement.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coach.cli.common import CliError, language, prompts, service_errors, texts

if TYPE_CHECKING:
    from coach.cli.parser import CoachParser
    from coach.models import Artifact

DEFAULT_OUT = Path("coach-export")


def register(p: CoachParser) -> None:
    say, metavar = p.words.help, p.words.metavar
    p.add_argument("--format", dest="fmt", choices=["md", "json", "ics"], default="md", help=say("export.format"))
    p.add_argument("--relationship", metavar=metavar("relationship"), help=say("export.relationship"))
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar=metavar("dir"),
                   help=say("export.out", default=DEFAULT_OUT))
    p.add_argument("--force", action="store_true", help=say("export.force"))
    p.add_argument("--all", dest="history", action="store_true", help=say("export.all"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.app.documents import write_export
    from coach.app.setup import open_service
    from coach.content.library import FlowLibrary

    if args.out.exists() and not args.out.is_dir():
        raise CliError(texts(args, namespace="export").say("errors.out_not_folder", path=args.out))

    with service_errors():
        # documents need no flows, only the texts they are worded in
        service = open_service(FlowLibrary(prompts=prompts(args)), getattr(args, "data_dir", None), language(args))
        try:
            for profile in service.profiles()[:1]:
                service.speak(profile)  # the language the profile remembers, unless one is asked for
            export_texts = texts(args, service, "export")
            say = export_texts.say
            note = texts(args, service).say

            def skipped(art: Artifact, error: Exception) -> None:
                text = say("skipped", title=art.title.lower(), date=export_texts.date(art.created_at.date()),
                           error=error)
                print(f"coach: {note('note', text=text)}", file=sys.stderr)

            documents, files = service.export(args.fmt, args.relationship, skipped, history=args.history)
        finally:
            service.close()
        name = {"name": args.relationship} if args.relationship else {}
        if not documents:
            raise CliError(say("errors.nothing_for" if name else "errors.nothing", **name), code=1)
        if not files:
            raise CliError(say("errors.no_meeting_for" if name else "errors.no_meeting", **name), code=1)
        for path in write_export(args.out, files, force=args.force, texts=export_texts):
            print(path)
    return 0
