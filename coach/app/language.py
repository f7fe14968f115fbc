"""Which language the coach speaks: `--lang`, else `$COACH_LANG`, else the language the person's profile
remembers, else the system's (`$LANGUAGE`, `$LC_ALL`, `$LC_MESSAGES`, `$LANG`), else English.

A language is one the texts exist in (a folder `prompts/<locale>/`): `es_MX`, `es-AR.UTF-8` or `es` all
mean `es` when only `es` is there. A language asked for by name (`--lang`, `$COACH_LANG`) that has no
texts is refused with one line; a system setting without texts quietly means English.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from coach.app.errors import AppError
from coach.content.messages import FALLBACK_LOCALE, message
from coach.content.pseudo import PSEUDO
from coach.places import data_root

ENV = "COACH_LANG"
SYSTEM_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class Language:
    locale: str
    chosen: bool  # asked for by name (--lang, $COACH_LANG): remembered on the profile in use


def available(prompt_dirs: Iterable[Path] = ()) -> list[str]:
    """The locales there are texts for: the folders of the shipped prompts (and of `prompt_dirs`)."""
    found: set[str] = set()
    for root in [data_root("prompts"), *prompt_dirs]:
        try:
            found |= {p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.yaml"))}
        except OSError:
            continue
    return sorted(found | {FALLBACK_LOCALE})


def match(tag: str, locales: Iterable[str]) -> str | None:
    """The locale of `locales` that `tag` names: itself, or its language ('es_MX.UTF-8' -> 'es')."""
    known = {loc.casefold().replace("-", "_"): loc for loc in locales}
    norm = tag.strip().split(".")[0].split("@")[0].replace("-", "_").casefold()
    if not norm:
        return None
    return known.get(norm) or known.get(norm.split("_")[0])


def system_language(environ: Mapping[str, str], locales: Iterable[str]) -> str | None:
    """The first language the system's settings name that there are texts for ("C" and "POSIX" name none)."""
    locales = list(locales)
    for name in SYSTEM_VARIABLES:
        value = environ.get(name, "")
        for tag in value.split(":") if name == "LANGUAGE" else [value]:
            if tag and tag not in ("C", "POSIX") and not tag.startswith("C."):
                found = match(tag, locales)
                if found:
                    return found
    return None


def choose(requested: str | None, environ: Mapping[str, str] | None = None,
           locales: Iterable[str] | None = None, remembered: str | None = None) -> Language:
    """The language to use (see the module's docstring); AppError for a named one without texts."""
    env = os.environ if environ is None else environ
    known = list(available() if locales is None else locales)
    for given, where in ((requested, "--lang"), (env.get(ENV), f"${ENV}")):
        if given and given.strip().casefold() == PSEUDO:  # for testing layouts: made from English
            return Language(PSEUDO, chosen=True)
        if given and given.strip():
            found = match(given, known)
            if found is None:
                raise AppError(message("errors.app.no_language", given=repr(given.strip()), where=where,
                                       known=", ".join(known)))
            return Language(found, chosen=True)
    if remembered and match(remembered, known):
        return Language(match(remembered, known) or remembered, chosen=False)
    return Language(system_language(env, known) or FALLBACK_LOCALE, chosen=False)
