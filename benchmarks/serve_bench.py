"""`coach serve` with a room joining at once: time until every participant sees their first screen,
memory per participant, and reply latency with everyone typing together.

For each N of --clients, a real `coach serve` is started on a free loopback port (its own scratch
folder), N websocket clients open together and speak textual-serve's protocol as its page does
(connect to /ws/<participant>?width=..&height=.., send ["resize", {...}], then ["stdin", text]);
each waits for its first real screen (the first-run dialog's words, not an empty frame). Then the
PSS of every participant's app process is read (/proc/<pid>/smaps_rollup), and in a few rounds all
N type one letter at the same moment; a reply is the time until that client's screen shows it.

The same is measured in the same run with the old way, one cold `coach serve --child` process
per connection (COACH_SERVE_COLD=1), and the figures are printed with warm/cold ratios and the
load average (the machine is shared: only ratios within one run mean something).

    .venv/bin/python benchmarks/serve_bench.py --clients 20,40,60
    .venv/bin/python benchmarks/serve_bench.py --quick

Loopback only, bounded: every wait has a timeout, and each server is stopped (its process group
killed if it does not stop) and its scratch folder checked.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests" / "facilitator"):  # the project, and the tests' serve kit
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from servekit import ANSI, free_port  # noqa: E402
from servekit import FIRST_RUN as FIRST_SCREEN  # noqa: E402 - the first real screen: the first-run dialog

from coach.cli.serve_pool import COLD_ENV, pss_kib  # noqa: E402

WIDTH, HEIGHT = 100, 30
TARGETS = {20: 2.0, 60: 6.0}  # N -> seconds for all up (issue 14)
REPLY_TARGET = 0.200  # seconds, with 40 participants
PSS_BEFORE = 45.0  # MB per participant, the cold way (issue 14)


@dataclass
class Client:
    participant: str = field(default_factory=lambda: secrets.token_hex(16))
    text: str = ""
    up: float | None = None
    ws: aiohttp.ClientWebSocketResponse | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += ANSI.sub("", message.data.decode("utf-8", "replace"))
                self.changed.set()

    async def wait_for(self, words: str, timeout: float, since: int = 0) -> bool:
        end = time.monotonic() + timeout
        while words not in self.text[since:]:
            left = end - time.monotonic()
            if left <= 0:
                return False
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return False
        return True


@dataclass
class Result:
    mode: str
    clients: int
    all_up: float | None
    failed: int
    pss_mb: float | None  # mean per participant's app process
    template_mb: float | None
    replies: list[float]
    cpu_up: dict[str, float] = field(default_factory=dict)  # CPU-seconds until all up

    def reply(self, q: float) -> float | None:
        if not self.replies:
            return None
        ordered = sorted(self.replies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Served:
    """A `coach serve` on a free loopback port, in its own process group and scratch folder."""

    def __init__(self, cold: bool, ready: int = 0) -> None:
        self.port = free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
        env = {**os.environ, "TMPDIR": str(self.tmp), "COACH_DATA_DIR": str(self.tmp / "data")}
        env.pop(COLD_ENV, None)
        if cold:
            env[COLD_ENV] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "coach.cli.main", "--lang", "en", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--ready", str(ready)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        assert self.proc.stdout is not None
        end = time.monotonic() + 60
        line = ""
        while time.monotonic() < end and "serving on" not in line:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                raise RuntimeError("coach serve did not start")
        if ready:  # a room prepared ahead: the apps started ahead are all up before anyone comes
            (scratch,) = self.tmp.glob("coach-serve-*")
            while time.monotonic() < end + 60 and len(list(scratch.glob("ready-*"))) < ready:
                time.sleep(0.2)
            time.sleep(1.0)

    def apps(self) -> list[int]:
        """The participants' app processes (the server's descendants running the app), and the template."""
        parent: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        below: set[int] = set()
        frontier = {self.proc.pid}
        while frontier:
            frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - below
            below |= frontier
        return sorted(below)

    def cmdline(self, pid: int) -> list[str]:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            return []

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(20)
        if self.proc.poll() is None or self.apps():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


async def measure(mode: str, n: int, rounds: int, timeout: float) -> Result:
    served = Served(cold=mode == "cold", ready=n if mode == "ready" else 0)
    try:
        return await _measure(served, mode, n, rounds, timeout)
    finally:
        served.stop()


async def _measure(served: Served, mode: str, n: int, rounds: int, timeout: float) -> Result:
    clients = [Client() for _ in range(n)]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.monotonic()
        own = os.times()

        async def join(c: Client) -> None:
            c.ws = await session.ws_connect(
                f"http://127.0.0.1:{served.port}/ws/{c.participant}?width={WIDTH}&height={HEIGHT}",
                timeout=aiohttp.ClientWSTimeout(ws_close=5), max_msg_size=0)
            await c.ws.send_json(["resize", {"width": WIDTH, "height": HEIGHT}])
            readers.append(asyncio.create_task(c.read()))
            if await c.wait_for(FIRST_SCREEN, timeout - (time.monotonic() - start)):
                c.up = time.monotonic() - start

        readers: list[asyncio.Task[None]] = []
        await asyncio.gather(*(join(c) for c in clients), return_exceptions=True)
        ups = [c.up for c in clients if c.up is not None]
        failed = n - len(ups)
        cpu_up = _cpu(served)
        now = os.times()
        cpu_up["clients"] = (now.user - own.user) + (now.system - own.system)  # this benchmark's, same machine
        await asyncio.sleep(1.0)  # let the first frames settle before memory and typing
        pss: list[int] = []
        template: int | None = None
        for pid in served.apps():
            argv = served.cmdline(pid)
            if "coach.cli.main" not in argv:
                continue  # a shell textual-serve ran the command with
            kib = pss_kib(pid)
            if kib is None:
                continue
            if "--template" in argv and pid in _templates(served):
                template = kib
            else:
                pss.append(kib)
        replies: list[float] = []
        up = [c for c in clients if c.up is not None]
        for r in range(rounds):
            letter = "QWZXJKVY"[r % 8]
            marks = [len(c.text) for c in up]
            sent = time.monotonic()
            await asyncio.gather(*(c.ws.send_json(["stdin", letter]) for c in up if c.ws is not None))

            async def reply(c: Client, mark: int, letter: str, sent: float) -> None:
                if await c.wait_for(letter, 10, since=mark):
                    replies.append(time.monotonic() - sent)

            await asyncio.gather(*(reply(c, m, letter, sent) for c, m in zip(up, marks, strict=True)))
            await asyncio.sleep(0.3)
        for c in clients:
            if c.ws is not None:
                await c.ws.close()
        for task in readers:
            task.cancel()
    return Result(mode, n, max(ups) if not failed else None, failed,
                  statistics.mean(pss) / 1024 if pss else None, template / 1024 if template else None, replies, cpu_up)


def _cpu(served: Served) -> dict[str, float]:
    """CPU-seconds used so far: by the server itself, and by the apps (template included)."""
    tick = os.sysconf("SC_CLK_TCK")

    def of(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    return {"server": of(served.proc.pid), "apps": sum(of(pid) for pid in served.apps())}


def _templates(served: Served) -> set[int]:
    """The template: the server's direct child started with --template."""
    out = set()
    for pid in served.apps():
        try:
            ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if ppid == served.proc.pid and "--template" in served.cmdline(pid):
            out.add(pid)
    return out


