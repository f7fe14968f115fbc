"""Answers as a document carries them: asides and interjections out, print spacing, an answer that is only
an aside asked again; documents written as a person would (capitals, "I", days and months)."""

from __future__ import annotations

import pytest

from coach.engine.refine import clean, dont_know, refine, says_nothing, tidy
from coach.engine.text import capitalise_lines, md_escape, md_unescape


@pytest.mark.parametrize(("typed", "kept"), [
    ("nothing yet , the next review is on monday", "nothing yet, the next review is on monday"),
    ("for the rest of the meeting .", "for the rest of the meeting."),
    ("keep us to it!!", "keep us to it!"),
    ("mentee:  notes from her last retro", "mentee: notes from her last retro"),
])
def test_spacing_is_tidied_as_in_print(typed: str, kept: str) -> None:
    assert tidy(typed) == kept


@pytest.mark.parametrize(("typed", "kept"), [
    ("idk really, run her own team of five", "run her own team of five"),
    ("the prep part tbh, showing up prepared", "the prep part, showing up prepared"),
    ("introduce me to one other eng manager lol", "introduce me to one other eng manager"),
    ("like i said, give honest feedback on my plans", "give honest feedback on my plans"),
    ("send me the agenda the day before idk", "send me the agenda the day before"),
    ("really good questions", "really good questions"),  # a word that is content stays
])
def test_asides_and_interjections_are_trimmed(typed: str, kept: str) -> None:
    assert clean(typed) == kept


@pytest.mark.parametrize("typed", ["same as above really", "like i said", "same as before", "idk", "lol", "um"])
def test_an_answer_that_is_only_an_aside_says_nothing(typed: str) -> None:
    assert says_nothing(typed)


@pytest.mark.parametrize("typed", ["same as last year's plan", "no", "I said no to the extra project", "really"])
def test_an_answer_with_content_says_something(typed: str) -> None:
    assert not says_nothing(typed)


def test_dont_know_is_told_from_other_asides() -> None:
    assert dont_know("idk") and dont_know("no idea really") and dont_know("not sure yet.")
    assert not dont_know("same as above") and not dont_know("not sure she has time")


def test_a_follow_up_that_is_only_an_aside_is_not_folded_in() -> None:
    assert refine("lead a small team", [("measurable", "same as above really")]) == "lead a small team"


def test_documents_read_as_a_person_writes() -> None:
    doc = "## Purpose\n\nso that i can lead, from march\n\n- run my first retro by feb\n- iPhone app\n- ana@x.org"
    assert capitalise_lines(doc) == ("## Purpose\n\nSo that I can lead, from March\n\n- Run my first retro by feb\n"
                                     "- iPhone app\n- ana@x.org")
    assert capitalise_lines("**Review:** on Thursday") == "**Review:** on Thursday"  # template text after a label
    assert capitalise_lines("Then, i.e. when we may meet") == "Then, i.e. when we may meet"  # not "I.e.", not "May"


@pytest.mark.parametrize("text", ["*my* plan", "1. first", "[link](x)", "a_b ~2 min", "back\\slash", "# not a heading"])
def test_markdown_escapes_come_out_again_for_plain_reading(text: str) -> None:
    assert md_unescape(md_escape(text)) == text
