"""`coach serve`'s warm start: a template process that forks each participant's app.

A cold `coach serve --child` per browser connection pays for Python's start, the imports of
Textual and the coach, and the flows' loading (0.5-0.8 CPU-seconds on a small machine) before the
participant sees anything, and a room joining together waits for all of it at once. Instead the
server starts one template (`coach serve --template`, hidden) that does all of that once, freezes
what it has loaded out of the garbage collector (so the pages stay shared after fork, copy on
write), and waits on a socket. For each connection the server makes the three pipes textual-serve
reads and writes (the app's stdin, stdout, stderr), sends their ends to the template (SCM_RIGHTS);
the template forks, and the child:

- puts the pipes on its fds 0, 1 and 2 and closes every other descriptor it inherited (the
  template's socket, anything else): no open file of the template reaches a participant;
- re-seeds `random` (fork copies its state), restores the signals the template changed, and sets
  the terminal size the page asked for;
- makes the participant's own folder under the server's scratch folder and runs the app there
  with its own store and service, made in the child (`run_participant`), exactly as the cold
  child does.

Nothing is shared after fork but the pages the kernel shares until written: each participant's
process is its own. The template is single-threaded when it forks (it never starts a thread).
When the server stops, it closes the socket; the template then lets its children finish (they
were told to quit by the server), ends those still running, and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coach.content.library import FlowLibrary

READY = b"ready"
STARTUP_PATIENCE = 60.0
"""Seconds the server waits for the template to have loaded everything."""
CHILD_PATIENCE = 5.0
"""Seconds the template lets its children finish once the server has gone, before ending them."""
READY_NAME = re.compile(r"[0-9a-f]{32}")
"""The name of an app started ahead (`ready-<name>`, its folder until a newcomer adopts it)."""
COLD_ENV = "COACH_SERVE_COLD"
"""Set to 1 (or `coach serve --cold-start`, hidden): a cold process per connection, as before (the
serve benchmark's baseline)."""


def app_environment() -> dict[str, str]:
    """What textual-serve's AppService puts in each app's environment, but the terminal size (which
    the child sets itself): Textual reads these when it is imported, so the template needs them."""
    from importlib.metadata import version

    env = dict(os.environ)
    env.update({
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "TEXTUAL_FPS": "60",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
        "TERM_PROGRAM": "textual",
        "TERM_PROGRAM_VERSION": version("textual-serve"),
    })
    for name in ("COLUMNS", "ROWS", "TEXTUAL", "TEXTUAL_LOG"):
        env.pop(name, None)
    return env


# --- the server's side -----------------------------------------------------------------------------


@dataclass
class AppPipes:
    """What textual-serve's AppService uses of an asyncio subprocess: a forked app's pipes."""

    pid: int
    stdin: asyncio.StreamWriter
    stdout: asyncio.StreamReader
    stderr: asyncio.StreamReader
    transports: list[asyncio.BaseTransport] = field(default_factory=list)

    def close(self) -> None:
        for transport in self.transports:
            transport.close()


class Template:
    """The server's handle on the template process: start it, ask it for an app, stop it."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.process: subprocess.Popen[bytes] | None = None
        self.sock: socket.socket | None = None
        self.lock = asyncio.Lock()
        self.pids: set[int] = set()  # the apps it forked for this server (still running or not)

    async def start(self) -> None:
        """Start the template and wait until it has loaded everything."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                [*self.command, "--template-fd", str(theirs.fileno())], pass_fds=[theirs.fileno()],
                env=app_environment(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            )
        finally:
            theirs.close()
        ours.setblocking(False)
        self.sock = ours
        loop = asyncio.get_running_loop()
        reply = await asyncio.wait_for(loop.sock_recv(ours, 64), STARTUP_PATIENCE)
        if reply != READY:
            raise RuntimeError("the app template did not start")

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None and self.sock is not None

    async def spawn(self, participant: str | None, width: int, height: int, ready: str | None = None) -> AppPipes:
        """A new app for `participant`, forked by the template, with its pipes; or (`ready`, no
        participant yet) one started ahead over a fresh folder `ready-<ready>`, for the next newcomer."""
        if not self.alive:
            self.close()
            await self.start()  # the template died (killed?): a new one, once
        assert self.sock is not None
        loop = asyncio.get_running_loop()
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        theirs = [stdin_r, stdout_w, stderr_w]
        try:
            request = json.dumps({"participant": participant, "ready": ready, "width": width,
                                  "height": height}).encode()
            async with self.lock:  # one request, one reply, in turn
                socket.send_fds(self.sock, [request], theirs)
                reply = await asyncio.wait_for(loop.sock_recv(self.sock, 256), 10)
        except BaseException:
            for fd in (stdin_w, stdout_r, stderr_r):
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        if not reply:
            for fd in (stdin_w, stdout_r, stderr_r):
                os.close(fd)
            raise RuntimeError("the app template has gone")
        pid = int(json.loads(reply)["pid"])
        self.pids.add(pid)
        stdout, out_t = await _reader(loop, stdout_r)
        stderr, err_t = await _reader(loop, stderr_r)
        write_t, protocol = await loop.connect_write_pipe(
            asyncio.streams.FlowControlMixin, os.fdopen(stdin_w, "wb", buffering=0))
        stdin = asyncio.StreamWriter(write_t, protocol, None, loop)
        return AppPipes(pid, stdin, stdout, stderr, [write_t, out_t, err_t])

    def close(self, patience: float = 0.0) -> None:
        """Tell the template the server is going (it ends its apps and exits); wait up to
        `patience` seconds for it."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.process is not None and patience:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(patience)


async def _reader(loop: asyncio.AbstractEventLoop, fd: int) -> tuple[asyncio.StreamReader, asyncio.BaseTransport]:
    reader = asyncio.StreamReader(limit=2**16, loop=loop)
    transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader, loop=loop),
                                                os.fdopen(fd, "rb", buffering=0))
    return reader, transport


def warm_service(template: Template, participant: str | None, ready: str | None = None, **kwargs: Any) -> Any:
    """textual-serve's AppService, with the app forked by the template instead of a shell command.
    With `ready` (no participant yet): an app started ahead, whose output is kept until `adopt`
    hands it to a newcomer's websocket."""
    from textual_serve.app_service import AppService

    class WarmAppService(AppService):
        pipes: AppPipes | None = None
        kept: list[tuple[str, Any]] | None = None  # output while nobody is attached
        size: tuple[int, int] = (80, 24)

        async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
            self.size = (width, height)
            self.pipes = await template.spawn(participant, width, height, ready)
            self._process = self.pipes  # type: ignore[assignment]  # what run() reads of a Process
            self._stdin = self.pipes.stdin
            return self.pipes

        def keep(self) -> None:
            """Until `adopt`: what the app draws is kept, in order."""
            kept: list[tuple[str, Any]] = []
            self.kept = kept

            async def keep_bytes(data: bytes) -> None:
                kept.append(("bytes", data))

            async def keep_str(data: str) -> None:
                kept.append(("str", data))

            async def keep_close() -> None:
                kept.append(("close", None))

            self.remote_write_bytes, self.remote_write_str, self.remote_close = keep_bytes, keep_str, keep_close

        @property
        def running(self) -> bool:
            return self._task is not None and not self._task.done() and not any(
                kind == "close" for kind, _ in self.kept or [])

        async def adopt(self, write_bytes: Any, write_str: Any, close: Any) -> None:
            """Send what was kept to the newcomer's websocket, then everything that follows."""
            kept = self.kept or []
            while kept:  # what arrives meanwhile joins the queue: the order holds
                kind, data = kept.pop(0)
                if kind == "bytes":
                    await write_bytes(data)
                elif kind == "str":
                    await write_str(data)
                else:
                    await close()
            self.remote_write_bytes, self.remote_write_str, self.remote_close = write_bytes, write_str, close
            self.kept = None

        async def stop(self) -> None:
            try:
                await super().stop()
            finally:
                if self.pipes is not None and self._task is None:
                    self.pipes.close()

    service = WarmAppService("", **kwargs)
    if ready is not None:
        service.keep()
    return service


# --- the template's side -----------------------------------------------------------------------------


def warm_up(library: FlowLibrary, locale: str) -> None:
    """Everything an app needs that can be loaded before anyone connects."""
    import importlib
    import pkgutil

    import textual.drivers.web_driver  # noqa: F401  (TEXTUAL_DRIVER's)

    import coach.tui.screens
    from coach.tui.i18n import ui_texts
    from coach.tui.serve_app import ServeApp

    for module in pkgutil.iter_modules(coach.tui.screens.__path__):
        importlib.import_module(f"coach.tui.screens.{module.name}")
    for name in ("coach.app.service", "coach.app.setup", "coach.store", "coach.app.documents",
                 "coach.app.packets", "coach.tui.widgets"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    library.localized(locale)
    ui_texts(locale).localized(ServeApp)


def share_parsed_css() -> None:
    """Textual parses the CSS of each app again (its cache is per stylesheet, so per app): in the
    template, one cache for all, filled by the rehearsal, so that a child parses none of it. The key
    is everything the parse depends on (the text, where it is from, its scope and the theme's
    variables); the parsed rules are only read after parsing."""
    from textual.css.stylesheet import Stylesheet

    parse = Stylesheet._parse_rules
    cache: dict[tuple[Any, ...], Any] = {}

    def parse_once(self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False,
                   tie_breaker: int = 0, scope: str = "") -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        rules = cache.get(key)
        if rules is None:
            rules = cache[key] = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    Stylesheet._parse_rules = parse_once  # type: ignore[method-assign]


def rehearse(library: FlowLibrary, args: argparse.Namespace, locale: str, patience: float = 10.0) -> None:
    """Run the app once, headless, over a throwaway folder, up to its first screen: what Textual,
    Rich and the coach cache on a first run (styles, colours, parsed CSS, text widths) is then
    ready in every child. Everything it made is gone after: its folder, its store, its threads."""
    import tempfile
    import threading

    from coach.tui.serve_app import ServeApp

    async def once(folder: Path) -> None:
        app = ServeApp(lambda: library, folder, start_flow=args.flow, start_role=args.role, theme=args.theme,
                       locale=locale)
        async with app.run_test(size=(100, 30)) as pilot:
            end = time.monotonic() + patience
            while time.monotonic() < end and not (app.data.ready and len(app.screen_stack) > 1):
                await pilot.pause(0.02)
            await pilot.pause()

    with tempfile.TemporaryDirectory(prefix="coach-rehearsal-") as folder:
        asyncio.run(once(Path(folder)))
    for thread in threading.enumerate():  # fork only a single-threaded process
        if thread is not threading.main_thread():
            thread.join(patience)


def run_template(args: argparse.Namespace) -> int:
    """`coach serve --template`: load once, then fork an app per request on the socket."""
    import gc

    from coach.cli.common import language, load_library
    from coach.cli.serve import run_participant

    sock = socket.socket(fileno=args.template_fd)
    library = load_library(args, strict=False)  # the server has checked the flows already
    locale = language(args).locale
    warm_up(library, locale)
    share_parsed_css()
    with contextlib.suppress(Exception):  # a rehearsal that fails only makes the children colder
        rehearse(library, args, locale)
    children: set[int] = set()

    def reap(*_: object) -> None:
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the server decides
    gc.collect()
    gc.freeze()  # what is loaded now stays out of collections: its pages stay shared
    sys.stdout.flush()
    sys.stderr.flush()
    sock.sendall(READY)
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(sock, 4096, 3)
        except OSError:
            break
        if not message:
            break  # the server has gone
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            continue
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                sock.close()
                become_app(fds, int(request["width"]), int(request["height"]))
                ready = request.get("ready")
                if ready is not None and READY_NAME.fullmatch(str(ready)) and args.scratch:
                    code = run_participant(args, lambda: library, None, folder=args.scratch / f"ready-{ready}")
                else:
                    code = run_participant(args, lambda: library, str(request["participant"]))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException as error:
                from coach.cli.common import CliError

                if isinstance(error, CliError):
                    print(f"coach: {error}", file=sys.stderr)
                    code = error.code
                else:
                    import traceback

                    traceback.print_exc()
            finally:
                with contextlib.suppress(Exception):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        for fd in fds:
            os.close(fd)
        children.add(pid)
        try:
            sock.sendall(json.dumps({"pid": pid}).encode())
        except OSError:
            break
    sock.close()
    _end(children)
    return 0


def become_app(fds: list[int], width: int, height: int) -> None:
    """In a forked child: `fds` (the app's stdin, stdout, stderr) on 0, 1 and 2, every other
    descriptor of the template closed, `random` re-seeded, the signals as a fresh process has them,
    the terminal size the page asked for."""
    import random

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in zip((0, 1, 2), fds, strict=True):
        os.dup2(fd, target)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # nothing of the template's reaches the app
    random.seed()  # from os.urandom: no two apps draw the same numbers
    os.environ["COLUMNS"], os.environ["ROWS"] = str(width), str(height)


def _end(children: set[int]) -> None:
    """Let the apps finish (the server told them to quit), then end those still running."""
    for sig, patience in ((None, CHILD_PATIENCE), (signal.SIGTERM, 2.0), (signal.SIGKILL, 2.0)):
        if sig is not None:
            for pid in list(children):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
        end = time.monotonic() + patience
        while children and time.monotonic() < end:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()  # none left (the SIGCHLD handler may have reaped them)
                return
            if pid:
                children.discard(pid)
            else:
                time.sleep(0.05)
        if not children:
            return


def pss_kib(pid: int) -> int | None:
    """The proportional set size of process `pid` in KiB (None when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return None
