"""The small data interface the TUI talks to, over the engine and a store.

Everything here is synchronous and may touch the disk: the app only ever calls it through
:class:`coach.tui.service.DataService`, which runs each call on one background thread.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from coach.content.library import FlowLibrary
from coach.engine.conversation import Conversation, Engine
from coach.engine.ports import ConversationStore, MemoryStore
from coach.engine.turns import BotTurn
from coach.models import (
    STAGES,
    Artifact,
    Commitment,
    CommitmentStatus,
    ConversationState,
    ConversationStatus,
    Profile,
    Relationship,
    Role,
)

if TYPE_CHECKING:
    from coach.store import Store

StageState = Literal["not started", "in progress", "done"]
OPEN_COMMITMENTS = frozenset({CommitmentStatus.open, CommitmentStatus.partly, CommitmentStatus.not_yet})


@dataclass(frozen=True)
class StageStatus:
    """Where one stage stands for a relationship."""

    flow_id: str
    title: str
    state: StageState
    last: date | None
    resume_id: str | None  # the in-progress session to resume, if any


@dataclass(frozen=True)
class HomeView:
    """Everything the home screen shows, read in one go."""

    profiles: list[Profile]
    profile: Profile | None
    relationships: list[Relationship]
    relationship: Relationship | None
    stages: list[StageStatus]
    commitments: list[Commitment]

    @property
    def resumable(self) -> StageStatus | None:
        """The stage to continue with one key: the most recently touched unfinished one."""
        open_ = [s for s in self.stages if s.resume_id is not None]
        return max(open_, key=lambda s: s.last or date.min, default=None)


@dataclass(frozen=True)
class Started:
    """A conversation opened by the app, with the turn to show first."""

    conversation: Conversation
    turn: BotTurn
    resumed: bool


def _local_date(moment: datetime) -> date:
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "artifact"


class Backend(ABC):
    """Profiles, relationships, stage statuses and conversations, for one data directory."""

    def __init__(
        self,
        library: FlowLibrary,
        store: ConversationStore,
        *,
        export_dir: Path,
        today: Callable[[], date] = date.today,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self.library = library
        self.engine = Engine(library, store, today=today)
        self.export_dir = export_dir
        self.today = today
        self._new_id = new_id

    # --- what each store provides ---------------------------------------------------------

    @abstractmethod
    def profiles(self) -> list[Profile]: ...

    @abstractmethod
    def save_profile(self, profile: Profile) -> Profile: ...

    @abstractmethod
    def relationships(self, profile_id: str) -> list[Relationship]: ...

    @abstractmethod
    def save_relationship(self, relationship: Relationship) -> Relationship: ...

    @abstractmethod
    def sessions(self, relationship_id: str) -> list[ConversationState]: ...

    @abstractmethod
    def commitments(self, relationship_id: str) -> list[Commitment]: ...

    @abstractmethod
    def artifacts(self, relationship_id: str) -> list[Artifact]: ...

    @abstractmethod
    def close(self) -> None:
        """Release the store (file locks, handles)."""

    # --- built on the above -----------------------------------------------------------------

    def add_profile(self, name: str, role: Role | str) -> Profile:
        return self.save_profile(Profile(name=name.strip(), role=Role(role)))

    def add_relationship(self, profile: Profile, other_name: str) -> Relationship:
        other = other_name.strip()
        mentee, mentor = (profile.name, other) if profile.role == Role.mentee else (other, profile.name)
        return self.save_relationship(
            Relationship(profile_id=profile.id, other_name=other, mentee_name=mentee, mentor_name=mentor)
        )

    def stage_flows(self) -> list[tuple[str, str]]:
        """(flow id, title) of every stage flow installed, in the order of the six stages."""
        order = {s: i for i, s in enumerate(STAGES)}
        flows = sorted(self.library.stages(), key=lambda f: (order.get(f.stage, len(order)), f.id))
        return [(f.id, f.title) for f in flows]

    def stage_statuses(self, relationship_id: str) -> list[StageStatus]:
        sessions = self.sessions(relationship_id)
        out = []
        for flow_id, title in self.stage_flows():
            mine = [s for s in sessions if s.flow_id == flow_id]
            open_ = [s for s in mine if s.status != ConversationStatus.done]
            state: StageState = "in progress" if open_ else "done" if mine else "not started"
            last = max((s.updated_at for s in mine), default=None)
            resume = max(open_, key=lambda s: s.updated_at).id if open_ else None
            out.append(StageStatus(flow_id, title, state, _local_date(last) if last else None, resume))
        return out

    def home_view(
        self, profile_id: str | None = None, relationship_id: str | None = None, role: Role | str | None = None
    ) -> HomeView:
        """The profiles, and for the chosen profile (default: the first, of `role` if given) and
        relationship (default: its newest), the stages and open commitments."""
        profiles = self.profiles()
        profile = next((p for p in profiles if p.id == profile_id), None)
        if profile is None and role is not None:
            profile = next((p for p in profiles if p.role == Role(role)), None)
        if profile is None and profiles:
            profile = profiles[0]
        relationships = self.relationships(profile.id) if profile else []
        relationship = next((r for r in relationships if r.id == relationship_id), None)
        if relationship is None and relationships:
            relationship = relationships[-1]
        stages = self.stage_statuses(relationship.id) if relationship else []
        commitments = self.open_commitments(relationship.id) if relationship else []
        return HomeView(profiles, profile, relationships, relationship, stages, commitments)

    def open_commitments(self, relationship_id: str) -> list[Commitment]:
        return [c for c in self.commitments(relationship_id) if c.status in OPEN_COMMITMENTS]

    def context(self, profile: Profile, relationship: Relationship) -> dict[str, str]:
        return {
            "name": profile.name,
            "other_name": relationship.other_name,
            "mentee_name": relationship.mentee_name,
            "mentor_name": relationship.mentor_name,
        }

    def open_stage(self, profile: Profile, relationship: Relationship, flow_id: str) -> Started:
        """Resume the latest unfinished session of `flow_id` for this relationship, or start one."""
        state = self.latest_open(relationship.id, flow_id)
        if state is not None:
            conv = self.engine.resume(state)
            return Started(conv, conv.current(), resumed=True)
        conv, turn = self.engine.start(
            flow_id,
            profile.role,
            relationship_id=relationship.id,
            context=self.context(profile, relationship),
            conversation_id=self._new_id() if self._new_id else None,
        )
        return Started(conv, turn, resumed=False)

    def latest_open(self, relationship_id: str, flow_id: str) -> ConversationState | None:
        open_ = [
            s for s in self.sessions(relationship_id)
            if s.flow_id == flow_id and s.status != ConversationStatus.done
        ]
        return max(open_, key=lambda s: s.updated_at, default=None)

    def session_artifacts(self, relationship_id: str, session_id: str) -> list[Artifact]:
        return [a for a in self.artifacts(relationship_id) if a.session_id == session_id]

    def export_markdown(self, name: str, markdown: str) -> Path:
        """Write `markdown` to a new file `<date>-<name>.md` in the export folder; returns its path."""
        stem = f"{self.today().isoformat()}-{_slug(name)}"
        path, n = self.export_dir / f"{stem}.md", 2
        while path.exists():
            path, n = self.export_dir / f"{stem}-{n}.md", n + 1
        text = markdown if markdown.endswith("\n") else markdown + "\n"
        return _write_atomic(path, text.encode("utf-8"))

    def export_calendar(self, artifact: Artifact, other_name: str) -> Path | None:
        """The recurring meeting of an agreement as an .ics file (as `coach export --format ics`
        writes it), or None if the artifact sets up no meeting."""
        from coach.export import CalendarDataError, has_meeting, meeting_calendar

        if not has_meeting(artifact):
            return None
        try:
            content = meeting_calendar(artifact, with_name=other_name)
        except CalendarDataError:
            return None
        stem = f"{self.today().isoformat()}-{_slug(artifact.stage)}-{_slug(artifact.kind)}"
        return _write_atomic(self.export_dir / f"{stem}.ics", content)

    def export_documents(self, artifacts: list[Artifact], other_name: str) -> list[Path]:
        """Each document as Markdown (the same document `coach export` writes), plus a calendar
        file for an agreement's meeting. Returns the paths written."""
        from coach.export import markdown_document

        paths = [self.export_markdown(f"{a.stage}-{a.kind}", markdown_document(a)) for a in artifacts]
        calendars = (self.export_calendar(a, other_name) for a in artifacts)
        return paths + [p for p in calendars if p is not None]


