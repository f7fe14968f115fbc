"""The exchange packet: what one person lets the other see, as one `NAME.coach` file.

A packet is versioned JSON::

    {"format": "coach-packet", "version": 1, "created_at": "...",
     "sender": {"name": "Ana Lima", "role": "mentee"}, "recipient": {"name": "Sam Okafor"},
     "pair_id": "<the same on both sides' relationship>",
     "stages": [<SharedStage>, ...],          # per stage: answers by slot, documents, parts
     "markdown": "<a readable view of the whole packet>",
     "checksum": "sha256:<hex of the canonical JSON of everything above>"}

Pure functions: `seal` makes a packet, `packet_bytes` its file, `read_packet` checks a file's
bytes (size, UTF-8, JSON within a nesting limit, format, version, checksum, no control character,
then strict validation: no unknown field, no wrong type, every string and list within its limit)
and raises `PacketError` (a code and values: the app words it) at the first problem.

A stage's payload is generic (`coach.models.SharedStage`); a later kind of exchange adds a
`SharedPart` to it (or a new stage), and a change to the envelope is a new `VERSION`.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from coach.content.messages import message
from coach.literal import CONTROLS, json_text
from coach.models import NAME_MAX, Role, SharedStage

FORMAT = "coach-packet"
VERSION = 1
SUFFIX = ".coach"
MAX_BYTES = 2 * 1024 * 1024  # a packet holds a few stages of answers and documents: far less than this
MAX_DEPTH = 10  # the deepest a valid packet nests is 7 (packet, stages, stage, answers, answer, list, item)
MARKDOWN_MAX = 1_000_000
_SURROGATE = range(0xD800, 0xE000)

Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sender(_Strict):
    name: Name
    role: Role


class Recipient(_Strict):
    name: Name


class Packet(_Strict):
    format: Literal["coach-packet"]
    version: int = Field(ge=1, le=VERSION)
    created_at: datetime
    sender: Sender
    recipient: Recipient
    pair_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    stages: list[SharedStage] = Field(min_length=1, max_length=12)
    markdown: str = Field(max_length=MARKDOWN_MAX)
    checksum: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _stages_once(self) -> Packet:
        stages = [s.stage for s in self.stages]
        if len(set(stages)) != len(stages):
            raise ValueError(message("errors.packet.stage_twice"))
        return self

    def stage(self, stage: str) -> SharedStage | None:
        return next((s for s in self.stages if s.stage == stage), None)


class PacketError(Exception):
    """A packet that cannot be taken: `code` names the problem, `values` what the message needs
    (`too_large`, `not_text`, `not_json`, `too_deep`, `wrong_format`, `newer_version`, `no_checksum`,
    `tampered`, `control_character`, `invalid`)."""

    def __init__(self, code: str, **values: str) -> None:
        super().__init__(code, values)
        self.code = code
        self.values = values


def _norm(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def pair_id(mentee_name: str, mentor_name: str) -> str:
    """The id both sides of one mentoring pair compute alike from the two names (as each side's
    relationship spells them, case and spacing aside): it ties a packet to its relationship."""
    key = f"coach-pair\0{_norm(mentee_name)}\0{_norm(mentor_name)}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(key).hexdigest()[:32]


def same_name(a: str, b: str) -> bool:
    return _norm(a) == _norm(b)


def canonical(data: dict[str, Any]) -> bytes:
    """The bytes the checksum is over: `data` without its checksum, keys sorted, no spaces, ASCII."""
    body = {k: v for k, v in data.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def checksum(data: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical(data)).hexdigest()


def seal(*, created_at: datetime, sender: Sender, recipient: Recipient, pair: str, stages: list[SharedStage],
         markdown: str) -> Packet:
    """A packet of `stages` from `sender` to `recipient`, with its checksum."""
    data: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "created_at": created_at.isoformat(),
        "sender": sender.model_dump(mode="json"), "recipient": recipient.model_dump(mode="json"),
        "pair_id": pair, "stages": [s.model_dump(mode="json") for s in stages], "markdown": markdown,
    }
    data["checksum"] = "sha256:" + "0" * 64
    unsealed = Packet.model_validate_json(json.dumps(data), strict=True)
    return unsealed.model_copy(update={"checksum": checksum(unsealed.model_dump(mode="json"))})


def packet_bytes(packet: Packet) -> bytes:
    """The packet's file: indented JSON, readable, with no raw control character in it."""
    return (json_text(packet.model_dump(mode="json"), indent=1) + "\n").encode("utf-8")


def _depth(value: Any) -> int:
    """How deep `value` nests (lists and objects), without recursion."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        node, depth = todo.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
            todo += [(v, depth + 1) for v in (node.values() if isinstance(node, dict) else node)]
    return deepest


def _control_at(value: Any) -> str | None:
    """Where the first string (key or value) with a control character or a lone surrogate is."""
    todo: list[tuple[Any, str]] = [(value, "")]
    while todo:
        node, where = todo.pop(0)
        if isinstance(node, dict):
            for k, v in node.items():
                if _unsafe(k):
                    return f"{where}.{k!r}".lstrip(".")
                todo.append((v, f"{where}.{k}".lstrip(".")))
        elif isinstance(node, list):
            todo += [(v, f"{where}.{i}".lstrip(".")) for i, v in enumerate(node)]
        elif isinstance(node, str) and _unsafe(node):
            return where or message("errors.packet.whole")
    return None


def _unsafe(text: str) -> bool:
    return CONTROLS.search(text) is not None or any(ord(c) in _SURROGATE for c in text)


def read_packet(raw: bytes) -> Packet:
    """The packet in `raw`, checked through and through; PacketError at the first problem."""
    if len(raw) > MAX_BYTES:
        raise PacketError("too_large", size=f"{len(raw) / 1024 / 1024:.1f}", limit=f"{MAX_BYTES // 1024 // 1024}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PacketError("not_text") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise PacketError("too_deep", limit=str(MAX_DEPTH)) from None
    except ValueError as error:
        raise PacketError("not_json", detail=str(error).split(":")[0]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PacketError("wrong_format")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PacketError("wrong_format")
    if version > VERSION:
        raise PacketError("newer_version", version=str(version), known=str(VERSION))
    if _depth(data) > MAX_DEPTH:
        raise PacketError("too_deep", limit=str(MAX_DEPTH))
    if not isinstance(data.get("checksum"), str):
        raise PacketError("no_checksum")
    if data["checksum"] != checksum(data):
        raise PacketError("tampered")
    where = _control_at(data)
    if where is not None:
        raise PacketError("control_character", where=where)
    try:
        return Packet.model_validate_json(text, strict=True)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or message("errors.packet.whole")
        raise PacketError("invalid", where=where, detail=str(first["msg"])) from None
