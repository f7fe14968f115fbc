"""Profiles: who uses coach on this machine, with their name and role."""

from __future__ import annotations

from tinydb import Query

from coach.models import Profile
from coach.store.files import DataFiles

TABLE = "profiles"


class ProfileRepository:
    def __init__(self, files: DataFiles) -> None:
        self._files = files

    def add(self, profile: Profile) -> Profile:
        """Store ``profile`` (replacing any profile with the same id) and return it."""
        with self._files.transaction():
            table = self._files.index().table(TABLE)
            table.upsert(profile.model_dump(mode="json"), Query().id == profile.id)
        return profile

    def get(self, profile_id: str) -> Profile | None:
        document = self._files.index().table(TABLE).get(Query().id == profile_id)
        return Profile.model_validate(document) if isinstance(document, dict) else None

    def list(self) -> list[Profile]:
        """All profiles, oldest first."""
        profiles = [Profile.model_validate(d) for d in self._files.index().table(TABLE).all()]
        return sorted(profiles, key=lambda p: p.created_at)

    def find_by_name(self, name: str) -> Profile | None:
        """The oldest profile whose name matches ``name`` (ignoring case and outer spaces)."""
        wanted = name.strip().casefold()
        return next((p for p in self.list() if p.name.strip().casefold() == wanted), None)
