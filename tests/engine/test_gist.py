"""The coach reflects back the key words of an answer (`$slot__gist`), not the whole answer."""

from __future__ import annotations

import pytest

from coach.engine.gist import MAX_WORDS, gist


@pytest.mark.parametrize(("answer", "said_back"), [
    ("I sent the draft to two people, and one replied with great notes. The other didn't.",
     "you sent the draft to two people"),
    ("We're doing better at planning; still too many meetings", "you're doing better at planning"),
    ("I am nervous about the promotion because my manager is new", "you are nervous about the promotion"),
    ("I was too quiet in the review", "you were too quiet in the review"),
    ("Our weekly calls keep me on track", "your weekly calls keep you on track"),
    ("My manager asked me to run it — no idea why", "your manager asked you to run it"),
    ("I’m ready to lead the planning", "you’re ready to lead the planning"),
])
def test_an_answer_about_oneself_is_said_back_in_the_coachs_voice_up_to_its_first_clause(
        answer: str, said_back: str) -> None:
    assert gist(answer) == said_back


@pytest.mark.parametrize(("answer", "said_back"), [
    ("pair with Dana on the retro", "“pair with Dana on the retro”"),
    ("Run my first retro with the whole team in January and then write up what we learned for the other teams",
     "“Run my first retro with the whole team in January”"),
    ("Promotion. I want to be staff by June", "you want to be staff by June"),
])
def test_other_answers_keep_the_users_own_words_in_quotes(answer: str, said_back: str) -> None:
    assert gist(answer) == said_back


def test_a_long_clause_ends_before_a_join_rather_than_mid_thought() -> None:
    said = gist("We spend the first half hour catching up and run out of time for my main question")
    assert said == "you spend the first half hour catching up"


def test_a_long_clause_with_no_join_is_cut_at_a_word_and_marked() -> None:
    answer = " ".join(["really"] * 3 + [f"word{i}" for i in range(30)])
    said = gist(answer)
    assert said.endswith("…”") and len(said.split()) == MAX_WORDS
    assert answer.startswith(said.strip("“”…"))


def test_the_gist_is_never_longer_than_the_answer_and_empty_for_nothing() -> None:
    assert gist("") == "" and gist("   ") == ""
    for answer in ["I lead a team of four now, and run our planning on my own.", "a call every two months"]:
        assert len(gist(answer).strip("“”")) <= len(answer)
