"""`coach` command line: dispatches to one module per command, imported only when used
(so that no command but the TUI ever imports textual)."""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from coach import __version__
from coach.app.errors import AppError
from coach.cli.common import CliError
from coach.cli.parser import CoachParser, HelpTexts, help_texts
from coach.literal import visible

# command name -> its module under coach.cli; its one-line help is cli.help.commands.<name>
COMMANDS: dict[str, str] = {name: name for name in (
    "chat", "run", "flows", "export", "brief", "share", "merge", "sign", "demo", "serve")}


def build_parser(only: str | None = None, words: HelpTexts | None = None) -> CoachParser:
    """The parser, speaking `words`' language (default: English). With `only`, just that command's
    module is imported (to add its options) and the others are listed by name and help alone, so
    starting one command never pays for the rest; without it, every command is complete."""
    words = words or HelpTexts.load()
    parser = CoachParser(prog="coach", words=words, description=words.help("coach.description"),
                         epilog=words.help("coach.epilog"))
    parser.add_argument("--version", action="version", version=f"coach {__version__}",
                        help=words.help("version"))
    add_common_options(parser)
    sub = parser.add_subparsers(dest="command", metavar=words.metavar("command"))
    for name, module in COMMANDS.items():
        help_text = words.help(f"commands.{name}")
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_common_options(p, suppress=True)
        if only is None or name == only:
            importlib.import_module(f"coach.cli.{module}").register(p)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The command word in argv: the first word that is not an option or an option's value."""
    takes_value = {"--data-dir", "--flows", "--lang", "--flow", "--role", "--theme"}  # incl. the chat's own
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in takes_value:
            skip = True
        elif word == "--":
            return None
        elif not word.startswith("-"):
            return word
    return None


def folder_arg(words: HelpTexts, value: str) -> Path:
    """A folder given on the command line; an empty value is an error, not "the default"."""
    if not value.strip():
        raise argparse.ArgumentTypeError(words.say("common.no_folder"))
    return Path(value)


def add_common_options(parser: CoachParser, *, suppress: bool = False) -> None:
    default = argparse.SUPPRESS if suppress else None
    words = parser.words
    folder = functools.partial(folder_arg, words)
    parser.add_argument("--data-dir", type=folder, default=default, metavar=words.metavar("dir"),
                        help=words.help("common.data_dir"))
    parser.add_argument("--lang", default=default, metavar=words.metavar("lang"), help=words.help("common.lang"))
    parser.add_argument("--flows", dest="flow_dirs", type=Path, action="append",
                        default=default if suppress else [], metavar=words.metavar("dir"),
                        help=words.help("common.flows"))


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = _command_in(args_list)
    if command is None and not {"-h", "--help", "--version"} & set(args_list):
        command, args_list = "chat", ["chat", *args_list]  # `coach [options]` opens the chat
    try:
        words = help_texts(args_list)
    except AppError as error:  # `--lang xx`, even with --help: the one line language() gives
        print(f"coach: {visible(str(error))}", file=sys.stderr)
        return 2
    args = build_parser(command or "", words).parse_args(args_list)
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except CliError as e:
        print(f"coach: {visible(str(e))}", file=sys.stderr)  # it may quote a name or path as typed
        return e.code
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    return code


def _reader_went_away() -> int:
    """The reader of our output left (`coach run ... | head -1`): stop quietly, as `cat` does.

    Python would still try to flush stdout at exit and print an error about the closed pipe, so
    stdout is pointed at the null device first."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a writer killed by the closed pipe


if __name__ == "__main__":
    raise SystemExit(main())
