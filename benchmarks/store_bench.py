"""Durable write cost per answer vs. history size: coach's store and plain TinyDB, same run.

    python benchmarks/store_bench.py [--quick] [--dir DIR]

For 100, 10k and 100k stored answers it prefills a data directory (directly, without fsync, for
speed), then times single-answer writes: ``Store.save_conversation`` after adding one answer
(temp file + fdatasync + rename + directory fsync, under the file lock) and, for comparison,
``TinyDB(path).table("answers").insert(answer)`` with TinyDB's default JSONStorage (whole file
rewritten in place, no fsync).  It also measures the fsync floor of the disk it runs on.
Prefilled history: sessions of 20 answers, 10 sessions per relationship; it is flushed to disk
(os.sync) before timing starts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coach.models import Answer, ConversationState, Event, Frame, Relationship, Role  # noqa: E402
from coach.store import Store  # noqa: E402
from coach.store.layout import Layout  # noqa: E402
from coach.store.schema import INDEX, RELATIONSHIP, SESSION, SessionSummary  # noqa: E402

LEVELS = (100, 10_000, 100_000)
ANSWERS_PER_SESSION = 20
SESSIONS_PER_RELATIONSHIP = 10
LIVE_SESSIONS = 20
ANSWER_TEXT = "I would like to get better at giving feedback to my peers without sounding harsh. " * 2


# --- measuring --------------------------------------------------------------------------------


def summarise(samples: list[float]) -> tuple[float, float]:
    """Median and p90 in milliseconds."""
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1e3, p90 * 1e3


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


# --- prefilling coach's store directly (no fsync) -----------------------------------------------


def session_document(session_id: str, relationship_id: str, answers: int) -> dict[str, Any]:
    state = ConversationState(
        id=session_id,
        flow_id="feedback",
        flow_hash="0123456789abcdef",
        role=Role.mentee,
        relationship_id=relationship_id,
        stack=[Frame(flow_id="feedback", step=f"q{answers}")],
    )
    for n in range(answers):
        slot = f"q{n}"
        state.answers[slot] = Answer(slot=slot, raw=ANSWER_TEXT, value=ANSWER_TEXT)
        state.slots[slot] = ANSWER_TEXT
        state.visited.append(slot)
        state.events.append(Event(kind="answer", step=slot))
    return state.model_dump(mode="json")


def write_plain(path: Path, tables: dict[str, Any], meta: dict[str, Any]) -> None:
    content = {"_meta": {"1": meta}, **tables}
    path.write_text(json.dumps(content, separators=(",", ":")), encoding="utf-8")
    path.chmod(0o600)


def prefill_store(directory: Path, answers: int) -> None:
    layout = Layout(directory)
    for sub in layout.data_dirs():
        sub.mkdir(mode=0o700, parents=True, exist_ok=True)
    template = json.dumps(session_document("SESSION", "RELATIONSHIP", ANSWERS_PER_SESSION))
    sessions = max(1, answers // ANSWERS_PER_SESSION)
    relationships: list[dict[str, Any]] = []
    for r in range(0, sessions, SESSIONS_PER_RELATIONSHIP):
        relationship = Relationship(
            id=f"rel{r:06d}", profile_id="me", other_name="Bo", mentee_name="Ana", mentor_name="Bo"
        )
        relationships.append(relationship.model_dump(mode="json"))
        summaries: dict[str, Any] = {}
        for s in range(r, min(sessions, r + SESSIONS_PER_RELATIONSHIP)):
            document = json.loads(template.replace("SESSION", f"ses{s:06d}").replace("RELATIONSHIP", relationship.id))
            write_plain(layout.session_file(document["id"]), {"conversation": {"1": document}}, SESSION.meta())
            summaries[str(len(summaries) + 1)] = SessionSummary.fields_of(document)
        write_plain(
            layout.relationship_file(relationship.id),
            {"sessions": summaries, "commitments": {}, "artifacts": {}},
            RELATIONSHIP.meta(),
        )
    index = {"profiles": {}, "relationships": {str(i + 1): r for i, r in enumerate(relationships)}}
    write_plain(layout.index_file, index, INDEX.meta())


def settle() -> None:
    """Write the prefilled history out, so timed fsyncs don't also flush megabytes of it."""
    os.sync()
    time.sleep(0.2)


class FsyncProbe:
    """One 4 KB overwrite + fdatasync of an existing file: the least a durable write costs."""

    def __init__(self, directory: Path) -> None:
        self.fd = os.open(directory / "fsync-probe", os.O_WRONLY | os.O_CREAT, 0o600)
        self.payload = os.urandom(4096)
        os.pwrite(self.fd, self.payload, 0)
        os.fsync(self.fd)

    def __call__(self) -> None:
        os.pwrite(self.fd, self.payload, 0)
        os.fdatasync(self.fd)

    def close(self) -> None:
        os.close(self.fd)


