"""Coaching texture: one question at a time, in every ask prompt of every shipped flow."""

from __future__ import annotations

import re

from coach.content.library import FlowLibrary
from coach.content.schema import AskStep


def test_each_question_asks_one_thing(library: FlowLibrary) -> None:
    """One question at a time: an ask prompt puts at most one question (its first paragraph, without a
    parenthesised aside), and does not join two questions with 'and' ('what did you do, and how did it go?')."""
    two = re.compile(r",\s+and (?:what|how|why|when|who|which|by when|does|do|did|is|are)\b[^.?!]*\?$")
    bad = []
    for lf in library.flows.values():
        for step in lf.flow.steps:
            if not isinstance(step, AskStep):
                continue
            entry = library.prompts.entry(step.prompt)
            for role in lf.flow.roles:
                for text in entry.phrasings(role.value if hasattr(role, "value") else str(role)):
                    first = re.sub(r"\([^)]*\)", "", text.split("\n\n")[0])
                    questions = [q for q in re.split(r"(?<=\?)", first) if q.strip().endswith("?")]
                    if len(questions) > 1 or any(two.search(q.strip()) for q in questions):
                        bad.append(f"{step.prompt} ({role}): {text[:140]}")
    assert not bad, "\n".join(sorted(set(bad)))
