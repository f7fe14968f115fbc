"""Format versions: data written in format 1 is upgraded on open, with a backup of the originals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coach.models import CommitmentStatus, ConversationStatus, RelationshipStatus
from coach.store import CURRENT_SCHEMA_VERSION, CorruptDataError, Store, migrations

V1_FIXTURE = Path(__file__).parent / "fixtures" / "v1"


@pytest.fixture
def v1_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(V1_FIXTURE, target)
    return target


def test_every_old_version_has_a_migration() -> None:
    assert set(migrations.MIGRATIONS) == set(range(1, CURRENT_SCHEMA_VERSION))


def test_v1_data_is_migrated_on_open(v1_dir: Path) -> None:
    original = (v1_dir / "coach.json").read_bytes()
    with Store(v1_dir) as store:
        assert store.migrated_from == 1
        assert store.backup_dir is not None
        assert (store.backup_dir / "coach.json").read_bytes() == original
        assert not (v1_dir / "coach.json").exists()
        assert store.verify() == []

        (ana,) = store.profiles.list()
        assert ana.name == "Ana Lima"
        (relationship,) = store.relationships.list_for_profile(ana.id)
        assert relationship.status is RelationshipStatus.active

        fit = store.load_conversation("s-fit")
        assert fit is not None and fit.status is ConversationStatus.done
        assert fit.answers["goal"].raw == "I want to lead a small team within a year"
        assert fit.answers["goal"].slot == "goal"
        assert fit.answers["worries"].skipped and fit.answers["worries"].raw == ""
        assert fit.answers["goal"].at == fit.updated_at
        assert [s.id for s in store.sessions.list_for_relationship(relationship.id)] == ["s-fit"]

        solo = store.sessions.latest_in_progress(None, "gratitude")
        assert solo is not None and solo.id == "s-solo"
        assert solo.answers["who"].text == "My first manager"

        statuses = {c.id: c.status for c in store.commitments.list_for_relationship(relationship.id)}
        assert statuses == {"c-read": CommitmentStatus.done, "c-intro": CommitmentStatus.open}
        assert [c.id for c in store.commitments.list_open(relationship.id)] == ["c-intro"]
        assert [a.title for a in store.artifacts.list_for_session("s-fit")] == ["Mentoring agreement"]

    index = json.loads((v1_dir / "index.json").read_text())
    assert index["_meta"]["1"]["schema_version"] == CURRENT_SCHEMA_VERSION
    with Store(v1_dir) as again:
        assert again.migrated_from is None  # nothing left to do
        assert again.load_conversation("s-fit") == fit


def test_migration_interrupted_before_the_index_is_rerun(v1_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = migrations.write_file

    def crash_on_index(path: Path, *args: object) -> None:
        if path.name == "index.json":
            raise KeyboardInterrupt  # stands in for a crash after the session files were written
        real_write(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(migrations, "write_file", crash_on_index)
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
