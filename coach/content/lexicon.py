"""The words the engine reads answers by, per language: `lexicon/<locale>/<part>.yaml`.

Each file is a mapping of keys to one of:

* a list of phrases (`yes: ['yes', 'yeah', ...]`): matched as whole words, in any case; a space in a
  phrase matches any run of spaces;
* a list of regular-expression fragments, under a key that ends in `_re` (`crisis_re`), only where a
  list of phrases cannot say it; `{{name}}` in a fragment is replaced by the fragments of the key
  `name_re` of the same file (joined by `|`, in a non-capturing group);
* a table of words to numbers or words (`numbers: {one: 1, ...}`, `weekdays: {monday: 0, ...}`);
* a single value (`fold_accents: true`, `word_re: '...'`).

A key is `<part>.<key>` (`answers.yes`). A locale gets each key from its own files, else from its
language's (`es` for `es_MX`), else from English: a key a locale lacks falls back to English, list by
list. With `fold_accents: true` (in `settings.yaml`) the locale's words are matched without their
accents and `ñ`: "si" is "sí", "proximo" is "próximo", "manana" is "mañana" (`Lexicon.fold` does the
same to an answer, keeping its length, so that what is found can be cut out of the answer as typed).

Nothing is read at import: `Lexicon.load(locale)` reads the files once per locale (cached), and what
the engine compiles from a lexicon is kept on it (`Lexicon.memo`), so each pattern is compiled once.
The fragments are built into patterns the way the engine's own are (alternatives of fixed words, no
nested repetition), so that matching stays linear in the answer.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

FALLBACK_LOCALE = "en"
REGEX_SUFFIX = "_re"

T = TypeVar("T")
Value = tuple[str, ...] | dict[str, Any] | str | bool | int

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_NEVER = "(?!)"  # a pattern that matches nothing: what an empty list of phrases means


class LexiconError(ValueError):
    """A lexicon file that cannot be used, with the file and the key in the message."""


def _fold_table() -> dict[int, str]:
    """Each precomposed Latin letter with a mark (á, ñ, ü, ç ...) to its base letter: one character to one."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """`text` in NFC with its letters' accents and marks taken off ("Próximo mañana" -> "Proximo manana").

    Every character of `unicodedata.normalize("NFC", text)` stays one character, so a position found in
    the folded text is the same position in the NFC text."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def phrase_body(words: Iterable[str]) -> str:
    """The alternation of `words` (escaped; longer phrases first; a space matches any run of spaces)."""
    alts = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alts) or _NEVER


class Lexicon:
    """One locale's words (see the module's docstring). Made by `load`, or by `from_data` for tests."""

    def __init__(self, locale: str, values: Mapping[str, Value], *, sources: Mapping[str, str] | None = None):
        self.locale = locale
        self._values = dict(values)
        self.sources = dict(sources or {})  # key -> the locale it came from (for tools and tests)
        self.folds = bool(self._values.get("settings.fold_accents", False))
        self._memo: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Lexicon({self.locale!r})"

    # --- making one -----------------------------------------------------------------------------

    @classmethod
    def load(cls, locale: str = FALLBACK_LOCALE) -> Lexicon:
        """The lexicon of `locale` from the shipped `lexicon/` folder, made once per locale."""
        return _load(_normalised_locale(locale))

    @classmethod
    def from_data(cls, locale: str, parts: Mapping[str, Mapping[str, Any]],
                  fallback: Lexicon | None = None, *, source: str = "<data>") -> Lexicon:
        """A lexicon from `{part: {key: value}}` as the files hold it, each key it lacks taken from
        `fallback` (English when not given). For tests and tools; pure, but for English's files."""
        base = fallback if fallback is not None else (None if locale == FALLBACK_LOCALE else cls.load())
        values: dict[str, Value] = dict(base._values) if base is not None else {}
        sources: dict[str, str] = dict(base.sources) if base is not None else {}
        for part, data in parts.items():
            for key, value in _checked(part, data, source).items():
                values[f"{part}.{key}"] = value
                sources[f"{part}.{key}"] = locale
        return cls(locale, values, sources=sources)

    # --- reading it -----------------------------------------------------------------------------

    def has(self, key: str) -> bool:
        return key in self._values

    def _get(self, key: str) -> Value:
        try:
            return self._values[key]
        except KeyError:
            raise LexiconError(f"lexicon {self.locale!r} has no {key!r} (nor has English)") from None

    def words(self, key: str) -> tuple[str, ...]:
        """The list of phrases (or fragments) under `key`, folded when the locale folds accents."""
        value = self._get(key)
        if isinstance(value, str):
            value = (value,)
        if not isinstance(value, tuple):
            raise LexiconError(f"lexicon {self.locale!r}: {key!r} is not a list")
        return tuple(fold(v) for v in value) if self.folds else value

    def table(self, key: str) -> dict[str, Any]:
        """The table under `key`, its words folded (and lower case) when the locale folds accents."""
        value = self._get(key)
        if not isinstance(value, dict):
            raise LexiconError(f"lexicon {self.locale!r}: {key!r} is not a table")
        if not self.folds:
            return dict(value)
        return {fold(k).casefold(): fold(v) if isinstance(v, str) else v for k, v in value.items()}

    def setting(self, key: str) -> Any:
        value = self._get(key)
        return fold(value) if self.folds and isinstance(value, str) else value

    def regex(self, key: str) -> str:
        """The fragments under `key` (a `_re` key) as one alternation, `{{name}}` filled in."""
        return "|".join(self.fragments(key))

    def fragments(self, key: str) -> tuple[str, ...]:
        """The fragments under `key`, each with its `{{name}}` filled in from `<part>.name_re`."""
        part = key.partition(".")[0]

        def fill(m: re.Match[str]) -> str:
            return f"(?:{self.regex(f'{part}.{m.group(1)}{REGEX_SUFFIX}')})"

        return tuple(_PLACEHOLDER.sub(fill, f) for f in self.words(key))

    def phrases(self, key: str | Iterable[str], *more: str) -> str:
        """The phrases under `key` (and under `more` keys) as one alternation, longer phrases first.
        `key` may also be the phrases themselves."""
        words: list[str] = list(self.words(key)) if isinstance(key, str) else [fold(w) if self.folds else w
                                                                               for w in key]
        for k in more:
            words += self.words(k)
        return phrase_body(words)

    def fold(self, text: str) -> str:
        """`text` as this lexicon's words are matched against it (see `fold`); itself if the locale keeps
        accents."""
        return fold(text) if self.folds else text

    def key(self, text: str) -> str:
        """`text` as a table's words are looked up: lower case, folded where the locale folds accents."""
        return self.fold(text.casefold()) if self.folds else text.casefold()

    def memo(self, name: str, build: Callable[[Lexicon], T]) -> T:
        """What `build` makes of this lexicon (compiled patterns), made once and kept."""
        try:
            return cast(T, self._memo[name])
        except KeyError:
            pass
        with self._lock:
            if name not in self._memo:
                self._memo[name] = build(self)
            return cast(T, self._memo[name])


