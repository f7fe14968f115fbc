"""`coach serve`'s warm start (coach/cli/serve_pool.py): participants' apps forked from one loaded
template, each isolated from the others and from the template: a fresh, empty folder of its own,
its own store and service, no descriptor of the template or of another participant, its own random
numbers; a reload reconnects to the same folder; everything ends with the server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from servekit import FIRST_RUN, Participant, coach_serve, open_files

from coach.cli import serve_pool

SECRET_NAME = "Zorblaxian"  # a word only participant A types


def test_each_participant_gets_a_fresh_folder_and_a_process_of_its_own(tmp_path: Path) -> None:
    with coach_serve(tmp_path, "--ready", "1") as served:
        scratch = served.scratch
        assert [p.name for p in scratch.iterdir() if p.name.startswith("participant-")] == []

        async def room() -> tuple[Participant, Participant, dict[int, set[str]]]:
            async with aiohttp.ClientSession() as session:
                a, b = Participant(served.port), Participant(served.port)
                await asyncio.sleep(1.0)  # the app started ahead is up: a adopts it, b gets a new one
                await a.connect(session)
                await b.connect(session)
                await asyncio.gather(a.until(FIRST_RUN), b.until(FIRST_RUN))  # both first runs: no profile yet
                owners = {}
                for pid in (served.app_of(a.id), served.app_of(b.id)):
                    mine = {path for path in open_files(pid).values() if path.startswith(str(scratch))}
                    owners[pid] = {Path(path).relative_to(scratch).parts[0] for path in mine}
                await a.close()
                await b.close()
                return a, b, owners

        a, b, owners = asyncio.run(asyncio.wait_for(room(), 30))
        assert len(owners) == 2  # one app per participant
        assert all(len(folders) == 1 for folders in owners.values())  # files of one participant's folder only
        folder_a, folder_b = served.folder_of(a.id), served.folder_of(b.id)
        assert folder_a != folder_b and {folder_a.name, folder_b.name} == set().union(*owners.values())
        assert (scratch / f"participant-{a.id}").is_symlink() and folder_a.name.startswith("ready-")
        assert not (scratch / f"participant-{b.id}").is_symlink()
        for folder in (folder_a, folder_b):
            assert folder.stat().st_mode & 0o077 == 0


def test_an_app_started_ahead_is_nobodys_until_adopted_and_each_has_its_own_fresh_folder(tmp_path: Path) -> None:
    with coach_serve(tmp_path, "--ready", "3") as served:
        scratch = served.scratch
        end = time.monotonic() + 8
        while len(list(scratch.glob("ready-*"))) < 3 and time.monotonic() < end:
            time.sleep(0.1)
        time.sleep(0.5)
        ready = sorted(scratch.glob("ready-*"))
        assert len(ready) == 3 and not list(scratch.glob("participant-*"))
        for folder in ready:  # made by its own app, nothing in it but that app's empty store
            stored = [json.loads(p.read_text(encoding="utf-8")) for p in folder.rglob("*.json")]
            assert stored and all(not d.get("profiles") and not d.get("relationships") for d in stored)
        holders = [{p for p in open_files(pid).values() if p.startswith(str(scratch))} for pid in served.apps()]
        assert len(holders) == 3
        assert all(len({Path(p).relative_to(scratch).parts[0] for p in files}) == 1 for files in holders)


def test_an_app_inherits_nothing_open_from_the_template(tmp_path: Path) -> None:
    with coach_serve(tmp_path) as served:

        async def one() -> dict[int, str]:
            async with aiohttp.ClientSession() as session:
                a = Participant(served.port)
                await a.connect(session)
                await a.until(FIRST_RUN)
                pid = served.app_of(a.id)
                files = open_files(pid)
                (template,) = [p for p in served.descendants() if p not in served.apps()]
                template_sockets = {path for path in open_files(template).values() if path.startswith("socket:")}
                await a.close()
                assert not template_sockets & set(files.values()), "the template's socket reached the app"
                return files

        files = asyncio.run(asyncio.wait_for(one(), 30))
        assert files[0].startswith("pipe:") and files[1].startswith("pipe:") and files[2].startswith("pipe:")
        scratch = str(served.scratch)
        for fd, path in files.items():
            if fd > 2 and path.startswith("/"):
                assert path.startswith(scratch) or path.startswith("/dev/"), (fd, path)


def test_one_participants_answers_never_reach_another(tmp_path: Path) -> None:
    with coach_serve(tmp_path) as served:

        async def room() -> tuple[Participant, Participant]:
            async with aiohttp.ClientSession() as session:
                a, b = Participant(served.port), Participant(served.port)
                await asyncio.gather(a.connect(session), b.connect(session))
                await asyncio.gather(a.until(FIRST_RUN), b.until(FIRST_RUN))
                await a.settle()
                await a.type(SECRET_NAME, "\r", "\t", "Quinn", "\r")
                await a.until(SECRET_NAME)
                await asyncio.sleep(1.0)  # A's profile stored
                await b.settle()
                await a.close()
                await b.close()
                return a, b

        a, b = asyncio.run(asyncio.wait_for(room(), 30))
        assert SECRET_NAME not in b.text and FIRST_RUN in b.text
        folder_a, folder_b = served.scratch / f"participant-{a.id}", served.scratch / f"participant-{b.id}"
        in_a = b"".join(p.read_bytes() for p in folder_a.rglob("*") if p.is_file())
        in_b = b"".join(p.read_bytes() for p in folder_b.rglob("*") if p.is_file())
        assert SECRET_NAME.encode() in in_a  # A's store has A's answer
        assert SECRET_NAME.encode() not in in_b


def test_a_reload_reconnects_to_the_same_folder_and_everything_ends_with_the_server(tmp_path: Path) -> None:
    with coach_serve(tmp_path, "--ready", "1") as served:
        scratch = served.scratch

        async def twice() -> tuple[int, int]:
            async with aiohttp.ClientSession() as session:
                a = Participant(served.port)
                await asyncio.sleep(1.0)  # the app started ahead is up: the first connection adopts it
                await a.connect(session)
                await a.until(FIRST_RUN)
                first = served.app_of(a.id)
                (scratch / f"participant-{a.id}" / "mark").write_text("kept", encoding="utf-8")
                await a.close()
                await a.connect(session)  # the reloaded tab: the same id
                await a.until(FIRST_RUN)
                await asyncio.sleep(0.3)
                second = served.app_of(a.id)
                await a.close()
                return first, second

        first, second = asyncio.run(asyncio.wait_for(twice(), 30))
        assert first != second
        (folder,) = [p for p in scratch.iterdir() if p.name.startswith("participant-")]
        assert (folder / "mark").read_text(encoding="utf-8") == "kept"
        everyone = served.descendants()
        served.proc.send_signal(signal.SIGTERM)
        served.proc.wait(15)
        assert not scratch.exists()
        for pid in everyone:
            assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_the_cold_way_is_kept_for_the_benchmark(tmp_path: Path) -> None:
    with coach_serve(tmp_path, env={"COACH_SERVE_COLD": "1"}) as served:

        async def one() -> list[int]:
            async with aiohttp.ClientSession() as session:
                a = Participant(served.port)
                await a.connect(session)
                await a.until(FIRST_RUN, timeout=9)
                apps = served.descendants()
                await a.close()
                return apps

        apps = asyncio.run(asyncio.wait_for(one(), 30))
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in apps
                    if Path(f"/proc/{pid}").exists()]
        assert any(b"--child" in argv for argv in commands)
        assert not any(b"--template" in argv for argv in commands)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_forked_app_closes_the_templates_descriptors_and_draws_its_own_random_numbers() -> None:
    """`become_app` in two forks of this process: fds 0-2 are the given pipes, nothing else stays
    open, and `random` gives each a different sequence (fork alone copies its state)."""
    opened = os.open(os.devnull, os.O_RDONLY)
    leaked = os.dup2(opened, 57)  # stands for the template's socket and files
    os.close(opened)
    seen = []
    try:
        for _ in range(2):
            stdin_r, stdin_w = os.pipe()
            out_r, out_w = os.pipe()
            err_r, err_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover (the child)
                try:
                    serve_pool.become_app([stdin_r, out_w, err_w], 90, 33)
                    import random

                    report = {"fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd")),
                              "random": random.random(), "size": [os.environ["COLUMNS"], os.environ["ROWS"]]}
                    os.write(1, json.dumps(report).encode())
                finally:
                    os._exit(0)
            for fd in (stdin_r, out_w, err_w):
                os.close(fd)
            os.close(stdin_w)
            data = b""
            while chunk := os.read(out_r, 4096):
                data += chunk
            os.close(out_r)
            os.close(err_r)
            os.waitpid(pid, 0)
            seen.append(json.loads(data))
    finally:
        os.close(leaked)
    for report in seen:
        assert leaked not in report["fds"]
        assert len(report["fds"]) <= 4  # 0-2, and listdir's own handle on /proc/self/fd
        assert report["size"] == ["90", "33"]
    assert seen[0]["random"] != seen[1]["random"]


def test_the_template_refuses_nothing_the_cold_child_accepts(tmp_path: Path) -> None:
    """The template runs from the same command as the cold child, --child swapped for --template."""
    from coach.cli.serve import template_command

    command = "python -m coach.cli.main --lang es serve --child --scratch /x --theme dark --flow fit_check"
    assert template_command(command) == ["python", "-m", "coach.cli.main", "--lang", "es", "serve", "--template",
                                         "--scratch", "/x", "--theme", "dark", "--flow", "fit_check"]
    assert subprocess.run(  # the hidden options do not show in the help
        [sys.executable, "-m", "coach.cli.main", "serve", "--help"], capture_output=True, text=True,
        check=True).stdout.count("--template") == 0
