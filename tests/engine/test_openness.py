"""The question classifier (coach.engine.openness) against a corpus of questions mentors write in the
empowerment prep, labelled as a coach would judge them (tests/engine/corpus/questions.yaml): per-kind
precision and recall, and open-vs-not-open on the part it was tuned on and on the held-out part (every 5th
question). `python tests/engine/test_openness.py` (or pytest -s) prints the report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from coach.engine import openness

CORPUS = Path(__file__).parent / "corpus" / "questions.yaml"
HOLD_OUT_EVERY = 5  # the 5th, 10th, ... questions are held out from tuning
MIN_SCORE = 0.9
KINDS: tuple[str, ...] = get_args(openness.Kind)

Entry = dict[str, Any]
QUESTIONS: list[Entry] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["questions"]


def parts(entries: list[Entry]) -> dict[str, list[Entry]]:
    """The tuning part and the held-out part (every HOLD_OUT_EVERY-th entry)."""
    return {
        "tuning": [e for i, e in enumerate(entries) if i % HOLD_OUT_EVERY != HOLD_OUT_EVERY - 1],
        "held-out": [e for i, e in enumerate(entries) if i % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1],
    }


def precision_recall(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    """Precision and recall of "yes" over (said, labelled) pairs."""
    tp = sum(1 for said, want in pairs if said and want)
    fp = sum(1 for said, want in pairs if said and not want)
    fn = sum(1 for said, want in pairs if want and not said)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def open_scores(entries: list[Entry]) -> tuple[float, float]:
    return precision_recall([(openness.is_open(e["text"]), e["label"] == "open") for e in entries])


def report(entries: list[Entry] = QUESTIONS) -> str:
    """Per-kind precision and recall, open-vs-not-open per part, and the questions misjudged."""
    lines = [f"{CORPUS.name}: {len(entries)} questions {dict(Counter(e['label'] for e in entries))}"]
    for part, items in parts(entries).items():
        said = [(openness.classify(e["text"]), e["label"]) for e in items]
        p, r = open_scores(items)
        exact = sum(1 for got, want in said if got == want)
        lines.append(f"{part}: n={len(items)} open-vs-not precision={p:.3f} recall={r:.3f}; "
                     f"kind right {exact}/{len(items)}")
        for kind in KINDS:
            kp, kr = precision_recall([(got == kind, want == kind) for got, want in said])
            n = sum(1 for _, w in said if w == kind)
            lines.append(f"    {kind:<15} n={n:<3} precision={kp:.3f} recall={kr:.3f}")
        lines += [f"    {want} read as {got}: {e['text']}" for (got, want), e in zip(said, items, strict=True)
                  if got != want]
    return "\n".join(lines)


def test_corpus_is_big_enough_and_well_formed() -> None:
    assert len(QUESTIONS) >= 100
    assert len(parts(QUESTIONS)["held-out"]) >= 20
    for e in QUESTIONS:
        assert set(e) == {"label", "text"} and e["label"] in KINDS and e["text"].strip(), e
    texts = [e["text"].casefold() for e in QUESTIONS]
    assert len(texts) == len(set(texts)), "a question appears twice"
    assert all(n >= 10 for n in Counter(e["label"] for e in QUESTIONS).values())


@pytest.mark.parametrize("part", ["tuning", "held-out"])
def test_open_vs_not_open_precision_and_recall(part: str) -> None:
    p, r = open_scores(parts(QUESTIONS)[part])
    print("\n" + report())
    assert p >= MIN_SCORE and r >= MIN_SCORE, "\n" + report()


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What would it take to say no to the extra project?", "open"),
        ("tell me about the last time you delegated something", "open"),
        ("if you had a free day a week, what would you do with it", "open"),
        ("what have you tried so far?", "open"),
        ("Do you want to keep the testing?", "closed"),
        ("have you talked to your manager?", "closed"),
        ("is it the workload or the deadline?", "closed"),
        ("what will you do — delegate or keep it?", "closed"),
        ("don't you think you should just say no?", "leading"),
        ("wouldn't it be better to delegate the testing?", "leading"),
        ("have you considered telling him?", "leading"),
        ("you know what to do, right?", "leading"),
        ("just delegate it?", "advice"),
        ("You should say no.", "advice"),
        ("don't overthink it", "advice"),
        ("delegation", "not_a_question"),
        ("ask her what she would hand over", "not_a_question"),
        ("", "not_a_question"),
    ],
)
def test_the_kinds(question: str, kind: str) -> None:
    assert openness.classify(question) == kind
    assert openness.is_open(question) == (kind == "open")


def test_fillers_quotes_and_labels_in_front_do_not_matter() -> None:
    for q in ["“What would help?”", "ok so what would help", "Question: what would help?", "umm, what would help?"]:
        assert openness.classify(q) == "open", q


if __name__ == "__main__":
    print(report())
