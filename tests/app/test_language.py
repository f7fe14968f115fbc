"""Choosing the language: --lang, $COACH_LANG, the profile's, the system's; remembered on the profile;
a conversation keeps its language when resumed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coach.app.errors import AppError
from coach.app.language import Language, choose, match, system_language
from coach.app.setup import open_service
from coach.cli.main import main
from coach.content.library import FlowLibrary

LOCALES = ["en", "es"]


def test_a_region_or_encoding_names_the_language_there_are_texts_for() -> None:
    assert match("es_MX.UTF-8", LOCALES) == "es"
    assert match("es-AR", LOCALES) == "es"
    assert match("ES", LOCALES) == "es"
    assert match("fr_FR", LOCALES) is None


def test_the_system_language_is_the_first_setting_with_texts() -> None:
    assert system_language({"LANGUAGE": "fr:es", "LANG": "en_GB.UTF-8"}, LOCALES) == "es"
    assert system_language({"LC_ALL": "es_ES.UTF-8", "LANG": "en_US.UTF-8"}, LOCALES) == "es"
    assert system_language({"LANG": "C.UTF-8"}, LOCALES) is None
    assert system_language({"LANG": "POSIX"}, LOCALES) is None


def test_lang_beats_the_environment_which_beats_the_profile_and_the_system() -> None:
    env = {"COACH_LANG": "en", "LANG": "es_ES.UTF-8"}
    assert choose("es", env, LOCALES) == Language("es", chosen=True)
    assert choose(None, env, LOCALES, remembered="es") == Language("en", chosen=True)
    assert choose(None, {"LANG": "en_US"}, LOCALES, remembered="es") == Language("es", chosen=False)
    assert choose(None, {"LANG": "es_ES.UTF-8"}, LOCALES) == Language("es", chosen=False)
    assert choose(None, {"LANG": "de_DE.UTF-8"}, LOCALES) == Language("en", chosen=False)


def test_a_named_language_without_texts_is_refused_with_the_ones_there_are() -> None:
    with pytest.raises(AppError, match=r"no texts in 'fr' \(--lang\); languages: en, es"):
        choose("fr", {}, LOCALES)
    with pytest.raises(AppError, match=r"no texts in 'xx' \(\$COACH_LANG\)"):
        choose(None, {"COACH_LANG": "xx"}, LOCALES)


def test_the_cli_refuses_an_unknown_language_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr", "--data-dir", str(tmp_path), "export"]) == 2
    err = capsys.readouterr().err
    assert err == "coach: there are no texts in 'fr' (--lang); languages: en, es\n"


def _service(library: FlowLibrary, folder: Path, language: Language):  # type: ignore[no-untyped-def]
    service = open_service(library, folder, language)
    service.today = lambda: date(2026, 12, 2)
    return service


def test_a_chosen_language_is_remembered_on_the_profile_and_used_without_lang(
        library: FlowLibrary, tmp_path: Path) -> None:
    service = _service(library, tmp_path, Language("es", chosen=True))
    profile = service.add_profile("Ana", "mentee")
    assert profile.locale == "es"
    rel = service.add_relationship(profile, "Sam")
    chat = service.start("fit_check", "mentee", relationship=rel, profile=profile)
    assert chat.title == "Encaje"
    assert chat.conversation.header.locale == "es"
    first = chat.opening.messages[0].text
    service.close()

    # next time, no --lang and an English system: the profile's language is spoken
    again = _service(library, tmp_path, Language("en", chosen=False))
    view = again.home_view()
    assert again.locale == "es"
    assert [s.title for s in view.stages][:2] == ["Encaje", "Compromiso"]
    resumed = again.resume(chat.conversation.header.id)
    assert resumed.conversation.header.locale == "es"
    assert first.startswith("¡Hola!")
    again.close()


def test_a_conversation_keeps_its_language_when_resumed_in_another(library: FlowLibrary, tmp_path: Path) -> None:
    service = _service(library, tmp_path, Language("es", chosen=True))
    profile = service.add_profile("Ana", "mentee")
    rel = service.add_relationship(profile, "Sam")
    chat = service.start("fit_check", "mentee", relationship=rel, profile=profile)
    service.close()

    english = _service(library, tmp_path, Language("en", chosen=True))
    home = english.home_view()
    assert home.profile is not None and english.repo.list_profiles()[0].locale == "en"  # the new choice is kept
    resumed = english.resume(chat.conversation.header.id)
    assert resumed.conversation.header.locale == "es"
    turn = english.answer(resumed, "Dirigir un equipo de cuatro personas antes de junio")
    assert any("?" in m.text and ("¿" in m.text) for m in turn.messages)  # still asked in Spanish
    english.close()
