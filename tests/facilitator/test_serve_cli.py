"""`coach serve` without a browser: address checks and messages, the per-connection command,
and the child process's temporary data folder."""

from __future__ import annotations

import argparse
import http.client
import re
import shlex
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coach.cli import serve
from coach.cli.main import build_parser, main
from coach.content.library import FlowLibrary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FakeServer:
    def __init__(self, command: str, host: str, port: int) -> None:
        self.command, self.host, self.port = command, host, port
        self.served = False

    def serve(self) -> None:
        self.served = True


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[FakeServer]:
    made: list[FakeServer] = []

    def make(command: str, host: str, port: int, scratch: Path, say: object, **options: object) -> FakeServer:
        made.append(FakeServer(command, host, port))
        return made[-1]

    monkeypatch.setattr(serve, "_server", make)
    return made


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("192.168.1.10", False), ("example.org", False),
])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert serve.is_loopback(host) is loopback


def test_defaults_bind_loopback_port_8000() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_serves_on_loopback_quietly(fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    assert main(["serve", "--port", str(port)]) == 0
    (server,) = fake_server
    assert server.served and (server.host, server.port) == ("127.0.0.1", port)
    assert capsys.readouterr().err == ""


def test_a_non_loopback_host_gets_a_one_line_warning(
    fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    assert main(["serve", "--host", "0.0.0.0", "--port", str(port)]) == 0
    err = capsys.readouterr().err
    assert err == (f"coach: warning: listening on 0.0.0.0: anyone who can reach this machine on port {port} "
                   "can use it\n")


def test_a_port_in_use_is_one_clear_line(fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err == (f"coach: port {port} is already in use on 127.0.0.1: stop what uses it, "
                   "or pick another with --port\n")
    assert not fake_server


@pytest.mark.parametrize(("argv", "message"), [
    (["--host", "nosuch.invalid"], "coach: --host nosuch.invalid: cannot use this address"),
    (["--flow", "nope"], "coach: unknown flow 'nope'; known flows: "),
])
def test_bad_options_are_one_line(
    fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["serve", "--port", str(free_port()), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert not fake_server


def test_each_connection_runs_a_child_with_the_same_flows_stage_and_language(
    fake_server: list[FakeServer], tmp_path: Path
) -> None:
    flows = tmp_path / "my flows"
    flows.mkdir()
    port = free_port()
    assert main(["--flows", str(flows), "--lang", "es_MX", "serve", "--port", str(port), "--flow", "fit_check",
                 "--role", "mentor", "--theme", "light"]) == 0
    argv = shlex.split(fake_server[0].command)
    assert argv[:3] == [sys.executable, "-m", "coach.cli.main"]
    assert argv[3:5] == ["--flows", str(flows.resolve())]
    assert argv[5:7] == ["--lang", "es"]  # the language the texts exist in
    assert argv[7:10] == ["serve", "--child", "--scratch"]
    assert argv[11:] == ["--theme", "light", "--flow", "fit_check", "--role", "mentor"]
    assert not Path(argv[10]).exists()  # the server's scratch folder is removed when it stops


def test_the_child_keeps_its_data_in_a_temporary_folder_and_removes_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from coach.tui import serve_app

    seen: dict[str, Any] = {}

    def fake_run(self: serve_app.ServeApp) -> None:
        seen["data_dir"] = self.data_dir
        seen["existed"] = self.data_dir.is_dir()
        seen["library"] = self.library_factory()

    monkeypatch.setattr(serve_app.ServeApp, "run", fake_run)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "mine"))
    assert main(["serve", "--child", "--scratch", str(tmp_path), "--flow", "fit_check"]) == 0
    assert seen["existed"] and seen["data_dir"].parent == tmp_path
    assert isinstance(seen["library"], FlowLibrary)
    assert not seen["data_dir"].exists()
    assert not (tmp_path / "mine").exists()


def test_exports_are_delivered(tmp_path: Path) -> None:
    from coach.app.documents import ChatExports

    delivered: list[Path] = []
    exports = ChatExports(tmp_path, date.today, on_written=delivered.append)
    path = exports.markdown("fit_check-fit_report", "# Report")
    assert delivered == [path] and path.read_text(encoding="utf-8") == "# Report\n"


async def test_the_served_app_hands_every_export_to_the_browser(tmp_path: Path) -> None:
    from coach.tui.serve_app import ServeApp

    app = ServeApp(FlowLibrary.load, tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.data.open()
        path = await app.data.call(app.exports().markdown, "fit_check-fit_report", "# Report")
        await pilot.pause()
        assert app.delivered == [path] and path.parent == tmp_path / "data" / "exports"
    app.data.close()


def test_the_child_option_is_hidden() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    text = sub.choices["serve"].format_help()
    assert "--child" not in text and "--scratch" not in text
    assert "--host" in text and "--port" in text


@contextmanager
def real_server(tmp_path: Path) -> Iterator[int]:
    """`coach serve` in a process of its own (temporary files under `tmp_path`), on the port it
    yields; stopped with Ctrl+C at the end, which it must take as a clean exit."""
    import os
    import signal
    import subprocess

    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "coach.cli.main", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        assert proc.stdout is not None and "serving on" in proc.stdout.readline()
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=15) == 0


def get_page(port: int, host: str) -> tuple[http.client.HTTPResponse, str]:
    """The served page, asked for with `host` in the Host header (retried while the server starts)."""
    import time

    end = time.monotonic() + 10
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/", headers={"Host": host})
            response = conn.getresponse()
            return response, response.read().decode()
        except ConnectionError:
            assert time.monotonic() < end
            time.sleep(0.1)


def test_the_page_points_the_browser_back_at_the_address_it_used(tmp_path: Path) -> None:
    """Bound to 0.0.0.0, the page must not tell browsers to connect to 0.0.0.0: its URLs follow
    the Host the browser asked for (checked here on loopback, with another Host header)."""
    with real_server(tmp_path) as port:
        _, page = get_page(port, "coach.example:4321")
        assert 'data-session-websocket-url="ws://coach.example:4321/ws"' in page
        assert "http://coach.example:4321/static/" in page


def test_document_exports_deliver_the_calendar_too(tmp_path: Path) -> None:
    from coach.app.documents import ChatExports
    from coach.models import Artifact

    agreement = Artifact(stage="commitment", kind="mentoring_agreement", title="Mentoring agreement",
                         markdown="# Mentoring agreement",
                         data={"first_meeting": "2026-12-03", "cadence": "weekly", "end_date": "2027-01-03"})
    delivered: list[Path] = []
    paths = ChatExports(tmp_path, date.today, on_written=delivered.append).documents([agreement], "Sam")
    assert delivered == paths
    assert sorted(p.suffix for p in delivered) == [".ics", ".md"]


EXTERNAL_URL = re.compile(r"""(?:https?:|wss?:)?//(?!coach\.example:4321/)[^\s"'<>)]+""")


def external_urls(page: str) -> list[str]:
    """Every URL in `page` that does not point at the server the page was asked from."""
    return [m.group(0) for m in EXTERNAL_URL.finditer(page)]


def test_the_page_template_needs_no_internet() -> None:
    """Our template links only the server's own static files (the font too); textual-serve's own,
    which this replaces, links Google Fonts (so the check can fail)."""
    import textual_serve

    ours = serve.PAGE_TEMPLATES / "app_index.html"
    theirs = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    assert "fonts.googleapis.com" in " ".join(external_urls(theirs.read_text(encoding="utf-8")))
    text = ours.read_text(encoding="utf-8")
    assert external_urls(text) == []
    assert "{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf" in text
    static = Path(textual_serve.__file__).parent / "static" / "fonts" / "RobotoMono-VariableFont_wght.ttf"
    assert static.is_file()


@pytest.mark.parametrize("participant", ["0" * 32, "0123456789abcdef" * 2])
def test_a_participant_connection_runs_the_child_for_that_participant(participant: str) -> None:
    argv = shlex.split(serve.participant_command("python -m coach.cli.main serve --child", participant))
    assert argv[-2:] == ["--participant", participant]


@pytest.mark.parametrize("participant", ["", "../../etc", "0" * 31, "0" * 33, "ABCDEF" + "0" * 26, "0" * 31 + ";"])
def test_anything_but_a_participant_id_is_refused(participant: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError):
        serve.participant_command("coach", participant)
    assert main(["serve", "--child", "--scratch", str(tmp_path), "--participant", participant]) == 2
    assert capsys.readouterr().err.startswith("coach: not a participant id")
    assert list(tmp_path.iterdir()) == []


def test_a_participant_child_keeps_its_folder_for_the_next_connection(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from coach.tui import serve_app

    seen: list[Path] = []

    def fake_run(self: serve_app.ServeApp) -> None:
        seen.append(self.data_dir)
        (self.data_dir / "answers").write_text(str(len(seen)), encoding="utf-8")

    monkeypatch.setattr(serve_app.ServeApp, "run", fake_run)
    participant = "ab" * 16
    for _ in range(2):  # a connection, then the reload's
        assert main(["serve", "--child", "--scratch", str(tmp_path), "--participant", participant]) == 0
    assert seen == [tmp_path / f"participant-{participant}"] * 2
    assert (seen[0] / "answers").read_text(encoding="utf-8") == "2"
    assert seen[0].stat().st_mode & 0o077 == 0  # the participant's answers: for the server's user only


def test_the_served_page_points_at_its_participant_websocket(tmp_path: Path) -> None:
    """The page the server sends: no URL off the server, the per-tab participant script, and the
    /ws/<id> route answering; a second connection for the same participant ends the first (a
    reload's new page takes over); a bad id is refused."""
    import asyncio

    import aiohttp

    with real_server(tmp_path) as port:
        response, page = get_page(port, "coach.example:4321")
        assert external_urls(page) == [], external_urls(page)
        assert "sessionStorage" in page and '"/ws/" + id' in page
        assert response.getheader("Cache-Control") == "no-store"

        async def connections() -> None:
            url = f"ws://127.0.0.1:{port}/ws/{'cd' * 16}?width=80&height=24"
            async with aiohttp.ClientSession() as http_session:
                first = await http_session.ws_connect(url)
                got = await first.receive(timeout=30)  # the app draws
                assert got.type == aiohttp.WSMsgType.BINARY
                second = await http_session.ws_connect(url)
                while True:  # the first connection's app stops, and its socket closes
                    message = await first.receive(timeout=30)
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                        break
                got = await second.receive(timeout=30)
                assert got.type == aiohttp.WSMsgType.BINARY  # the second's app draws
                await second.close()
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await http_session.ws_connect(f"ws://127.0.0.1:{port}/ws/not-an-id")
                assert refused.value.status == 400

        asyncio.run(asyncio.wait_for(connections(), 90))
        folders = list(tmp_path.glob("coach-serve-*/participant-*"))
        assert [p.name for p in folders] == [f"participant-{'cd' * 16}"]
    assert not list(tmp_path.glob("coach-serve-*")), "the participants' data outlived the server"


def _post(port: int, path: str, body: bytes) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", path, body=body, headers={"Content-Type": "application/octet-stream"})
    response = conn.getresponse()
    return response.status, response.read().decode()


def test_a_packet_uploaded_from_the_page_lands_in_that_participants_inbox_only(tmp_path: Path) -> None:
    import stat

    participant, other = "a" * 32, "b" * 32
    with real_server(tmp_path) as port:
        get_page(port, f"127.0.0.1:{port}")  # up
        (scratch,) = tmp_path.glob("coach-serve-*")
        assert _post(port, f"/upload/{participant}", b"{}")[0] == 404  # no app has started for them
        (scratch / f"participant-{participant}").mkdir()
        (scratch / f"participant-{other}").mkdir()
        status, text = _post(port, f"/upload/{participant}", b'{"format": "coach-packet"}')
        assert status == 200 and "received" in text
        (uploaded,) = (scratch / f"participant-{participant}" / "inbox").glob("*.coach")
        assert uploaded.read_bytes() == b'{"format": "coach-packet"}'
        assert stat.S_IMODE(uploaded.stat().st_mode) == 0o600
        assert not (scratch / f"participant-{other}" / "inbox").exists()
        assert _post(port, "/upload/..%2F..%2Fetc", b"{}")[0] in (400, 404)
        assert _post(port, f"/upload/{participant}", b"x" * (2 * 1024 * 1024 + 1))[0] == 413
        assert len(list((scratch / f"participant-{participant}" / "inbox").glob("*.coach"))) == 1


def test_the_page_has_a_button_to_add_a_packet(tmp_path: Path) -> None:
    with real_server(tmp_path) as port:
        _, page = get_page(port, f"127.0.0.1:{port}")
    assert 'id="packet-file"' in page and '"/upload/" + id' in page
