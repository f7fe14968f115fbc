"""Benchmarks for the coach TUI, each against a baseline measured in the same run.

    .venv/bin/python benchmarks/tui_bench.py [--quick] [--runs 7] [--replies 150] [--messages 500]
                                             [--history DIR] [--sessions 1000]

Every app runs in a fresh process on a pseudo-terminal (Textual's real Linux driver, every frame
written out as to a terminal; the parent drains it), so the cost of drawing is counted too.

1. Launch to the first filled frame: from starting the process to the first frame written after
   the home screen draws the data (`HomeScreen.draw`: the stages, the commitments; drawn from the
   service's view, or from the look the last run kept for the same data, coach.tui.paint; not the
   frame that says "Loading..."), the way `coach --data-dir DIR chat` starts (the CLI, the flows,
   the store). Against a minimal Textual app (header, label, input, footer) and its first frame.
   Coach on an empty data folder (the first-run state; when its dialog is up is printed too), on a
   folder with a real history (`--history DIR`, else one of `--sessions` stage runs played through
   the service by benchmarks/history.py, built once into a temporary folder) as a person opens it
   again, and on a copy of that history whose kept look is deleted before each launch (as after a
   change made behind coach's back: the frame waits for the service). Target: each median <= 1.5x
   (the first two).
2. Enter to reply drawn with a long log: a real stage (the fit check) is driven through the chat
   screen, forward through a scripted mentee's answers and /back through them again, until its
   log holds `--messages` messages, all produced by the engine; then `--replies` more are timed,
   from the Enter key event to the first frame written with the reply in the log (and to the last
   frame of that reply's burst, once nothing is drawn for a moment). Against an echo chat app: a
   header, coach's ChatLog and an input, answering each line with one Markdown message, its log
   filled to the same number of messages. Target: coach's median <= 1.5x the echo app's, for the
   first and for the last frame.

Both measurements alternate their apps so they see the same machine load; the 1-minute load
average is printed before and after. Figures are only meaningful as the ratios printed.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import itertools
import json
import os
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (120, 40)
QUIET = 0.08
"""Seconds with no frame written after which a reply's burst of frames counts as over."""


# --- frames: every frame the app writes, timed --------------------------------------------------


class Frames:
    """Times of the frames the app writes to the terminal (App._display with something to show)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.armed = False  # set when what is measured is on screen; the next frame is it
        self.hit: float | None = None
        self.first: dict[str, float] = {}  # the first frame of each screen class drawn

    def install(self) -> None:
        from textual.app import App

        display = App._display
        frames = self

        def timed(app: App[Any], screen: Any, renderable: Any) -> None:
            display(app, screen, renderable)
            if renderable is None or app._batch_count:
                return
            now = time.perf_counter()
            frames.times.append(now)
            frames.first.setdefault(type(screen).__name__, now)
            if frames.armed and frames.hit is None:
                frames.hit = now

        App._display = timed  # type: ignore[method-assign]

    def arm(self) -> None:
        self.armed, self.hit = True, None

    async def wait_hit(self, timeout: float = 10.0) -> float:
        end = time.perf_counter() + timeout
        while self.hit is None:
            if time.perf_counter() > end:
                raise RuntimeError("no frame drawn")
            await asyncio.sleep(0.0005)
        self.armed = False
        return self.hit

    async def wait_quiet(self, quiet: float = QUIET) -> float:
        """The time of the last frame once none has been written for `quiet` seconds."""
        while True:
            last = self.times[-1] if self.times else 0.0
            await asyncio.sleep(quiet)
            if (self.times[-1] if self.times else 0.0) == last:
                return last


def write_result(path: str, result: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(result), encoding="utf-8")


# --- children: 1. launch ---------------------------------------------------------------------------


def child_minimal(out: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Input, Label

    frames = Frames()
    frames.install()

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Label("Hello")
            yield Input(placeholder="Type here")
            yield Footer()

        def on_mount(self) -> None:
            frames.arm()
            self.run_worker(self.report())

        async def report(self) -> None:
            hit = await frames.wait_hit()
            write_result(out, {"frame": time.time() - (time.perf_counter() - hit)})
            self.exit()

    Minimal().run()


def child_coach(out: str, data_dir: str) -> None:
    """`coach --data-dir DIR chat`, as typed, timed to the first frame after the home screen is
    filled (`HomeScreen.draw`: with the service's view, or with the last run's look for the same data)."""
    frames = Frames()
    frames.install()
    from coach.tui.screens.home import HomeScreen

    draw = HomeScreen.draw

    def draw_and_time(self: HomeScreen, look: Any) -> None:
        draw(self, look)
        if not frames.armed and frames.hit is None:
            frames.arm()
            self.run_worker(report(self, painted=self.view is None), group="bench")

    async def report(screen: HomeScreen, painted: bool) -> None:
        hit = await frames.wait_hit()
        result = {"frame": time.time() - (time.perf_counter() - hit), "painted": painted}
        write_result(out, result)
        while screen.view is None:  # the service's view too: the look kept for the next launch is saved then
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        dialog = frames.first.get("NewProfileScreen")
        if dialog is not None:  # an empty folder: when the first-run dialog was up too
            result["dialog"] = time.time() - (time.perf_counter() - dialog)
        write_result(out, result)
        screen.app.exit()

    HomeScreen.draw = draw_and_time  # type: ignore[method-assign]
    from coach.cli.main import main

    os.environ.pop("COACH_LANG", None)
    main(["--lang", "en", "--data-dir", data_dir, "chat"])


# --- children: 2. replies ----------------------------------------------------------------------------


def fit_check_answers() -> list[str]:
    """A mentee's fit check, as the test suite scripts it (all answers but the one that finishes)."""
    import yaml

    case = yaml.safe_load((ROOT / "tests" / "conversations" / "fit_check_mentee_happy.yaml").read_text("utf-8"))
    answers = [str(t["user"]) for t in case["turns"] if "user" in t]
    return answers[:-1]


