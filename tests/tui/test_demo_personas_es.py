"""The Spanish personas (flows/personas/es/): each is the same persona as its English twin, and plays
its flow to the end in Spanish with no more invalid-answer reprompts than the English one gets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coach.app.memory import MemoryRepository
from coach.app.service import CoachService
from coach.content.library import FlowLibrary, data_root
from coach.tui.demo.personas import Persona, PersonaSet, load_persona, persona_dirs, persona_language

TODAY = date(2026, 11, 27)
FOLDER = data_root("flows") / "personas"
ENGLISH = PersonaSet.load()
SPANISH = PersonaSet.load(locale="es")
NAMES = sorted(p.stem for p in (FOLDER / "es").glob("*.yaml"))


@pytest.fixture(scope="module")
def shipped() -> FlowLibrary:
    """The shipped flows (tests/tui's own `library` fixture is a small sample)."""
    lib = FlowLibrary.load()
    assert not lib.errors, "\n".join(map(str, lib.errors))
    return lib


def _play(persona: Persona, library: FlowLibrary, locale: str) -> tuple[list[str], bool, MemoryRepository]:
    repo = MemoryRepository()
    service = CoachService(library, repo, today=lambda: TODAY, locale=locale)
    chat = service.start(persona.flow, persona.role,
                         context={"name": persona.display_name, "other_name": persona.other_name})
    kinds = [m.kind for m in chat.opening.messages]
    for i, answer in enumerate(persona.answers, 1):
        assert not chat.done, f"{persona.name} ({locale}): the flow ended before answer {i} ({answer.text!r})"
        turn = service.answer(chat, answer.text)
        kinds += [m.kind for m in turn.messages]
        assert "error" not in kinds and "crisis" not in kinds, f"{persona.name}: {i} {answer.text!r}: {turn.text}"
    return kinds, chat.done, repo


def test_every_english_persona_has_a_spanish_twin() -> None:
    assert ENGLISH.names() == NAMES
    for name in NAMES:
        es, en = load_persona(FOLDER / "es" / f"{name}.yaml"), ENGLISH.get(name)
        assert es.name == name == en.name, f"es/{name}.yaml: name the file after the persona"
        assert (es.role, es.flow, es.other_name) == (en.role, en.flow, en.other_name), name
        assert len(es.answers) == len(en.answers), f"{name}: {len(es.answers)} answers, English {len(en.answers)}"
        commands = [(i, a.text) for i, a in enumerate(es.answers) if a.text.startswith("/")]
        assert commands == [(i, a.text) for i, a in enumerate(en.answers) if a.text.startswith("/")], name
        assert es.bio != en.bio, f"{name}: the Spanish bio is still English"


def test_a_spanish_demo_loads_the_spanish_personas() -> None:
    assert not SPANISH.errors, "\n".join(map(str, SPANISH.errors))
    assert SPANISH.names() == ENGLISH.names()
    for name in NAMES:
        assert SPANISH.get(name) == load_persona(FOLDER / "es" / f"{name}.yaml")
    assert PersonaSet.load(locale="en").personas == ENGLISH.personas  # English unchanged
    assert PersonaSet.load(locale="es_MX").personas == SPANISH.personas
    assert persona_language("es-MX") == "es" and persona_language("en_GB") == persona_language(None) == ""


def test_a_persona_missing_in_spanish_falls_back_to_english(tmp_path: Path) -> None:
    (tmp_path / "personas" / "es").mkdir(parents=True)
    english = (FOLDER / "priya.yaml").read_text(encoding="utf-8")
    (tmp_path / "personas" / "zoe.yaml").write_text(english.replace("name: priya", "name: zoe"), encoding="utf-8")
    personas = PersonaSet.load([tmp_path], locale="es")
    assert personas.get("zoe").bio == ENGLISH.get("priya").bio
    assert personas.get("priya") == SPANISH.get("priya")
    assert persona_dirs([tmp_path], "es")[-1] == tmp_path / "personas" / "es"


@pytest.mark.parametrize("name", NAMES)
def test_spanish_persona_plays_its_flow_to_the_end(name: str, shipped: FlowLibrary) -> None:
    persona = SPANISH.get(name)
    kinds, done, repo = _play(persona, shipped, "es")
    assert done, f"{name}: the Spanish answers ran out before the end of {persona.flow}"
    assert "probe" in kinds and "back" in kinds, f"{name}: no probe or no /back in Spanish"
    assert repo.artifacts, f"{name}: the stage left no document"
    english, _, _ = _play(ENGLISH.get(name), shipped, "en")
    assert kinds.count("reprompt") <= english.count("reprompt"), (
        f"{name}: the coach refused {kinds.count('reprompt')} Spanish answers, {english.count('reprompt')} in English"
    )
