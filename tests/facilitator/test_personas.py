"""The shipped personas: valid data, and each plays its stage flow to the end through the engine.

The stage flows are being rewritten; when one changes, this test says which persona's answers no
longer fit (update flows/personas/NAME.yaml).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coach.app.memory import MemoryRepository
from coach.app.service import CoachService
from coach.content.library import FlowLibrary, data_root
from coach.models import Role
from coach.tui.demo.personas import Persona, PersonaError, PersonaSet, UnknownPersona, load_persona

TODAY = date(2026, 11, 27)
SHIPPED = PersonaSet.load()


def test_shipped_personas_load_cleanly() -> None:
    assert not SHIPPED.errors, "\n".join(map(str, SHIPPED.errors))
    roles = {p.role for p in SHIPPED.personas.values()}
    assert roles == {Role.mentee, Role.mentor}, "ship at least one mentee and one mentor persona"
    for path in sorted((data_root("flows") / "personas").glob("*.yaml")):
        assert load_persona(path).name == path.stem, f"{path.name}: name the file after the persona"


@pytest.mark.parametrize("name", SHIPPED.names())
def test_persona_plays_its_flow_to_the_end(name: str, library: FlowLibrary) -> None:
    persona = SHIPPED.get(name)
    assert persona.flow in library.flows, f"{name}: flow {persona.flow!r} is not installed"
    assert persona.role.value in library.flow(persona.flow).roles
    repo = MemoryRepository()
    service = CoachService(library, repo, today=lambda: TODAY)
    chat = service.start(persona.flow, persona.role,
                         context={"name": persona.display_name, "other_name": persona.other_name})
    turn = chat.opening
    kinds = [m.kind for m in turn.messages]
    for i, answer in enumerate(persona.answers, 1):
        assert not chat.done, f"{name}: the flow ended before answer {i} ({answer.text!r}); drop the rest"
        turn = service.answer(chat, answer.text)
        kinds += [m.kind for m in turn.messages]
        assert "error" not in kinds and "crisis" not in kinds, f"{name}: answer {i} {answer.text!r}: {turn.text}"
    assert chat.done, (
        f"{name}: the answers ran out at step {chat.conversation.step!r}, the coach still asks:\n{turn.text}"
    )
    assert "probe" in kinds, f"{name}: no answer is vague enough to be probed"
    assert "back" in kinds, f"{name}: no /back among the answers"
    assert repo.artifacts, f"{name}: the stage left no document"


def test_persona_think_time_and_summary() -> None:
    persona = Persona.model_validate({
        "name": "x", "display_name": "X", "role": "mentee", "flow": "fit_check", "other_name": "Y",
        "bio": "Someone.\n  Two lines.", "typing": {"think": 2}, "answers": ["a", {"text": "b", "pause": 0.5}],
    })
    assert [persona.think(0), persona.think(1)] == [2.0, 0.5]
    assert persona.summary() == "x (mentee, fit_check): Someone. Two lines."


def _write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
display_name: Pat
role: mentee
flow: fit_check
other_name: Sam
bio: A tester.
answers:
  - yes
  - 4
"""


def test_answers_are_read_as_the_text_written(tmp_path: Path) -> None:
    persona = load_persona(_write(tmp_path, GOOD, "pat.yaml"))
    assert persona.name == "pat"
    assert [a.text for a in persona.answers] == ["yes", "4"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("role: mentee", "role: boss"), "p.yaml:2:7: role: expected mentee or mentor"),
        (GOOD + "colour: red\n", "p.yaml:9:1: colour: unknown field"),
        (GOOD.replace("bio: A tester.\n", ""), "p.yaml:1:1: bio: missing (required)"),
        (GOOD.replace("  - 4\n", "  - {text: '4', wait: 2}\n"), "p.yaml:8:17: answer 2 wait: unknown field"),
        (GOOD + "typing: {speed: fast}\n", "p.yaml:9:17: typing.speed: expected a number"),
        ("- just\n- a list\n", "p.yaml:1:1: persona: a persona file must be a mapping"),
        ("role: [unclosed\n", "p.yaml:1:7: invalid YAML: the `[` here is never closed"),
    ],
)
def test_broken_persona_files_get_located_errors(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(PersonaError) as info:
        load_persona(_write(tmp_path, text))
    shown = str(info.value).removeprefix(f"{tmp_path}/")
    assert shown.startswith(expected), shown


def test_personas_in_a_flows_folder_are_loaded_and_broken_ones_reported(tmp_path: Path) -> None:
    (tmp_path / "personas").mkdir()
    _write(tmp_path / "personas", GOOD, "pat.yaml")
    _write(tmp_path / "personas", "name: Bad Name\n", "bad.yaml")
    found = PersonaSet.load([tmp_path])
    assert "pat" in found.personas and set(SHIPPED.names()) <= set(found.names())
    assert [e.file.endswith("bad.yaml") for e in found.errors] and found.errors


def test_unknown_persona_names_the_known_ones() -> None:
    with pytest.raises(UnknownPersona) as info:
        SHIPPED.get("nobody")
    assert str(info.value) == f"unknown persona 'nobody'; known personas: {', '.join(SHIPPED.names())}"