def _write_atomic(target: Path, content: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(content)
    tmp.replace(target)
    return target


class MemoryBackend(Backend):
    """Everything in memory: tests, demos, benchmarks."""

    def __init__(
        self,
        library: FlowLibrary,
        *,
        export_dir: Path,
        today: Callable[[], date] = date.today,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self.store = MemoryStore()
        self._profiles: dict[str, Profile] = {}
        self._relationships: dict[str, Relationship] = {}
        super().__init__(library, self.store, export_dir=export_dir, today=today, new_id=new_id)

    def profiles(self) -> list[Profile]:
        return sorted(self._profiles.values(), key=lambda p: p.created_at)

    def save_profile(self, profile: Profile) -> Profile:
        self._profiles[profile.id] = profile
        return profile

    def relationships(self, profile_id: str) -> list[Relationship]:
        rels = (r for r in self._relationships.values() if r.profile_id == profile_id)
        return sorted(rels, key=lambda r: r.created_at)

    def save_relationship(self, relationship: Relationship) -> Relationship:
        self._relationships[relationship.id] = relationship
        return relationship

    def sessions(self, relationship_id: str) -> list[ConversationState]:
        return _of(self.store.conversations.values(), relationship_id, lambda s: s.started_at)

    def commitments(self, relationship_id: str) -> list[Commitment]:
        return _of(self.store.commitments.values(), relationship_id, lambda c: c.created_at)

    def artifacts(self, relationship_id: str) -> list[Artifact]:
        return _of(self.store.artifacts.values(), relationship_id, lambda a: a.created_at)

    def close(self) -> None:
        """Nothing to release."""


_T = TypeVar("_T", ConversationState, Commitment, Artifact)


def _of(
    items: Iterable[_T], relationship_id: str, key: Callable[[_T], datetime]
) -> list[_T]:
    return sorted((i.model_copy(deep=True) for i in items if i.relationship_id == relationship_id), key=key)


class StoreBackend(Backend):
    """The durable store in a data directory (coach.store)."""

    def __init__(
        self,
        library: FlowLibrary,
        store: Store,
        *,
        export_dir: Path | None = None,
        today: Callable[[], date] = date.today,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self.store = store
        super().__init__(
            library, store, export_dir=export_dir or store.data_dir / "exports", today=today, new_id=new_id
        )

    def profiles(self) -> list[Profile]:
        return self.store.profiles.list()

    def save_profile(self, profile: Profile) -> Profile:
        return self.store.profiles.add(profile)

    def relationships(self, profile_id: str) -> list[Relationship]:
        return self.store.relationships.list_for_profile(profile_id)

    def save_relationship(self, relationship: Relationship) -> Relationship:
        return self.store.relationships.add(relationship)

    def sessions(self, relationship_id: str) -> list[ConversationState]:
        return self.store.sessions.list_for_relationship(relationship_id)

    def commitments(self, relationship_id: str) -> list[Commitment]:
        return self.store.commitments.list_for_relationship(relationship_id)

    def open_commitments(self, relationship_id: str) -> list[Commitment]:
        return self.store.commitments.list_open(relationship_id)

    def artifacts(self, relationship_id: str) -> list[Artifact]:
        return self.store.artifacts.list_for_relationship(relationship_id)

    def latest_open(self, relationship_id: str, flow_id: str) -> ConversationState | None:
        return self.store.sessions.latest_in_progress(relationship_id, flow_id)

    def close(self) -> None:
        self.store.close()
