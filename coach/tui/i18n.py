"""The TUI's own texts in the user's language: `prompts/<locale>/tui.yaml`, keyed `tui.<area>.<name>`.

`UiTexts.t("home.profiles")` is one text, rendered with `string.Template` (values inserted as plain
text); a key a locale lacks falls back to English, as the prompt catalog does.

Key descriptions: Textual reads a class's `BINDINGS` when the class is created. `UiTexts.localized(cls)`
is a subclass of `cls` (same name, so CSS type selectors still match) whose `BINDINGS` restate the
same keys and actions with the descriptions and tooltips of `keys.<area>.<name>` and
`tips.<area>.<name>` (the area is the class's `KEYS_AREA`, the name the binding's id without its
prefix, else its action without parameters). The classes' own BINDINGS carry no words: English is
a locale like any other, from prompts/en/tui.yaml. Screens and widgets are made through it, so the footer,
the help panel and everything generated from bindings read in the user's language.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from coach.content.pseudo import PSEUDO
from coach.places import data_root

if TYPE_CHECKING:  # textual only where bindings are made: the persona loader reads texts without it
    from textual.binding import Binding, BindingType
    from textual.dom import DOMNode

    from coach.content.prompts import PromptCatalog

T = TypeVar("T")

FALLBACK = "en"


@functools.cache
def shipped_catalog(root: Path | None = None) -> PromptCatalog:
    """The TUI's texts shipped with coach, `<root>/<locale>/tui.yaml` of every locale, read once per
    process. Only those files: they are read on the UI thread before the first frame (all prompts
    take ten times as long), while the service loads the rest on the data thread."""
    from coach.content.prompts import PromptCatalog

    root = root or data_root("prompts")  # (coach.places: no loader imported)
    catalog = PromptCatalog()
    for path in sorted(root.glob("*/tui.yaml")):
        catalog._load_file(path.parent.name, path, root)  # as PromptCatalog.load reads each file
    return catalog


def binding_name(binding: Binding) -> str:
    """What a binding's texts are keyed by: its id without the prefix ('chat.back' -> 'back'), else
    its action without parameters ('open_number(3)' -> 'open_number')."""
    if binding.id:
        return binding.id.rsplit(".", 1)[-1]
    return binding.action.split("(", 1)[0].removeprefix("app.").removeprefix("screen.")


def own_bindings(cls: type) -> list[tuple[str, Binding]]:
    """(area, binding) of every coach class `cls` inherits bindings from, most derived last (a key
    bound again further down replaces the one above, as in Textual). A class that does not inherit
    its bases' bindings says so with OWN_BINDINGS_ONLY (Textual keeps `inherit_bindings` private)."""
    chain: list[type] = []
    for base in cls.__mro__:
        if not base.__module__.startswith("coach."):
            continue
        chain.append(base)
        if base.__dict__.get("OWN_BINDINGS_ONLY"):
            break
    from textual.binding import Binding

    found: list[tuple[str, Binding]] = []
    for base in reversed(chain):
        area = str(getattr(base, "KEYS_AREA", "app"))
        for item in base.__dict__.get("BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            found.append((area, binding))
    return found


class UiTexts:
    """The TUI's texts in one locale (falling back to English per key)."""

    def __init__(self, prompts: PromptCatalog, locale: str = FALLBACK) -> None:
        self.prompts = prompts
        self.locale = self._known(locale)
        self._classes: dict[type, type] = {}
        self.days: dict[date, str] = {}  # dates written out so far (or by the last run: coach.tui.paint)

    def _known(self, locale: str) -> str:
        """`locale` if its texts exist, else its language ('es_MX' -> 'es'), else English."""
        known = {*self.prompts.locales(), PSEUDO}  # the pseudo-locale is made from English
        for cand in (locale, locale.replace("-", "_").split("_")[0]):
            if cand in known:
                return cand
        return FALLBACK

    def has(self, key: str) -> bool:
        return self.prompts.has(f"tui.{key}", self.locale)

    def t(self, key: str, /, **values: object) -> str:
        """The text `tui.<key>`, its `$names` filled in with `values` (as plain text). A key no
        locale has shows as itself (a test checks every key used exists)."""
        from coach.content.prompts import render

        try:
            entry = self.prompts.entry(f"tui.{key}", self.locale)
        except KeyError:
            return key
        return render(entry.phrasings("default")[0], {k: str(v) for k, v in values.items()})

    def texts(self, prefix: str) -> Mapping[str, str]:
        """Every text under `tui.<prefix>.` (e.g. a table of names), by the rest of its key."""
        start = f"tui.{prefix}."
        keys = {k for k in self.prompts.keys(FALLBACK) | self.prompts.keys(self.locale) if k.startswith(start)}
        return {k.removeprefix(start): self.t(k.removeprefix("tui.")) for k in sorted(keys)}

    def day(self, d: date) -> str:
        """A date in short, as this locale writes it ("2 Dec 2026", "2 dic 2026"; CLDR's medium form)."""
        written = self.days.get(d)
        if written is None:
            from babel.dates import format_date  # Babel and its locale data: not before the first frame

            from coach.engine.dates import babel_locale

            written = self.days[d] = str(format_date(d, "medium", locale=babel_locale(self.locale)))
        return written

    def stage_name(self, stage: str) -> str:
        """`fit_check` as a reader calls it: "Fit check" (a stage not in tui.yaml: its id, capitalised)."""
        key = f"stage_names.{stage}"
        return self.t(key) if self.has(key) else stage.replace("_", " ").capitalize()

    def binding(self, area: str, binding: Binding) -> Binding:
        """`binding` with its description and tooltip in this locale (the classes' BINDINGS name keys
        and actions only: every word a key shows is in tui.yaml)."""
        name = binding_name(binding)
        changes: dict[str, Any] = {}
        if self.has(f"keys.{area}.{name}"):
            changes["description"] = self.t(f"keys.{area}.{name}")
        if self.has(f"tips.{area}.{name}"):
            changes["tooltip"] = self.t(f"tips.{area}.{name}")
        return dataclasses.replace(binding, **changes) if changes else binding

    def bindings(self, cls: type) -> list[BindingType]:
        return [self.binding(area, b) for area, b in own_bindings(cls)]

    def localized(self, cls: type[T]) -> type[T]:
        """`cls` with its key descriptions in this locale: a subclass of the same name, made once."""
        if cls.__dict__.get("LOCALIZED_FOR") is self:
            return cls
        made = self._classes.get(cls)
        if made is None:
            namespace = {"BINDINGS": self.bindings(cls), "LOCALIZED_FOR": self, "__module__": cls.__module__,
                         "__qualname__": cls.__qualname__, "__doc__": cls.__doc__}
            made = type(cls.__name__, (cls,), namespace)
            self._classes[cls] = made
        return made


@functools.cache
def ui_texts(locale: str = FALLBACK) -> UiTexts:
    """The shipped TUI texts in `locale` (one object per locale, so the localized classes are made once)."""
    return UiTexts(shipped_catalog(), locale)


def texts_of(node: DOMNode) -> UiTexts:
    """The texts of the app `node` belongs to (English in an app that is not coach's, e.g. a test's)."""
    ui = getattr(node.app, "ui", None)
    return ui if isinstance(ui, UiTexts) else ui_texts()
