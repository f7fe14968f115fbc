"""Bytes written and time per durable answer along one long conversation, against the disk's
fsync floor measured in the same run.

    python benchmarks/store_bench.py [--answers N] [--dir DIR]

A conversation is its inputs: each answer should append about its own size to the session's
journal, whatever the session length. This plays N (default 210) answers through the
application service on a real data folder (a generated flow of N text questions), and for each
answer records the bytes the process handed to write() (Linux: /proc/self/io wchar, so
compactions and relationship-file writes count too) and the wall time of `CoachService.answer`
(which returns once the input is on disk: fdatasync). The baseline is the fsync floor: appending
a line of the same size to a file in the same folder and flushing it with fdatasync, measured
in the same run. It prints the bytes at answers 1, 50 and 200 with their ratio to answer 1, the
mean over windows around them (so a compaction in the window is paid for), and the median
answer time next to the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests" / "app"):  # the project, and the long test flow
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from long_flow import write_long_flow  # noqa: E402

from coach.app.service import CoachService  # noqa: E402
from coach.content.library import FlowLibrary  # noqa: E402
from coach.models import Role  # noqa: E402
from coach.store import Store  # noqa: E402
from coach.store.durable import flush_file  # noqa: E402

ANSWER = "I want to get better at giving feedback to my peers without sounding harsh, by March."
MARKS = (1, 50, 200)
WINDOW = 10  # answers either side of a mark for the windowed mean


def bytes_written() -> int:
    with open("/proc/self/io", encoding="ascii") as f:
        for line in f:
            if line.startswith("wchar:"):
                return int(line.split()[1])
    raise OSError("no wchar in /proc/self/io")


def fsync_floor(folder: Path, line: bytes, rounds: int) -> float:
    """Median seconds to append `line` to a file and fdatasync it."""
    path = folder / "floor.bin"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    samples = []
    try:
        for _ in range(rounds):
            started = time.perf_counter()
            os.write(fd, line)
            flush_file(fd)
            samples.append(time.perf_counter() - started)
    finally:
        os.close(fd)
        path.unlink()
    return statistics.median(samples)


def run(answers: int, folder: Path) -> None:
    flows = folder / "flows"
    flows.mkdir()
    write_long_flow(flows, answers + 1)
    library = FlowLibrary.load([flows])
    assert not library.errors, library.errors
    store = Store(folder / "data")
    service = CoachService(library, store)
    profile = service.add_profile("Ana", Role.mentee)
    relationship = service.add_relationship(profile, "Sam")
    chat = service.open_stage(profile, relationship, "long")
    sizes: list[int] = []
    times: list[float] = []
    line_bytes = 0
    for n in range(answers):
        text = f"{ANSWER} ({n})"
        before = bytes_written()
        started = time.perf_counter()
        turn = service.answer(chat, text)
        times.append(time.perf_counter() - started)
        sizes.append(bytes_written() - before)
        assert turn.entry is not None
        line_bytes = len(turn.entry.model_dump_json())
    store.close()
    floor = fsync_floor(folder, b"x" * line_bytes + b"\n", 200)

    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{answers} answers in one conversation, each input about {line_bytes} bytes as stored\n")
    print("bytes written per answer (all write() calls of the process during CoachService.answer):")
    base = sizes[0]
    for mark in MARKS:
        if mark > answers:
            continue
        lo, hi = max(0, mark - 1 - WINDOW), min(answers, mark + WINDOW)
        window = statistics.mean(sizes[lo:hi])
        print(f"  answer {mark:>4}: {sizes[mark - 1]:>7} bytes  ratio to answer 1: {sizes[mark - 1] / base:5.2f}"
              f"   mean of answers {lo + 1}-{hi}: {window:9.0f}  ratio: {window / base:5.2f}")
    compactions = sum(1 for size in sizes if size > 4 * statistics.median(sizes))
    print(f"  mean over all {answers}: {statistics.mean(sizes):.0f} bytes; largest single answer {max(sizes)} bytes; "
          f"{compactions} compaction(s) of the journal into the snapshot\n")
    median = statistics.median(times)
    print("time per durable answer (CoachService.answer: engine turn + stored with fdatasync):")
    print(f"  median {median * 1e3:.2f} ms, p90 {sorted(times)[int(0.9 * (len(times) - 1))] * 1e3:.2f} ms")
    for mark in MARKS:
        if mark <= answers:
            lo, hi = max(0, mark - 1 - WINDOW), min(answers, mark + WINDOW)
            print(f"  around answer {mark:>4}: median {statistics.median(times[lo:hi]) * 1e3:.2f} ms")
    print(f"  fsync floor (append {line_bytes + 1} bytes + fdatasync, same folder): {floor * 1e3:.2f} ms; "
          f"median answer / floor: {median / floor:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=210, help="answers in the conversation (default 210)")
    parser.add_argument("--dir", type=Path, help="where to make the data folder (default: a temporary folder)")
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
        run(args.answers, Path(tempfile.mkdtemp(dir=args.dir)))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(args.answers, Path(tmp))


if __name__ == "__main__":
    main()
