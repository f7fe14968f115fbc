"""`coach serve` end to end: a real server, loaded in headless Chromium over the DevTools protocol.

The terminal is drawn on a canvas, so the test reads what the app sends to the page (the
websocket frames the browser receives) rather than the DOM. It checks that the chat appears with
the coach's first message, that an export downloads in the browser, that a second tab gets its
own empty data, and that the server leaves no temporary data behind (nor touches the data folder);
that the page loads with no internet (Chromium resolves no name but 127.0.0.1: every request goes
to the server, and the terminal's font is loaded); and that a reload reconnects to the
participant's conversation, answers kept, with the served keys working.

Needs Debian's chromium (`apt-get install -y chromium`); skipped without it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Chromium at /usr/bin/chromium (apt-get install -y chromium)"),
]

ANSI = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS and other strings
    r"|\x1b[@-Z\\-_]"
)
FIRST_MESSAGE = "Before you commit"  # from the coach's first fit_check message


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """Just enough of the DevTools protocol: open tabs, type, and read each tab's websocket frames."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = iter(range(1, 1_000_000))
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.frames: dict[str, list[str]] = defaultdict(list)  # tab session -> text received
        self.downloads: list[dict[str, Any]] = []
        self.requests: list[str] = []  # every URL a tab asked for
        self.failed: list[dict[str, Any]] = []  # requests that did not load
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.pending:
                self.pending.pop(data["id"]).set_result(data)
            elif data.get("method") == "Network.webSocketFrameReceived":
                frame = data["params"]["response"]
                payload = frame["payloadData"]
                text = base64.b64decode(payload).decode("utf-8", "replace") if frame["opcode"] == 2 else payload
                self.frames[data["sessionId"]].append(text)
            elif data.get("method") == "Browser.downloadProgress":
                self.downloads.append(data["params"])
            elif data.get("method") == "Network.requestWillBeSent":
                self.requests.append(data["params"]["request"]["url"])
            elif data.get("method") == "Network.webSocketCreated":
                self.requests.append(data["params"]["url"])
            elif data.get("method") == "Network.loadingFailed":
                self.failed.append(data["params"])

    async def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        i = next(self.ids)
        message: dict[str, Any] = {"id": i, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[i] = future
        await self.ws.send_str(json.dumps(message))
        reply = await asyncio.wait_for(future, 10)
        assert "error" not in reply, reply
        return reply.get("result", {})

    async def open(self, url: str) -> str:
        target = (await self.send("Target.createTarget", {"url": "about:blank"}))["targetId"]
        session: str = (await self.send("Target.attachToTarget", {"targetId": target, "flatten": True}))["sessionId"]
        await self.send("Network.enable", session=session)
        await self.send("Page.enable", session=session)
        await self.send("Page.navigate", {"url": url}, session=session)
        return session

    def screen(self, session: str) -> str:
        """Everything the app has drawn in this tab, escape sequences removed."""
        return ANSI.sub("", "".join(self.frames[session]))

    async def until(self, ok: Callable[[], bool], what: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while not ok():
            if time.monotonic() > end:
                tail = "\n".join(self.screen(s)[-1500:] for s in self.frames)
                pytest.fail(f"timed out waiting for {what}; the app drew, last:\n{tail}")
            await asyncio.sleep(0.05)

    async def settle(self, session: str, quiet: float = 0.25, timeout: float = 10) -> None:
        """Wait until the app has drawn nothing new for `quiet` seconds (it has handled the input)."""
        end = time.monotonic() + timeout
        seen, since = len(self.frames[session]), time.monotonic()
        while time.monotonic() < end:
            await asyncio.sleep(0.05)
            if len(self.frames[session]) != seen:
                seen, since = len(self.frames[session]), time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    async def evaluate(self, session: str, expression: str) -> Any:
        reply = await self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                     "returnByValue": True}, session=session)
        assert "exceptionDetails" not in reply, reply
        return reply["result"].get("value")

    async def focus_terminal(self, session: str) -> None:
        await self.send("Runtime.evaluate", {"expression": "document.querySelector('.xterm-helper-textarea').focus()"},
                        session=session)

    async def type(self, session: str, text: str) -> None:
        await self.send("Input.insertText", {"text": text}, session=session)

    async def key(self, session: str, key: str, code: str, vk: int, text: str = "", modifiers: int = 0) -> None:
        down: dict[str, Any] = {"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk,
                                "modifiers": modifiers}
        if text:
            down["text"] = text
        await self.send("Input.dispatchKeyEvent", down, session=session)
        await self.send("Input.dispatchKeyEvent", {**down, "type": "keyUp", "text": ""}, session=session)


