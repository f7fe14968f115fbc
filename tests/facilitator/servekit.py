"""A real `coach serve` for tests, and websocket participants speaking textual-serve's protocol as its
page does (connect to /ws/<id>?width=..&height=.., send ["resize", ...] and ["stdin", text]), reading
what the app draws with the escape sequences removed."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]"
)
FIRST_RUN = "Tell me who you are"  # the first-run dialog, a fresh participant's first screen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    port: int
    proc: subprocess.Popen[str]
    tmp: Path
    first_lines: list[str]

    @property
    def scratch(self) -> Path:
        (folder,) = self.tmp.glob("coach-serve-*")
        return folder

    def descendants(self) -> list[int]:
        parent: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except OSError:
                    continue
        below: set[int] = set()
        frontier = {self.proc.pid}
        while frontier:
            frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - below
            below |= frontier
        return sorted(below)

    def apps(self) -> list[int]:
        """The apps (the template's children): the participants', and those started ahead for newcomers."""
        return [pid for pid in self.descendants() if _ppid(pid) != self.proc.pid]

    def folder_of(self, participant: str) -> Path:
        """The participant's folder (a newcomer's adopted app keeps the folder it was started in)."""
        return (self.scratch / f"participant-{participant}").resolve()

    def app_of(self, participant: str, timeout: float = 5.0) -> int:
        """The one app process with files open in the participant's folder."""
        folder = f"{self.folder_of(participant)}/"
        end = time.monotonic() + timeout
        while True:
            pids = [pid for pid in self.apps() if any(p.startswith(folder) for p in open_files(pid).values())]
            if len(pids) == 1 or time.monotonic() > end:
                assert len(pids) == 1, pids
                return pids[0]
            time.sleep(0.05)


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def open_files(pid: int) -> dict[int, str]:
    out: dict[int, str] = {}
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                out[int(fd.name)] = os.readlink(fd)
    return out


@contextlib.contextmanager
def coach_serve(tmp_path: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    port = free_port()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    environ = {name: value for name, value in os.environ.items() if name != "COACH_SERVE_COLD"}
    environ.update({"TMPDIR": str(tmp), "COACH_DATA_DIR": str(tmp_path / "data"), **(env or {})})
    proc = subprocess.Popen(
        [sys.executable, "-m", "coach.cli.main", "--lang", "en", "serve", "--port", str(port), *options],
        cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        end = time.monotonic() + 30
        while time.monotonic() < end:
            line = proc.stdout.readline()
            lines.append(line)
            if "serving on" in line or not line:
                break
        assert "serving on" in lines[-1], "".join(lines)
        yield Served(port, proc, tmp, lines)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # anything left behind


@dataclass
class Participant:
    port: int
    id: str = field(default_factory=lambda: secrets.token_hex(16))
    text: str = ""
    ws: aiohttp.ClientWebSocketResponse | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None

    async def connect(self, session: aiohttp.ClientSession, width: int = 100, height: int = 30) -> None:
        self.text = ""
        self.ws = await session.ws_connect(f"ws://127.0.0.1:{self.port}/ws/{self.id}?width={width}&height={height}")
        await self.ws.send_json(["resize", {"width": width, "height": height}])
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += ANSI.sub("", message.data.decode("utf-8", "replace"))
                self.changed.set()

    async def until(self, words: str, timeout: float = 8.0, since: int = 0) -> None:
        end = time.monotonic() + timeout
        while words not in self.text[since:]:
            left = end - time.monotonic()
            assert left > 0, f"timed out waiting for {words!r}; drew: {self.text[-800:]!r}"
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))

    async def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> None:
        end = time.monotonic() + timeout
        seen, since = len(self.text), time.monotonic()
        while time.monotonic() < end:
            await asyncio.sleep(0.05)
            if len(self.text) != seen:
                seen, since = len(self.text), time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    async def type(self, *keys: str) -> None:
        assert self.ws is not None
        for key in keys:
            await self.ws.send_json(["stdin", key])
            await asyncio.sleep(0.05)
            await self.settle(0.2)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
