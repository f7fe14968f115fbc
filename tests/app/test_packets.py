"""Two people, one partnership, through the service: two data folders (a mentee's and a mentor's)
each play their fit check, share it as a packet file, merge the other's, and get the same joint
fit report; every bad packet is one line and changes nothing."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from partnership_helpers import MENTEE, MENTOR, Side, fit_checked, side, snapshot

from coach.app.errors import AppError
from coach.content.library import FlowLibrary
from coach.export.packet import MAX_BYTES, checksum, pair_id, read_packet
from coach.models import Role

WORRY = "She is very senior and I worry I'll waste her time"


@pytest.fixture
def pair(library: FlowLibrary, tmp_path: Path) -> Iterator[tuple[Side, Side]]:
    with fit_checked(library, tmp_path) as both:
        yield both


def _share(s: Side, out: Path, drop: set[int] | None = None) -> Path:
    preview = s.service.share_preview("fit_check")
    return s.service.share(preview, drop, out).path


def _joint(s: Side) -> Any:
    (report,) = [d for d in s.service.documents(s.relationship.id) if d.kind == "joint_fit_report"]
    return report


def _packet(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data


def _rewrite(path: Path, change: Callable[[dict[str, Any]], None], *, reseal: bool = True) -> Path:
    """An edited copy of a packet (with its checksum made to fit again, unless `reseal` is off)."""
    data = _packet(path)
    change(data)
    if reseal:
        data["checksum"] = checksum(data)
    edited = path.with_name(f"edited-{path.name}")
    edited.write_text(json.dumps(data), encoding="utf-8")
    return edited


def test_the_preview_shows_what_the_other_person_will_see_and_nothing_private(pair: tuple[Side, Side]) -> None:
    ana, _ = pair
    preview = ana.service.share_preview("fit_check")
    text = "\n".join(preview.lines())
    assert preview.lines()[0].startswith("This is what Sam Okafor will see of your Fit check")
    assert "1. Goal: Present our team roadmap to the leadership group by March 2027" in text
    assert "Meeting rhythm: Monthly" in text
    assert WORRY not in text and "Worries" not in text
    assert [i.number for i in preview.items] == list(range(1, len(preview.items) + 1))


def test_a_packet_is_private_checksummed_json_with_a_readable_view(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, _ = pair
    path = _share(ana, tmp_path / "ana.coach")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = _packet(path)
    assert data["format"] == "coach-packet" and data["version"] == 1
    assert data["sender"] == {"name": MENTEE, "role": "mentee"} and data["recipient"] == {"name": MENTOR}
    assert data["pair_id"] == pair_id(MENTEE, MENTOR)
    assert data["checksum"] == checksum(data)
    (stage,) = data["stages"]
    values = {a["slot"]: a["value"] for a in stage["answers"]}
    assert values["cadence"] == "monthly" and values["goals_match"] == 3 and values["fit_goals"] == "partial"
    assert "concerns" not in values
    assert "# Ana Lima shares with Sam Okafor" in data["markdown"]
    assert "- **Meeting rhythm:** Monthly" in data["markdown"]
    assert WORRY.encode() not in path.read_bytes() and b"worry" not in path.read_bytes().lower()
    read_packet(path.read_bytes())  # what coach writes, coach reads


def test_items_left_out_are_not_in_the_packet(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, _ = pair
    preview = ana.service.share_preview("fit_check")
    numbers = {i.answer.slot: i.number for i in preview.items if i.answer}
    drop = ana.service.share_drop(preview, f"{numbers['other_active']}, {numbers['vision']}")
    shared = ana.service.share(preview, drop, tmp_path / "ana.coach")
    assert shared.left_out == f"Left out: {min(drop)}, {max(drop)}."
    slots = {a["slot"] for a in _packet(shared.path)["stages"][0]["answers"]}
    assert "other_active" not in slots and "vision" not in slots and "goal" in slots
    assert b"Become a product lead" not in shared.path.read_bytes()
    with pytest.raises(AppError, match="is not a list of item numbers from 1 to"):
        ana.service.share_drop(preview, "0 99")


def test_a_packet_is_never_written_over_a_file_unless_forced(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, _ = pair
    out = tmp_path / "ana.coach"
    out.write_text("my notes", encoding="utf-8")
    with pytest.raises(AppError, match=r"already exists: nothing was written; .* --force"):
        _share(ana, out)
    assert out.read_text(encoding="utf-8") == "my notes"
    ana.service.share(ana.service.share_preview("fit_check"), None, out, force=True)
    assert _packet(out)["format"] == "coach-packet"


def test_an_unfinished_stage_cannot_be_shared(pair: tuple[Side, Side]) -> None:
    ana, _ = pair
    with pytest.raises(AppError, match="you have not finished the Commitment with Sam Okafor yet"):
        ana.service.share_preview("commitment")


def test_both_sides_merge_and_get_the_same_joint_fit_report(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    from_ana, from_sam = _share(ana, tmp_path / "ana.coach"), _share(sam, tmp_path / "sam.coach")
    merged = sam.service.merge(from_ana)
    assert merged.relationship.id == sam.relationship.id
    assert merged.messages[0].startswith("Merged Ana Lima's Fit check")
    assert "joint fit report" in merged.messages[1]
    ana.service.merge(from_sam)
    mine, theirs = _joint(ana), _joint(sam)
    assert mine.markdown == theirs.markdown  # built from what each let the other see
    md = mine.markdown
    # each side's view per dimension, against what each side's own fit check found
    ana_slots, sam_slots = _slots(ana), _slots(sam)
    assert (ana_slots["fit_goals"], sam_slots["fit_goals"]) == ("partial", "strong")
    assert "| Goals and vision | Partial | Strong | One step apart |" in md
    assert "| Expectations | Partial | Strong | One step apart |" in md
    assert "| Mentor active and respected in the field | Strong | — | Only Ana Lima rates this |" in md
    assert "| Mentee's engagement | — | Strong | Only Sam Okafor rates this |" in md
    # what each said, side by side
    assert "| Rhythm each would like | Monthly | Every two weeks |" in md
    assert "| How well the goals match | 3/5 | 5/5 |" in md
    assert f"| The mentee's goal (as each understands it) | {ana_slots['goal']} | {sam_slots['goal']} |" in md
    # the recommendation for the pair, with reasons, and questions drawn from the gaps
    assert "**Recommendation for the two of you: Talk first**" in md
    assert "Each fit check on its own: Ana Lima's says Talk first, Sam Okafor's says Go ahead." in md
    assert "You'd like different rhythms (Ana Lima: Monthly; Sam Okafor: Every two weeks)." in md
    assert "- Goals and vision: One step apart" in md
    asks = md.split("## Ask each other", 1)[1]
    assert "Ana Lima would like to meet “Monthly”, Sam Okafor “Every two weeks”" in asks
    assert "Honest feedback on my drafts" in asks and "Come prepared with one question" in asks
    assert WORRY not in md
    assert mine.data["recommendation"] == "talk_first"
    assert mine.data["dimensions"]["goals"] == {"mentee": "partial", "mentor": "strong", "together": "differ",
                                               "level": "partial"}


def _slots(s: Side) -> dict[str, Any]:
    (report,) = [d for d in s.service.documents(s.relationship.id) if d.kind == "fit_report"]
    return report.data


def test_the_joint_report_is_exported_like_any_document(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    ana.service.merge(_share(sam, tmp_path / "sam.coach"))
    _, files = ana.service.export("md")
    (joint,) = [f for f in files if "joint_fit_report" in str(f.path)]
    assert joint.path.parts[0] == "sam-okafor"
    assert "# Joint fit report" in joint.content.decode("utf-8")


def test_a_packet_before_ones_own_stage_is_kept_and_the_report_comes_later(library: FlowLibrary,
                                                                            tmp_path: Path) -> None:
    ana = side(library, tmp_path / "ana", MENTEE, Role.mentee, MENTOR)
    sam = side(library, tmp_path / "sam", MENTOR, Role.mentor, MENTEE)
    sam.play("fit_check_mentor_happy")
    packet = _share(sam, tmp_path / "sam.coach")
    merged = ana.service.merge(packet)
    assert "Finish your own Fit check with Sam Okafor" in merged.messages[1]
    assert [p.stage for p in ana.service.partner_stages(ana.relationship.id)] == ["fit_check"]
    assert not [d for d in ana.service.documents(ana.relationship.id) if d.kind == "joint_fit_report"]
    ana.play("fit_check_mentee_happy")
    ana.service.merge(packet)  # the same packet again: now with the report
    assert "| Goals and vision | Partial | Strong |" in _joint(ana).markdown
    assert len(ana.service.partner_stages(ana.relationship.id)) == 1
    ana.close()
    sam.close()


def test_the_newest_packet_wins_and_an_older_one_is_refused(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    first = _share(sam, tmp_path / "first.coach")
    second = _share(sam, tmp_path / "second.coach")
    ana.service.merge(second)
    kept = ana.service.partner_stages(ana.relationship.id)
    before = snapshot(ana.folder)
    with pytest.raises(AppError, match=r"is older than the Fit check Sam Okafor shared on .* which is kept"):
        ana.service.merge(first)
    assert snapshot(ana.folder) == before
    assert ana.service.partner_stages(ana.relationship.id) == kept
    assert kept[0].checksum == _packet(second)["checksum"]


# --- bad packets: one line each, nothing stored -------------------------------------------------------


def _nest(data: dict[str, Any]) -> None:
    deep: Any = "x"
    for _ in range(50):
        deep = [deep]
    data["stages"][0]["answers"][0]["value"] = deep


BAD: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "wrong format": (lambda p, d: _write(d / "x.coach", b'{"format": "zip", "version": 1}'),
                     "is not a coach packet"),
    "not JSON": (lambda p, d: _write(d / "x.coach", b"PK\x03\x04 a zip file"), "is not a packet: it is not JSON"),
    "not UTF-8": (lambda p, d: _write(d / "x.coach", b'{"a": "\xff\xfe"}'), "it is not text (UTF-8)"),
    "newer version": (lambda p, d: _rewrite(p, lambda x: x.update(version=2)),
                      "is a packet of version 2, from a newer coach"),
    "edited": (lambda p, d: _rewrite(p, _edit_value, reseal=False), "was changed after it was written"),
    "no checksum": (lambda p, d: _rewrite(p, lambda x: x.pop("checksum"), reseal=False), "has no checksum"),
    "over-large": (lambda p, d: _write(d / "x.coach", b" " * (MAX_BYTES + 1)), "too large for a packet"),
    "deep nesting": (lambda p, d: _rewrite(p, _nest), "nests deeper than a packet can"),
    "unknown field": (lambda p, d: _rewrite(p, lambda x: x["stages"][0].update(secret_hook=1)),
                      "stages.0.secret_hook: Extra inputs are not permitted"),
    "wrong type": (lambda p, d: _rewrite(p, lambda x: x["stages"][0]["answers"][0].update(shown=7)),
                   "stages.0.answers.0.shown: Input should be a valid string"),
    "huge string": (lambda p, d: _rewrite(p, lambda x: x["stages"][0]["answers"][0].update(shown="x" * 30_000)),
                    "stages.0.answers.0.shown: String should have at most 20000 characters"),
    "control characters": (lambda p, d: _rewrite(p, lambda x: x["sender"].update(name="Ana\x1b]52;c;eA==\x07")),
                           "holds a control character (at sender.name)"),
    "unknown stage": (lambda p, d: _rewrite(p, lambda x: x["stages"][0].update(stage="karaoke", flow_id="karaoke")),
                      "shares a stage this coach does not know (karaoke)"),
    "another relationship": (lambda p, d: _rewrite(p, lambda x: x.update(
        sender={"name": "Bo Chen", "role": "mentor"}, pair_id=pair_id(MENTEE, "Bo Chen"))),
        "is from Bo Chen (mentor) for Ana Lima, which matches none of your relationships (Ana Lima with Sam Okafor)"),
    "a folder": (lambda p, d: _mkdir(d / "folder.coach"), "is not a packet file (it is a folder"),
    "missing": (lambda p, d: d / "nothing.coach", "there is no file"),
}


def _edit_value(data: dict[str, Any]) -> None:
    answer = next(a for a in data["stages"][0]["answers"] if a["slot"] == "goals_match")
    answer["value"], answer["shown"] = 1, "1/5"


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_packet_is_one_line_and_changes_nothing(pair: tuple[Side, Side], tmp_path: Path, case: str) -> None:
    ana, sam = pair
    make, message = BAD[case]
    bad = make(_share(sam, tmp_path / "sam.coach"), tmp_path)
    before = snapshot(ana.folder)
    with pytest.raises(AppError) as caught:
        ana.service.merge(bad)
    line = str(caught.value)
    assert message in line and "\n" not in line, line
    assert "\x1b" not in line
    assert snapshot(ana.folder) == before
    assert ana.service.partner_stages(ana.relationship.id) == []


def test_ones_own_packet_is_refused(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, _ = pair
    own = _share(ana, tmp_path / "ana.coach")
    before = snapshot(ana.folder)
    with pytest.raises(AppError, match=r"is your own packet \(from Ana Lima, mentee\): send it to Sam Okafor"):
        ana.service.merge(own)
    assert snapshot(ana.folder) == before


def test_a_packet_for_another_relationship_named_is_refused(library: FlowLibrary, pair: tuple[Side, Side],
                                                             tmp_path: Path) -> None:
    ana, sam = pair
    ana.service.add_relationship(ana.profile, "Bo Chen")
    packet = _share(sam, tmp_path / "sam.coach")
    before = snapshot(ana.folder)
    with pytest.raises(AppError, match="not for your relationship with Bo Chen"):
        ana.service.merge(packet, "Bo Chen")
    assert snapshot(ana.folder) == before
    assert ana.service.merge(packet).relationship.id == ana.relationship.id  # found from the packet