def script() -> list[str]:
    forward = fit_check_answers()
    return [*forward, *["/back"] * len(forward)]


async def send_key(app: Any, *, area: bool, mark: Callable[[], None]) -> None:
    """The key event a terminal driver delivers for Enter (Ctrl+S in a text area), timed from `mark`."""
    from textual import events

    key = "ctrl+s" if area else "enter"
    await asyncio.sleep(0.01)
    event = events.Key(key, "\r" if key == "enter" else None)
    event.set_sender(app)
    mark()
    app._driver.send_message(event)


async def timed_replies(app: Any, frames: Frames, replies: int, put: Callable[[str], bool],
                        answers: itertools.cycle[str]) -> dict[str, list[float]]:
    first: list[float] = []
    settled: list[float] = []
    for _ in range(replies):
        area = put(next(answers))
        await asyncio.sleep(0.02)
        await frames.wait_quiet(0.02)
        start: list[float] = []
        frames.armed, frames.hit = False, None
        await send_key(app, area=area, mark=lambda began=start: began.append(time.perf_counter()))
        hit = await frames.wait_hit()
        last = await frames.wait_quiet()
        first.append(hit - start[0])
        settled.append(max(last, hit) - start[0])
    return {"first": first, "settled": settled}


def child_chat_coach(out: str, data_dir: str, messages: int, replies: int) -> None:
    frames = Frames()
    frames.install()
    from coach.app.service import CoachService
    from coach.content.library import FlowLibrary
    from coach.store import Store
    from coach.tui.app import CoachApp
    from coach.tui.screens.chat import ChatScreen
    from coach.tui.widgets.answer_bar import AnswerBar
    from coach.tui.widgets.chat_log import ChatLog

    show_turn = ChatScreen.show_turn

    async def show_and_arm(self: ChatScreen, turn: Any, **kw: Any) -> None:
        await show_turn(self, turn, **kw)
        if timing:
            frames.arm()

    ChatScreen.show_turn = show_and_arm  # type: ignore[method-assign]
    timing = False

    def service() -> CoachService:
        return CoachService(FlowLibrary.load(), Store(data_dir))

    app = CoachApp(service, start_flow="fit_check", locale="en")

    async def drive() -> None:
        nonlocal timing
        while not isinstance(app.screen, ChatScreen):
            await asyncio.sleep(0.05)
        screen = app.screen
        await app.workers.wait_for_complete()
        log, bar = screen.query_one(ChatLog), screen.query_one(AnswerBar)
        answers = itertools.cycle(script())
        while log.message_count < messages:  # the log filled by the engine, through the screen
            screen.send(next(answers))
            await asyncio.sleep(0)
            while screen.busy:
                await asyncio.sleep(0.002)
        filled = log.message_count
        await asyncio.sleep(0.5)

        def put(text: str) -> bool:
            if bar.uses_area:
                bar.area.text = text
                return True
            bar.line.value = text
            if screen.focused is not bar.line:
                bar.line.focus()
            return False

        timing = True
        profile = os.environ.get("TUI_BENCH_PROFILE")  # a file for cProfile's figures of the timed replies
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        times = await timed_replies(app, frames, replies, put, answers)
        if profile:
            profiler.disable()
            profiler.dump_stats(profile)
        write_result(out, {**times, "messages": filled, "widgets": len(log.children),
                           "messages_after": log.message_count})
        app.exit()

    tasks: list[asyncio.Task[None]] = []
    app.call_later(lambda: tasks.append(asyncio.create_task(drive())))
    app.run()


