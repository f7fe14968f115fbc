"""`coach serve`: the chat in web browsers, with textual-serve.

Every browser connection starts its own app process (`coach serve --child`, hidden), which keeps
its data in a fresh temporary folder and removes it on exit, so participants never see each
other's answers and nothing touches the facilitator's data folder. The server binds to loopback
unless --host says otherwise. Textual and textual-serve are imported only when serving.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import shlex
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.cli.common import CliError, flow_dirs, load_library

if TYPE_CHECKING:
    from aiohttp import web

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = (
        "Each browser tab gets its own empty, temporary data: participants cannot see each other's\n"
        "answers, and everything is deleted when the tab closes or the server stops. Documents a\n"
        "participant exports (e in a document, Ctrl+O in the chat) download in their browser.\n"
        "Only this machine can connect unless you give --host (e.g. --host 0.0.0.0 for a room)."
    )
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})")
    p.add_argument("--flow", metavar="FLOW", help="open this stage for every participant (e.g. fit_check)")
    p.add_argument("--role", choices=["mentee", "mentor"], help="the side participants take (default: they pick)")
    p.add_argument("--theme", choices=["light", "dark"], default="dark", help="colour theme (default: dark)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {value}")
    return value


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_port_free(host: str, port: int) -> None:
    """Fail early, in one line, if the address cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise CliError(f"--host {host}: cannot use this address ({e.strerror})") from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            s.bind(addr)
        except OSError as e:
            raise CliError(_bind_error(host, port, e)) from None


def _bind_error(host: str, port: int, e: OSError) -> str:
    if e.errno == errno.EADDRINUSE:
        return f"port {port} is already in use on {host}: stop what uses it, or pick another with --port"
    if e.errno == errno.EACCES:
        return f"not allowed to listen on port {port} (ports below 1024 need privileges): use --port {DEFAULT_PORT}"
    if e.errno == errno.EADDRNOTAVAIL:
        return f"--host {host}: not an address of this machine"
    return f"cannot listen on {host}:{port}: {e.strerror}"


def child_command(args: argparse.Namespace, scratch: Path) -> str:
    """The shell command textual-serve runs for each browser connection."""
    parts = [sys.executable, "-m", "coach.cli.main"]
    for d in flow_dirs(args):
        parts += ["--flows", str(d.resolve())]
    parts += ["serve", "--child", "--scratch", str(scratch), "--theme", args.theme]
    if args.flow:
        parts += ["--flow", args.flow]
    if args.role:
        parts += ["--role", args.role]
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    if args.child:
        return run_child(args)
    library = load_library(args)  # fail here, once, rather than in every browser tab
    if args.flow and args.flow not in library.flows:
        known = ", ".join(sorted(f.id for f in library.stages())) or "none"
        raise CliError(f"unknown flow {args.flow!r}; known flows: {known}")
    if args.flow and args.role and args.role not in library.flow(args.flow).roles:
        raise CliError(f"flow {args.flow!r} is written for {', '.join(library.flow(args.flow).roles)}, not {args.role}")
    host, port = args.host, args.port
    check_port_free(host, port)
    if not is_loopback(host):
        print(f"coach: warning: listening on {host}: anyone who can reach this machine on port {port} can use it",
              file=sys.stderr)
    scratch = Path(tempfile.mkdtemp(prefix="coach-serve-"))
    try:
        server = _server(child_command(args, scratch), host, port)
        try:
            server.serve()
        except OSError as e:  # lost a race for the port, or similar
            raise CliError(_bind_error(host, port, e)) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # whatever a killed child left behind
    return 0


def _server(command: str, host: str, port: int) -> Any:
    from textual_serve.server import Server

    class CoachServer(Server):
        """textual-serve, announcing itself in one line, with page URLs that follow the address
        the browser used (so it also works when bound to 0.0.0.0 and reached by a LAN address)."""

        async def on_startup(self, app: web.Application) -> None:
            shown = f"[{host}]" if ":" in host else host
            print(f"coach: serving on http://{shown}:{port}/ (each browser tab gets its own temporary data; "
                  "Ctrl+C stops)", flush=True)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            self.public_url = f"{request.scheme}://{request.host}"
            response: web.StreamResponse = await super().handle_index(request)
            return response

    return CoachServer(command, host=host, port=port, title="coach")


def run_child(args: argparse.Namespace) -> int:
    """One browser connection: the app over a fresh temporary data folder, removed on exit."""
    from coach.tui.serve_app import ServeApp

    root = args.scratch if args.scratch and args.scratch.is_dir() else None
    data_dir = Path(tempfile.mkdtemp(prefix="session-", dir=root))
    try:
        app = ServeApp(lambda: load_library(args), data_dir, start_flow=args.flow, start_role=args.role,
                       theme=args.theme)
        app.run()
        return app.return_code or 0
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
