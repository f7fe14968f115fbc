"""`coach merge FILE [--relationship R]`: add the packet the other person sent you.

The packet is checked through (its format and version, its checksum, its size and content) and
must be for one of your relationships and from the other person in it; then it is kept with that
relationship (a newer packet of the same stage replaces it) and the joint documents are built from
both sides, e.g. the joint fit report (see them in the app, or `coach export`). A packet that
fails a check is one line, exit code 1, and nothing is stored.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from coach.cli.common import opened_service
from coach.literal import visible

if TYPE_CHECKING:
    from coach.cli.parser import CoachParser


def register(p: CoachParser) -> None:
    say, metavar = p.words.help, p.words.metavar
    p.add_argument("file", type=Path, metavar=metavar("file"), help=say("merge.file"))
    p.add_argument("--relationship", metavar=metavar("relationship"), help=say("merge.relationship"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with opened_service(args) as service:
        merged = service.merge(args.file, args.relationship)
    for line in merged.messages:
        print(visible(line))
    return 0
