"""The one-line error and notice messages of the store, the application service and the engine:
`prompts/<locale>/errors.yaml` (keys `errors.<area>.<name>`), in the process's language.

Only that one file is read per locale (and cached), so the store can word an error without
loading the prompt library. One process serves one person: `set_language` (the application
service calls it) chooses the language every message is rendered in unless one is given; a key a
locale does not translate falls back to English. Values are substituted as plain text
(`string.Template`); a key missing everywhere renders as the key itself, never an exception of its
own in the middle of reporting one."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported on the first message: opening the store needs no YAML
    from coach.content.prompts import PromptCatalog

NAMESPACE = "errors"
FALLBACK_LOCALE = "en"  # coach.content.prompts.FALLBACK_LOCALE

_language = FALLBACK_LOCALE
_catalog: PromptCatalog | None = None
_loaded: set[str] = set()
_lock = threading.Lock()


def set_language(locale: str) -> None:
    """The language of every message from now on (until set again)."""
    global _language
    _language = locale or FALLBACK_LOCALE


def language() -> str:
    """The language messages are rendered in when none is given."""
    return _language


def _load(locale: str) -> PromptCatalog:
    global _catalog
    if _catalog is not None and FALLBACK_LOCALE in _loaded and locale in _loaded:
        return _catalog
    from coach.content.library import data_root
    from coach.content.prompts import PromptCatalog

    with _lock:
        catalog = _catalog if _catalog is not None else PromptCatalog()
        root = data_root("prompts")
        for loc in (FALLBACK_LOCALE, locale):
            if loc not in _loaded:
                path = root / loc / f"{NAMESPACE}.yaml"
                if path.is_file():
                    catalog._load_file(loc, path, root)
                _loaded.add(loc)
        _catalog = catalog
    return catalog


def message(key: str, locale: str | None = None, /, **values: object) -> str:
    """The text of `key` (`errors.…`) in `locale` (default: the process's language), `values`
    filled in as given (the caller makes user text and paths visible where it must)."""
    from coach.content.prompts import render

    loc = locale or _language
    try:
        entry = _load(loc).entry(key, loc)
    except KeyError:
        return key
    return render(entry.phrasings("default")[0], {k: str(v) for k, v in values.items()})


class Later:
    """`message(key, **values)` made only when shown: for a prefix (`line 3: `) that is needed only
    if something is wrong, so that reading a sound file words nothing."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: object) -> None:
        self.key, self.values = key, values

    def __str__(self) -> str:
        return message(self.key, **self.values)
