"""Text quality across the fit_check, commitment and feedback stages, over every transcript of
theirs: acknowledgements never repeat back to back, artifacts are clean Markdown, the bot
refers back to what the user said, and each role answers a pleasant number of questions."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from content_helpers import play_case
from markdown_it import MarkdownIt

from coach.content.library import FlowLibrary
from coach.content.prompts import placeholders
from coach.content.schema import AskStep
from coach.engine.turns import BotMessage
from coach.models import Artifact

STAGES = ("fit_check", "commitment", "feedback")
CONVERSATIONS = Path(__file__).resolve().parent.parent / "conversations"
CASES = sorted(p for stage in STAGES for p in CONVERSATIONS.glob(f"{stage}_*.yaml"))


Replay = tuple[list[BotMessage], list[Artifact], set[str]]
_REPLAYS: dict[Path, Replay] = {}


def _replay(library: FlowLibrary, path: Path) -> Replay:
    if path not in _REPLAYS:
        _REPLAYS[path] = _play(library, path)
    return _REPLAYS[path]


def _play(library: FlowLibrary, path: Path) -> Replay:
    played = play_case(library, path.stem)
    answered = {slot for slot, a in played.conversation.answers.items() if not a.skipped}
    return played.messages, list(played.produced.artifacts.values()), answered


def test_every_stage_has_transcripts_for_both_roles() -> None:
    names = {p.stem for p in CASES}
    for stage, role, kind in itertools.product(STAGES, ("mentee", "mentor"), ("happy", "probe_back")):
        assert f"{stage}_{role}_{kind}" in names


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_acknowledgements_never_repeat_back_to_back(library: FlowLibrary, path: Path) -> None:
    messages, _, _ = _replay(library, path)
    acks = [m.text for m in messages if m.key == "common.ack"]
    assert len(acks) >= 5
    repeats = [a for a, b in itertools.pairwise(acks) if a == b]
    assert not repeats, f"the same acknowledgement twice in a row: {repeats}"


_MD = MarkdownIt("commonmark").enable("table")


def _check_markdown(md: str) -> None:
    assert not re.search(r"\$\{?[a-z_]+", md), "a template variable was left in"
    assert "\n\n\n" not in md and not md.endswith("\n") and md.startswith("# ")
    assert not [line for line in md.splitlines() if line != line.rstrip()], "trailing spaces"
    tokens = _MD.parse(md)
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
    html = _MD.render(md)
    assert "**" not in html and "$" not in html
    if "|---" in md:  # each table renders as a table, with every row of the header's width
        assert "<table>" in html
        rows = [line for line in md.splitlines() if line.startswith("|")]
        assert len({len(re.findall(r"(?<!\\)\|", line)) for line in rows}) == 1  # (cells may be empty)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_artifacts_are_clean_markdown(library: FlowLibrary, path: Path) -> None:
    _, artifacts, _ = _replay(library, path)
    assert artifacts
    for art in artifacts:
        _check_markdown(art.markdown)
        assert art.title and "$" not in art.title


@pytest.mark.parametrize("path", [p for p in CASES if p.stem.endswith("_happy")],
                         ids=[p.stem for p in CASES if p.stem.endswith("_happy")])
def test_each_role_answers_a_pleasant_number_of_questions(library: FlowLibrary, path: Path) -> None:
    _, _, asked = _replay(library, path)
    assert 8 <= len(asked) <= 15, sorted(asked)


@pytest.mark.parametrize(("stage", "role"), list(itertools.product(STAGES, ("mentee", "mentor"))))
def test_the_bot_refers_back_to_earlier_answers(library: FlowLibrary, stage: str, role: str) -> None:
    flow = library.flow(stage)
    slots = set(flow.slots)
    reflecting = []
    for step in flow.steps:
        if isinstance(step, AskStep):
            texts = library.prompts.entry(step.prompt).phrasings(role)
            if all({n.partition("__")[0] for n in placeholders(t)} & (slots - {step.slot}) for t in texts):
                reflecting.append(step.id)
    assert len(reflecting) >= 3, reflecting
