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

APP_KEYS: dict[str, str] = {"app.palette": "ctrl+p", "app.theme": "ctrl+t", "app.quit": "ctrl+q",
                            "answer.send": "ctrl+s"}
"""Keys outside the chat's bindings, as the terminal app binds them ("" for: no key)."""

HELP = """\
# Keys and commands

**Home**

| Key | |
|---|---|
| `c` | continue the session in progress |
| `Enter`, `1`-`6` | open a stage (start it, or resume it; a finished one: its documents, or again) |
| `d` | every document with the person shown: open, copy, export |
| `s` / `i` | (documents) share a finished stage with them / add the packet they sent |
| `n` / `a` | new profile / new relationship |

**Chat** — the same commands can be typed in the answer box

| Key | Typed | |
|---|---|---|
| {chat.back} | `/back` | undo the last answer and answer it again |
| {chat.skip} | `/skip` | leave a question unanswered (when it allows) |
| {chat.help} | `/help` | how to answer the current question |
| {chat.summary} | `/summary` | your answers so far |
| | `/why` | why the coach asks this |
| {chat.export} | | save the conversation as Markdown |
| {chat.home} | `/pause` | pause (saved) and go home |

Choices: press the option's number (`1` `2` for 12), or use the arrows and `Enter`. Scales: press
the number, or `←` `→` and `Enter`. Yes/no: `y` or `n`. Long answers, lists and drafts: {answer.send}
sends. Or just start typing an answer.
"""


def key_name(key: str) -> str:
    """'ctrl+b' -> 'Ctrl+B', 'f2' -> 'F2', 'escape' -> 'Esc'."""
    names = {"escape": "Esc", "enter": "Enter", "tab": "Tab"}
    return "+".join(names.get(part, part.capitalize() if len(part) > 1 else part.upper())
                    for part in key.strip().split("+"))


def keys_shown(keys: str) -> str:
    return " / ".join(f"`{key_name(k)}`" for k in keys.split(",") if k.strip())


def help_markdown(keymap: Mapping[str, str] | None = None) -> str:
    """The help, with each key as bound: the chat's from its BINDINGS, replaced by `keymap` (binding
    id -> keys, as `App.set_keymap` takes them) where it names them."""
    from coach.tui.screens.chat import ChatScreen

    keymap = keymap or {}
    keys: dict[str, str] = {}
    for binding in ChatScreen.BINDINGS:
        if isinstance(binding, Binding) and binding.id:
            keys[binding.id] = keymap.get(binding.id, binding.key)
    for binding_id, default in APP_KEYS.items():
        keys[binding_id] = keymap.get(binding_id, default)
    text = HELP
    for binding_id, bound in keys.items():
        text = text.replace("{" + binding_id + "}", keys_shown(bound))
    everywhere = [f"{keys_shown(keys[i])} {what}" for i, what in
                  (("app.palette", "command palette"), ("app.theme", "light/dark theme"), ("app.quit", "quit"))
                  if keys[i]]
    return text + "\n**Everywhere**: " + " · ".join(everywhere) + "\n"


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Markdown(help_markdown(self.keymap), open_links=False)

    def action_close(self) -> None:
        self.dismiss(None)
