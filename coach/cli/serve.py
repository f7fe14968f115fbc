"""`coach serve`: the chat in web browsers, with textual-serve.

Every browser connection gets its own app process, forked from a warm template that has done the
imports and loaded the flows once (coach/cli/serve_pool.py), or adopted from the few apps kept
started ahead for newcomers (--ready); COACH_SERVE_COLD=1 starts a cold `coach serve --child`
(hidden) per connection instead, as before. With --facilitator, a second page on loopback shows
where the room is, counts only (coach/cli/facilitator.py). Each tab is a participant: the page
(coach/cli/serve_page/app_index.html) keeps a random id in the tab's sessionStorage and connects
to /ws/<id>; the participant's data lives in a folder of the server's temporary scratch folder
named by that id, so a reload reconnects to the same conversation (one app at a time per
participant: a new connection ends the old one), and participants never see each other's
answers. Nothing touches the facilitator's data folder;
everything is removed when the server stops. The page loads nothing from the internet (a
workshop room is often offline): textual-serve's own page links a web font, ours serves the font
textual-serve ships. The server binds to loopback unless --host says otherwise. Textual and
textual-serve are imported only when serving.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import functools
import ipaddress
import logging
import os
import re
import secrets
import shlex
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.cli.common import CliError, flow_dirs, language, load_library, service_errors, texts

if TYPE_CHECKING:
    from aiohttp import web

    from coach.cli.facilitator import RoomView
    from coach.cli.parser import CoachParser, HelpTexts
    from coach.content.library import FlowLibrary

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
UPLOAD_MAX = 2 * 1024 * 1024  # a packet's limit (coach.export.packet.MAX_BYTES)
PAGE_TEMPLATES = Path(__file__).with_name("serve_page")
"""The page's template: textual-serve's, with every asset from this server, and a participant id."""
PARTICIPANT_ID = re.compile(r"[0-9a-f]{32}")
"""What the page sends: 128 random bits in hex (anything else is refused)."""
log = logging.getLogger("textual-serve")
MAX_READY = 200
DEFAULT_READY = 0
"""Apps kept started ahead for newcomers (`--ready`). Opt-in for now: an adopted app's cursor blinks
from the start in a real browser, where a freshly started one waits for the page's focus."""
JOINING = 1.0
"""Seconds after a connection during which no app is started ahead (a room is joining)."""
TAKEOVER_WAIT = 15.0
"""Seconds a participant's new app waits for the previous one (a reloaded tab's) to let go."""


