"""Two people, two data folders, the last two stages: Ana (mentee) and Sam (mentor) each play
gratitude and moving_on, share both ways through files and merge; the thank-you exchange and the
joint decision on moving on are the same on both sides, hold both sides' answers, carry nothing
private and render cleanly. The signed goals' review is checked on the builder (signing is wired
elsewhere): with `Pair.signed` and without."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from partnership_helpers import MENTEE, MENTOR, Side, side

from coach.app.joint_gratitude import thank_you_exchange
from coach.app.joint_moving_on import joint_decision
from coach.app.partnership import Pair, SignedAgreement, Texts
from coach.content.library import FlowLibrary
from coach.models import Artifact, Role, SharedStage

_MD = MarkdownIt("commonmark").enable("table")


@pytest.fixture
def pair(library: FlowLibrary, tmp_path: Path) -> Iterator[tuple[Side, Side]]:
    ana = side(library, tmp_path / "ana", MENTEE, Role.mentee, MENTOR)
    sam = side(library, tmp_path / "sam", MENTOR, Role.mentor, MENTEE)
    yield ana, sam
    ana.close()
    sam.close()


def _share(s: Side, stage: str, out: Path) -> Path:
    return s.service.share(s.service.share_preview(stage), set(), out).path


def _exchange(ana: Side, sam: Side, stage: str, folder: Path) -> tuple[Path, Path]:
    from_ana = _share(ana, stage, folder / f"ana-{stage}.coach")
    from_sam = _share(sam, stage, folder / f"sam-{stage}.coach")
    sam.service.merge(from_ana)
    ana.service.merge(from_sam)
    return from_ana, from_sam


def _doc(s: Side, kind: str) -> Artifact:
    (doc,) = [d for d in s.service.documents(s.relationship.id) if d.kind == kind]
    return doc


def _stage(path: Path) -> SharedStage:
    (stage,) = json.loads(path.read_bytes())["stages"]
    return SharedStage.model_validate(stage)


def _rendered(markdown: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", _MD.render(markdown)))


def assert_clean(markdown: str) -> None:
    """Renders without a stray escape, bold marker, placeholder or "None", and every table is
    well formed: each row as many cells as its header."""
    shown = _rendered(markdown)
    assert "\\" not in shown and "**" not in shown, shown
    assert not re.search(r"\$\{?[A-Za-z_]|(?<!\w)None(?!\w)", markdown), markdown
    assert "\n\n\n" not in markdown and markdown == markdown.strip()
    tables = re.findall(r"(?:^\|.*\|$\n?)+", markdown, re.MULTILINE)
    for table in tables:
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in table.strip().splitlines()}
        assert len(widths) == 1, table
    assert markdown.count("<table>") == 0 and _MD.render(markdown).count("<table>") == len(tables)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.casefold())


def _absent(private: str, haystack: str) -> bool:
    """No four words in a row of `private` in `haystack` (as the messy-documents check does)."""
    words, hay = _words(private), " ".join(_words(haystack))
    return all(" ".join(words[i:i + 4]) not in hay for i in range(max(1, len(words) - 3)))


# --- gratitude: the thank-you exchange -----------------------------------------------------------------


def test_the_thank_you_and_its_reply_make_one_exchange(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    ana.play("gratitude_mentee_happy")
    sam.play("messy_gratitude_mentor")
    from_ana, from_sam = _exchange(ana, sam, "gratitude", tmp_path)
    mine, theirs = _doc(ana, "thank_you_exchange"), _doc(sam, "thank_you_exchange")
    assert mine.markdown == theirs.markdown and mine.title == "Thank-you exchange"
    md = mine.markdown
    assert_clean(md)
    assert md.startswith("# Thank-you exchange: Ana Lima and Sam Okafor")
    # both messages, quoted line by line as each wrote it
    message, reply = _doc(ana, "thank_you_message").markdown, _doc(sam, "thank_you_reply").markdown
    quoted = _rendered(md)
    for line in [*message.splitlines(), *reply.splitlines()]:
        assert line.strip() in quoted
    assert "All the best,<br />\nSam</p>" in _MD.render(md)  # a sign-off keeps its line
    assert md.index("## Ana Lima's thank-you") < md.index("> Hi Sam,") < md.index("## Sam Okafor's reply") \
        < md.index("> Hi Ana,") < md.index("## The advice and the plan")
    # the advice and the plan, from the mentee's answers; the follow-up date, from the mentor's
    ana_said, sam_said = _stage(from_ana).values(), _stage(from_sam).values()
    plan = md.split("## The advice and the plan", 1)[1]
    assert f"- **The advice:** {ana_said['key_advice']}" in plan
    assert "- **What Ana Lima did with it:** I showed my draft design to the team on Monday" in plan
    assert f"- **The plan from here:** {ana_said['next_steps']}" in plan
    assert sam_said["follow_up_date"] == "2026-12-11"
    assert "Sam Okafor will check in with Ana Lima around **Friday 11 December 2026**." in md
    assert mine.data["follow_up_date"] == "2026-12-11"
    again = sam.service.merge(from_ana).messages
    assert again[1].startswith("Ready: your thank-you exchange, with your documents")


def test_a_message_left_out_is_said_so(pair: tuple[Side, Side], tmp_path: Path, library: FlowLibrary) -> None:
    ana, sam = pair
    ana.play("gratitude_mentee_happy")
    sam.play("messy_gratitude_mentor")
    from_ana, from_sam = _exchange(ana, sam, "gratitude", tmp_path)
    mentor = _stage(from_sam).model_copy(update={"documents": [], "answers": []})
    doc = thank_you_exchange(Pair(_stage(from_ana), mentor, ana.profile, ana.relationship, Texts(library.prompts),
                                  datetime(2026, 11, 27, 12, tzinfo=UTC)))
    assert_clean(doc.markdown)
    assert "## Sam Okafor's reply\n\n*Sam Okafor has not shared this message.*" in doc.markdown
    assert "No follow-up date named yet" in doc.markdown


def test_what_the_mentor_gained_stays_private(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    ana.play("gratitude_mentee_happy")
    sam.play("messy_gratitude_mentor")
    _, from_sam = _exchange(ana, sam, "gratitude", tmp_path)
    packet = from_sam.read_text(encoding="utf-8")
    slots = {a.slot for a in _stage(from_sam).answers}
    assert {"progress", "want_to_hear", "follow_up_date", "mentee_name"} <= slots
    assert "own_gain" not in slots and "contribution" not in slots and "evidence" not in slots
    assert [d.kind for d in _stage(from_sam).documents] == ["thank_you_reply"]  # not the reflection
    gained = "i've become a more patient listener"
    for text in (packet, _doc(ana, "thank_you_exchange").markdown, json.dumps(_doc(ana, "thank_you_exchange").data)):
        assert _absent(gained, text)


# --- moving on: the joint decision ------------------------------------------------------------------------


def test_far_apart_decisions_are_talked_through_and_ties_kept(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    ana.play("moving_on_mentee_happy")  # close
    sam.play("moving_on_mentor_happy")  # continue
    from_ana, from_sam = _exchange(ana, sam, "moving_on", tmp_path)
    mine, theirs = _doc(ana, "joint_moving_on"), _doc(sam, "joint_moving_on")
    assert mine.markdown == theirs.markdown
    md = mine.markdown
    assert_clean(md)
    assert mine.data["together"] == "far" and mine.data["decision"] is None
    # each side's decision side by side, from what each chose
    assert _stage(from_ana).values()["decision"] == "close" and _stage(from_sam).values()["decision"] == "continue"
    assert "| Decision | Close the formal mentorship | Continue as we are |" in md
    assert "| Next focus | — | preparing for the team lead interview in the spring |" in md
    assert "| Where things stand against the goals | I now lead a team of four and run our planning on my own | — |" \
        in md
    assert ("**Talk it through first.** Ana Lima proposed “Close the formal mentorship”, Sam Okafor “Continue as we "
            "are”: far apart") in md
    asks = md.split("### Ask each other", 1)[1].split("## The plan", 1)[0]
    assert 1 <= asks.count("\n- ") <= 3
    assert "Would a change of format" in asks
    assert "The plan waits for your decision" in md
    # keeping in touch, always: Ana coffee + LinkedIn every few months, Sam a call at milestones
    touch = md.split("## Keeping in touch", 1)[1]
    assert "- **How:** coffee or lunch, LinkedIn or social media and a call" in touch
    assert "- **How often:** every few months" in touch
    assert mine.data["keep_in_touch"] == {"how": ["coffee", "linkedin", "call"], "often": "quarterly", "agree": False}
    # no signed agreement yet: one line
    assert "## Reviewing the signed goals\n\nThere is no signed agreement to review" in md


def test_readiness_ratings_stay_private(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    ana.play("moving_on_mentee_happy")
    sam.play("moving_on_mentor_happy")
    from_ana, from_sam = _exchange(ana, sam, "moving_on", tmp_path)
    private = {"goals_met", "own_solutions", "sessions_thin", "skills_close", "readiness_score", "readiness_signals",
               "suggested_decision"}
    for path in (from_ana, from_sam):
        stage = _stage(path)
        assert not private & {a.slot for a in stage.answers}
        assert stage.documents == []  # the transition plan, with the ratings, is the user's own
        assert b"Readiness" not in path.read_bytes() and b"readiness" not in path.read_bytes()
    joint = _doc(ana, "joint_moving_on")
    assert "eadiness" not in joint.markdown and not private & set(joint.data)
    assert "/100" not in joint.markdown


def test_the_same_decision_is_agreed_with_its_plan(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    ana.play("moving_on_mentee_happy")  # close
    sam.play("moving_on_mentor_probe_back")  # close
    _exchange(ana, sam, "moving_on", tmp_path)
    doc = _doc(sam, "joint_moving_on")
    md = doc.markdown
    assert_clean(md)
    assert (doc.data["together"], doc.data["decision"]) == ("agree", "close")
    assert "**You both decided: Close the formal mentorship.**" in md
    plan = md.split("## The plan", 1)[1].split("## Keeping in touch", 1)[0]
    assert "- **Conversation to wrap up the formal part:** Ana Lima: Thursday 3 December 2026; " \
           "Sam Okafor: Tuesday 15 December 2026" in plan
    assert "- **First check-in:**" in plan
    assert "The plan waits" not in md
    assert "You named different dates for the plan" in md  # and they are asked to settle on one


def test_a_step_apart_is_talked_through(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    ana.play("moving_on_mentee_probe_back")  # change the format
    sam.play("moving_on_mentor_happy")  # continue
    _exchange(ana, sam, "moving_on", tmp_path)
    doc = _doc(ana, "joint_moving_on")
    assert_clean(doc.markdown)
    assert doc.data["together"] == "step"
    assert "one step apart" in doc.markdown and "What exactly would change" in doc.markdown
    assert "| The new format | a call every two months about my move into management | — |" in doc.markdown


# --- the signed goals, on the builder --------------------------------------------------------------------


def _moving_on_pair(ana: Side, sam: Side, tmp_path: Path, library: FlowLibrary,
                    signed: SignedAgreement | None) -> Pair:
    ana.play("moving_on_mentee_happy")
    sam.play("moving_on_mentor_probe_back")
    from_ana, from_sam = _exchange(ana, sam, "moving_on", tmp_path)
    return Pair(_stage(from_ana), _stage(from_sam), ana.profile, ana.relationship, Texts(library.prompts),
                datetime(2026, 11, 27, 12, tzinfo=UTC), signed=signed)


def test_the_goals_both_signed_are_reviewed_with_each_sides_view(pair: tuple[Side, Side], tmp_path: Path,
                                                                 library: FlowLibrary) -> None:
    ana, sam = pair
    signed = SignedAgreement(mentee_goals=["Lead a team by June 2027", "Run planning *on my own*"],
                             mentor_goals=["Lead a team by June 2027"], signed_on=date(2026, 1, 15),
                             text_hash="ab" * 32)
    doc = joint_decision(_moving_on_pair(ana, sam, tmp_path, library, signed))
    md = doc.markdown
    assert_clean(md)
    goals = md.split("## The goals you both signed on Thursday 15 January 2026", 1)[1]
    assert "Ana Lima wrote:\n\n- Lead a team by June 2027\n- Run planning \\*on my own\\*" in goals
    assert "Sam Okafor wrote:\n\n- Lead a team by June 2027" in goals
    assert "- **Ana Lima:** I now lead a team of four and run our planning on my own" in goals
    assert "- **Sam Okafor:** she runs her own team of five now" in goals
    assert "Run planning *on my own*" in _rendered(md)
    assert "no signed agreement" not in md and doc.data["signed_on"] == "2026-01-15"


def test_without_a_signed_agreement_one_line_says_so(pair: tuple[Side, Side], tmp_path: Path,
                                                     library: FlowLibrary) -> None:
    ana, sam = pair
    doc = joint_decision(_moving_on_pair(ana, sam, tmp_path, library, None))
    tail = doc.markdown.split("## Reviewing the signed goals\n\n", 1)[1]
    assert tail == "There is no signed agreement to review: you did not both sign a commitment in coach."
    assert doc.data["signed_on"] is None
