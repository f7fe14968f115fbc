"""The translators' lint: `coach flows lint --locale L` reports what a translation lacks, what went
stale since it was translated (each translated file records the hash of its English under `_source:`),
and placeholders that differ; `--stamp` records the English a checked translation now translates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from locale_folder import es_lines, flow_folder

from coach.cli.main import main
from coach.content.lint import lint, stamp_locale
from coach.content.lint_locales import source_hash

FLOW = """\
schema_version: 1
id: checkin
stage: checkin
title: Check-in
roles: [mentee]
slots:
  topic: {type: text, label: Topic}
  mood:
    type: choice
    label: Mood
    choices: [{value: good, label: Good, synonyms: [fine]}, {value: low, label: Low}]
steps:
  - {id: hello, kind: say, prompt: checkin.no, next: ask_topic}
  - {id: ask_topic, kind: ask, slot: topic, prompt: checkin.ask_topic, next: ask_mood}
  - {id: ask_mood, kind: ask, slot: mood, prompt: checkin.ask_mood, next: done}
  - {id: done, kind: end, prompt: checkin.done}
"""
ENGLISH = """\
"no": "No — nothing to prepare."
ask_topic: "What would you like to talk about, $name?"
ask_mood: "How are you feeling?"
done: "Thanks — see you next time."
"""
SPANISH = """\
"no": "No, no hace falta preparar nada."
ask_topic: "¿De qué te gustaría hablar, $name?"
ask_mood: "¿Cómo te sientes?"
done: "Gracias, nos vemos la próxima vez."
flow:
  title: "Puesta al día"
  slots:
    topic:
      label: "Tema"
    mood:
      label: "Ánimo"
      choices:
        good: {label: "Bien", synonyms: ["bien"]}
        low: {label: "Bajo"}
"""


@pytest.fixture
def flows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return flow_folder(tmp_path, monkeypatch, FLOW, ENGLISH, SPANISH)


_lines = es_lines


def test_a_translation_without_recorded_sources_is_told_once(flows: Path) -> None:
    assert _lines(flows) == ["warning: records no _source: (which English each text was translated from), so "
                             "changes to the English go unnoticed; once the texts are checked, `coach flows lint "
                             "--locale es --stamp` records it"]


def test_stamping_records_the_english_hash_of_every_text_and_the_lint_is_then_clean(flows: Path) -> None:
    written = stamp_locale("es", paths=[flows])
    assert written == [Path("my-flows/prompts/es/checkin.yaml")]
    data = yaml.safe_load((flows / "prompts" / "es" / "checkin.yaml").read_text(encoding="utf-8"))
    assert data["_source"]["ask_topic"] == source_hash({"default": ["What would you like to talk about, $name?"]})
    assert data["_source"]["flow.slots.mood.choices.good.synonyms"] == source_hash({"default": ["fine"]})
    assert all(isinstance(h, str) and len(h) == 8 for h in data["_source"].values())  # "1e234567" stays a hash
    assert "no" in data["_source"]  # a key YAML would read as false stays a key
    assert data["ask_topic"] == "¿De qué te gustaría hablar, $name?"  # the texts themselves untouched
    assert _lines(flows) == []
    assert stamp_locale("es", paths=[flows]) == []  # nothing changed: nothing written


def test_a_changed_english_text_makes_its_translation_stale_until_it_is_stamped_again(flows: Path) -> None:
    stamp_locale("es", paths=[flows])
    english = flows / "prompts" / "en" / "checkin.yaml"
    english.write_text(ENGLISH.replace("How are you feeling?", "How are you feeling today?"), encoding="utf-8")
    (flows / "checkin.yaml").write_text(FLOW.replace("title: Check-in", "title: Weekly check-in"), encoding="utf-8")
    lines = _lines(flows)
    assert len(lines) == 2
    assert lines[0].startswith("warning: checkin.ask_mood: the English changed since this was translated "
                               "(my-flows/prompts/en/checkin.yaml:3)")
    assert lines[0].endswith("`coach flows lint --locale es --stamp checkin.ask_mood`")
    assert lines[1].startswith("warning: checkin.flow.title: the English changed since this was translated "
                               "(my-flows/checkin.yaml:")
    stamp_locale("es", ["checkin.ask_mood"], paths=[flows])
    assert [line.split(":")[1].strip() for line in _lines(flows)] == ["checkin.flow.title"]


def test_placeholders_the_english_lacks_are_errors_and_ones_left_out_are_warnings(flows: Path) -> None:
    spanish = flows / "prompts" / "es" / "checkin.yaml"
    spanish.write_text(SPANISH.replace("¿De qué te gustaría hablar, $name?", "¿De qué te gustaría hablar?")
                       .replace("¿Cómo te sientes?", "¿Cómo te sientes, $nombre?"), encoding="utf-8")
    stamp_locale("es", paths=[flows])  # a mismatched text is not stamped
    lines = _lines(flows)
    assert "error: checkin.ask_mood: $nombre not in the English text, so it shows as written" in lines
    assert "warning: checkin.ask_topic: leaves out $name, which the English text shows" in lines
    assert not lint([flows], locale="es").ok()
    recorded = yaml.safe_load(spanish.read_text(encoding="utf-8"))["_source"]
    assert "ask_mood" not in recorded and "ask_topic" not in recorded and "done" in recorded


def test_missing_texts_and_flow_labels_are_named_and_extra_ones_too(flows: Path) -> None:
    spanish = flows / "prompts" / "es" / "checkin.yaml"
    spanish.write_text(SPANISH.replace('done: "Gracias, nos vemos la próxima vez."\n', 'bye: "Adiós."\n')
                       .replace('      label: "Tema"\n', '      note: "x"\n'), encoding="utf-8")
    stamp_locale("es", paths=[flows])
    lines = _lines(flows)
    assert "warning: checkin.done has no 'es' text (English is used)" in lines
    assert "warning: checkin.flow.slots.topic.label has no 'es' text (English is used)" in lines
    assert any(line.startswith("warning: checkin.bye is not in prompts/en, so nothing uses it") for line in lines)


def test_the_cli_stamps_and_lints_one_locale(flows: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "lint", "--locale", "es", "--stamp", "--", "my-flows"]) == 0
    err = capsys.readouterr().err
    assert "coach: recorded the English sources in my-flows/prompts/es/checkin.yaml" in err
    assert main(["flows", "lint", "--locale", "fr", "my-flows"]) == 2
    assert "coach: no translation into 'fr' (translations: es)" in capsys.readouterr().err
    assert main(["flows", "lint", "--stamp", "my-flows"]) == 2
    assert "name it with --locale" in capsys.readouterr().err
    assert main(["flows", "lint", "--locale", "es", "--stamp", "checkin.nope", "--", "my-flows"]) == 2
    assert "'es' has no text 'checkin.nope'" in capsys.readouterr().err


def test_the_shipped_spanish_records_its_sources() -> None:
    """The shipped translation is stamped: every text records the English it was made from."""
    report = lint(locale="es")
    unstamped = [str(d) for d in report.diagnostics if "records no" in d.message]
    assert unstamped == []
