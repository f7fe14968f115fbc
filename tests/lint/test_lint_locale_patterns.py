"""A condition's `matches` pattern is translated like any text of a flow: `flow: steps: <step>: next: <branch>:
matches:` in prompts/<locale>/<flow>.yaml; the engine reads answers in that language with it, and
`coach flows lint --locale L` reports it missing, stale or unusable."""

from __future__ import annotations

from pathlib import Path

import pytest
from locale_folder import es_lines, flow_folder

from coach.content.library import FlowLibrary
from coach.content.lint import lint, stamp_locale
from coach.content.localize import pattern_keys
from coach.content.schema import When

FLOW = """\
schema_version: 1
id: checkin
stage: checkin
title: Check-in
roles: [mentee]
slots:
  mood: {type: text, label: Mood}
steps:
  - id: ask_mood
    kind: ask
    slot: mood
    prompt: checkin.ask_mood
    next:
      - when: {slot: mood, op: matches, value: '\\b(sad|tired)\\b'}
        goto: low
      - when: {any: [{slot: mood, op: eq, value: x}, {slot: mood, op: matches, value: 'great'},
                     {not: {slot: mood, op: matches, value: 'fine'}}]}
        goto: done
      - else: done
  - {id: low, kind: say, prompt: checkin.low, next: done}
  - {id: done, kind: end, prompt: checkin.done}
"""
ENGLISH = """\
ask_mood: "How are you feeling?"
low: "Sorry to hear that."
done: "Thanks."
"""
SPANISH = """\
ask_mood: "¿Cómo te sientes?"
low: "Siento oírlo."
done: "Gracias."
flow:
  title: "Puesta al día"
  slots:
    mood: {label: "Ánimo"}
  steps:
    ask_mood:
      next:
        "0": {matches: '(?i)(?:^|\\PL)(?:triste|cansad[oa])(?:\\PL|\\z)'}
        "1": {matches: 'genial', matches_2: 'bien'}
"""


@pytest.fixture
def flows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return flow_folder(tmp_path, monkeypatch, FLOW, ENGLISH, SPANISH)


_lines = es_lines


def _patterns(library: FlowLibrary, locale: str) -> list[str]:
    step = library.localized(locale).flow("checkin").steps[0]
    out: list[str] = []

    def leaves(cond: object) -> None:
        for attr in ("all", "any"):
            for c in getattr(cond, attr, None) or []:
                leaves(c)
        if getattr(cond, "not_", None) is not None:
            leaves(cond.not_)  # type: ignore[attr-defined]
        if getattr(cond, "op", None) == "matches":
            out.append(cond.value)  # type: ignore[attr-defined]

    for branch in step.next:  # type: ignore[union-attr]
        if isinstance(branch, When):
            leaves(branch.when)
    return out


def test_each_matches_pattern_is_a_key_by_step_branch_and_place(flows: Path) -> None:
    library = FlowLibrary.load([flows], [flows / "prompts"])
    assert pattern_keys(library.flow("checkin")) == {
        "checkin.flow.steps.ask_mood.next.0.matches": "\\b(sad|tired)\\b",
        "checkin.flow.steps.ask_mood.next.1.matches": "great",
        "checkin.flow.steps.ask_mood.next.1.matches_2": "fine",
    }


def test_the_localized_flow_branches_on_the_translated_patterns(flows: Path) -> None:
    library = FlowLibrary.load([flows], [flows / "prompts"])
    assert _patterns(library, "en") == ["\\b(sad|tired)\\b", "great", "fine"]
    assert _patterns(library, "es") == ["(?i)(?:^|\\PL)(?:triste|cansad[oa])(?:\\PL|\\z)", "genial", "bien"]


def test_a_stamped_pattern_is_clean_and_goes_stale_when_the_english_one_changes(flows: Path) -> None:
    stamp_locale("es", paths=[flows])
    assert _lines(flows) == []
    (flows / "checkin.yaml").write_text(FLOW.replace("(sad|tired)", "(sad|tired|low)"), encoding="utf-8")
    lines = _lines(flows)
    assert len(lines) == 1
    assert lines[0].startswith("warning: checkin.flow.steps.ask_mood.next.0.matches: the English changed since "
                               "this was translated")


def test_a_missing_pattern_is_reported_like_any_text(flows: Path) -> None:
    spanish = flows / "prompts" / "es" / "checkin.yaml"
    spanish.write_text(SPANISH.replace(", matches_2: 'bien'", ""), encoding="utf-8")
    stamp_locale("es", paths=[flows])
    assert _lines(flows) == ["warning: checkin.flow.steps.ask_mood.next.1.matches_2 has no 'es' text (English is "
                             "used)"]


def test_a_translated_pattern_re2_cannot_run_is_an_error_and_the_english_one_is_used(flows: Path) -> None:
    spanish = flows / "prompts" / "es" / "checkin.yaml"
    spanish.write_text(SPANISH.replace("'genial'", "'(?=genial)'"), encoding="utf-8")
    stamp_locale("es", paths=[flows])
    report = lint([flows], locale="es")
    assert not report.ok()
    assert any(d.message.startswith("checkin.flow.steps.ask_mood.next.1.matches: not a usable regular expression")
               for d in report.diagnostics)
    library = FlowLibrary.load([flows], [flows / "prompts"])
    assert _patterns(library, "es")[1] == "great"
