"""Does a long history cost anything? The same operations on a data folder with 1 finished stage and
with 1000, built in the same run by playing real stages through the service (benchmarks/history.py).

    python benchmarks/history_bench.py [--sessions 1000] [--runs 7] [--keep DIR]

For each folder, on a fresh copy for every run (so no run sees another's writes) and with a fresh
service and store each time (nothing cached between runs; the Python imports are warm):

- start-up: a new process that imports coach, opens the store and reads the home view;
- home: reading the home view (`CoachService.home_view`: stages, open commitments);
- open: opening a stage (`open_stage`: the review of open commitments and what is remembered);
- stage: playing a whole stage (the same script both times) until it ends: total time, the last
  reply (the one that stores the documents), and the bytes the process wrote (/proc/self/io);
- export: `CoachService.export("md")` (what `coach export` writes by default).

It prints the medians and the ratio of the long history to the short one (target: within 1.3x),
and the load average. The baseline is the 1-stage folder, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import history  # noqa: E402

from coach.app.service import CoachService  # noqa: E402
from coach.content.library import FlowLibrary  # noqa: E402
from coach.store import Store  # noqa: E402

STARTUP = """
import sys
from pathlib import Path
from coach.app.setup import open_service
from coach.content.library import FlowLibrary
service = open_service(FlowLibrary.load(), Path(sys.argv[1]))
view = service.home_view()
assert view.relationship is not None and view.stages
service.close()
"""


def written() -> int:
    with open("/proc/self/io") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("wchar:"))


class Bench:
    def __init__(self, library: FlowLibrary, scratch: Path) -> None:
        self.library, self.scratch = library, scratch
        self.copies = 0

    def copy(self, folder: Path) -> Path:
        self.copies += 1
        target = self.scratch / f"copy{self.copies}"
        shutil.copytree(folder, target)
        return target

    def service(self, folder: Path) -> tuple[CoachService, history.Clock]:
        clock = history.Clock()
        counter = iter(range(10**6))
        return CoachService(self.library, Store(folder), today=clock.today, now=clock.now,
                            new_id=lambda: f"b{next(counter):06d}"), clock

    def timed(self, folder: Path, op: Callable[[CoachService, history.Clock], object], *, copy: bool) -> float:
        where = self.copy(folder) if copy else folder
        service, clock = self.service(where)
        try:
            start = time.perf_counter()
            op(service, clock)
            return time.perf_counter() - start
        finally:
            service.close()
            if copy:
                shutil.rmtree(where)

    def startup(self, folder: Path) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", STARTUP, str(folder)], check=True, cwd=ROOT)
        return time.perf_counter() - start

    def stage(self, folder: Path, script: dict) -> tuple[float, float, int]:
        where = self.copy(folder)
        service, _ = self.service(where)
        try:
            profile = service.profiles()[0]
            rel = service.relationships(profile.id)[-1]
            before = written()
            start = time.perf_counter()
            chat = service.open_stage(profile, rel, script["flow"], resume=False)
            turn = chat.opening
            while history.reviewing(turn) and turn.question is not None:
                turn = service.answer(chat, "done")
            answers = [str(t["user"]) for t in script["turns"] if "user" in t]
            for text in answers[:-1]:
                service.answer(chat, text)
            last = time.perf_counter()
            service.answer(chat, answers[-1])
            end = time.perf_counter()
            assert chat.conversation.done
            return end - start, end - last, written() - before
        finally:
            service.close()
            shutil.rmtree(where)


def open_commitments(folder: Path) -> int:
    with Store(folder) as store:
        rel = store.list_relationships(store.list_profiles()[0].id)[0]
        return len(store.list_open_commitments(rel.id))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--small", type=int, default=1, help="finished stages in the baseline folder (default 1; "
                        "try 30: past the first move to the history, the live part no longer grows)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the folders here and reuse them on the next run")
    parser.add_argument("--reviews", choices=["mixed", "done"], default="mixed",
                        help="how the reviews of earlier commitments are answered: mixed (open ones pile up, "
                             "as for a busy person: the default) or done (each one closed when reviewed)")
    args = parser.parse_args()
    library = FlowLibrary.load()
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        folders = {}
        for n in (args.small, args.sessions):
            folder = base / f"history-{n}-{args.reviews}"
            if not (folder / "index.json").exists():
                start = time.perf_counter()
                history.build(folder, n, library=library,
                              reviews=history.DONE if args.reviews == "done" else history.MIXED)
                print(f"built {n} finished stage(s) in {time.perf_counter() - start:.1f} s", file=sys.stderr)
            folders[n] = folder
        bench = Bench(library, Path(tmp))
        script = next(s for s in history.scripts() if s["name"] == "feedback_mentee_happy")

        def open_stage(service: CoachService, clock: history.Clock) -> None:
            profile = service.profiles()[0]
            service.open_stage(profile, service.relationships(profile.id)[-1], "feedback", resume=False)

        results: dict[str, dict[int, list[float]]] = {}
        for _ in range(args.runs):
            for n, folder in folders.items():  # interleaved, so a change of machine load hits both
                row = {
                    "start-up (new process, home view)": bench.startup(folder),
                    "home view": bench.timed(folder, lambda s, c: s.home_view(), copy=False),
                    "open a stage": bench.timed(folder, open_stage, copy=True),
                    "export (current documents)": bench.timed(
                        folder, lambda s, c: s.export("md"), copy=False),
                }
                total, last, wrote = bench.stage(folder, script)
                row |= {"a whole stage": total, "its last reply": last, "bytes written in a stage": float(wrote)}
                for name, value in row.items():
                    results.setdefault(name, {}).setdefault(n, []).append(value)
        small, large = args.small, args.sessions
        print(f"history: {small} vs {large} finished stages (reviews answered: {args.reviews}), "
              f"median of {args.runs} runs each (interleaved)")
        print(f"{'':38} {small:>12} {large:>12}   ratio (target <= 1.3)")
        for name, by_n in results.items():
            a, b = statistics.median(by_n[small]), statistics.median(by_n[large])
            unit = (lambda v: f"{v / 1024:9.1f} KB") if name.startswith("bytes") else (lambda v: f"{v * 1000:9.1f} ms")
            print(f"{name:38} {unit(a):>12} {unit(b):>12}   {b / a:5.2f}")
        sizes = {n: sum(p.stat().st_size for p in (folders[n] / "relationships").glob("*.json")) for n in folders}
        opened = {n: open_commitments(folders[n]) for n in folders}
        print(f"relationship file (what is live; journaled): {sizes[small] / 1024:.1f} KB vs "
              f"{sizes[large] / 1024:.1f} KB, open commitments {opened[small]} vs {opened[large]}; history files: "
              f"{len(list((folders[large] / 'history').glob('*.json')))}")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
