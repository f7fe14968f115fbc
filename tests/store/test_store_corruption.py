"""Bad data files: a clear one-line error, the original kept byte for byte, never overwritten."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from store_helpers import entry, header

from coach.models import Commitment, Relationship
from coach.store import CorruptDataError, NewerVersionError, Store, StoreError


def _json_with(valid: bytes, change: Callable[[dict[str, object]], None]) -> bytes:
    data = json.loads(valid)
    change(data)
    return json.dumps(data).encode()


def _newer(data: dict[str, object]) -> None:
    data["_meta"] = {"1": {"schema_version": 99, "kind": "whatever"}}


def _older(data: dict[str, object]) -> None:
    data["_meta"]["1"]["schema_version"] = 1  # type: ignore[index]


def _no_meta(data: dict[str, object]) -> None:
    del data["_meta"]


def _bad_record(data: dict[str, object]) -> None:
    table = next(name for name in data if name != "_meta")
    data[table] = {"1": {"id": 42, "unexpected": True}}


def _wrong_kind(data: dict[str, object]) -> None:
    data["_meta"]["1"]["kind"] = "session" if data["_meta"]["1"]["kind"] != "session" else "index"  # type: ignore[index]


def _extra_table(data: dict[str, object]) -> None:
    data["surprise"] = {}


BREAKAGES: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda valid: b"",
    "blank": lambda valid: b"  \n",
    "truncated": lambda valid: valid[: len(valid) // 2],
    "one byte short": lambda valid: valid[:-1],
    "not json": lambda valid: b"profiles: [ana]\n",
    "not utf-8": lambda valid: b'{"\xff\xfe": {}}',
    "json list": lambda valid: b"[1, 2, 3]",
    "table not object": lambda valid: b'{"_meta": {"1": {"schema_version": 3, "kind": "index"}}, "profiles": []}',
    "no version": lambda valid: _json_with(valid, _no_meta),
    "older version": lambda valid: _json_with(valid, _older),
    "wrong kind": lambda valid: _json_with(valid, _wrong_kind),
    "bad record": lambda valid: _json_with(valid, _bad_record),
    "extra table": lambda valid: _json_with(valid, _extra_table),
}


def _assert_one_line_about(error: StoreError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message
    assert str(path) in message


def _assert_kept_aside(path: Path, original: bytes, error: CorruptDataError) -> None:
    assert path.read_bytes() == original
    copies = list(path.parent.glob(f"{path.name}.corrupt-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == original
    assert error.backup == copies[0]
    assert str(copies[0]) in str(error)


@pytest.fixture
def populated(data_dir: Path) -> dict[str, Path]:
    """A data dir with one file of each kind; returns their paths."""
    with Store(data_dir) as store:
        relationship = Relationship(profile_id="p", other_name="Bo", mentee_name="Ana", mentor_name="Bo")
        store.save_relationship(relationship)
        conversation = header(relationship.id)
        store.create_conversation(conversation)
        store.append_entry(conversation.id, entry(1, "lead a team"))
        store.commitments.save(Commitment(relationship_id=relationship.id, stage="commitment", text="read"))
        return {
            "index": store.layout.index_file,
            "session": store.layout.session_file(conversation.id),
            "relationship": store.layout.relationship_file(relationship.id),
            "state_id": Path(conversation.id),
            "relationship_id": Path(relationship.id),
        }


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_bad_index_refuses_to_open(data_dir: Path, populated: dict[str, Path], breakage: str) -> None:
    path = populated["index"]
    original = BREAKAGES[breakage](path.read_bytes())
    path.write_bytes(original)
    with pytest.raises(CorruptDataError) as caught:
        Store(data_dir)
    _assert_one_line_about(caught.value, path)
    _assert_kept_aside(path, original, caught.value)
    with pytest.raises(CorruptDataError):  # again: same error, still untouched, no second copy
        Store(data_dir)
    _assert_kept_aside(path, original, caught.value)


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_bad_session_file_is_never_overwritten(data_dir: Path, populated: dict[str, Path], breakage: str) -> None:
    path, conversation_id = populated["session"], str(populated["state_id"])
    original = BREAKAGES[breakage](path.read_bytes())
    path.write_bytes(original)
    with Store(data_dir) as store:
        with pytest.raises(CorruptDataError) as caught:
            store.load_conversation(conversation_id)
        _assert_one_line_about(caught.value, path)
        with pytest.raises(CorruptDataError):
            store.append_entry(conversation_id, entry(2))
        with pytest.raises(CorruptDataError):
            store.create_conversation(header(id=conversation_id))
        assert [str(e.path) for e in store.verify()] == [str(path)]
    _assert_kept_aside(path, original, caught.value)


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_bad_relationship_file_is_never_overwritten(data_dir: Path, populated: dict[str, Path], breakage: str) -> None:
    path, relationship_id = populated["relationship"], str(populated["relationship_id"])
    original = BREAKAGES[breakage](path.read_bytes())
    path.write_bytes(original)
    with Store(data_dir) as store:
        with pytest.raises(CorruptDataError) as caught:
            store.list_commitments(relationship_id)
        _assert_one_line_about(caught.value, path)
        with pytest.raises(CorruptDataError):
            store.commitments.save(Commitment(relationship_id=relationship_id, stage="x", text="new"))
        with pytest.raises(CorruptDataError):
            store.create_conversation(header(relationship_id))  # its summary goes there first
        with pytest.raises(CorruptDataError):
            store.finish_pending(relationship_id)
    _assert_kept_aside(path, original, caught.value)


@pytest.mark.parametrize("kind", ["index", "session", "relationship"])
def test_newer_version_is_refused_and_left_alone(data_dir: Path, populated: dict[str, Path], kind: str) -> None:
    path = populated[kind]
    original = _json_with(path.read_bytes(), _newer)
    path.write_bytes(original)
    with pytest.raises(NewerVersionError) as caught, Store(data_dir) as store:
        store.load_conversation(str(populated["state_id"]))
        store.list_commitments(str(populated["relationship_id"]))
    _assert_one_line_about(caught.value, path)
    assert "newer coach" in str(caught.value) and "99" in str(caught.value)
    assert path.read_bytes() == original
    assert not list(data_dir.rglob("*.corrupt-*"))


def test_newer_index_with_a_different_shape_is_still_reported_as_newer(data_dir: Path) -> None:
    data_dir.mkdir()
    index = data_dir / "index.json"
    original = b'{"_meta": {"1": {"schema_version": 4}}, "profiles": ["a new shape"]}'
    index.write_bytes(original)
    with pytest.raises(NewerVersionError):
        Store(data_dir)
    assert index.read_bytes() == original


def test_good_files_are_untouched_by_a_bad_neighbour(data_dir: Path, populated: dict[str, Path]) -> None:
    populated["session"].write_bytes(b"")
    with Store(data_dir) as store:
        other = header()
        store.create_conversation(other)
        store.append_entry(other.id, entry(1))
        assert store.load_conversation(other.id) == (other, [entry(1)])
        assert len(store.verify()) == 1
