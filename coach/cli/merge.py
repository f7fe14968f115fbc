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

from coach.cli.common import opened_service
from coach.literal import visible


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE", help="the .coach packet you were sent")
    p.add_argument("--relationship", metavar="R",
                   help="which relationship it is for (the other person's name, or the relationship id); "
                        "found from the packet when left out")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with opened_service(args) as service:
        merged = service.merge(args.file, args.relationship)
    for line in merged.messages:
        print(visible(line))
    return 0