def child_chat_echo(out: str, messages: int, replies: int) -> None:
    frames = Frames()
    frames.install()
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Input

    from coach.engine.turns import BotMessage
    from coach.tui.widgets.chat_log import ChatLog

    timing = False

    class Echo(App[None]):
        CSS = """
        ChatLog { height: 1fr; padding: 0 1; }
        ChatLog > .bot { margin: 1 6 0 0; padding: 0 1; border-left: outer $secondary; background: $boost; }
        ChatLog > .user { margin: 1 0 0 6; padding: 0 1; border-right: outer $primary; text-align: right; }
        ChatLog > .folded { margin: 1 0 0 0; padding: 0 1; color: $text-muted; }
        """

        def compose(self) -> ComposeResult:
            yield Header()
            yield ChatLog(id="log")
            yield Input(id="line")
            yield Footer()

        async def on_input_submitted(self, event: Input.Submitted) -> None:
            text = event.value
            self.query_one(Input).value = ""
            reply = BotMessage(kind="ask", text=f"You said: {text}", markdown=f"You said: **{text}**")
            await self.query_one(ChatLog).add_exchange(text, [reply])
            if timing:
                frames.arm()

    app = Echo()

    async def drive() -> None:
        nonlocal timing
        await asyncio.sleep(0.1)
        log, line = app.query_one(ChatLog), app.query_one(Input)
        line.focus()
        answers = itertools.cycle(script())
        while log.message_count < messages:
            line.value = next(answers)
            await line.action_submit()
            await asyncio.sleep(0.002)
        filled = log.message_count
        await asyncio.sleep(0.5)

        def put(text: str) -> bool:
            line.value = text
            return False

        timing = True
        times = await timed_replies(app, frames, replies, put, answers)
        write_result(out, {**times, "messages": filled, "widgets": len(log.children),
                           "messages_after": log.message_count})
        app.exit()

    tasks: list[asyncio.Task[None]] = []
    app.call_later(lambda: tasks.append(asyncio.create_task(drive())))
    app.run()


# --- the parent ----------------------------------------------------------------------------------


def on_pty(args: list[str], timeout: float) -> dict[str, Any]:
    """Run this script as a child on a pseudo-terminal of SIZE (output drained and dropped); its result."""
    master, slave = pty.openpty()
    cols, rows = SIZE
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    tail = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            tail[:] = (tail + chunk)[-4000:]

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.time()
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args, "--out", out], stdin=slave, stdout=slave,
                            stderr=slave, env=env, start_new_session=True, cwd=ROOT)
    os.close(slave)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    reader.join(timeout=2)
    os.close(master)
    try:
        data: dict[str, Any] = json.loads(Path(out).read_text(encoding="utf-8") or "null") or {}
    finally:
        Path(out).unlink(missing_ok=True)
    if not data:
        text = tail.decode("utf-8", "replace")
        raise RuntimeError(f"child {args} gave no result (exit {proc.returncode}); its last output:\n{text}")
    data["start"] = start
    return data


