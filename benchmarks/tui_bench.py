"""Benchmarks for the coach TUI.

    .venv/bin/python benchmarks/tui_bench.py [--runs 7] [--replies 40] [--messages 500]

1. Launch to first interactive frame: a fresh process each run, for a minimal Textual app (a
   label and an input) and for coach (the `coach chat` path: CLI imports, flows, the store in a
   temporary data folder with one profile, the home screen filled in), measured in the same run.
   Target: coach's median <= 1.5x the minimal app's.
2. Enter-to-reply-rendered latency with 500 messages already in the conversation log: from the
   Enter key event to the frame after the bot's reply is on screen (the engine turn and the store
   write included, on the real durable store). Target: median <= 50 ms.
3. Peak memory: the maximum resident set size of each launch, and of the latency run (plus the
   Python heap peak traced during the replies).

Apps run headless (no terminal output), the same way for both apps.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEST_CONTENT = ROOT / "tests" / "tui" / "content"


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- 1. launch to first interactive frame ----------------------------------------------------------


def _report(**times: float) -> None:
    print(json.dumps({**times, "rss_mb": _maxrss_mb()}), flush=True)


def child_minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Input, Label

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Label("Hello")
            yield Input(placeholder="Type here")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.ready)

        def ready(self) -> None:
            now = time.time()
            _report(first_frame=now, ready=now)
            self.exit()

    Minimal().run(headless=True, size=(120, 40))


def child_coach(data_dir: str, *, via_cli: bool = True) -> None:
    """Launch the way `coach --data-dir DIR` does: the CLI parser (which imports only the command
    it runs), then `coach chat`. Without `via_cli`, straight into `coach chat`."""
    if via_cli:
        from coach.cli.main import build_parser

        args = build_parser("chat").parse_args(["--data-dir", data_dir, "chat"])
    else:
        args = argparse.Namespace(data_dir=Path(data_dir), flow_dirs=[], flow=None, role=None, theme="dark")
    cli_done = time.time()
    from coach.cli.chat import make_service
    from coach.tui.app import CoachApp
    from coach.tui.screens.home import HomeScreen

    marks: dict[str, float] = {"cli_imports": cli_done}
    show_view = HomeScreen.show_view

    def first_frame(self: HomeScreen) -> None:
        self.app.call_after_refresh(lambda: marks.setdefault("first_frame", time.time()))

    async def show_and_report(self: HomeScreen, view: Any) -> None:
        await show_view(self, view)
        self.app.call_after_refresh(ready)

    def ready() -> None:
        marks["ready"] = time.time()
        marks.setdefault("first_frame", marks["ready"])
        _report(**marks)
        app.exit()

    HomeScreen.on_mount = first_frame  # type: ignore[attr-defined]
    HomeScreen.show_view = show_and_report  # type: ignore[method-assign]
    app = CoachApp(lambda: make_service(args))
    app.run(headless=True, size=(120, 40))


def seed_data_dir(data_dir: Path) -> None:
    from coach.models import Profile, Relationship, Role
    from coach.store import Store

    with Store(data_dir) as store:
        profile = store.save_profile(Profile(name="Ana", role=Role.mentee))
        store.save_relationship(
            Relationship(profile_id=profile.id, other_name="Sam", mentee_name="Ana", mentor_name="Sam")
        )


def launch(kind: str, data_dir: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", kind, "--data-dir", str(data_dir)]
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("{"))
    data = json.loads(line)
    return {k: (v - start if k != "rss_mb" else v) for k, v in data.items()}


def bench_startup(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        seed_data_dir(data_dir)
        launch("minimal", data_dir)  # warm the file cache and bytecode for both
        launch("coach", data_dir)
        results: dict[str, list[dict[str, float]]] = {"minimal": [], "coach": [], "coach_direct": []}
        for _ in range(runs):  # interleaved, so all see the same machine load
            for kind in results:
                results[kind].append(launch(kind, data_dir))
    summary: dict[str, Any] = {}
    for kind, values in results.items():
        summary[kind] = {key: statistics.median(v[key] for v in values) for key in values[0] if key != "rss_mb"}
        summary[kind]["rss_mb"] = max(v["rss_mb"] for v in values)
        summary[kind]["ready_min"] = min(v["ready"] for v in values)
        summary[kind]["ready_max"] = max(v["ready"] for v in values)
    base = summary["minimal"]["ready"]
    summary["ratio_ready"] = summary["coach"]["ready"] / base
    summary["ratio_first_frame"] = summary["coach"]["first_frame"] / base
    summary["ratio_direct_ready"] = summary["coach_direct"]["ready"] / base
    summary["ratio_direct_first_frame"] = summary["coach_direct"]["first_frame"] / base
    return summary


# --- 2. Enter-to-reply latency with a long log -------------------------------------------------------


# The tour flow of the TUI tests, answered to its summary; the benchmark goes forward through it,
# then /back through it, and round again: every kind of question and widget, like a real session.
TOUR_FORWARD = ["lead a team of 4 engineers by June 2027", "/skip", "honest feedback; introductions",
                "2", "1, 3", "4", "yes", "5", "next friday"]


async def bench_latency(messages: int, replies: int) -> dict[str, Any]:
    from textual import events
    from textual.widgets.markdown import MarkdownBlock

    from coach.app.service import CoachService
    from coach.content.library import FlowLibrary
    from coach.content.prompts import PromptCatalog
    from coach.engine.conversation import Engine
    from coach.engine.turns import BotMessage
    from coach.models import Profile, Relationship, Role
    from coach.store import Store
    from coach.tui.app import CoachApp
    from coach.tui.screens.chat import ChatScreen
    from coach.tui.widgets.answer_bar import AnswerBar
    from coach.tui.widgets.chat_log import ChatLog
    from coach.tui.widgets.messages import BotBubble

    library = FlowLibrary(prompts=PromptCatalog.load([TEST_CONTENT / "prompts"]))
    for path in sorted((TEST_CONTENT / "flows").glob("*.yaml")):
        library.add_file(path)

    # Filler: the real messages of a whole tour conversation, over and over.
    conv = Engine(library).new("tour", "mentee", context={"name": "Ana", "other_name": "Sam"})
    conv.start()
    exchanges: list[tuple[str, list[BotMessage]]] = []
    for answer in [*TOUR_FORWARD, "yes"]:
        exchanges.append((answer, conv.reply(answer).messages))

    rendered_at: list[float] = []
    show_turn = ChatScreen.show_turn

    async def show_and_mark(self: ChatScreen, turn: Any, **kw: Any) -> None:
        await show_turn(self, turn, **kw)
        # The reply is on screen once its Markdown blocks are mounted and a frame has been drawn.
        new = list(self.query(BotBubble))[-len(turn.messages):] if turn.messages else []
        for _ in range(1000):
            if all(b.query(MarkdownBlock) or not b.message.markdown.strip() for b in new):
                break
            await asyncio.sleep(0.0005)
        self.app.call_after_refresh(lambda: rendered_at.append(time.perf_counter()))

    ChatScreen.show_turn = show_and_mark  # type: ignore[method-assign]

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "data")
        profile = store.save_profile(Profile(name="Ana", role=Role.mentee))
        store.save_relationship(
            Relationship(profile_id=profile.id, other_name="Sam", mentee_name="Ana", mentor_name="Sam")
        )
        app = CoachApp(lambda: CoachService(library, store), start_flow="tour")
        latencies: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            while not isinstance(app.screen, ChatScreen):
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            await pilot.pause()
            log = app.screen.query_one(ChatLog)
            bar = app.screen.query_one(AnswerBar)
            n = 0
            while n < messages:
                answer, bot = exchanges[(n // 3) % len(exchanges)]
                await log.add_exchange(answer, bot)
                n += 1 + len(bot)
            await pilot.pause(1.5)  # let the app settle (and its idle collector start)
            await app.workers.wait_for_complete()
            mounted = len(log.children)
            script = [*TOUR_FORWARD, *["/back"] * len(TOUR_FORWARD)]

            async def reply(i: int) -> float:
                answer = script[i % len(script)]
                if bar.uses_area:
                    bar.area.text = answer
                    key = "ctrl+s"
                else:
                    bar.line.value = answer
                    bar.line.focus()
                    key = "enter"
                await pilot.pause()
                rendered_at.clear()
                # The key event a terminal driver delivers (Pilot.press would also make every
                # widget on screen acknowledge a message afterwards, competing with the reply).
                event = events.Key(key, "\r" if key == "enter" else None)
                event.set_sender(app)
                start = time.perf_counter()
                app._driver.send_message(event)  # type: ignore[union-attr]
                for _ in range(2000):
                    if rendered_at:
                        break
                    await asyncio.sleep(0.001)
                await app.workers.wait_for_complete()
                await pilot.pause()
                if not rendered_at:
                    raise RuntimeError(f"no reply rendered for {answer!r}")
                return rendered_at[0] - start

            for i in range(replies):
                latencies.append(await reply(i))
            # The Python heap's peak over a few more replies (tracing slows them: not timed).
            tracemalloc.start()
            for i in range(replies, replies + 4):
                await reply(i)
            _, heap_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            total = log.message_count
        store.close()
    ms = sorted(x * 1000 for x in latencies)
    return {
        "messages_before": n, "widgets_in_log": mounted, "messages_after": total,
        "replies": replies, "median_ms": statistics.median(ms), "p90_ms": ms[int(len(ms) * 0.9) - 1],
        "max_ms": ms[-1], "min_ms": ms[0], "heap_peak_mb": heap_peak / 2**20, "rss_mb": _maxrss_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="launches of each app (default 7)")
    parser.add_argument("--replies", type=int, default=40, help="replies timed (default 40)")
    parser.add_argument("--messages", type=int, default=500, help="messages in the log first (default 500)")
    parser.add_argument("--child", choices=["minimal", "coach", "coach_direct"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.child == "minimal":
        child_minimal()
        return 0
    if args.child in ("coach", "coach_direct"):
        child_coach(args.data_dir, via_cli=args.child == "coach")
        return 0

    load_before = os.getloadavg()[0]
    startup = bench_startup(args.runs)
    latency = asyncio.run(bench_latency(args.messages, args.replies))
    load_after = os.getloadavg()[0]
    if args.json:
        print(json.dumps({"startup": startup, "latency": latency, "load": [load_before, load_after]}, indent=2))
        return 0
    print(f"(machine: {os.cpu_count()} CPUs, 1-minute load average {load_before:.2f} before, {load_after:.2f} after)")
    m, c = startup["minimal"], startup["coach"]
    print(f"Launch to first interactive frame ({args.runs} launches each, medians):")
    print(f"  minimal Textual app          {m['ready'] * 1000:7.1f} ms"
          f"  [{m['ready_min'] * 1000:.0f}-{m['ready_max'] * 1000:.0f}]  peak RSS {m['rss_mb']:.0f} MB")
    print(f"  coach, home screen drawn     {c['first_frame'] * 1000:7.1f} ms"
          f"  ({startup['ratio_first_frame']:.2f}x; keys work, stages still loading)")
    print(f"  coach, home filled in        {c['ready'] * 1000:7.1f} ms"
          f"  [{c['ready_min'] * 1000:.0f}-{c['ready_max'] * 1000:.0f}]  peak RSS {c['rss_mb']:.0f} MB"
          f"  ({startup['ratio_ready']:.2f}x)")
    print(f"    of which the `coach` CLI parser and its imports, before the TUI starts: "
          f"{c['cli_imports'] * 1000:.0f} ms")
    d = startup["coach_direct"]
    print("  coach chat entered directly, without the CLI parser:")
    print(f"    home screen drawn {d['first_frame'] * 1000:.1f} ms ({startup['ratio_direct_first_frame']:.2f}x),"
          f" home filled in {d['ready'] * 1000:.1f} ms ({startup['ratio_direct_ready']:.2f}x)")
    verdict = "ok" if startup["ratio_first_frame"] <= 1.5 else "over target"
    print(f"  target <= 1.5x (first interactive frame, via the CLI): {verdict}")
    print(f"Enter to reply rendered, {latency['messages_before']} messages in the log "
          f"({latency['widgets_in_log']} widgets in it), {latency['replies']} replies on the durable store:")
    verdict = "ok" if latency["median_ms"] <= 50 else "over target"
    print(f"  median {latency['median_ms']:.1f} ms, p90 {latency['p90_ms']:.1f} ms, "
          f"max {latency['max_ms']:.1f} ms (target median <= 50 ms: {verdict})")
    print(f"  peak RSS {latency['rss_mb']:.0f} MB, Python heap peak during replies {latency['heap_peak_mb']:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
