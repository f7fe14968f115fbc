"""Any code point in an answer or a name is saved to the durable store and read back exactly: a lone
surrogate (what a terminal's invalid UTF-8 becomes under surrogateescape) no longer crashes the
save, and a resumed conversation (a replay of the stored inputs) has the very same answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import ESCAPES, SURROGATES, UNICODE, hostile_inputs, parrot_library

from coach.app.setup import open_service
from coach.content.library import FlowLibrary

ODD = ["a \udcff note", "caf\udce9", "\ud800 alone", "\ud83d\ude00 as two", "\x1b]52;c;aGk=\x07 \x00 \x9b2J",
       "\u202eevil\u202c \u2028 \ufeff", "👩🏽‍💻 \U0010ffff \uffff"]


@pytest.fixture(scope="module")
def library() -> FlowLibrary:
    return parrot_library()


def _files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if p.is_file() and p.suffix in (".json", ".journal")]


@pytest.mark.parametrize("text", ODD)
def test_an_odd_answer_is_saved_and_resumed_exactly(library: FlowLibrary, tmp_path: Path, text: str) -> None:
    service = open_service(library, tmp_path)
    profile = service.add_profile(f"Ana {text}", "mentee")
    rel = service.add_relationship(profile, f"Sam {text}")
    chat = service.open_stage(profile, rel, "parrot")
    service.answer(chat, text)  # the first write of the session: a snapshot
    service.answer(chat, f"{text}; second")  # the next: a journal line
    service.close()

    again = open_service(library, tmp_path)
    try:
        (p,) = again.profiles()
        (r,) = again.relationships(p.id)
        assert (p.name, r.other_name) == (f"Ana {text}", f"Sam {text}")
        saved = again.unfinished(r.id, "parrot", "mentee")
        assert saved is not None
        resumed = again.resume(saved.id)
        assert [e.text for e in resumed.conversation.entries] == [text, f"{text}; second"]
        assert resumed.conversation.answers == chat.conversation.answers  # the replay: the same answers
    finally:
        again.close()
    for path in _files(tmp_path):
        data = path.read_bytes()
        if "\ud83d\ude00" not in text:
            data.decode("utf-8")  # still valid UTF-8: lone surrogates are JSON escapes
        assert b"\x1b" not in data and b"\x00" not in data  # and controls too


def test_many_hostile_answers_survive_save_and_replay(library: FlowLibrary, tmp_path: Path) -> None:
    """200 hostile inputs (commands among them) through the durable store, the conversation
    closed and reopened every 50: the replayed answers are exactly the ones given."""
    inputs = list(hostile_inputs(200, seed=5, huge_every=0))
    inputs += ESCAPES + SURROGATES + UNICODE
    service = open_service(library, tmp_path)
    profile = service.add_profile("Ana", "mentee")
    rel = service.add_relationship(profile, "Sam")
    chat = service.open_stage(profile, rel, "parrot")
    for n, text in enumerate(inputs):
        if chat.done:
            chat = service.open_stage(profile, rel, "parrot")
        service.answer(chat, text)
        if n % 50 == 49 and not chat.done:
            entries, answers = chat.conversation.entries, chat.conversation.answers
            assert text in [e.text for e in entries] or text.strip().startswith("/")
            service.close()
            service = open_service(library, tmp_path)
            chat = service.resume(chat.id)
            assert chat.conversation.entries == entries  # every input as typed, with its date
            assert chat.conversation.answers == answers
    service.close()
    stored = "".join(p.read_text("utf-8", "surrogatepass") for p in _files(tmp_path))
    assert "\x1b" not in stored and "\x00" not in stored  # escaped in the JSON, read back as typed
