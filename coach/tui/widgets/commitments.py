"""The open commitments of a relationship on the home screen: one page at a time, closable.

However many are open (a long mentorship leaves hundreds), the list holds one page of options
(PAGE), so showing it costs the same for 10 or 2000; ← → turn the pages, and the section title
says how many there are and which are shown ("12 open · 1–10"). `x` marks the highlighted one
done, Delete drops it: the home screen closes it through the service.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coach.tui.i18n import UiTexts, texts_of
from coach.tui.text import one_line

if TYPE_CHECKING:
    from coach.tui.look import CommitmentRow


def commitment_line(ui: UiTexts, c: CommitmentRow) -> Content:
    owner, stage = ui.t(f"roles.{c.owner}"), ui.stage_name(c.stage)
    about = (ui.t("home.commitment_due", owner=owner, date=ui.day(c.due), stage=stage) if c.due
             else ui.t("home.commitment", owner=owner, stage=stage))
    return Content.assemble(("• ", "$accent"), one_line(c.text, 200), (f"  {about}", "$text-muted"))


class CommitmentList(OptionList):
    """A page of open commitments; the whole list is `commitments`, the page shown `page`."""

    KEYS_AREA = "commitments"
    PAGE = 10
    BINDINGS: ClassVar[list[BindingType]] = [
        # Not in the footer (no room at 80 columns): the line under the list names them.
        Binding("x", "close('done')", id="commitments.done", show=False),
        Binding("delete", "close('dropped')", id="commitments.drop", show=False),
        Binding("right", "page(1)", id="commitments.next_page", show=False),
        Binding("left", "page(-1)", id="commitments.previous_page", show=False),
    ]

    class Close(Message):
        """Close `commitment` as `status` ("done" or "dropped")."""

        def __init__(self, commitment: CommitmentRow, status: str) -> None:
            super().__init__()
            self.commitment = commitment
            self.status = status

    class Paged(Message):
        """What the list shows changed (another page, one fewer)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.commitments: list[CommitmentRow] = []
        self.page = 0

    @property
    def ui(self) -> UiTexts:
        return texts_of(self)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.commitments) // self.PAGE))

    @property
    def shown(self) -> Sequence[CommitmentRow]:
        start = self.page * self.PAGE
        return self.commitments[start:start + self.PAGE]

    def counted(self) -> str:
        """How many are open and which are shown: "12 open · 1–10" ("" for none)."""
        n = len(self.commitments)
        if n == 0:
            return ""
        if n <= self.PAGE:
            return self.ui.t("home.commitments_count", count=n)
        first = self.page * self.PAGE + 1
        return self.ui.t("home.commitments_page", count=n, first=first, last=first + len(self.shown) - 1)

    def keys_hint(self) -> Content:
        """The keys that work on the list ("" for none): x mark done · Del drop · ← → pages."""
        if not self.commitments:
            return Content("")
        t = self.ui.t
        parts = [("x", t("home.commitments_hint_done")), ("Del", t("home.commitments_hint_drop"))]
        if self.pages > 1:
            parts.append(("← →", t("home.commitments_hint_pages")))
        return Content("  ").join(Content.assemble((key, "bold $accent"), f" {what}") for key, what in parts)

    def show(self, commitments: Sequence[CommitmentRow], *, keep_page: bool = False) -> None:
        """Show `commitments` from the first page (`keep_page`: the page shown, or the last one left)."""
        self.commitments = list(commitments)
        self.page = min(self.page, self.pages - 1) if keep_page else 0
        self._show_page()

    def _show_page(self, highlight: int = 0) -> None:
        shown = self.shown
        if shown:
            ui = self.ui
            self.set_options(Option(commitment_line(ui, c), id=c.id) for c in shown)
            self.highlighted = min(highlight, len(shown) - 1)
        else:
            self.set_options([Option(Content.styled(self.ui.t("home.none_open"), "$text-muted"), disabled=True)])
        self.refresh_bindings()
        self.post_message(self.Paged())

    @property
    def current(self) -> CommitmentRow | None:
        """The highlighted commitment."""
        shown = self.shown
        index = self.highlighted
        return shown[index] if index is not None and 0 <= index < len(shown) else None

    def remove_commitment(self, commitment_id: str) -> None:
        """Take a closed commitment out; the highlight stays where it was (on the next one)."""
        at = self.highlighted or 0
        self.commitments = [c for c in self.commitments if c.id != commitment_id]
        self.page = min(self.page, self.pages - 1)
        self._show_page(at)

    def action_page(self, step: int) -> None:
        page = min(max(self.page + step, 0), self.pages - 1)
        if page != self.page:
            self.page = page
            self._show_page()

    def action_close(self, status: str) -> None:
        commitment = self.current
        if commitment is not None:
            self.post_message(self.Close(commitment, status))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return self.current is not None
        if action == "page":
            step = parameters[0] if parameters else 1
            return 0 <= self.page + (1 if step == 1 else -1) < self.pages
        return True
