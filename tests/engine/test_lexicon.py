"""The lexicons (lexicon/<locale>/*.yaml): they load, each locale has what the engine reads (or English's),
a list a locale lacks falls back to English, and what is compiled from a lexicon is made once."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from coach.content import lexicon as lexicon_module
from coach.content.lexicon import Lexicon, LexiconError, fold, read_file
from coach.content.library import data_root
from coach.content.schema import Slot, SlotType
from coach.engine import answers, gist, openness, probes, refine, safety, smart

ROOT = data_root("lexicon")
LOCALES = sorted(p.name for p in ROOT.iterdir() if p.is_dir())
YES_NO = Slot(type=SlotType.yes_no)


def test_the_shipped_lexicons_are_english_and_spanish() -> None:
    assert {"en", "es"} <= set(LOCALES)
    assert Path(lexicon_module.root()) == ROOT


@pytest.mark.parametrize("locale", LOCALES)
def test_every_file_loads_and_every_fragment_compiles(locale: str) -> None:
    for path in sorted((ROOT / locale).glob("*.yaml")):
        values = read_file(path)
        assert values, path
        for key in values:
            if key.endswith("_re"):
                for fragment in Lexicon.load(locale).fragments(f"{path.stem}.{key}"):
                    re.compile(fragment)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_locale_has_only_keys_english_has(locale: str) -> None:
    english = {f"{p.stem}.{k}" for p in (ROOT / "en").glob("*.yaml") for k in read_file(p)}
    mine = {f"{p.stem}.{k}" for p in (ROOT / locale).glob("*.yaml") for k in read_file(p)}
    assert mine <= english


def test_spanish_has_its_own_complete_set() -> None:
    """Every list of the English lexicon has its Spanish counterpart (none is read in English)."""
    es = Lexicon.load("es")
    assert {k for k, loc in es.sources.items() if loc != "es"} == set()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_part_of_the_engine_compiles_from_every_locale(locale: str) -> None:
    lex = Lexicon.load(locale)
    today = date(2026, 12, 2)
    probes.is_vague("x", lex)
    openness.classify("x?", lex)
    refine.refine("x", [("vague", "y")], lex)
    gist.gist("x y z", lex)
    safety.in_crisis("x", lex)
    smart.goal_is_measurable("x", lex)
    answers.parse_date("x", today, lex)


def test_load_is_cached_and_patterns_are_compiled_once() -> None:
    assert Lexicon.load("es") is Lexicon.load("es")
    lex = Lexicon.load("es")
    calls: list[int] = []

    def build(_: Lexicon) -> int:
        calls.append(1)
        return 7

    assert lex.memo("test-once", build) == lex.memo("test-once", build) == 7
    assert calls == [1]


def test_a_regional_locale_reads_its_language_and_an_unknown_one_reads_english() -> None:
    mx = Lexicon.load("es_MX")
    assert mx.sources["answers.yes_words"] == "es"
    assert Lexicon.load("es-419").sources["answers.yes_words"] == "es"
    assert answers.parse(YES_NO, "sí", date(2026, 1, 1), mx) is True
    fr = Lexicon.load("fr")
    assert fr.sources["answers.yes_words"] == "en"
    assert answers.parse(YES_NO, "yes", date(2026, 1, 1), fr) is True


def test_a_list_a_locale_lacks_falls_back_to_english_list_by_list() -> None:
    lex = Lexicon.from_data("xx", {"answers": {"yes_words": ["ja"], "yes_first_words": ["ja"]}})
    today = date(2026, 12, 2)
    assert answers.parse(YES_NO, "ja", today, lex) is True
    assert answers.parse(YES_NO, "no", today, lex) is False  # "no" is English's
    with pytest.raises(answers.Invalid):
        answers.parse(YES_NO, "yes", today, lex)  # "yes" is not: the locale's own list replaced it
    assert answers.parse_date("tomorrow", today, lex) == date(2026, 12, 3)  # English's dates
    assert probes.is_vague("stuff", lex)
    assert lex.sources["answers.yes_words"] == "xx" and lex.sources["answers.no_words"] == "en"


def test_a_locale_folding_accents_matches_with_and_without_them() -> None:
    lex = Lexicon.from_data("xx", {"settings": {"fold_accents": True}, "answers": {"yes_words": ["sí"]}})
    assert answers.parse(YES_NO, "Sí", date(2026, 1, 1), lex) is True
    assert answers.parse(YES_NO, "si", date(2026, 1, 1), lex) is True
    assert fold("Próximo MAÑANA, ¿cuándo?") == "Proximo MANANA, ¿cuando?"
    assert len(fold("áéíóúñü")) == 7


def test_bad_lexicon_data_is_named() -> None:
    with pytest.raises(LexiconError, match=r"answers\.yes_words"):
        Lexicon.from_data("xx", {"answers": {"yes_words": ["ok", True]}})
    with pytest.raises(LexiconError, match="no regular expression"):
        Lexicon.from_data("xx", {"safety": {"crisis_re": ["(unclosed"]}})
    with pytest.raises(LexiconError, match=r"no 'answers\.nothing'"):
        Lexicon.load("en").words("answers.nothing")


def test_a_locale_file_with_a_key_english_lacks_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for loc, text in (("en", "yes_words: ['yes']\n"), ("zz", "yes_wrods: ['ja']\n")):
        (tmp_path / loc).mkdir()
        (tmp_path / loc / "answers.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(lexicon_module, "root", lambda: tmp_path)
    lexicon_module._load.cache_clear()
    try:
        with pytest.raises(LexiconError, match="yes_wrods"):
            Lexicon.load("zz")
    finally:
        lexicon_module._load.cache_clear()


def test_english_reads_as_it_always_has() -> None:
    """A few of the English lists' effects, through the functions that read them without a lexicon."""
    en = Lexicon.load("en")
    today = date(2026, 12, 2)
    assert answers.parse(YES_NO, "yep", today) is answers.parse(YES_NO, "yep", today, en) is True
    assert answers.parse(YES_NO, "nah", today, en) is False
    assert answers.parse(Slot(type=SlotType.number), "twelve", today, en) == 12
    assert answers.parse_date("next week", today, en) == date(2026, 12, 9)
    assert answers.date_options("next friday", today, en) == [date(2026, 12, 4), date(2026, 12, 11)]
    assert answers.parse_date("in two weeks", today, en) == date(2026, 12, 16)
    assert probes.is_vague("stuff", en) and not probes.is_vague("run two retros by March", en)
    assert openness.classify("what could you hand over?", en) == "open"
    assert safety.in_crisis("I want to die", en) and not safety.in_crisis("I want to dive", en)
    assert gist.gist("I sent the draft to two people. The other didn't.", en) == "you sent the draft to two people"
    assert smart.goal_is_time_bound("by June", en) and smart.goal_is_measurable("3 clients", en)
    assert refine.clean("um, like i said, ship it", en) == "ship it"
