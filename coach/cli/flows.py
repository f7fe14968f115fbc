"""Placeholder until this command lands."""

from __future__ import annotations

import argparse

from coach.cli.common import CliError


def register(p: argparse.ArgumentParser) -> None:
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise CliError("this command is not available yet")
