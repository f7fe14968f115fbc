"""Format versions: data written in formats 1 and 2 is upgraded on open, with a backup of the originals."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.models import CommitmentStatus, ConversationStatus, RelationshipStatus
from coach.store import CURRENT_SCHEMA_VERSION, CorruptDataError, Store, migrations, storage

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def v1_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "v1", target)
    return target


@pytest.fixture
def v2_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "v2", target)
    return target


def _files(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_old_version_has_a_migration() -> None:
    assert CURRENT_SCHEMA_VERSION == 3
    assert set(migrations.MIGRATIONS) == set(range(1, CURRENT_SCHEMA_VERSION))


def test_v2_data_is_migrated_on_open(v2_dir: Path) -> None:
    originals = _files(v2_dir)
    with Store(v2_dir) as store:
        assert store.migrated_from == 2
        assert store.backup_dir is not None
        assert _files(store.backup_dir) == originals  # every file, byte for byte
        assert store.verify() == []
        assert not list((v2_dir / "sessions").glob("*.journal"))  # the format-2 journals are gone

        (ana,) = store.list_profiles()
        assert ana.name == "Ana Lima"
        (sam,) = store.list_relationships(ana.id)
        assert sam.other_name == "Sam Okafor"

        summaries = {s.id: (s.status, s.pending) for s in store.summaries(sam.id)}
        assert summaries == {
            "s-fit": (ConversationStatus.done, None),
            "s-commit": (ConversationStatus.done, None),
            "s-feedback": (ConversationStatus.active, None),  # was paused
            "s-empower": (ConversationStatus.active, None),
        }

        feedback_loaded = loaded = store.load_conversation("s-feedback")
        assert loaded is not None
        feedback, inputs = loaded
        assert (feedback.flow_id, feedback.flow_hash, feedback.migrated_from) == ("feedback", "4fa8fb62064f961e", 2)
        assert feedback.context["other_name"] == "Sam Okafor"
        reviewed = [c.id for c in feedback.review]
        assert len(reviewed) == 4
        assert [(e.kind, e.text, e.prompt) for e in inputs] == [
            ("answer", "done", f"@review/{reviewed[0]}"),
            ("answer", "partly", f"@review/{reviewed[1]}"),
            ("answer", "we moved the first meeting", f"@reason/{reviewed[1]}"),
            ("command", "skip", f"@review/{reviewed[2]}"),
            ("command", "skip", f"@review/{reviewed[3]}"),
            ("answer", "The mock interview in October showed me exactly where I ramble", "*.ask_working"),
            ("answer", inputs[6].text, "*.ask_not_working"),
            ("answer", inputs[7].text, "*.ask_need_more"),
        ]
        assert inputs[6].text.startswith("We spend the first half hour")
        assert [e.seq for e in inputs] == list(range(1, 9))
        assert inputs[5].at == datetime(2026, 12, 1, 19, 33, 37, 360694, tzinfo=UTC)
        assert all(e.today == e.at.date() for e in inputs)
        touched = store.last_activity("s-feedback")  # when it last changed, not when it was migrated
        assert touched is not None and inputs[-1].at <= touched < inputs[-1].at + timedelta(minutes=1)

        loaded = store.load_conversation("s-empower")
        assert loaded is not None
        empower, inputs = loaded
        assert empower.review == [] and empower.migrated_from == 2
        assert [(e.kind, e.text, e.prompt) for e in inputs] == [("answer", "get better at stuff", "*.ask_goal")]

        loaded = store.load_conversation("s-fit")
        assert loaded is not None
        fit = loaded[1]
        goal = "Present our team roadmap to the leadership group by March 2027"
        assert (fit[0].text, fit[0].prompt) == (goal, "*.ask_goal")
        assert ("command", "skip", "*.ask_other_hours") in [(e.kind, e.text, e.prompt) for e in fit]
        assert [(e.text, e.prompt) for e in fit[-1:]] == [("yes", "*.summary")]  # the confirmed summary
        assert len(fit) == 13

        loaded = store.load_conversation("s-commit")
        assert loaded is not None
        assert [(e.text, e.prompt) for e in loaded[1][-1:]] == [("yes", "*.summary")]
        assert len(loaded[1]) == 16

        commitments = {c.text: c.status for c in store.list_commitments(sam.id)}
        assert commitments == {
            "Send an agenda two days before each meeting": CommitmentStatus.done,
            "Email a short progress update after each meeting": CommitmentStatus.partly,
            "Give honest feedback on my plans": CommitmentStatus.open,
            "Introduce me to one other engineering manager": CommitmentStatus.open,
        }
        v2_relationship = json.loads((FIXTURES / "v2" / "relationships" / "r-sam.json").read_text())
        for name, records in (
            ("commitments", store.list_commitments(sam.id)),
            ("artifacts", store.list_artifacts(sam.id)),
        ):
            kept = sorted(v2_relationship[name].values(), key=lambda d: d["id"])
            now = sorted((r.model_dump(mode="json") for r in records), key=lambda d: d["id"])
            # (fields added since then hold their defaults)
            assert [{k: d[k] for k in old} for d, old in zip(now, kept, strict=True)] == kept, name
        assert len(store.list_artifacts(sam.id)) == 3

    index = json.loads((v2_dir / "index.json").read_text())
    assert index["_meta"]["1"]["schema_version"] == CURRENT_SCHEMA_VERSION
    migrated = _files(v2_dir)
    with Store(v2_dir) as again:
        assert again.migrated_from is None and again.backup_dir is None  # nothing left to do
        assert again.load_conversation("s-feedback") == feedback_loaded
    assert _files(v2_dir) == migrated


def test_the_v2_fixture_is_in_format_2() -> None:
    """The fixture is what a format-2 coach wrote, paused sessions included (keeps the test above honest)."""
    tables = json.loads((FIXTURES / "v2" / "relationships" / "r-sam.json").read_text())
    assert tables["_meta"]["1"] == {"schema_version": 2, "kind": "relationship"}
    assert {d["status"] for d in tables["sessions"].values()} == {"done", "paused", "active"}


@pytest.mark.parametrize("crash_at", ["sessions/s-feedback.json", "relationships/r-sam.json", "index.json"])
def test_v2_migration_interrupted_is_rerun(v2_dir: Path, monkeypatch: pytest.MonkeyPatch, crash_at: str) -> None:
    real_write = storage.write_file

    def crash(path: Path, *args: object) -> None:
        if path == v2_dir / crash_at:
            raise KeyboardInterrupt  # stands in for a crash before that file was written
        real_write(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "write_file", crash)
    with pytest.raises(KeyboardInterrupt):
        Store(v2_dir)
    monkeypatch.undo()
    assert json.loads((v2_dir / "index.json").read_text())["_meta"]["1"]["schema_version"] == 2

    with Store(v2_dir) as store:
        assert store.migrated_from == 2
        assert store.verify() == []
        loaded = store.load_conversation("s-feedback")
        assert loaded is not None and len(loaded[1]) == 8
        assert [s.status for s in store.summaries("r-sam")].count(ConversationStatus.done) == 2
        assert len(list((v2_dir / "backups").iterdir())) == 2  # one backup per attempt, none lost


def test_v2_migration_interrupted_before_a_journal_is_removed(v2_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.store import migrate_v2

    def crash(path: Path) -> None:
        raise KeyboardInterrupt  # the first session is rewritten, its format-2 journal still there

    monkeypatch.setattr(migrate_v2, "remove_durably", crash)
    with pytest.raises(KeyboardInterrupt):
        Store(v2_dir)
    monkeypatch.undo()
    assert json.loads((v2_dir / "sessions" / "s-commit.json").read_text())["_meta"]["1"]["schema_version"] == 3
    assert (v2_dir / "sessions" / "s-commit.journal").exists()

    with Store(v2_dir) as store:
        assert store.verify() == []
        loaded = store.load_conversation("s-commit")
        assert loaded is not None and len(loaded[1]) == 16
        assert not (v2_dir / "sessions" / "s-commit.journal").exists()


def test_damaged_v2_session_stops_the_migration(v2_dir: Path) -> None:
    journal = v2_dir / "sessions" / "s-empower.journal"
    broken = journal.read_bytes().replace(b'"seq": 2', b'"seq": "two"', 1).replace(b'"seq":2', b'"seq":"two"', 1)
    assert broken != journal.read_bytes()
    journal.write_bytes(broken)
    with pytest.raises(CorruptDataError) as caught:
        Store(v2_dir)
    assert str(journal) in str(caught.value) and "\n" not in str(caught.value)
    assert journal.read_bytes() == broken
    assert json.loads((v2_dir / "index.json").read_text())["_meta"]["1"]["schema_version"] == 2


def test_v1_data_is_migrated_on_open(v1_dir: Path) -> None:
    original = (v1_dir / "coach.json").read_bytes()
    with Store(v1_dir) as store:
        assert store.migrated_from == 1
        assert store.backup_dir is not None
        assert (store.backup_dir / "coach.json").read_bytes() == original
        assert not (v1_dir / "coach.json").exists()
        assert store.verify() == []

        (ana,) = store.list_profiles()
        assert ana.name == "Ana Lima"
        (relationship,) = store.list_relationships(ana.id)
        assert relationship.status is RelationshipStatus.active

        loaded = store.load_conversation("s-fit")
        assert loaded is not None
        fit, _ = loaded
        assert (fit.flow_id, fit.flow_hash, fit.relationship_id, fit.migrated_from) == (
            "fit_check",
            "abc123",
            relationship.id,
            2,
        )
        assert [(s.id, s.status) for s in store.summaries(relationship.id)] == [("s-fit", ConversationStatus.done)]
        assert [(s.id, s.status) for s in store.summaries(None)] == [("s-solo", ConversationStatus.active)]

        statuses = {c.id: c.status for c in store.list_commitments(relationship.id)}
        assert statuses == {"c-read": CommitmentStatus.done, "c-intro": CommitmentStatus.open}
        assert [c.id for c in store.commitments.list_open(relationship.id)] == ["c-intro"]
        assert [a.title for a in store.artifacts.list_for_session("s-fit", relationship_id=relationship.id)] == [
            "Mentoring agreement"
        ]

    index = json.loads((v1_dir / "index.json").read_text())
    assert index["_meta"]["1"]["schema_version"] == CURRENT_SCHEMA_VERSION
    with Store(v1_dir) as again:
        assert again.migrated_from is None  # nothing left to do
        assert again.load_conversation("s-fit") == loaded


def test_v1_migration_interrupted_before_the_index_is_rerun(v1_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = storage.write_file

    def crash_on_index(path: Path, *args: object) -> None:
        if path.name == "index.json":
            raise KeyboardInterrupt  # stands in for a crash after the session files were written
        real_write(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "write_file", crash_on_index)
    with pytest.raises(KeyboardInterrupt):
        Store(v1_dir)
    monkeypatch.undo()
    assert (v1_dir / "coach.json").exists() and not (v1_dir / "index.json").exists()

    with Store(v1_dir) as store:
        assert store.migrated_from == 1
        assert store.verify() == []
        assert store.load_conversation("s-fit") is not None
        assert len(list((v1_dir / "backups").iterdir())) == 2  # one backup per attempt, none lost


def test_v1_record_that_cannot_be_upgraded_is_reported(v1_dir: Path) -> None:
    legacy = v1_dir / "coach.json"
    data = json.loads(legacy.read_text())
    data["commitments"]["1"]["owner"] = "the cat"
    original = json.dumps(data).encode()
    legacy.write_bytes(original)
    with pytest.raises(CorruptDataError) as caught:
        Store(v1_dir)
    assert "commitments" in str(caught.value) and str(legacy) in str(caught.value)
    assert legacy.read_bytes() == original
    assert not (v1_dir / "index.json").exists()


def test_empty_directory_starts_at_the_current_version(data_dir: Path) -> None:
    with Store(data_dir) as store:
        assert store.migrated_from is None and store.backup_dir is None
    index = json.loads((data_dir / "index.json").read_text())
    assert index["_meta"]["1"] == {"schema_version": CURRENT_SCHEMA_VERSION, "kind": "index"}