class StoreLevel:
    """A store prefilled with ``answers`` answers, and sessions in progress to add answers to."""

    def __init__(self, directory: Path, answers: int) -> None:
        prefill_store(directory, answers)
        self.store = Store(directory)
        self.live: list[ConversationState] = []
        for i in range(LIVE_SESSIONS):  # 10 answers in, under a relationship of their own
            document = session_document(f"live{i:03d}", "rel-live", ANSWERS_PER_SESSION // 2)
            state = ConversationState.model_validate(document)
            self.store.save_conversation(state)
            self.live.append(state)
        self.count = 0

    def write_one_answer(self) -> float:
        state = self.live[self.count % LIVE_SESSIONS]
        slot = f"extra{self.count}"
        self.count += 1
        state.answers[slot] = Answer(slot=slot, raw=ANSWER_TEXT, value=ANSWER_TEXT)
        return timed(lambda: self.store.save_conversation(state))

    def bytes_per_write(self) -> int:
        """Length of the last journal line: what one answer's write appends."""
        journal = self.store.layout.session_file(self.live[0].id).with_suffix(".journal")
        lines = journal.read_bytes().splitlines()
        return len(lines[-1]) + 1 if lines else 0


def bench_stores(scratch: Path, samples: int) -> tuple[dict[int, list[float]], dict[int, int], list[float]]:
    """Write times per level, bytes appended per write per level, and fsync floor times.

    The levels and the fsync probe take turns sample by sample, so that load from other
    processes (or the disk's own moods) affects all of them alike.
    """
    levels = {level: StoreLevel(scratch / f"store-{level}", level) for level in LEVELS}
    settle()
    probe = FsyncProbe(scratch)
    times: dict[int, list[float]] = {level: [] for level in LEVELS}
    floor: list[float] = []
    for i in range(samples):
        order = list(LEVELS[i % len(LEVELS) :] + LEVELS[: i % len(LEVELS)])
        for level in order:
            times[level].append(levels[level].write_one_answer())
        floor.append(timed(probe))
    probe.close()
    sizes = {level: bench.bytes_per_write() for level, bench in levels.items()}
    for bench in levels.values():
        bench.store.close()
    return times, sizes, floor


# --- plain TinyDB -----------------------------------------------------------------------------


def answer_document(n: int) -> dict[str, Any]:
    return Answer(slot=f"q{n % ANSWERS_PER_SESSION}", raw=ANSWER_TEXT, value=ANSWER_TEXT).model_dump(mode="json") | {
        "session_id": f"ses{n // ANSWERS_PER_SESSION:06d}"
    }


def bench_plain(directory: Path, answers: int, samples: int) -> tuple[list[float], int]:
    """Insert times, and the size of the file TinyDB rewrites on each insert."""
    path = directory / "plain.json"
    directory.mkdir(parents=True, exist_ok=True)
    document = answer_document(0)
    path.write_text(json.dumps({"answers": {str(i + 1): document for i in range(answers)}}), encoding="utf-8")
    settle()
    db = TinyDB(path)
    table = db.table("answers")
    times = [timed(lambda n=n: table.insert(answer_document(answers + n))) for n in range(samples)]  # type: ignore[misc]
    db.close()
    return times, path.stat().st_size


# --- report -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    parser.add_argument("--dir", type=Path, default=Path.cwd(), help="where to create the scratch directory")
    args = parser.parse_args()
    ours_samples = 60 if args.quick else 300
    plain_samples = {100: 50, 10_000: 10, 100_000: 3} if args.quick else {100: 200, 10_000: 30, 100_000: 7}

    scratch = Path(tempfile.mkdtemp(prefix="coach-bench-", dir=args.dir))
    try:
        print(f"scratch directory: {scratch} (python {sys.version.split()[0]}, {os.cpu_count()} cpus)")
        ours, sizes, floor = bench_stores(scratch, ours_samples)
        plain: dict[int, list[float]] = {}
        plain_sizes: dict[int, int] = {}
        for level in LEVELS:
            plain[level], plain_sizes[level] = bench_plain(scratch / f"plain-{level}", level, plain_samples[level])
            shutil.rmtree(scratch / f"plain-{level}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    floor_median, floor_p90 = summarise(floor)
    print()
    print("durable single-answer write, milliseconds (median / p90)")
    print(
        f"{'stored answers':>14} | {'coach store':>17} | {'plain TinyDB':>19} | {'plain/ours':>10} | "
        f"{'samples':>9} | {'bytes written per answer (ours / plain)':>39}"
    )
    for level in LEVELS:
        (om, o90), (pm, p90) = summarise(ours[level]), summarise(plain[level])
        print(
            f"{level:>14,} | {om:7.3f} / {o90:7.3f} | {pm:8.3f} / {p90:8.3f} | {pm / om:9.1f}x | "
            f"{len(ours[level]):>3} / {len(plain[level]):<3} | "
            f"{sizes[level] / 1024:22.1f} KB / {plain_sizes[level] / 1024:9.1f} KB"
        )
    first, last = LEVELS[0], LEVELS[-1]
    ours_ratio = summarise(ours[last])[0] / summarise(ours[first])[0]
    plain_ratio = summarise(plain[last])[0] / summarise(plain[first])[0]
    print()
    print(f"cost@100k / cost@100:  coach store {ours_ratio:.2f}   plain TinyDB {plain_ratio:.1f}")
    print(
        f"fsync floor on this disk, same run (4 KB overwrite + fdatasync, taking turns with the "
        f"writes above): median {floor_median:.3f} ms, p90 {floor_p90:.3f} ms"
    )
    worst = max(summarise(ours[level])[0] for level in LEVELS)
    print(
        f"targets: median <= 1 ms: {'met' if worst <= 1.0 else 'NOT met'} (worst median {worst:.3f} ms); "
        f"cost@100k / cost@100 <= 2: {'met' if ours_ratio <= 2 else 'NOT met'} ({ours_ratio:.2f})"
    )
    print("note: plain TinyDB does no fsync and is not crash-safe; coach's store does both on every write.")


if __name__ == "__main__":
    main()
