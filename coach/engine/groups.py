"""Which inputs belong to which prompt: the bookkeeping that `/back` and summary edits need.

Every time the coach puts a prompt to the user afresh (a question, a commitment to review, the
summary, "what would you like to change?") a group begins; the inputs consumed while that prompt
is open (an answer, a follow-up, an invalid attempt, a skip) join it. `/back` drops the last
groups; an edit replaces the groups that answered a slot. Inputs are named by their index in the
conversation's effective list of inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

GroupKind = Literal["review", "question", "summary", "pick", "drafts", "draft"]


@dataclass
class Group:
    kind: GroupKind
    tag: str
    slot: str | None = None
    entries: list[int] = field(default_factory=list)


@dataclass
class Groups:
    groups: list[Group] = field(default_factory=list)

    def begin(self, kind: GroupKind, tag: str, slot: str | None = None) -> None:
        self.groups.append(Group(kind, tag, slot))

    def add(self, index: int) -> None:
        if self.groups:
            self.groups[-1].entries.append(index)

    @property
    def last(self) -> Group | None:
        return self.groups[-1] if self.groups else None

    def back_drop(self, probing: bool) -> tuple[list[int], Group | None] | None:  # probing: or clarifying
        """What `/back` undoes: the inputs to drop and the group of the prompt asked again (None
        when it is the current question itself), or None if there is nothing to go back to.

        From a follow-up question: the question itself, answered afresh. Elsewhere: the previous
        prompt's inputs and the current one's. Never back into the review of commitments."""
        gs = self.groups
        if probing and gs:
            return list(gs[-1].entries), None
        if len(gs) < 2 or gs[-2].kind == "review":
            return None
        return [*gs[-2].entries, *gs[-1].entries], gs[-2]

    def answering(self, slot: str, before: int) -> list[int]:
        """The inputs of every question group (before group number `before`) that answered `slot`."""
        return [i for g in self.groups[:before] if g.kind == "question" and g.slot == slot for i in g.entries]

    def last_summary(self) -> int:
        """The number of the group where the summary was last put to the user."""
        return max((n for n, g in enumerate(self.groups) if g.kind == "summary"), default=len(self.groups))


def spans(order: list[int]) -> list[tuple[int, int]]:
    """`order` (indices) as half-open runs of consecutive indices: [0,1,2,5,6] -> [(0,3), (5,7)]."""
    runs: list[tuple[int, int]] = []
    for i in order:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def matches(given_at: str, tag: str) -> bool:
    """Whether an input given at prompt `given_at` answers the prompt `tag`. `*.step` (from data
    rebuilt by a migration) names a step in whichever flow."""
    if given_at == tag:
        return True
    return given_at.startswith("*.") and "." in tag and tag.split(".", 1)[1] == given_at[2:]