def settle(quiet: float = 3.0, patience: float = 30.0) -> None:
    """Before a run: wait until the previous run's processes have stopped using the CPU (the
    machine's total busy time grows by less than a tenth of a core over `quiet` seconds), or at
    most `patience` seconds, so that one run's teardown is not charged to the next."""
    def busy() -> float:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        ticks = [int(x) for x in fields]
        return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait

    end = time.monotonic() + patience
    while time.monotonic() < end:
        before = busy()
        time.sleep(quiet)
        if busy() - before < 0.1 * quiet * (os.cpu_count() or 1):
            return


def fmt(x: float | None, unit: str = "", scale: float = 1.0, digits: int = 2) -> str:
    return "-" if x is None else f"{x * scale:.{digits}f}{unit}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="20,40,60", help="comma-separated numbers of clients (default 20,40,60)")
    parser.add_argument("--quick", action="store_true", help="10 and 20 clients, 3 typing rounds")
    parser.add_argument("--rounds", type=int, default=6, help="typing rounds (all clients at once) per N")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold baseline")
    parser.add_argument("--modes", default="", help="comma-separated modes among cold,warm,ready (default: all)")
    parser.add_argument("--timeout", type=float, default=0, help="seconds for all to join (default 10 + N)")
    opts = parser.parse_args()
    counts = [10, 20] if opts.quick else [int(x) for x in opts.clients.split(",") if x.strip()]
    rounds = 3 if opts.quick else opts.rounds
    modes = [m for m in (opts.modes or "cold,warm,ready").split(",") if m and not (opts.no_cold and m == "cold")]
    results: dict[tuple[str, int], Result] = {}
    print(f"load average at start: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}"
          f" on {os.cpu_count()} CPUs", flush=True)
    for n in counts:
        for mode in modes:
            timeout = opts.timeout or (10 + (n if mode == "cold" else n / 4))
            settle()
            r = asyncio.run(measure(mode, n, rounds, timeout))
            results[mode, n] = r
            print(f"{mode:>5} N={n:<3} all up {fmt(r.all_up, ' s')} (failed {r.failed}), "
                  f"PSS/participant {fmt(r.pss_mb, ' MB', digits=1)}"
                  + (f" + template {fmt(r.template_mb, ' MB', digits=1)}" if r.template_mb else "")
                  + f", reply median {fmt(r.reply(0.5), ' ms', 1000, 0)} p95 {fmt(r.reply(0.95), ' ms', 1000, 0)}"
                  f" ({len(r.replies)} replies); CPU-s until up: server {r.cpu_up.get('server', 0):.2f}, "
                  f"apps {r.cpu_up.get('apps', 0):.2f} ({r.cpu_up.get('apps', 0) / n:.3f}/participant), "
                  f"the benchmark's clients {r.cpu_up.get('clients', 0):.2f}", flush=True)
    print()
    print(f"{'N':>4} {'mode':>5} {'all up':>8} {'vs cold':>8}  {'PSS':>8} {'vs cold':>8}  {'reply p50':>9} "
          f"{'vs cold':>8}  {'p95':>7} {'vs cold':>8}  targets")
    verdicts = {}
    for n in counts:
        c = results.get(("cold", n))
        if c is not None:
            print(f"{n:>4} {'cold':>5} {fmt(c.all_up, ' s'):>8} {'':>8}  {fmt(c.pss_mb, ' MB', digits=1):>8} {'':>8}  "
                  f"{fmt(c.reply(0.5), ' ms', 1000, 0):>9} {'':>8}  {fmt(c.reply(0.95), ' ms', 1000, 0):>7}")
        for mode in ("warm", "ready"):
            w = results.get((mode, n))
            if w is None:
                continue
            target = []
            ok_all = True
            if n in TARGETS:
                ok = w.all_up is not None and w.all_up < TARGETS[n]
                ok_all &= ok
                target.append(f"all up < {TARGETS[n]:.0f} s: {'yes' if ok else 'NO'}")
            if n == 40:
                p = w.reply(0.5)
                ok = p is not None and p < REPLY_TARGET
                ok_all &= ok
                target.append(f"reply p50 < 200 ms: {'yes' if ok else 'NO'}")
            ok = w.pss_mb is not None and w.pss_mb < PSS_BEFORE
            ok_all &= ok
            target.append(f"PSS < {PSS_BEFORE:.0f} MB: {'yes' if ok else 'NO'}")
            verdicts[mode] = verdicts.get(mode, True) and ok_all
            print(f"{n:>4} {mode:>5} {fmt(w.all_up, ' s'):>8} {ratio(w.all_up, c.all_up if c else None):>8}  "
                  f"{fmt(w.pss_mb, ' MB', digits=1):>8} {ratio(w.pss_mb, c.pss_mb if c else None):>8}  "
                  f"{fmt(w.reply(0.5), ' ms', 1000, 0):>9} {ratio(w.reply(0.5), c.reply(0.5) if c else None):>8}  "
                  f"{fmt(w.reply(0.95), ' ms', 1000, 0):>7} {ratio(w.reply(0.95), c.reply(0.95) if c else None):>8}  "
                  f"{'; '.join(target)}")
    print("\nmodes: cold = a new process per connection (COACH_SERVE_COLD=1, the old way); warm = forked from the"
          " template on connection (--ready 0); ready = a room prepared: --ready N, N apps started ahead")
    load = os.getloadavg()
    print(f"\nload average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    for mode, ok in verdicts.items():
        print(f"verdict ({mode}):", "targets met" if ok else "targets NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