async def fill_first_run(b: Browser, tab: str) -> None:
    """The first-run form (already drawn): Zoltan, with Quinn; then the coach's first message."""
    await b.settle(tab, quiet=0.5)  # the form has taken the focus
    await b.focus_terminal(tab)
    for step in ("Zoltan", "Enter", "Tab", "Quinn", "Enter"):  # one at a time: each step moves the focus
        if step == "Enter":
            await b.key(tab, "Enter", "Enter", 13, "\r")
        elif step == "Tab":
            await b.key(tab, "Tab", "Tab", 9, "\t")
        else:
            await b.type(tab, step)
        await asyncio.sleep(0.1)
        await b.settle(tab)
    await b.until(lambda: FIRST_MESSAGE in b.screen(tab), "the coach's first message")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str], Path, Path]]:
    port = free_port()
    scratch, data = tmp_path / "tmp", tmp_path / "data"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "COACH_DATA_DIR": str(data)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "coach.cli.main", "serve", "--port", str(port),
         "--flow", "fit_check", "--role", "mentee"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert f"serving on http://127.0.0.1:{port}/" in first, first + proc.stdout.read()
        yield port, proc, scratch, data
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[str]:
    profile = tmp_path / "chromium-profile"
    proc = subprocess.Popen(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         # No internet: no name resolves (fonts.googleapis.com neither), only the server's address.
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         "--window-size=1200,800", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        assert proc.stderr is not None
        end = time.monotonic() + 20
        while time.monotonic() < end:
            line = proc.stderr.readline()
            if m := re.search(r"DevTools listening on (ws://\S+)", line):
                yield m.group(1)
                break
            assert line or proc.poll() is None, "chromium exited before it was ready"
        else:
            pytest.fail("chromium did not start its DevTools endpoint")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_the_chat_appears_in_a_browser_each_tab_isolated(
    server: tuple[int, subprocess.Popen[str], Path, Path], chromium: str, tmp_path: Path
) -> None:
    import aiohttp

    port, proc, scratch, data = server
    downloads = tmp_path / "downloads"
    downloads.mkdir()

    async def scenario() -> None:
        async with aiohttp.ClientSession() as http, http.ws_connect(chromium, max_msg_size=0) as ws:
            b = Browser(ws)
            await b.send("Browser.setDownloadBehavior",
                         {"behavior": "allow", "downloadPath": str(downloads), "eventsEnabled": True})
            tab = await b.open(f"http://127.0.0.1:{port}/")
            await b.until(lambda: "Welcome to coach" in b.screen(tab), "the first-run form")
            await fill_first_run(b, tab)
            assert "Zoltan (mentee) with Quinn" in b.screen(tab)

            await b.key(tab, "F8", "F8", 119)  # export the conversation (Ctrl+O in a terminal: a browser's "open")
            await b.until(lambda: any(d["state"] == "completed" for d in b.downloads), "the download")
            (export,) = downloads.iterdir()
            assert export.suffix == ".md" and FIRST_MESSAGE in export.read_text(encoding="utf-8")

            other = await b.open(f"http://127.0.0.1:{port}/")  # another participant
            await b.until(lambda: "Welcome to coach" in b.screen(other), "the second tab's own first-run form")
            assert "Zoltan" not in b.screen(other)
            sessions = [p for p in scratch.glob("coach-serve-*/participant-*") if p.is_dir()]
            assert len(sessions) == 2, sessions  # one temporary data folder per connection
            b.reader.cancel()

    asyncio.run(asyncio.wait_for(scenario(), 120))
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=15) == 0
    assert not list(scratch.iterdir()), "temporary data left behind"
    assert not data.exists(), "the data folder was touched"


GOAL = "Lead the platform migration at work by June 2027"
NEXT_QUESTION = GOAL + "”"  # the next question quotes the goal (its wording varies)
FONT_LOADED = """document.fonts.ready.then(() => Array.from(document.fonts).filter(
    f => f.family.replace(/"/g, "") === "Roboto Mono" && f.status === "loaded").length)"""


def test_offline_a_reload_resumes_the_participant_with_browser_safe_keys(
    server: tuple[int, subprocess.Popen[str], Path, Path], chromium: str, tmp_path: Path
) -> None:
    """With no name resolving (no internet) the page loads everything from the server; a reload
    reconnects to the same participant's conversation with the answer kept, and the served keys
    (F4 summary, F8 export: no Ctrl key a browser takes) reach the app."""
    import aiohttp

    port, proc, scratch, data = server
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    own = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/", "data:")

    async def scenario() -> None:
        async with aiohttp.ClientSession() as http, http.ws_connect(chromium, max_msg_size=0) as ws:
            b = Browser(ws)
            await b.send("Browser.setDownloadBehavior",
                         {"behavior": "allow", "downloadPath": str(downloads), "eventsEnabled": True})
            tab = await b.open(f"http://127.0.0.1:{port}/")
            await b.until(lambda: "Welcome to coach" in b.screen(tab), "the first-run form")
            assert await b.evaluate(tab, FONT_LOADED) >= 1, "the terminal's font did not load"
            assert b.requests and all(url.startswith(own) for url in b.requests), b.requests
            assert not b.failed, b.failed

            await fill_first_run(b, tab)
            await b.settle(tab, quiet=0.5)
            await b.type(tab, GOAL)
            await b.until(lambda: GOAL in b.screen(tab), "the goal typed in the answer line")
            await b.key(tab, "Enter", "Enter", 13, "\r")
            await b.until(lambda: NEXT_QUESTION in b.screen(tab), "the question after the goal")
            (folder,) = scratch.glob("coach-serve-*/participant-*")

            b.frames[tab].clear()
            await b.send("Page.reload", session=tab)
            await b.until(lambda: "Welcome back" in b.screen(tab), "the resumed conversation")
            await b.until(lambda: NEXT_QUESTION in b.screen(tab), "the question it had reached")
            assert "Welcome to coach" not in b.screen(tab)
            assert list(scratch.glob("coach-serve-*/participant-*")) == [folder]  # the same participant

            await b.settle(tab, quiet=0.5)
            await b.focus_terminal(tab)
            b.frames[tab].clear()
            await b.key(tab, "F4", "F4", 115)  # the summary of the answers so far
            await b.until(lambda: "platform migration" in b.screen(tab), "the summary with the goal")
            await b.settle(tab)
            await b.key(tab, "F8", "F8", 119)  # export the conversation
            await b.until(lambda: any(d["state"] == "completed" for d in b.downloads), "the download")
            (export,) = downloads.iterdir()
            assert GOAL in export.read_text(encoding="utf-8")
            assert all(url.startswith(own) for url in b.requests), b.requests
            b.reader.cancel()

    asyncio.run(asyncio.wait_for(scenario(), 120))
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=15) == 0
    assert not list(scratch.iterdir()), "temporary data left behind"
    assert not data.exists(), "the data folder was touched"
