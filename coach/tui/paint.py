"""The home screen's first frame, filled before the service is loaded.

Loading the service (pydantic's models, the flows, the store) takes longer than Textual's whole
start, so a launch would show "Loading..." first. Instead, each time the home screen shows the
view it opens on, that look (coach.tui.look) is kept in the data folder, in `.home-look.json`,
with a key made of everything it was made from:

- every data file's identity (name, size, times, inode): any write, by this process or another,
  a crash left pending, a file set aside, changes it;
- the flows and texts it was worded from (the shipped ones and `--flows`), and coach's version;
- the language and the role asked for, and the clock's offset from UTC (days are local).

The next launch draws the kept look only if the key it computes is the same, so the first frame
is what the service would show; the service's own view replaces it once loaded (it is the same
unless something changed in between), and keys pressed before then wait for it. The one part of
the look that depends on the day, the offer to prepare a meeting that is near, is drawn only on
the day it was kept: on another day the first frame leaves it out and the service's view brings
it. A missing, damaged or stale file is no error: the screen waits for the service, as without
it. An empty data folder needs no file: it opens on the first-run screen.

Standard library only (and coach.places): it runs on the UI thread before the first frame.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from coach import __version__
from coach.places import data_root
from coach.tui.look import HomeLook

FILE = ".home-look.json"
FORMAT = 1
LOCKS = frozenset({"coach.lock", "participant.lock"})  # taken and let go by every writer: not data
MAX_FILES = 20_000  # a folder with more is not walked before the first frame
MAX_BYTES = 4_000_000


class TooMany(Exception):
    pass


@dataclass(frozen=True)
class Painted:
    """A kept look, and the dates it writes out as its locale writes them (so that the first frame
    needs no Babel: its locale data alone takes longer to load than the frame to draw)."""

    look: HomeLook
    days: Mapping[date, str] = field(default_factory=dict)


class HomePaint:
    """The kept look of the home screen in `data_dir` (as `--data-dir` gives it), for a launch in
    `locale` with `role` asked for and the flows of `flow_dirs`."""

    def __init__(self, data_dir: Path, *, locale: str, role: str | None = None,
                 flow_dirs: Sequence[Path] = ()) -> None:
        self.data_dir = data_dir
        self.locale = locale
        self.role = role
        self.flow_dirs = list(flow_dirs)
        self._saved: tuple[str, date] | None = None  # the key and day of what this process last wrote

    @property
    def root(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def file(self) -> Path:
        return self.root / FILE

    def key(self) -> str | None:
        """What a look is valid for now (None: the folder cannot be read, or is too big to walk)."""
        try:
            root = self.root
            head = json.dumps([FORMAT, __version__, self.locale, self.role, time.strftime("%z"), str(root)])
            lines = [head, *sorted(_identities(root, depth=1, skip=True)), "", *sorted(self._flow_files())]
        except (OSError, RuntimeError, TooMany):
            return None
        return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()

    def _flow_files(self) -> Iterator[str]:
        roots = [data_root("flows"), data_root("prompts")]
        for d in self.flow_dirs:
            roots += [d, d / "prompts", d.parent / "prompts"] if d.is_dir() else [d]
        for root in roots:
            yield f"{root}/"
            if root.is_file():
                yield _identity(str(root), root.stat())
            elif root.is_dir():
                yield from _identities(root, depth=4 if root.name == "prompts" else 0, skip=False)

    def read(self, today: date | None = None) -> Painted | None:
        """The look to draw first: the kept one if its key is today's, the first-run look for an
        empty (or not yet made) data folder, else None."""
        try:
            if _empty(self.root):
                return Painted(HomeLook())
            raw = _read_regular(self.file, MAX_BYTES + 1)
        except (OSError, RuntimeError):
            return None
        if raw is None:
            return None
        if len(raw) > MAX_BYTES:
            return None
        try:
            kept = json.loads(raw)
            if not isinstance(kept, dict) or kept.get("format") != FORMAT:
                return None
            if kept.get("key") != self.key():
                return None
            look = HomeLook.from_json(kept.get("look"))
            if kept.get("day") != (today or date.today()).isoformat():
                look = dataclasses.replace(look, prepare=None)  # "a meeting is near" was that day's
            days = kept.get("days")
            if not isinstance(days, dict) or not all(isinstance(v, str) for v in days.values()):
                return None
            return Painted(look, {date.fromisoformat(k): v for k, v in days.items()})
        except (ValueError, TypeError, RecursionError):
            return None

    def save(self, look: HomeLook, key: str | None, today: date, write_day: Callable[[date], str]) -> bool:
        """(Data thread.) Keep `look` (and its dates as `write_day` writes them), shown for data whose
        key was `key` before it was read, if the key is still that (nothing was written meanwhile);
        whether it was kept."""
        if key is None or (key, today) == self._saved or self.key() != key:
            return False
        days = {d.isoformat(): write_day(d) for d in look.dates()}
        data = json.dumps({"format": FORMAT, "key": key, "day": today.isoformat(), "look": look.to_json(),
                           "days": days}, ensure_ascii=False)
        path = self.file
        temporary = path.with_name(f"{FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp")  # as the store's
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
            os.replace(temporary, path)  # no fsync: losing it only costs the next launch its head start
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()
            return False
        self._saved = (key, today)
        return True


NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _read_regular(path: Path, limit: int) -> bytes | None:
    """Up to `limit` bytes of `path` if it is a regular file (not a link, a pipe, a device: none
    of those may stall the first frame), else None."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | NOFOLLOW)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb") as f:
            fd = -1
            return f.read(limit)
    finally:
        if fd >= 0:
            os.close(fd)


def _identity(name: str, st: os.stat_result) -> str:
    return f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"


def _identities(folder: Path, *, depth: int, skip: bool, prefix: str = "") -> Iterator[str]:
    """The identity of every file in `folder` and, `depth` levels down, its subfolders (with
    `skip`: not the dot files, this module's own and temporary ones, nor the locks)."""
    count = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if skip and (entry.name.startswith(".") or entry.name in LOCKS):
                continue
            count += 1
            if count > MAX_FILES:
                raise TooMany
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                yield name + "/"
                if depth > 0:
                    yield from _identities(Path(entry.path), depth=depth - 1, skip=skip, prefix=name + "/")
            else:
                yield _identity(name, entry.stat(follow_symlinks=False))


def _empty(root: Path) -> bool:
    """No data folder yet, or one with no file in it or in its folders (a new one: nothing to read)."""
    if not root.exists():
        return True
    if not root.is_dir():
        return False
    with os.scandir(root) as entries:
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                return False
            with os.scandir(entry.path) as inner:
                if any(True for _ in inner):
                    return False
    return True
