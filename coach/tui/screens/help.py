"""Keys and commands, in one place: the chat's keys are read from its bindings, through the app's
keymap (the served app rebinds them to keys a browser does not take)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from coach.tui.i18n import UiTexts, texts_of, ui_texts

APP_KEYS: dict[str, str] = {"app.palette": "ctrl+p", "app.theme": "ctrl+t", "app.quit": "ctrl+q",
                            "answer.send": "ctrl+s"}
"""Keys outside the chat's bindings, as the terminal app binds them ("" for: no key)."""


def key_name(key: str) -> str:
    """'ctrl+b' -> 'Ctrl+B', 'f2' -> 'F2', 'escape' -> 'Esc'."""
    names = {"escape": "Esc", "enter": "Enter", "tab": "Tab"}
    return "+".join(names.get(part, part.capitalize() if len(part) > 1 else part.upper())
                    for part in key.strip().split("+"))


def keys_shown(keys: str) -> str:
    return " / ".join(f"`{key_name(k)}`" for k in keys.split(",") if k.strip())


def help_markdown(keymap: Mapping[str, str] | None = None, ui: UiTexts | None = None) -> str:
    """The help (tui.help.body), with each key as bound: the chat's from its BINDINGS, replaced by
    `keymap` (binding id -> keys, as `App.set_keymap` takes them) where it names them."""
    from coach.content.prompts import render
    from coach.tui.screens.chat import ChatScreen

    ui = ui or ui_texts()
    keymap = keymap or {}
    keys: dict[str, str] = {}
    for binding in ChatScreen.BINDINGS:
        if isinstance(binding, Binding) and binding.id:
            keys[binding.id] = keymap.get(binding.id, binding.key)
    for binding_id, default in APP_KEYS.items():
        keys[binding_id] = keymap.get(binding_id, default)
    text = render(ui.t("help.body"), {i.replace(".", "_"): keys_shown(bound) for i, bound in keys.items()})
    everywhere = [f"{keys_shown(keys[i])} {ui.t(what)}" for i, what in
                  (("app.palette", "help.palette"), ("app.theme", "help.theme"), ("app.quit", "help.quit"))
                  if keys[i]]
    return text.rstrip("\n") + "\n\n" + ui.t("help.everywhere", keys=" · ".join(everywhere)) + "\n"


class HelpScreen(ModalScreen[None]):
    KEYS_AREA = "dialog"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close")]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Markdown(help_markdown(self.keymap, texts_of(self)), open_links=False)

    def action_close(self) -> None:
        self.dismiss(None)