def launch(kind: str, data_dir: Path | None = None) -> tuple[float, bool, float | None]:
    """Seconds to the first filled frame, whether it was drawn from the last run's look, and
    seconds to the first-run dialog's first frame (an empty folder: it opens over the home screen)."""
    args = [kind] if data_dir is None else [kind, "--data-dir", str(data_dir)]
    data = on_pty(args, timeout=120)
    dialog = data.get("dialog")
    return (float(data["frame"] - data["start"]), bool(data.get("painted")),
            None if dialog is None else float(dialog - data["start"]))


def history_folder(args: argparse.Namespace, tmp: Path) -> tuple[Path, int]:
    """A copy of the history folder to launch on (coach may tidy what it opens), and its sessions."""
    dest = tmp / "history"
    if args.history:
        shutil.copytree(args.history, dest)
        return dest, sum(1 for _ in (dest / "sessions").glob("*.json"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from history import build

    print(f"(building a history of {args.sessions} stage runs...)", file=sys.stderr, flush=True)
    build(dest, args.sessions)
    return dest, args.sessions


KEPT_LOOK = ".home-look.json"  # coach.tui.paint.FILE


def bench_startup(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Each app launched `args.runs` times, interleaved. Coach on an empty folder, on the history as
    a person opens it again (the look the last run kept is drawn first), and on a copy of the
    history with that look deleted before each launch (the first launch after the data changed
    behind coach's back: the frame waits for the service)."""
    empty = tmp / "empty"
    empty.mkdir()
    history, sessions = history_folder(args, tmp)
    unpainted = tmp / "history-unpainted"
    shutil.copytree(history, unpainted)
    kinds: dict[str, Path | None] = {"minimal": None, "coach-empty": empty, "coach-history": history,
                                     "coach-unpainted": unpainted}
    for kind, folder in kinds.items():  # warm the file cache and the bytecode
        launch(kind.split("-")[0], folder)
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    painted: dict[str, list[bool]] = {kind: [] for kind in kinds}
    dialogs: list[float] = []
    for _ in range(args.runs):  # interleaved: all see the same machine load
        for kind, folder in kinds.items():
            if kind == "coach-unpainted":
                (unpainted / KEPT_LOOK).unlink(missing_ok=True)
            seconds, drawn_from_kept, dialog = launch(kind.split("-")[0], folder)
            times[kind].append(seconds)
            painted[kind].append(drawn_from_kept)
            if kind == "coach-empty" and dialog is not None:
                dialogs.append(dialog)
    return {"times": times, "painted": painted, "sessions": sessions, "dialog": dialogs}


def seed(folder: Path) -> None:
    """A mentee with a mentor, nothing played yet (the chat opens on the fit check)."""
    from coach.app.service import CoachService
    from coach.content.library import FlowLibrary
    from coach.store import Store

    service = CoachService(FlowLibrary.load(), Store(folder))
    try:
        service.add_relationship(service.add_profile("Ana Lima", "mentee"), "Sam Okafor")
    finally:
        service.close()


def bench_replies(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    rounds = 1 if args.quick else 2
    per = max(args.replies // rounds, 1)
    results: dict[str, dict[str, Any]] = {"echo": {"first": [], "settled": []}, "coach": {"first": [], "settled": []}}
    for r in range(rounds):
        for kind in ("echo", "coach"):
            extra: list[str] = []
            if kind == "coach":
                seed(tmp / f"chat{r}")
                extra = ["--data-dir", str(tmp / f"chat{r}")]
            data = on_pty([f"chat-{kind}", *extra, "--messages", str(args.messages), "--replies", str(per)],
                          timeout=600)
            for key in ("first", "settled"):
                results[kind][key].extend(data[key])
            for key in ("messages", "widgets", "messages_after"):
                results[kind][key] = data[key]
    return results


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def compiled() -> None:
    """Coach's bytecode written, as installing it does (Textual's came with its wheel): with
    PYTHONDONTWRITEBYTECODE set, every launch would compile coach from source and only coach."""
    import compileall

    for folder in ("coach", "benchmarks"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs, replies and sessions: under a minute")
    parser.add_argument("--runs", type=int, help="launches of each app (default 7; quick 3)")
    parser.add_argument("--replies", type=int, help="replies timed per app (default 150; quick 40)")
    parser.add_argument("--messages", type=int, default=500, help="messages in the log first (default 500)")
    parser.add_argument("--history", type=Path, help="a data folder with a history (benchmarks/history.py)")
    parser.add_argument("--sessions", type=int, help="stage runs in the history built without --history "
                                                     "(default 1000; quick 20)")
    parser.add_argument("--only", choices=["startup", "replies"], help="run one of the two")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_child(args)
    args.runs = args.runs or (3 if args.quick else 7)
    args.replies = args.replies or (40 if args.quick else 150)
    args.sessions = args.sessions or (20 if args.quick else 1000)

    print(f"(machine: {os.cpu_count()} CPUs; load average {load()} before)", flush=True)
    compiled()
    raw: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.only != "replies":
            startup = raw["startup"] = bench_startup(args, tmp)
            t = {k: statistics.median(v) * 1000 for k, v in startup["times"].items()}
            base = t["minimal"]
            print(f"Launch to the first filled frame, {args.runs} fresh processes each, medians "
                  f"[min-max] (load {load()}):")
            names = {"minimal": "minimal Textual app", "coach-empty": "coach, empty data folder",
                     "coach-history": f"coach, {startup['sessions']} stored sessions",
                     "coach-unpainted": f"coach, {startup['sessions']} sessions, no kept look"}
            for kind, ms in t.items():
                values = startup["times"][kind]
                ratio = "" if kind == "minimal" else f"  {ms / base:.2f}x"
                verdict = "" if kind in ("minimal", "coach-unpainted") else (
                    "  ok" if ms / base <= 1.5 else "  over 1.5x")
                drawn = startup["painted"][kind]
                how = "" if kind == "minimal" else f"  ({sum(drawn)}/{len(drawn)} drawn from the kept look)"
                print(f"  {names[kind]:40} {ms:7.1f} ms  [{min(values) * 1000:.0f}-{max(values) * 1000:.0f}]"
                      f"{ratio}{verdict}{how}")
                if kind == "coach-empty" and startup["dialog"]:
                    dialog = statistics.median(startup["dialog"]) * 1000
                    print(f"    {'its first-run dialog up (next frames)':38} {dialog:7.1f} ms  {dialog / base:.2f}x")
        if args.only != "startup":
            replies = raw["replies"] = bench_replies(args, tmp)
            echo, coach = replies["echo"], replies["coach"]
            print(f"Enter to reply drawn, {coach['messages']} engine messages in coach's log "
                  f"({coach['widgets']} widgets), {echo['messages']} in the echo app's; "
                  f"{len(coach['first'])} replies each (load {load()}):")
            for key, what in (("first", "first frame with the reply"), ("settled", "last frame of the reply")):
                e, c = echo[key], coach[key]
                me, mc = statistics.median(e) * 1000, statistics.median(c) * 1000
                pe, pc = p95(e) * 1000, p95(c) * 1000
                verdict = "ok" if mc / me <= 1.5 else "over 1.5x"
                print(f"  {what}:")
                print(f"    echo chat app   median {me:6.1f} ms  p95 {pe:6.1f} ms")
                print(f"    coach           median {mc:6.1f} ms  p95 {pc:6.1f} ms  "
                      f"({mc / me:.2f}x median, {pc / pe:.2f}x p95)  {verdict}")
    print(f"(load average {load()} after)")
    if args.json:
        print(json.dumps(raw, indent=1))
    return 0


def run_child(args: argparse.Namespace) -> int:
    out = args.out
    if args.child == "minimal":
        child_minimal(out)
    elif args.child == "coach":
        child_coach(out, args.data_dir)
    elif args.child == "chat-coach":
        child_chat_coach(out, args.data_dir, args.messages, args.replies)
    elif args.child == "chat-echo":
        child_chat_echo(out, args.messages, args.replies)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
