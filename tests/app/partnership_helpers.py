"""Two people, two data folders: a mentee and a mentor, each with a profile and a relationship
naming the other, playing their side of a stage from the transcripts in tests/conversations."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from coach.app.service import CoachService
from coach.content.library import FlowLibrary
from coach.models import Profile, Relationship, Role
from coach.store import Store

CONVERSATIONS = Path(__file__).resolve().parents[1] / "conversations"
TODAY = date(2026, 11, 27)
MENTEE, MENTOR = "Ana Lima", "Sam Okafor"


@dataclass
class Side:
    folder: Path
    service: CoachService
    profile: Profile
    relationship: Relationship

    def play(self, transcript: str) -> None:
        case = yaml.safe_load((CONVERSATIONS / f"{transcript}.yaml").read_text(encoding="utf-8"))
        chat = self.service.open_stage(self.profile, self.relationship, case["flow"])
        while (chat.conversation.prompt_tag() or "").startswith("@review/"):  # commitments of an earlier stage
            self.service.answer(chat, "done")
        for text in (str(t["user"]) for t in case["turns"] if "user" in t):
            if not chat.done:
                self.service.answer(chat, text)
        for text in ("yes", "1"):  # an earlier stage's answer offered back adds a question: confirm, keep the draft
            if not chat.done:
                self.service.answer(chat, text)
        assert chat.done, transcript
        self.service.leave(chat)

    def close(self) -> None:
        self.service.close()


def side(library: FlowLibrary, folder: Path, name: str, role: Role, other: str) -> Side:
    service = CoachService(library, Store(folder), today=lambda: TODAY)
    profile = service.add_profile(name, role, timezone="Europe/Lisbon")
    return Side(folder, service, profile, service.add_relationship(profile, other))


def fit_checked_pair(library: FlowLibrary, root: Path) -> tuple[Side, Side]:
    """Ana (mentee, in `root`/ana) and Sam (mentor, in `root`/sam), each with their fit check done."""
    ana = side(library, root / "ana", MENTEE, Role.mentee, MENTOR)
    sam = side(library, root / "sam", MENTOR, Role.mentor, MENTEE)
    ana.play("fit_check_mentee_happy")
    sam.play("fit_check_mentor_happy")
    return ana, sam


@contextmanager
def fit_checked(library: FlowLibrary, root: Path) -> Iterator[tuple[Side, Side]]:
    """`fit_checked_pair`, both sides' stores closed afterwards."""
    ana, sam = fit_checked_pair(library, root)
    try:
        yield ana, sam
    finally:
        ana.close()
        sam.close()


def answers(transcript: str) -> list[str]:
    case = yaml.safe_load((CONVERSATIONS / f"{transcript}.yaml").read_text(encoding="utf-8"))
    return [str(t["user"]) for t in case["turns"] if "user" in t]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (but the lock) by path, with a hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "coach.lock"}
