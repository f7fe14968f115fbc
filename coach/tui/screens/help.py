"""Keys and commands, in one place."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Keys and commands

**Home**

| Key | |
|---|---|
| `c` | continue the session in progress |
| `Enter`, `1`-`6` | open a stage (start it, or resume it; a finished one: its documents, or again) |
| `d` | every document with the person shown: open, copy, export |
| `n` / `a` | new profile / new relationship |

**Chat** — the same commands can be typed in the answer box

| Key | Typed | |
|---|---|---|
| `Ctrl+B` / `F2` | `/back` | undo the last answer and answer it again |
| `Ctrl+N` / `F3` | `/skip` | leave a question unanswered (when it allows) |
| `F1` | `/help` | how to answer the current question |
| `Ctrl+R` / `F4` | `/summary` | your answers so far |
| | `/why` | why the coach asks this |
| `Ctrl+O` / `F5` | | save the conversation as Markdown |
| `Esc` | `/pause` | pause (saved) and go home |

Choices: press the option's number (`1` `2` for 12), or use the arrows and `Enter`. Scales: press
the number, or `←` `→` and `Enter`. Yes/no: `y` or `n`. Long answers, lists and drafts: `Ctrl+S`
sends. Or just start typing an answer.

**Everywhere**: `Ctrl+P` command palette · `Ctrl+T` light/dark theme · `Ctrl+Q` quit
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Markdown(HELP, open_links=False)

    def action_close(self) -> None:
        self.dismiss(None)
