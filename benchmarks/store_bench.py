"""What storing a real conversation costs, against the disk's floor and SQLite, measured in the same run.

    python benchmarks/store_bench.py [--stages 120] [--dir DIR]

Plays `--stages` scripted mentee stages (tests/conversations: happy paths, /back and follow-ups,
messy answers; the review of earlier commitments answered too) through `CoachService.answer` on
the durable store in one relationship, as benchmarks/history.py does, recording for every input
the time `answer` took (the engine's turn plus the input stored with fdatasync before it
returns), the bytes the process handed to write() (/proc/self/io wchar: journals, compactions,
history files), and the records it stored: the input as JSON, and when it had effects, the
documents, commitments and summary it upserted.

The same records, in the same order, are then written two other ways in the same folder:

- the fsync floor: each input's records appended as lines to one file and fdatasync'd: what any
  durable store has to pay at least;
- SQLite in WAL mode with synchronous=FULL (durable at commit): one transaction per input that
  inserts the input row and upserts the records by id.

It prints per-input time (median, p95) and bytes for the three, with ratios, the store's time
split into inputs with and without effects, how the cost moves along the history (first vs last
quarter), and the load average. The engine's own time is inside coach's figure (it is the whole
answer); the engine-only time (replaying the same inputs without storing) is printed next to it.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import history  # noqa: E402

from coach.app.memory import MemoryRepository  # noqa: E402
from coach.app.service import CoachService  # noqa: E402
from coach.content.library import FlowLibrary  # noqa: E402
from coach.store import Store  # noqa: E402
from coach.store.durable import flush_file  # noqa: E402


def wchar() -> int:
    with open("/proc/self/io", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("wchar:"))


@dataclass
class Stored:
    """What one input stored: its own JSON, and the records its effects upsert (id, kind, JSON)."""

    conversation: str
    seq: int
    entry: str
    records: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Played:
    times: list[float] = field(default_factory=list)
    written: list[int] = field(default_factory=list)
    effects: list[bool] = field(default_factory=list)
    stored: list[Stored] = field(default_factory=list)


class Recording:
    """Plays the stages through a service, timing each answer and keeping what it stored."""

    def __init__(self, service: CoachService) -> None:
        self.service, self.played = service, Played()
        real = service.answer

        def answer(chat, text):  # type: ignore[no-untyped-def]
            before, start = wchar(), time.perf_counter()
            turn = real(chat, text)
            elapsed, wrote = time.perf_counter() - start, wchar() - before
            if turn.entry is not None:
                entry = turn.entry
                records = []
                if entry.effects is not None:
                    for kind, items in (("artifact", entry.effects.artifacts),
                                        ("commitment", [*entry.effects.commitments, *entry.effects.reviewed])):
                        records += [(item.id, kind, item.model_dump_json()) for item in items]
                if turn.done or records:
                    summary = json.dumps({"id": chat.id, "done": turn.done, "pending": None})
                    records.append((chat.id, "summary", summary))
                self.played.stored.append(Stored(chat.id, entry.seq, entry.model_dump_json(), records))
                self.played.times.append(elapsed)
                self.played.written.append(wrote)
                self.played.effects.append(bool(records))
            return turn

        service.answer = answer  # type: ignore[method-assign]


def play(library: FlowLibrary, service: CoachService, clock: history.Clock, stages: int) -> Played:
    recording = Recording(service)
    profile = service.add_profile(history.MENTEE, "mentee", timezone="Europe/London")
    relationship = service.add_relationship(profile, history.MENTOR)
    runs = history.scripts()
    for n in range(stages):
        history.play(service, clock, runs[n % len(runs)], profile, relationship, n)
        clock.moment += timedelta(hours=1)
    return recording.played


def floor(folder: Path, stored: list[Stored]) -> tuple[list[float], list[int]]:
    path = folder / "floor.jsonl"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    times, sizes = [], []
    try:
        for s in stored:
            data = (s.entry + "\n" + "".join(r[2] + "\n" for r in s.records)).encode()
            start = time.perf_counter()
            os.write(fd, data)
            flush_file(fd)
            times.append(time.perf_counter() - start)
            sizes.append(len(data))
    finally:
        os.close(fd)
    return times, sizes


def sqlite_wal(folder: Path, stored: list[Stored]) -> tuple[list[float], list[int]]:
    db = sqlite3.connect(folder / "coach.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE inputs (conversation TEXT, seq INTEGER, entry TEXT, PRIMARY KEY (conversation, seq))")
    db.execute("CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT, body TEXT)")
    times, sizes = [], []
    try:
        for s in stored:
            before, start = wchar(), time.perf_counter()
            db.execute("BEGIN")
            db.execute("INSERT INTO inputs VALUES (?, ?, ?)", (s.conversation, s.seq, s.entry))
            for rid, kind, body in s.records:
                db.execute("INSERT INTO records VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                           (rid, kind, body))
            db.execute("COMMIT")
            times.append(time.perf_counter() - start)
            sizes.append(wchar() - before)
    finally:
        db.close()
    return times, sizes


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def run(stages: int, folder: Path) -> None:
    library = FlowLibrary.load()
    clock = history.Clock()
    counter = iter(range(10**6))
    service = CoachService(library, Store(folder / "data"), today=clock.today, now=clock.now,
                           new_id=lambda: f"s{next(counter):05d}")
    played = play(library, service, clock, stages)
    service.close()
    # the engine alone: the same stages into memory (nothing written)
    clock2, counter2 = history.Clock(), iter(range(10**6))
    memory = CoachService(library, MemoryRepository(), today=clock2.today, now=clock2.now,
                          new_id=lambda: f"s{next(counter2):05d}")
    engine_only = play(library, memory, clock2, stages).times
    floor_t, floor_b = floor(folder, played.stored)
    lite_t, lite_b = sqlite_wal(folder, played.stored)

    n = len(played.times)
    print(f"{stages} stages played: {n} stored inputs, {sum(played.effects)} of them with effects "
          f"(documents, commitments, a stage's end)")
    print(f"{'per stored input':34} {'median':>9} {'p95':>9} {'bytes (mean)':>13}")
    rows = [("coach (CoachService.answer)", played.times, played.written),
            ("  engine only (no storing)", engine_only, None),
            ("fsync floor (same records)", floor_t, floor_b),
            ("SQLite WAL, synchronous=FULL", lite_t, lite_b)]
    for name, times, sizes in rows:
        size = f"{statistics.mean(sizes):13.0f}" if sizes else f"{'-':>13}"
        print(f"{name:34} {statistics.median(times) * 1e3:7.2f}ms {p95(times) * 1e3:7.2f}ms {size}")
    store_part = [max(0.0, a - b) for a, b in zip(played.times, engine_only, strict=False)]
    med = statistics.median
    mean = statistics.mean
    for name, times, sizes in (("fsync floor", floor_t, floor_b), ("SQLite WAL ", lite_t, lite_b)):
        print(f"coach / {name}: median {med(played.times) / med(times):.2f}x, "
              f"p95 {p95(played.times) / p95(times):.2f}x, bytes {mean(played.written) / mean(sizes):.2f}x")
    print(f"storing alone (coach minus engine only), median {med(store_part) * 1e3:.2f} ms: "
          f"{med(store_part) / med(floor_t):.2f}x the floor, {med(store_part) / med(lite_t):.2f}x SQLite")
    with_fx = [t for t, e in zip(played.times, played.effects, strict=True) if e]
    without = [t for t, e in zip(played.times, played.effects, strict=True) if not e]
    print(f"coach, inputs without effects: median {med(without) * 1e3:.2f} ms; "
          f"with effects: {med(with_fx) * 1e3:.2f} ms")
    q = max(1, n // 4)
    print(f"along the history: first quarter median {med(played.times[:q]) * 1e3:.2f} ms, "
          f"{statistics.mean(played.written[:q]):.0f} B; last quarter {med(played.times[-q:]) * 1e3:.2f} ms, "
          f"{statistics.mean(played.written[-q:]):.0f} B (ratio {med(played.times[-q:]) / med(played.times[:q]):.2f})")
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stages", type=int, default=120, help="stages to play (default 120)")
    parser.add_argument("--dir", type=Path, help="where to make the data folder (default: a temporary folder)")
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
        run(args.stages, Path(tempfile.mkdtemp(dir=args.dir)))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(args.stages, Path(tmp))


if __name__ == "__main__":
    main()
