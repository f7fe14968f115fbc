"""The one-line errors and notices of the store, the service and the engine (prompts/<locale>/errors.yaml,
coach.content.messages): in the language chosen, English by default, every key used in code there in
both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from coach.cli.main import main
from coach.content.messages import language, message, set_language
from coach.content.prompts import placeholders
from coach.store.errors import _WHY, CorruptDataError

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("en", "es")
# the keys code builds from a code: each part in braces, the codes it can be
DYNAMIC = {"os.{name}.why": set(_WHY.values()), "os.{name}.todo": set(_WHY.values()) | {"other"},
           "review.owner.{whose}": {"shared", "yours", "mentor", "mentee"}}


def _keys(locale: str) -> dict[str, str]:
    def flat(node: dict[str, object], prefix: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in node.items():
            if isinstance(value, dict):
                out |= flat(value, f"{prefix}{key}.")
            else:
                out[f"{prefix}{key}"] = str(value)
        return out

    data = yaml.safe_load((ROOT / "prompts" / locale / "errors.yaml").read_text(encoding="utf-8"))
    data.pop("_source", None)  # what a translation records of its English, not texts
    return flat(data, "errors.")


def _used() -> set[str]:
    """Every `errors.…` key a `message(...)` or `Later(...)` in coach/ names (a built one expanded by DYNAMIC)."""
    found: set[str] = set()
    for path in (ROOT / "coach").rglob("*.py"):
        for key in re.findall(r'(?:message|Later)\(\s*f?"(errors\.[^"]+)"', path.read_text(encoding="utf-8")):
            if "{" not in key:
                found.add(key)
                continue
            pattern = key.removeprefix("errors.")
            assert pattern in DYNAMIC, f"{path.name}: a key built in code that this test does not know: {key}"
            part = re.search(r"\{\w+\}", pattern)
            assert part is not None
            found |= {"errors." + pattern.replace(part.group(), code) for code in DYNAMIC[pattern]}
    return found


@pytest.fixture
def english_system(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COACH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def test_every_key_used_in_code_is_there_in_english_and_spanish_and_every_one_is_used() -> None:
    used = _used()
    assert len(used) > 80
    for locale in LOCALES:
        missing = sorted(used - set(_keys(locale)))
        assert not missing, f"prompts/{locale}/errors.yaml lacks {missing}"
    assert sorted(set(_keys("en")) - used) == []  # and none is left over


def test_spanish_has_the_english_keys_and_placeholders() -> None:
    en, es = _keys("en"), _keys("es")
    assert set(en) == set(es)
    assert [k for k in en if placeholders(en[k]) != placeholders(es[k])] == []


def test_a_message_is_in_the_process_language_and_falls_back_to_english() -> None:
    assert language() == "en"
    assert message("errors.app.profile_needs_name") == "a profile needs a name"
    set_language("es")
    assert message("errors.app.profile_needs_name") == "un perfil necesita un nombre"
    assert message("errors.app.profile_needs_name", "en") == "a profile needs a name"
    assert message("errors.store.lock_pid", "fr", pid=7) == "pid 7"  # no French: English
    assert message("errors.no.such.key") == "errors.no.such.key"  # never an error of its own


def test_a_store_error_reads_in_the_current_language(tmp_path: Path) -> None:
    set_language("es")
    error = CorruptDataError(tmp_path / "index.json", message("errors.data.empty"), None)
    assert str(error).startswith(f"no se puede leer {tmp_path / 'index.json'}: el archivo está vacío. ")


def _damaged(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    main(["--data-dir", str(folder), "export", "--out", str(tmp_path / "out")])  # makes the data folder
    assert (folder / "index.json").is_file()
    (folder / "index.json").write_text('{"profiles": ', encoding="utf-8")
    return folder


def test_a_damaged_data_folder_is_reported_in_spanish_with_lang_es(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], english_system: None) -> None:
    folder = _damaged(tmp_path)
    capsys.readouterr()
    assert main(["--lang", "es", "--data-dir", str(folder), "export", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"coach: no se puede leer {folder / 'index.json'}: no es JSON válido; quizá esté cortado (")
    assert "No se ha tocado el archivo; se guardó una copia en " in err
    assert err.endswith("Restáuralo desde una copia de seguridad o sácalo de la carpeta de datos y vuelve a abrir "
                        "coach.\n")
    assert err.count("\n") == 1


def test_a_damaged_data_folder_is_reported_in_english_by_default(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], english_system: None) -> None:
    folder = _damaged(tmp_path)
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "export", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"coach: cannot read {folder / 'index.json'}: it is not valid JSON, maybe truncated (")
    assert err.endswith("Restore it from a backup or move it out of the data directory, then start coach again.\n")


@pytest.mark.parametrize(("lang", "expected"), [
    ([], "coach: --relationship: no relationship with 'Nadie' (yours: none yet)\n"),
    (["--lang", "es"], "coach: --relationship: no tienes ninguna relación con 'Nadie' (las tuyas: ninguna todavía)\n"),
])
def test_an_unknown_relationship_to_export_is_refused_in_the_language_chosen(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], english_system: None, lang: list[str],
        expected: str) -> None:
    args = [*lang, "--data-dir", str(tmp_path / "data"), "export", "--relationship", "Nadie",
            "--out", str(tmp_path / "out")]
    assert main(args) == 2
    assert capsys.readouterr().err == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "a profile needs a name"),
    ("es", "un perfil necesita un nombre"),
])
def test_the_service_refuses_in_its_language(tmp_path: Path, lang: str, expected: str) -> None:
    from coach.app.errors import AppError
    from coach.app.language import Language
    from coach.app.setup import open_service
    from coach.content.library import FlowLibrary

    service = open_service(FlowLibrary.load(), tmp_path, Language(lang, chosen=True))
    try:
        with pytest.raises(AppError) as refused:
            service.add_profile("  ", "mentee")
        assert str(refused.value) == expected
    finally:
        service.close()
