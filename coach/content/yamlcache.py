"""A cache of parsed YAML files, so that starting coach does not parse the same flows and texts again.

Reading YAML with positions (yamlsource) walks every parser event in Python: about 0.2 s for the
shipped flows and catalogs, on every start. A file parsed without any problem is kept here as JSON,
named by a hash of its bytes and of the reader's limits, and read back with `json.loads` the next
time the same bytes are read. Nothing else decides a hit: an edited file has another name, so a
stale entry can never be served; a file with problems is never kept (its errors are worded again).

Only plain data is kept (mappings with text keys, lists, text, numbers, true/false, null): a file
holding a date or binary is parsed every time. Each entry starts with a hash of the rest: a damaged, truncated or
foreign entry is a miss, never an error; a folder that cannot be written only costs the speed-up.

The folder is `$COACH_CACHE_DIR`, else the user's cache folder (platformdirs); `COACH_CACHE_DIR=off`
turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from coach.content.yamlsource import PathKey, YamlDoc

FORMAT: Final = 1  # bump when what is kept, or how yamlsource reads, changes
MAX_ENTRY_BYTES: Final = 8_000_000
KEEP: Final = 400  # entries kept; past it the oldest go when a new one is written
OFF: Final = frozenset({"off", "0", "no", "false"})

_dir_checked: dict[str, Path | None] = {}


def folder() -> Path | None:
    """Where entries go, or None when the cache is off."""
    setting = os.environ.get("COACH_CACHE_DIR", "")
    if setting.strip().casefold() in OFF:
        return None
    if setting in _dir_checked:
        return _dir_checked[setting]
    if setting:
        path: Path | None = Path(setting)
    else:
        import platformdirs

        path = Path(platformdirs.user_cache_dir("coach", appauthor=False)) / "yaml"
    _dir_checked[setting] = path
    return path


def key(data: bytes, limits: tuple[float, ...]) -> str:
    digest = hashlib.sha256(data)
    digest.update(repr((FORMAT, limits)).encode())
    return digest.hexdigest()


def load(name: str, file: str) -> YamlDoc | None:
    """The document kept under `name`, shown as `file` in messages; None on any miss."""
    base = folder()
    if base is None:
        return None
    try:
        with (base / f"{name}.json").open("rb") as f:
            raw = f.read(MAX_ENTRY_BYTES + 1)
        seal, _, body = raw.partition(b"\n")
        if len(raw) > MAX_ENTRY_BYTES or seal != hashlib.sha256(body).hexdigest().encode():
            return None  # damaged, cut short or not ours
        return _doc(json.loads(body), file)
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None


def save(name: str, doc: YamlDoc) -> None:
    """Keep `doc` under `name` if it is plain data; silently nothing if it cannot be written."""
    base = folder()
    if base is None or not _plain(doc.data):
        return
    entry = {"format": FORMAT, "data": doc.data,
             "marks": [[*path, *loc] for path, loc in doc.marks.items()],
             "key_marks": [[*path, *loc] for path, loc in doc.key_marks.items()]}
    try:
        body = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    except (ValueError, TypeError, RecursionError):
        return
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=base, prefix=".new-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
            os.replace(tmp, base / f"{name}.json")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(base)
    except OSError:
        return


def _prune(base: Path) -> None:
    entries = [p for p in base.iterdir() if p.suffix == ".json" and not p.name.startswith(".")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - KEEP]:
        with contextlib.suppress(OSError):
            old.unlink()


def _plain(value: Any) -> bool:
    """Whether `value` is data JSON keeps exactly (no recursion: a deep file cannot reach the limit)."""
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, dict):
            if not all(isinstance(k, str) for k in v):
                return False
            todo.extend(v.values())
        elif isinstance(v, list):
            todo.extend(v)
        elif not (v is None or isinstance(v, str | bool | int | float)):
            return False
    return True


def _marks(rows: list[list[Any]]) -> dict[PathKey, tuple[int, int]]:
    """Marks as `save` wrote them (the entry's seal matched: no type is checked again here)."""
    return {tuple(row[:-2]): (row[-2], row[-1]) for row in rows}


def _doc(entry: Any, file: str) -> YamlDoc | None:
    from coach.content.yamlsource import YamlDoc

    if not isinstance(entry, dict) or entry.get("format") != FORMAT or "data" not in entry:
        return None
    return YamlDoc(file=file, data=entry["data"], marks=_marks(entry["marks"]), key_marks=_marks(entry["key_marks"]))
