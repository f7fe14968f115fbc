"""The pseudo-locale: every text accented and ~40% longer, with what the program reads kept as written."""

from __future__ import annotations

from coach.app.language import choose
from coach.content.library import FlowLibrary
from coach.content.prompts import placeholders
from coach.content.pseudo import PSEUDO, pseudo
from coach.engine.conversation import Engine


def test_placeholders_commands_and_markdown_marks_survive() -> None:
    text = "Thanks, $name. Type /help or **yes** for ${goal__gist}.\n\n1. Weekly"
    out = pseudo(text)
    assert placeholders(out) == {"name", "goal__gist"}
    assert "/help" in out and out.count("**") == 2
    assert out.count("\n") == 2  # the blank line and the list line stay lines
    assert "Thanks" not in out and "Weekly" not in out  # the words themselves are disguised


def test_each_line_is_about_forty_percent_longer() -> None:
    line = "Before you commit to a mentor, it helps to check that the two of you fit."
    assert 1.3 * len(line) <= len(pseudo(line)) <= 1.5 * len(line)


def test_every_english_text_has_a_pseudo_text(library: FlowLibrary) -> None:
    english = library.prompts.keys("en")
    assert library.prompts.keys(PSEUDO) == english
    entry = library.prompts.entry("fit_check.ask_goal", PSEUDO)
    assert entry.phrasings("mentee")[0].startswith("⟦")
    assert PSEUDO not in library.prompts.locales()  # not a translation the lint checks


def test_a_conversation_runs_in_the_pseudo_locale_with_english_input(library: FlowLibrary) -> None:
    conv = Engine(library).new("fit_check", "mentee", locale=PSEUDO)
    opening = conv.start()
    assert all(m.text.startswith("⟦") for m in opening.messages)
    turn = conv.reply("Lead a team of four people by June 2027")
    assert turn.messages and all("⟦" in m.text for m in turn.messages)
    flow = conv.lib.flow("fit_check")
    assert flow.title.startswith("⟦") and flow.slots["cadence"].choices[0].label.startswith("⟦")


def test_it_is_chosen_only_by_name() -> None:
    assert choose("qps-ploc", {}, ["en", "es"]).locale == PSEUDO
    assert choose(None, {"LANG": "qps_PLOC"}, ["en", "es"]).locale == "en"
