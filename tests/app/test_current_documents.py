"""`coach export` writes a relationship's documents as they stand; `--all` adds earlier runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coach.app.documents import current_documents, export_groups
from coach.app.memory import MemoryRepository
from coach.models import Artifact, ConversationStatus, Profile, Relationship, Role, SessionSummary

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _repo() -> tuple[MemoryRepository, str]:
    repo = MemoryRepository()
    ana = repo.save_profile(Profile(name="Ana", role=Role.mentee))
    rel = repo.save_relationship(Relationship(profile_id=ana.id, other_name="Sam", mentee_name="Ana",
                                              mentor_name="Sam"))
    runs = [("old", "fit_check", ConversationStatus.done, 0), ("new", "fit_check", ConversationStatus.done, 1),
            ("going", "feedback", ConversationStatus.active, 2)]
    for sid, flow, status, day in runs:
        at = T0 + timedelta(days=day)
        repo.summaries_by_id[sid] = SessionSummary(id=sid, flow_id=flow, relationship_id=rel.id, role=Role.mentee,
                                                   status=status, started_at=at,
                                                   finished_at=at if status == ConversationStatus.done else None)
        repo.artifacts[f"a-{sid}"] = Artifact(id=f"a-{sid}", relationship_id=rel.id, session_id=sid, stage=flow,
                                              kind="report", title=sid, markdown=f"# {sid}", created_at=at)
    repo.artifacts["joint"] = Artifact(id="joint", relationship_id=rel.id, session_id=None, stage="commitment",
                                       kind="joint_agreement", title="joint", markdown="# joint", created_at=T0)
    return repo, rel.id


def test_current_documents_are_the_newest_run_of_each_stage_the_runs_in_progress_and_the_joint_ones() -> None:
    repo, rel = _repo()
    assert sorted(a.id for a in current_documents(repo, rel)) == ["a-going", "a-new", "joint"]


def test_export_writes_the_current_documents_unless_asked_for_the_whole_history() -> None:
    repo, _ = _repo()
    (group,) = export_groups(repo, None)
    assert sorted(a.id for a in group.artifacts) == ["a-going", "a-new", "joint"]
    (everything,) = export_groups(repo, None, history=True)
    assert sorted(a.id for a in everything.artifacts) == ["a-going", "a-new", "a-old", "joint"]
