"""The command line's parser in the user's language: `--help` and argparse's own messages.

The words come from `prompts/<locale>/cli.yaml` (keys `cli.help.*`); only that file is read (English
and the chosen locale), so `coach --help` loads no flows and no pydantic. The language is chosen
before the parser is built, from the command line as typed (`--lang X`, `--lang=X`, and `--flows
DIR`, whose prompts may add a locale), then as coach.app.language.choose does: $COACH_LANG, the
system's, English. Not the profile's: which profile is known only once the chat asks who you are
(a data folder may hold several people's), so --help follows --lang, $COACH_LANG and the system.

argparse binds gettext when it is imported, so its own words are replaced through its public hooks
instead: the usage prefix (`HelpFormatter.add_usage`), the titles of the two argument groups, an own
`-h/--help`, and `CoachParser.error`, which rewords argparse's known English messages
(`ARGPARSE_MESSAGES`) and leaves any other as argparse wrote it.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from coach.content.prompts import PromptCatalog

FALLBACK = "en"
NAMESPACE = "cli"

# argparse's messages (Python 3.11-3.13) -> the key under cli.help.argparse with the same values
ARGPARSE_MESSAGES = tuple((re.compile(p, re.DOTALL), k) for p, k in (
    (r"unrecognized arguments: (?P<args>.*)", "unrecognized"),
    (r"the following arguments are required: (?P<args>.*)", "required"),
    (r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)", "invalid_choice"),
    (r"expected one argument", "expected_one"),
    (r"expected at most one argument", "expected_at_most_one"),
    (r"expected at least one argument", "expected_at_least_one"),
    (r"expected (?P<count>\d+) arguments?", "expected_count"),
    (r"invalid (?P<type>\S+) value: (?P<value>.*)", "invalid_value"),
    (r"not allowed with argument (?P<other>.*)", "not_allowed_with"),
    (r"ignored explicit argument (?P<value>.*)", "ignored_explicit"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", "ambiguous"),
    (r"one of the arguments (?P<args>.*) is required", "one_required"),
))
_ARGUMENT = re.compile(r"argument (?P<name>[^\s:]+): (?P<message>.*)", re.DOTALL)


class HelpTexts:
    """The parser's words in one locale (`cli.help.<key>`), English where the locale lacks one."""

    def __init__(self, catalog: PromptCatalog, locale: str) -> None:
        self.catalog, self.locale = catalog, locale

    @classmethod
    def load(cls, locale: str = FALLBACK, prompt_dirs: Sequence[Path] = ()) -> HelpTexts:
        """Only `cli.yaml` of English and `locale`: the shipped one, and any in `prompt_dirs`."""
        from coach.content.prompts import PromptCatalog
        from coach.places import data_root

        catalog = PromptCatalog()
        for root in [data_root("prompts"), *prompt_dirs]:
            for loc in dict.fromkeys((FALLBACK, locale)):
                path = root / loc / f"{NAMESPACE}.yaml"
                if path.is_file():
                    catalog._load_file(loc, path, root)  # as PromptCatalog.load reads each file
        return cls(catalog, locale)

    def say(self, key: str, /, **values: object) -> str:
        from coach.content.prompts import render

        try:
            entry = self.catalog.entry(f"{NAMESPACE}.help.{key}", self.locale)
        except KeyError:
            return key
        return render(entry.phrasings("default")[0], {k: str(v) for k, v in values.items()})

    def help(self, key: str, /, **values: object) -> str:
        """A text for argparse's `help=` or `description=`, which it %-formats: a % in it stays one."""
        return self.say(key, **values).replace("%", "%%")

    def metavar(self, name: str) -> str:
        return self.say(f"metavar.{name}")

    def argparse_message(self, message: str) -> str:
        """argparse's English `message` in this locale; one it is not known to write, as it is."""
        argument = _ARGUMENT.fullmatch(message)
        if argument:
            return self.say("argparse.argument", name=argument["name"],
                            message=self.argparse_message(argument["message"]))
        for pattern, key in ARGPARSE_MESSAGES:
            found = pattern.fullmatch(message)
            if found:
                return self.say(f"argparse.{key}", **found.groupdict())
        return message


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with the usage prefix in the parser's language."""

    def __init__(self, prog: str, *, words: HelpTexts, **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self.words = words

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None:
            prefix = self.words.say("usage") + ": "
        super().add_usage(usage, actions, groups, prefix)


class RawDescriptionHelpFormatter(HelpFormatter, argparse.RawDescriptionHelpFormatter):
    """The same, keeping the description's and epilog's line breaks (a table of keys)."""


class CoachParser(argparse.ArgumentParser):
    """An ArgumentParser speaking `words`' language: its group titles, -h/--help, usage prefix and
    error messages; its subcommands' parsers are CoachParsers in the same language."""

    def __init__(self, *args: Any, words: HelpTexts, **kwargs: Any) -> None:
        self.words = words
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", functools.partial(HelpFormatter, words=words))
        super().__init__(*args, **kwargs)
        self._positionals.title = words.say("positionals")
        self._optionals.title = words.say("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=words.help("help"))

    def keep_line_breaks(self) -> None:
        """The description and epilog are shown with their own line breaks."""
        self.formatter_class = functools.partial(RawDescriptionHelpFormatter, words=self.words)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", functools.partial(CoachParser, words=self.words))
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        """As argparse's: the usage, then one line `PROG: error: MESSAGE`, exit code 2."""
        self.print_usage(sys.stderr)
        self.exit(2, self.words.say("error", prog=self.prog, message=self.words.argparse_message(message)) + "\n")


def requested(argv: Sequence[str]) -> tuple[str | None, list[Path]]:
    """The `--lang` (the last one, as argparse takes it) and the `--flows` folders in `argv` as typed,
    before it is parsed; anything after `--` is an argument, not an option."""
    lang: str | None = None
    flows: list[Path] = []
    words = list(argv)
    for i, word in enumerate(words):
        if word == "--":
            break
        name, eq, value = word.partition("=")
        if name not in ("--lang", "--flows"):
            continue
        if not eq:
            if i + 1 >= len(words):
                continue  # argparse reports the missing value
            value = words[i + 1]
        if name == "--lang":
            lang = value
        else:
            flows.append(Path(value))
    return lang, flows


def prompt_roots(flow_dirs: Sequence[Path]) -> list[Path]:
    """The prompts folders a --flows DIR brings (coach.cli.common reads the same ones)."""
    return [c for d in flow_dirs for c in (d / "prompts", d.parent / "prompts")]


def help_texts(argv: Sequence[str]) -> HelpTexts:
    """The parser's words for `argv`; AppError for a language asked for by name without texts."""
    from coach.app.language import available, choose

    lang, flows = requested(argv)
    roots = prompt_roots(flows)
    return HelpTexts.load(choose(lang, locales=available(roots)).locale, roots)