def sub(pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str], text: str, lex: Lexicon) -> str:
    """`pattern.sub(repl, text)`, the pattern matched against `lex.fold(text)`: what is kept is the
    text as typed (in NFC), with its accents."""
    if not lex.folds:
        return pattern.sub(repl, text)
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    end = 0
    for m in pattern.finditer(lex.fold(text)):
        out.append(text[end:m.start()])
        out.append(repl(m) if callable(repl) else m.expand(repl))
        end = m.end()
    out.append(text[end:])
    return "".join(out)


# --- files --------------------------------------------------------------------------------------


def _normalised_locale(locale: str) -> str:
    return (locale or FALLBACK_LOCALE).replace("-", "_")


def root() -> Path:
    from coach.content.library import data_root

    return data_root("lexicon")


def _chain(locale: str) -> list[str]:
    """The locales whose files make `locale`'s lexicon, most general first: en, es, es_MX."""
    language = locale.split("_")[0]
    return list(dict.fromkeys([FALLBACK_LOCALE, language, locale]))


@functools.lru_cache(maxsize=32)
def _load(locale: str) -> Lexicon:
    values: dict[str, Value] = {}
    sources: dict[str, str] = {}
    base = root()
    for loc in _chain(locale):
        folder = base / loc
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            part = path.stem
            for key, value in read_file(path).items():
                full = f"{part}.{key}"
                if loc != FALLBACK_LOCALE and full not in values:
                    raise LexiconError(f"{path}: {key!r} is no key of the English lexicon (a typo?)")
                values[full] = value
                sources[full] = loc
    if not values:
        raise LexiconError(f"no lexicon files under {base}")
    return Lexicon(locale, values, sources=sources)


def read_file(path: Path) -> dict[str, Value]:
    """One lexicon file's keys and values, checked (LexiconError names the file and the key)."""
    from coach.content.yamlsource import SourceError, read_yaml

    try:
        data = read_yaml(path).data  # bounded, and kept parsed (coach.content.yamlcache)
    except SourceError as e:
        raise LexiconError(str(e)) from None
    return _checked(path.stem, data if data is not None else {}, str(path))


def _checked(part: str, data: Any, source: str) -> dict[str, Value]:
    if not isinstance(data, Mapping):
        raise LexiconError(f"{source}: a lexicon file is a mapping of keys to lists, tables or values")
    out: dict[str, Value] = {}
    for key, value in data.items():
        where = f"{source}: {part}.{key}"
        if not isinstance(key, str):
            raise LexiconError(f"{where}: a key is a word")
        if isinstance(value, list):
            if not all(isinstance(v, str) and v for v in value):
                raise LexiconError(f"{where}: every entry of the list is a non-empty text (quote 'no', 'yes', numbers)")
            items = tuple(value)
            if key.endswith(REGEX_SUFFIX):
                for fragment in items:
                    _check_fragment(where, fragment)
            out[key] = items
        elif isinstance(value, Mapping):
            if not all(isinstance(k, str) and isinstance(v, str | int) and not isinstance(v, bool)
                       for k, v in value.items()):
                raise LexiconError(f"{where}: a table maps words to numbers or words")
            out[key] = dict(value)
        elif isinstance(value, str | bool | int):
            if isinstance(value, str) and key.endswith(REGEX_SUFFIX):
                _check_fragment(where, value)
            out[key] = value
        else:
            raise LexiconError(f"{where}: a list, a table or a single value")
    return out


def _check_fragment(where: str, fragment: str) -> None:
    try:
        re.compile(_PLACEHOLDER.sub("x", fragment))
    except re.error as e:
        raise LexiconError(f"{where}: {fragment!r} is no regular expression ({e})") from None