def register(p: CoachParser) -> None:
    say = p.words.help
    p.keep_line_breaks()
    p.epilog = say("serve.epilog")
    p.add_argument("--host", default=DEFAULT_HOST, metavar=p.words.metavar("host"),
                   help=say("serve.host", default=DEFAULT_HOST))
    p.add_argument("--port", type=functools.partial(_port, p.words), default=DEFAULT_PORT,
                   metavar=p.words.metavar("port"), help=say("serve.port", default=DEFAULT_PORT))
    p.add_argument("--flow", metavar=p.words.metavar("flow"), help=say("serve.flow"))
    p.add_argument("--role", choices=["mentee", "mentor"], help=say("serve.role"))
    p.add_argument("--theme", choices=["light", "dark"], default="dark", help=say("theme"))
    p.add_argument("--facilitator", action="store_true", help=say("serve.facilitator"))
    p.add_argument("--facilitator-port", type=functools.partial(_port, p.words), metavar=p.words.metavar("port"),
                   help=say("serve.facilitator_port"))
    p.add_argument("--room-csv", type=Path, metavar=p.words.metavar("file"), help=say("serve.room_csv"))
    p.add_argument("--ready", type=functools.partial(_count, p.words), default=DEFAULT_READY,
                   metavar=p.words.metavar("n"), help=say("serve.ready", default=DEFAULT_READY))
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--room", action="store_true", help=argparse.SUPPRESS)  # the child logs room events
    p.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--participant", help=argparse.SUPPRESS)
    p.add_argument("--template", action="store_true", help=argparse.SUPPRESS)  # the warm template (serve_pool)
    p.add_argument("--template-fd", type=int, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def _port(words: HelpTexts, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(words.say("serve.not_a_port", value=repr(text))) from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(words.say("serve.port_range", value=value))
    return value


def _count(words: HelpTexts, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_READY:
        raise argparse.ArgumentTypeError(words.say("serve.not_a_count", value=repr(text), most=MAX_READY))
    return value


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_port_free(host: str, port: int, say: Callable[..., str]) -> None:
    """Fail early, in one line (worded by `say`, the command line's texts), if the address cannot be
    listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise CliError(say("serve.bad_host", host=host, reason=e.strerror)) from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            s.bind(addr)
        except OSError as e:
            raise CliError(_bind_error(host, port, e, say)) from None


def _bind_error(host: str, port: int, e: OSError, say: Callable[..., str]) -> str:
    if e.errno == errno.EADDRINUSE:
        return say("serve.port_in_use", port=port, host=host)
    if e.errno == errno.EACCES:
        return say("serve.port_not_allowed", port=port, default=DEFAULT_PORT)
    if e.errno == errno.EADDRNOTAVAIL:
        return say("serve.not_an_address", host=host)
    return say("serve.cannot_listen", host=host, port=port, reason=e.strerror)


def child_command(args: argparse.Namespace, scratch: Path) -> str:
    """The shell command textual-serve runs for each browser connection."""
    parts = [sys.executable, "-m", "coach.cli.main"]
    for d in flow_dirs(args):
        parts += ["--flows", str(d.resolve())]
    parts += ["--lang", language(args).locale]  # every participant's app speaks the server's language
    parts += ["serve", "--child", "--scratch", str(scratch), "--theme", args.theme]
    if args.flow:
        parts += ["--flow", args.flow]
    if args.role:
        parts += ["--role", args.role]
    if getattr(args, "facilitator", False):
        parts += ["--room"]
    return shlex.join(parts)


def template_command(command: str) -> list[str]:
    """The warm template's command (coach.cli.serve_pool): the child's (`child_command`), as a template."""
    parts = shlex.split(command)
    parts[parts.index("--child")] = "--template"
    return parts


def run(args: argparse.Namespace) -> int:
    if args.child:
        return run_child(args)
    if args.template:
        from coach.cli.serve_pool import run_template

        return run_template(args)
    library = load_library(args)  # fail here, once, rather than in every browser tab
    if args.flow and args.flow not in library.flows:
        known = ", ".join(sorted(f.id for f in library.stages())) or "none"
        raise CliError(f"unknown flow {args.flow!r}; known flows: {known}")
    if args.flow and args.role and args.role not in library.flow(args.flow).roles:
        raise CliError(texts(args).say("serve.wrong_role", flow=repr(args.flow), role=args.role,
                                       roles=", ".join(library.flow(args.flow).roles)))
    host, port = args.host, args.port
    say = texts(args).say
    check_port_free(host, port, say)
    if not is_loopback(host):
        print(f"coach: {say('serve.open_to_all', host=host, port=port)}", file=sys.stderr)
    room = None
    if args.facilitator:
        from coach.cli.facilitator import RoomView, room_view_port

        room_port = room_view_port(args)
        if room_port == port:
            raise CliError(say("serve.same_port", port=port))
        check_port_free("127.0.0.1", room_port, say)
    scratch = Path(tempfile.mkdtemp(prefix="coach-serve-"))
    try:
        if args.facilitator:
            room = RoomView(scratch, library, texts(args), language(args).locale, room_port)
            room.csv_path = args.room_csv or Path.cwd() / time.strftime("coach-room-%Y%m%d-%H%M%S.csv")
        server = _server(child_command(args, scratch), host, port, scratch, say, room=room, ready=args.ready)
        try:
            server.serve()
        except OSError as e:  # lost a race for the port, or similar
            raise CliError(_bind_error(host, port, e, say)) from None
    finally:
        _remove(scratch)  # whatever a killed child left behind
    return 0


def _remove(folder: Path, patience: float = 10.0) -> None:
    """Remove `folder` once the participants' apps (stopped with the server, and still saving into
    it as they close) have ended, or after `patience` seconds."""
    end = time.monotonic() + patience
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break  # no app left
        if pid == 0:
            time.sleep(0.05)
    shutil.rmtree(folder, ignore_errors=True)


def participant_command(command: str, participant: str) -> str:
    """The child command for one participant's connection (`command` from `child_command`)."""
    if not PARTICIPANT_ID.fullmatch(participant):
        raise ValueError(f"not a participant id: {participant!r}")
    return f"{command} --participant {participant}"


def _server(command: str, host: str, port: int, scratch: Path, say: Callable[..., str],
            room: RoomView | None = None, ready: int = DEFAULT_READY) -> Any:
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    from coach.cli.serve_pool import COLD_ENV, Template, warm_service

    template = None if os.environ.get(COLD_ENV) == "1" else Template(template_command(command))

    class CoachServer(Server):
        """textual-serve, announcing itself in one line, with page URLs that follow the address
        the browser used (so it also works when bound to 0.0.0.0 and reached by a LAN address),
        our page template, and a websocket per participant (/ws/<id>) whose app resumes the
        participant's data."""

        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title="coach", templates_path=PAGE_TEMPLATES)
            self.live: dict[str, AppService] = {}  # participant id -> the app serving them now
            self.turns: dict[str, asyncio.Lock] = {}
            self.ready: list[Any] = []  # apps started ahead, for the next newcomers (warm only)
            self.wake = asyncio.Event()
            self.last_join = 0.0
            self.size = (80, 24)  # the last page's: the apps started ahead get it
            self.filler: asyncio.Task[None] | None = None

        async def on_startup(self, app: web.Application) -> None:
            app.router.add_get("/ws/{participant}", self.handle_participant)  # the router freezes after startup
            app.router.add_post("/upload/{participant}", self.handle_upload)
            app.on_cleanup.append(self.on_cleanup)
            if template is not None:
                await template.start()  # imports and flows loaded before the first participant comes
            if room is not None:
                await room.start()
            if template is not None and ready > 0:
                self.filler = asyncio.get_running_loop().create_task(self.fill())

        def announce(self, *_: object) -> None:
            """Said once the server is listening (aiohttp calls it after the sites have started)."""
            shown = f"[{host}]" if ":" in host else host
            print(f"coach: serving on http://{shown}:{port}/ (each browser tab gets its own temporary data; "
                  "Ctrl+C stops)", flush=True)
            if room is not None:
                print(f"coach: {say('serve.room.at', url=room.url)}", flush=True)

        def serve(self, debug: bool = False) -> None:
            """textual-serve's `serve`, announcing the address only once it is listened on."""
            import signal

            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            web.run_app(self._make_app(), host=host, port=port, handle_signals=False, loop=loop, print=self.announce)

        async def fill(self) -> None:
            """Keep `ready` apps started ahead (each over a fresh folder of its own), but never while
            a room is joining: the newcomers' own apps come first."""
            assert template is not None
            while True:
                self.ready = [s for s in self.ready if s.running]
                if len(self.ready) >= ready:
                    self.wake.clear()
                    await self.wake.wait()
                    continue
                if time.monotonic() - self.last_join < JOINING:
                    await asyncio.sleep(JOINING / 2)
                    continue
                name = secrets.token_hex(16)
                service = self.app_service(None, None, None, ready=name)
                service.folder = scratch / f"ready-{name}"
                try:
                    await service.start(*self.size)
                except Exception as error:  # the template is gone: the next connection restarts it
                    log.exception(error)
                    await asyncio.sleep(1.0)
                    continue
                self.ready.append(service)
                await _drawn(service)  # one at a time: a start never competes with the next

        def take_ready(self, width: int, height: int) -> Any:
            """An app started ahead, for a newcomer (the nearest in size), if one is running."""
            self.ready = [s for s in self.ready if s.running]
            if not self.ready:
                return None
            best = min(self.ready, key=lambda s: abs(s.size[0] - width) + abs(s.size[1] - height))
            self.ready.remove(best)
            return best

        async def on_cleanup(self, app: web.Application) -> None:
            if self.filler is not None:
                self.filler.cancel()
            for service in self.ready:
                await service.stop()
            if room is not None:
                written = await room.stop(room.csv_path)  # before the participants' folders go
                if written is not None:
                    print(f"coach: {say('serve.room.written', path=written)}", flush=True)
            if template is not None:
                template.close()  # it ends the apps still running, then itself (run() waits for it)

        def app_service(self, participant: str | None, websocket: web.WebSocketResponse | None,
                        close: Callable[[], Any] | None, ready: str | None = None) -> Any:
            """The participant's app: forked by the warm template, or (COACH_SERVE_COLD=1) a cold
            process; with `ready`, an app started ahead for a newcomer (its output kept meanwhile)."""
            async def nowhere(*_: object) -> None:
                return None

            kwargs: dict[str, Any] = {"write_bytes": websocket.send_bytes if websocket else nowhere,
                                      "write_str": websocket.send_str if websocket else nowhere,
                                      "close": close or nowhere, "download_manager": self.download_manager,
                                      "debug": self.debug}
            if template is not None:
                return warm_service(template, participant, ready=ready, **kwargs)
            assert participant is not None
            return AppService(participant_command(command, participant), **kwargs)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            self.public_url = f"{request.scheme}://{request.host}"
            response: web.StreamResponse = await super().handle_index(request)
            response.headers["Cache-Control"] = "no-store"  # a reload gets this server's page, never a stale one
            return response

        async def handle_upload(self, request: web.Request) -> web.StreamResponse:
            """A packet the participant picked on the page ("Add a packet"): kept in their folder's
            inbox, where their app merges it (at most a packet's size; only into a folder whose app
            has started)."""
            participant = request.match_info["participant"]
            if not PARTICIPANT_ID.fullmatch(participant):
                raise web.HTTPBadRequest(text="not a participant id")
            folder = scratch / f"participant-{participant}"
            if not folder.is_dir():
                raise web.HTTPNotFound(text=say("serve.no_participant"))
            if (request.content_length or 0) > UPLOAD_MAX:
                raise web.HTTPRequestEntityTooLarge(max_size=UPLOAD_MAX, actual_size=request.content_length or 0)
            body = await request.content.read(UPLOAD_MAX + 1)
            if len(body) > UPLOAD_MAX:
                raise web.HTTPRequestEntityTooLarge(max_size=UPLOAD_MAX, actual_size=len(body))
            inbox = folder / "inbox"
            inbox.mkdir(mode=0o700, exist_ok=True)
            name = secrets.token_hex(8)
            part = inbox / f".{name}.part"
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(body)
            os.replace(part, inbox / f"{name}.coach")  # the app sees only whole files
            return web.Response(text=say("serve.received"))

        async def handle_participant(self, request: web.Request) -> web.StreamResponse:
            """textual-serve's `handle_websocket`, running the participant's app: the one before it
            (the same tab before a reload, or a copy of the tab) is stopped first."""
            participant = request.match_info["participant"]
            if not PARTICIPANT_ID.fullmatch(participant):
                raise web.HTTPBadRequest(text="not a participant id")
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            service: AppService | None = None

            async def close() -> None:
                await websocket.close()

            try:
                await websocket.prepare(request)
                async with self.turns.setdefault(participant, asyncio.Lock()):
                    previous = self.live.pop(participant, None)
                    if previous is not None:
                        await previous.stop()
                    folder = scratch / f"participant-{participant}"
                    adopted = None if os.path.lexists(folder) else self.take_ready(width, height)
                    self.last_join, self.size = time.monotonic(), (width, height)
                    self.wake.set()
                    if adopted is not None:  # a newcomer: an app started ahead, its fresh folder theirs now
                        os.symlink(adopted.folder.name, folder)
                        service = adopted
                        self.live[participant] = service
                        await adopted.adopt(websocket.send_bytes, websocket.send_str, close)
                        if adopted.size != (width, height):
                            await adopted.set_terminal_size(width, height)
                        await adopted.blur()  # as a just-started app is: the page says when it has the focus
                    else:
                        service = self.app_service(participant, websocket, close)
                        self.live[participant] = service
                        await service.start(width, height)
                await _relay(websocket, service, (width, height))
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.exception(error)
            finally:
                if service is not None:
                    if self.live.get(participant) is service:
                        del self.live[participant]
                    await service.stop()
            return websocket

    return CoachServer()


async def _drawn(service: Any, quiet: float = 0.3, patience: float = 5.0) -> None:
    """Until an app started ahead has drawn its first screen (its kept output stopped growing for
    `quiet` seconds), or `patience` seconds."""
    end = time.monotonic() + patience
    seen, since = -1, time.monotonic()
    while time.monotonic() < end and service.kept is not None:
        await asyncio.sleep(0.05)
        if len(service.kept) != seen:
            seen, since = len(service.kept), time.monotonic()
        elif seen > 0 and time.monotonic() - since >= quiet:
            return


async def _relay(websocket: web.WebSocketResponse, service: Any, size: tuple[int, int]) -> None:
    """What the page sends, to the app (as textual-serve's server does, through AppService's public
    calls), but a resize to the size the app already has: the page sends its size on connecting,
    the size the app was started with, and a second layout of the first screen would only cost."""
    from aiohttp import WSMsgType

    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        envelope = message.json()
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            if (data["width"], data["height"]) != size:
                size = (data["width"], data["height"])
                await service.set_terminal_size(*size)
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


def run_child(args: argparse.Namespace) -> int:
    """One browser connection (the cold way: `coach serve --child`, a process of its own)."""
    return run_participant(args, lambda: load_library(args), args.participant)


def run_participant(args: argparse.Namespace, library: Callable[[], FlowLibrary], participant: str | None,
                    folder: Path | None = None) -> int:
    """One browser connection's app: over the participant's folder in the server's scratch folder
    (kept for a reload; the server removes it when it stops), or, without a participant, over a
    fresh temporary folder removed on exit. Its store and service are made here, in the app's own
    process (a cold child, or one forked by the warm template)."""
    from coach.app.setup import only_app
    from coach.tui.serve_app import ServeApp

    root = args.scratch if args.scratch and args.scratch.is_dir() else None
    if participant is not None and not PARTICIPANT_ID.fullmatch(participant):
        raise CliError(f"not a participant id: {participant!r}")
    keep = (participant is not None and root is not None) or folder is not None
    if folder is not None:  # an app started ahead (serve_pool): a fresh folder, a newcomer's once adopted
        data_dir = folder
        data_dir.mkdir(mode=0o700)
    elif participant is not None and root is not None:
        data_dir = root / f"participant-{participant}"
        data_dir.mkdir(mode=0o700, exist_ok=True)
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="session-", dir=root))
    try:
        from coach.cli.facilitator import ROOM_LOG

        app = ServeApp(library, data_dir, start_flow=args.flow, start_role=args.role,
                       theme=args.theme, locale=language(args).locale,
                       room_log=data_dir / ROOM_LOG if getattr(args, "room", False) else None)
        with service_errors(), only_app(data_dir, TAKEOVER_WAIT):  # the previous app (a reloaded tab) let go
            app.run()
        return app.return_code or 0
    finally:
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
