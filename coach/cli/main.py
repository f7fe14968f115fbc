"""`coach` command line: dispatches to one module per command, imported only when used
(so that no command but the TUI ever imports textual)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from coach import __version__
from coach.cli.common import CliError
from coach.literal import visible

# command name -> (module under coach.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "chat": ("chat", "open the chat (the default): the TUI, or --plain for a plain terminal"),
    "run": ("run", "play a file of answers through a flow and print the conversation"),
    "flows": ("flows", "lint, list, graph or scaffold flow definitions"),
    "export": ("export", "write your artifacts (reports, agreements, agendas, calendars) to files"),
    "share": ("share", "write a packet of a stage for the other person (you see what they will see first)"),
    "merge": ("merge", "add the packet the other person sent you, and build the joint documents"),
    "sign": ("sign", "sign your joint agreement (commitment) and write your packet with the signature"),
    "demo": ("demo", "facilitator demo: a sample persona types its answers automatically"),
    "serve": ("serve", "serve the chat in a web browser (textual-serve)"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser. With `only`, just that command's module is imported (to add its options) and
    the others are listed by name and help alone, so starting one command never pays for the
    rest; without it, every command is complete."""
    parser = argparse.ArgumentParser(
        prog="coach",
        description="A chat coach for the six stages of a mentorship relationship.",
        epilog="Run `coach` with no command to open the chat. `coach COMMAND --help` tells more.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    add_common_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
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


def folder_arg(value: str) -> Path:
    """A folder given on the command line; an empty value is an error, not "the default"."""
    if not value.strip():
        raise argparse.ArgumentTypeError("give a folder (an empty value names none; leave the option out for the "
                                         "default)")
    return Path(value)


def add_common_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", type=folder_arg, default=default, metavar="DIR",
                        help="where your data lives (default: $COACH_DATA_DIR or your user data folder)")
    parser.add_argument("--lang", default=default, metavar="LANG",
                        help="the language to use, e.g. es (default: $COACH_LANG, else your profile's, else the "
                        "system's); remembered on your profile")
    parser.add_argument("--flows", dest="flow_dirs", type=Path, action="append",
                        default=default if suppress else [], metavar="DIR",
                        help="also load flows from DIR (repeatable); a prompts/ folder beside or inside it "
                        "is loaded too")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = _command_in(args_list)
    if command is None and not {"-h", "--help", "--version"} & set(args_list):
        command, args_list = "chat", ["chat", *args_list]  # `coach [options]` opens the chat
    args = build_parser(command or "").parse_args(args_list)
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
