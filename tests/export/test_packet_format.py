"""The packet format on its own: what `seal` writes `read_packet` reads back; anything else is a
PacketError with a code (never another exception), whatever the bytes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.export.packet import (
    PacketError,
    Recipient,
    Sender,
    checksum,
    packet_bytes,
    pair_id,
    read_packet,
    seal,
)
from coach.models import SharedAnswer, SharedDocument, SharedStage

AT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def _packet() -> bytes:
    stage = SharedStage(stage="fit_check", flow_id="fit_check", role="mentee", finished_at=AT,
                        answers=[SharedAnswer(slot="goal", label="Goal", value="Lead a team", shown="Lead a team"),
                                 SharedAnswer(slot="plan", label="Plan", value=[{"text": "Ask", "due": None}],
                                              shown="Ask"),
                                 SharedAnswer(slot="hours", label="Hours", value=2.5, shown="2.5")],
                        documents=[SharedDocument(kind="note", title="A note", markdown="# Hello\n\n*é* ✓")])
    return packet_bytes(seal(created_at=AT, sender=Sender(name="Ana Lima", role="mentee"),
                             recipient=Recipient(name="Sam Okafor"), pair=pair_id("Ana Lima", "Sam Okafor"),
                             stages=[stage], markdown="# Ana Lima shares with Sam Okafor"))


def test_what_is_sealed_reads_back_the_same() -> None:
    raw = _packet()
    packet = read_packet(raw)
    assert packet.stages[0].values() == {"goal": "Lead a team", "plan": [{"text": "Ask", "due": None}], "hours": 2.5}
    assert packet_bytes(packet) == raw
    assert packet.checksum == checksum(json.loads(raw))


def test_the_pair_id_is_the_same_on_both_sides_whatever_the_spacing_and_case() -> None:
    assert pair_id("Ana Lima", "Sam Okafor") == pair_id(" ana  LIMA ", "sam okafor")
    assert pair_id("Ana Lima", "Sam Okafor") != pair_id("Sam Okafor", "Ana Lima")


@pytest.mark.parametrize("change, code", [
    (lambda d: d.update(format="zip"), "wrong_format"),
    (lambda d: d.update(version=True), "wrong_format"),
    (lambda d: d.update(version=3), "newer_version"),
    (lambda d: d["stages"][0]["answers"][0].update(value="Lead two teams"), "tampered"),
    (lambda d: d.pop("checksum"), "no_checksum"),
])
def test_each_problem_has_its_code(change: object, code: str) -> None:
    data = json.loads(_packet())
    change(data)  # type: ignore[operator]
    with pytest.raises(PacketError) as caught:
        read_packet(json.dumps(data).encode())
    assert caught.value.code == code


def test_a_stage_twice_is_invalid() -> None:
    data = json.loads(_packet())
    data["stages"].append(data["stages"][0])
    data["checksum"] = checksum(data)
    with pytest.raises(PacketError) as caught:
        read_packet(json.dumps(data).encode())
    assert caught.value.code == "invalid" and "twice" in caught.value.values["detail"]


@settings(max_examples=200, deadline=None)
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                     st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                  lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c,
                                                                                     max_size=4),
                                  max_leaves=30).map(lambda v: json.dumps(v).encode())))
def test_any_bytes_are_a_packet_or_a_packet_error(raw: bytes) -> None:
    try:
        read_packet(raw)
    except PacketError as error:
        assert error.code


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_any_single_byte_changed_is_caught(data: st.DataObject) -> None:
    raw = bytearray(_packet())
    at = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    new = data.draw(st.integers(min_value=0, max_value=255).filter(lambda b: b != raw[at]))
    raw[at] = new
    try:
        packet = read_packet(bytes(raw))
    except PacketError:
        return
    # the only edits that still read are those that mean the same JSON (whitespace between tokens)
    assert packet_bytes(packet) == _packet() or json.loads(bytes(raw)) == json.loads(_packet())
