"""coach.literal: the one place that makes user text harmless on the way out (terminal, documents,
JSON), and the lossless JSON of coach's own data files."""

from __future__ import annotations

import json

from hostile import ESCAPES, SURROGATES, raw_controls
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.literal import json_bytes, json_text, visible, visible_chars

any_text = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF,
                                          categories=None), max_size=60)
# Surrogates and controls are rare in st.text: mix them in on purpose.
odd = st.sampled_from([*ESCAPES, *SURROGATES, "\ud83d", "\ude00", "\ud83d\ude00", "😀", "\u2028", "\u202e", "\\u00"])
texts = st.lists(st.one_of(any_text, odd), max_size=8).map("".join)


def test_escape_sequences_show_as_pictures() -> None:
    assert visible("\x1b[2J") == "␛[2J"
    assert visible("\x1b]52;c;aGk=\x07") == "␛]52;c;aGk=␇"
    assert visible("\x9b2J \x9d0;t\x9c") == "␛[2J ␛]0;t␛\\"  # C1 CSI, OSC, ST in their 7-bit form
    assert visible("a\rb\x08\x00\x7f") == "a␍b␈␀␡"
    assert visible("one\r\ntwo\tthree\n") == "one\ntwo\tthree\n"  # CR LF is a line break; tabs kept
    assert visible("\udcff") == "\ufffd"
    assert visible("[bold]x[/] 👩🏽‍💻 \u202eabc") == "[bold]x[/] 👩🏽‍💻 \u202eabc"  # shown, never interpreted


@settings(max_examples=300, deadline=None)
@given(texts)
def test_visible_leaves_nothing_a_terminal_obeys(text: str) -> None:
    shown = visible(text)
    assert raw_controls(shown) == []
    shown.encode("utf-8")  # always writable
    same_length = visible_chars(text)
    assert len(same_length) == len(text) and raw_controls(same_length) == []
    if not raw_controls(text):
        assert shown == text == same_length


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(texts, st.one_of(texts, st.lists(texts, max_size=3)), max_size=4))
def test_json_bytes_reads_back_exactly(value: dict[str, object]) -> None:
    data = json_bytes(value)
    assert b"\n" not in data  # a journal line is one line
    assert json.loads(data) == value  # json.loads on bytes decodes with surrogatepass
    assert json.loads(data.decode("utf-8", "surrogatepass")) == value


def test_json_bytes_is_valid_utf8_for_what_a_terminal_sends() -> None:
    value = {"answer": "caf\udce9 \udcff\udcfe \x1b[2J \u2028"}  # invalid UTF-8 read with surrogateescape
    data = json_bytes(value)
    data.decode("utf-8")  # strict: only a surrogate pair of two code points needs surrogatepass
    assert b"\\udce9" in data and b"\\u001b" in data and b"\\u2028" in data
    assert json.loads(data) == value
    pair = {"x": "\ud83d\ude00"}  # two code points, not the emoji: kept two
    assert json.loads(json_bytes(pair)) == pair and json.loads(json_bytes(pair))["x"] != "😀"


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=4))
def test_json_text_has_no_raw_control_and_reads_back(value: list[str]) -> None:
    out = json_text(value, indent=2)
    out.encode("utf-8")
    assert raw_controls(out.replace("\n", "")) == []
    assert "\u202e" not in out and "\u2028" not in out
    # Escaped surrogates: two in a row read back as the character they encode, as in UTF-16.
    expected = [v.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass") for v in value]
    assert json.loads(out) == expected
