"""What the home screen draws, as plain values (`HomeLook`): made from the service's `HomeView`, or
read back from the last run (coach.tui.paint) to fill the first frame before the service is loaded.

Standard library only, and no model: the first frame is drawn before pydantic is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from coach.app.status import STAGE_STATES, StageStatus, resumable

if TYPE_CHECKING:
    from coach.app.views import HomeView

S = TypeVar("S", bound=str)
ROLES = ("mentee", "mentor")
OWNERS = ("mentee", "mentor", "both")


@dataclass(frozen=True)
class PersonRow:
    """A profile as the home screen lists it."""

    id: str
    name: str
    role: str  # one of ROLES


@dataclass(frozen=True)
class RelationshipRow:
    id: str
    other_name: str


@dataclass(frozen=True)
class CommitmentRow:
    """An open commitment as the home screen lists it (and closes it: by its ids)."""

    id: str
    relationship_id: str | None
    text: str
    owner: str  # one of OWNERS
    stage: str
    due: date | None


@dataclass(frozen=True)
class HomeLook:
    profiles: tuple[PersonRow, ...] = ()
    profile: str | None = None  # the id of the one shown
    relationships: tuple[RelationshipRow, ...] = ()
    relationship: str | None = None
    stages: tuple[StageStatus, ...] = ()
    commitments: tuple[CommitmentRow, ...] = ()
    prepare: tuple[str, date] | None = None  # the check-in to offer (flow id) and the meeting it prepares

    @classmethod
    def of(cls, view: HomeView) -> HomeLook:
        return cls(
            profiles=tuple(PersonRow(p.id, p.name, p.role.value) for p in view.profiles),
            profile=view.profile.id if view.profile else None,
            relationships=tuple(RelationshipRow(r.id, r.other_name) for r in view.relationships),
            relationship=view.relationship.id if view.relationship else None,
            stages=tuple(view.stages),
            commitments=tuple(CommitmentRow(c.id, c.relationship_id, c.text, c.owner, c.stage, c.due)
                              for c in view.commitments),
            prepare=view.prepare,
        )

    @property
    def resumable(self) -> StageStatus | None:
        return resumable(self.stages)

    @property
    def other_name(self) -> str | None:
        """The other person's name in the relationship shown."""
        return next((r.other_name for r in self.relationships if r.id == self.relationship), None)

    def dates(self) -> set[date]:
        """Every date the home screen writes out for this look."""
        found = {s.last for s in self.stages} | {c.due for c in self.commitments}
        if self.prepare:
            found.add(self.prepare[1])
        return {d for d in found if d is not None}

    def is_default(self, role: str | None) -> bool:
        """Whether this is what the home screen opens on with `role` asked for (see
        CoachService.home_view): the first profile (of that role, if any has it), its newest relationship."""
        first = next((p for p in self.profiles if p.role == role), None) or next(iter(self.profiles), None)
        newest = self.relationships[-1].id if self.relationships else None
        return self.profile == (first.id if first else None) and self.relationship == newest

    # --- kept between runs --------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "profiles": [[p.id, p.name, p.role] for p in self.profiles],
            "profile": self.profile,
            "relationships": [[r.id, r.other_name] for r in self.relationships],
            "relationship": self.relationship,
            "stages": [[s.flow_id, s.title, s.state, _day(s.last), s.resume_id, s.done_id] for s in self.stages],
            "commitments": [[c.id, c.relationship_id, c.text, c.owner, c.stage, _day(c.due)]
                            for c in self.commitments],
            "prepare": [self.prepare[0], self.prepare[1].isoformat()] if self.prepare else None,
        }

    @classmethod
    def from_json(cls, data: object) -> HomeLook:
        """The look `to_json` wrote; ValueError for anything else (a damaged or edited file)."""
        if not isinstance(data, dict):
            raise ValueError(type(data))
        profiles = tuple(PersonRow(_text(i), _text(n), _one_of(r, ROLES)) for i, n, r in _rows(data, "profiles", 3))
        relationships = tuple(RelationshipRow(_text(i), _text(n)) for i, n in _rows(data, "relationships", 2))
        stages = tuple(
            StageStatus(_text(f), _text(t), _one_of(s, STAGE_STATES), _date(d), _maybe(r), _maybe(done))
            for f, t, s, d, r, done in _rows(data, "stages", 6)
        )
        commitments = tuple(
            CommitmentRow(_text(i), _maybe(rel), _text(t), _one_of(o, OWNERS), _text(s), _date(d))
            for i, rel, t, o, s, d in _rows(data, "commitments", 6)
        )
        for ids in ([p.id for p in profiles], [r.id for r in relationships], [s.flow_id for s in stages],
                    [c.id for c in commitments]):
            if len(set(ids)) != len(ids):  # each is a key in a list or a table on the screen
                raise ValueError(ids)
        profile, relationship = _maybe(data.get("profile")), _maybe(data.get("relationship"))
        if profile is not None and profile not in {p.id for p in profiles}:
            raise ValueError("profile")
        if relationship is not None and relationship not in {r.id for r in relationships}:
            raise ValueError("relationship")
        offer = data.get("prepare")
        prepare = None
        if offer is not None:
            if not isinstance(offer, list) or len(offer) != 2:
                raise ValueError("prepare")
            meeting = _date(offer[1])
            if meeting is None:
                raise ValueError("prepare")
            prepare = (_text(offer[0]), meeting)
        return cls(profiles, profile, relationships, relationship, stages, commitments, prepare)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _rows(data: dict[str, Any], name: str, width: int) -> list[list[Any]]:
    rows = data.get(name)
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == width for r in rows):
        raise ValueError(name)
    return rows


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(type(value))
    return value


def _maybe(value: object) -> str | None:
    return None if value is None else _text(value)


def _one_of(value: object, allowed: tuple[S, ...]) -> S:
    for choice in allowed:
        if value == choice:
            return choice
    raise ValueError(allowed)


def _date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(_text(value))
