"""`coach serve --facilitator` (coach/cli/facilitator.py): the room view counts where people are and
what kind of input they gave, never what they typed; a count shows only with at least 3 people in
it; the page and its CSV need the token printed at start, on loopback only."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import pytest
from servekit import FIRST_RUN, Participant, coach_serve

from coach.app.memory import MemoryRepository
from coach.app.partnership import Texts
from coach.app.room import RoomEvent
from coach.app.service import CoachService
from coach.cli import facilitator
from coach.cli.facilitator import MIN_PEOPLE, Room, to_csv, to_html
from coach.content.library import FlowLibrary
from coach.tui.serve_app import RoomLog

LIBRARY = FlowLibrary.load()
SAY = Texts(LIBRARY.prompts, "en", "cli")
FEWER = "fewer than 3"
SECRETS = ("Xylophonic", "Quetzalcoatlus", "Brobdingnag")  # words only participants type


def line(stage: str, step: str | None, kind: str) -> bytes:
    return json.dumps({"stage": stage, "step": step, "kind": kind}).encode()


def row(room: Room, label: str) -> facilitator.Row:
    (found,) = [r for r in room.rows(SAY) if r.step == label]
    return found


def test_a_step_with_one_or_two_people_shows_no_count_and_three_show_it() -> None:
    room = Room(LIBRARY)
    for who in ("a", "b", "c"):
        room.add(who, line("fit_check", None, "start"))
    for who in ("a", "b"):
        room.add(who, line("fit_check", "ask_goal", "skip"))
        room.add(who, line("fit_check", "ask_goal", "skip"))  # 4 skips, by 2 people: not shown
    for who in ("a", "b", "c"):
        room.add(who, line("fit_check", "ask_vision", "why"))
    goal, vision = row(room, "Goal"), row(room, "Longer-term vision")
    assert goal.counts["skip"] is None and goal.here is None
    assert vision.counts["why"] == 3 and vision.here == 3
    assert vision.counts["skip"] is None  # nobody: not "0" either
    room.add("c", line("fit_check", "ask_goal", "skip"))
    assert row(room, "Goal").counts["skip"] == 5  # now 3 people skipped there: all their skips count
    assert row(room, "Longer-term vision").here is None  # c moved: 2 left there
    assert f"Goal,{FEWER},5," in to_csv(room, SAY)
    assert "<td>Goal</td><td>fewer than 3</td><td>5</td>" in to_html(room, SAY, "t", "en")


def test_a_stage_fewer_than_three_people_started_is_one_line_without_steps() -> None:
    room = Room(LIBRARY)
    for who in ("a", "b"):
        room.add(who, line("fit_check", None, "start"))
        room.add(who, line("fit_check", "ask_goal", "give_up"))
    rows = room.rows(SAY)
    assert len(rows) == 1 and rows[0].step == "" and rows[0].here is None
    assert set(rows[0].counts.values()) == {None}
    assert room.participants() is None
    page = to_html(room, SAY, "t", "en")
    assert "Participants: fewer than 3" in page and "Goal" not in page


def test_only_the_librarys_ids_reach_the_aggregate_whatever_a_log_says() -> None:
    room = Room(LIBRARY)
    for who in ("a", "b", "c"):
        room.add(who, line("fit_check", None, "start"))
        room.add(who, line("fit_check", "ask_goal", "answer"))
        room.add(who, line("<script>Xylophonic</script>", "ask_goal", "skip"))  # not a stage
        room.add(who, line("fit_check", "Xylophonic", "skip"))  # not a step
        room.add(who, line("fit_check", "ask_goal", "Xylophonic"))  # not a kind
        room.add(who, json.dumps({"stage": "fit_check", "step": "ask_goal", "kind": "skip",
                                  "text": "Xylophonic"}).encode())  # more than the three fields
        room.add(who, b"Xylophonic, not JSON")
    assert "Xylophonic" not in repr(room.__dict__)
    assert "Xylophonic" not in to_csv(room, SAY) and "Xylophonic" not in to_html(room, SAY, "t", "en")
    assert row(room, "Goal").counts["skip"] is None


def test_the_page_escapes_what_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    room = Room(LIBRARY)
    for who in ("a", "b", "c"):
        room.add(who, line("fit_check", "ask_goal", "why"))
    monkeypatch.setattr(Room, "label", lambda self, stage, row, say: "<b>&label")
    page = to_html(room, SAY, 'x"><script>', "en")
    assert "<b>&label" not in page and "&lt;b&gt;&amp;label" in page
    assert "<script>" not in page


def test_a_participants_room_log_holds_stage_step_and_kind_only(tmp_path: Path) -> None:
    log = tmp_path / "room.jsonl"
    service = CoachService(LIBRARY, MemoryRepository(), observer=RoomLog(log))
    profile = service.add_profile("Ana", "mentee")
    chat = service.open_stage(profile, service.add_relationship(profile, "Sam"), "fit_check")
    service.answer(chat, f"I want to grow into {SECRETS[0]} leadership within a year")
    service.answer(chat, "/why")
    service.answer(chat, f"/skip {SECRETS[1]}")
    text = log.read_text(encoding="utf-8")
    assert not any(word in text for word in SECRETS)
    events = [json.loads(x) for x in text.splitlines()]
    assert all(set(e) == {"stage", "step", "kind"} for e in events)
    assert [e["kind"] for e in events] == ["start", "answer", "why", "skip"]
    assert log.stat().st_mode & 0o077 == 0
    RoomLog(tmp_path / "no" / "such" / "folder.jsonl")(RoomEvent("fit_check", None, "start"))  # never raises


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _listening_addresses(port: int) -> set[str]:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for entry in Path(table).read_text().splitlines()[1:]:
            local, state = entry.split()[1], entry.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if int(hex_port, 16) == port and state == "0A":
                found.add(address)
    return found


def test_the_room_view_needs_its_token_and_listens_on_loopback_only(tmp_path: Path) -> None:
    with coach_serve(tmp_path, "--host", "0.0.0.0", "--facilitator", "--room-csv", str(tmp_path / "room.csv")) as s:
        assert s.proc.stdout is not None
        announced = s.proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", announced)
        assert url, announced
        port, token = int(url.group(1)), url.group(2)
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, though the chat is on 0.0.0.0
        base = f"http://127.0.0.1:{port}"
        assert _get(f"{base}/")[0] == 403
        assert _get(f"{base}/?token=wrong")[0] == 403
        assert _get(f"{base}/room.csv")[0] == 403
        assert _get(f"{base}/room.csv?token={token[:-1]}")[0] == 403
        status, page = _get(f"{base}/?token={token}")
        assert status == 200 and "Nobody has started a stage yet." in page
        assert _get(f"{base}/room.csv?token={token}")[0] == 200


def test_participants_typing_distinctive_words_leave_none_in_the_room_view(tmp_path: Path) -> None:
    stop_csv = tmp_path / "room.csv"
    with coach_serve(tmp_path, "--flow", "fit_check", "--role", "mentee", "--facilitator",
                     "--room-csv", str(stop_csv)) as served:
        assert served.proc.stdout is not None
        url = re.search(r"http://\S+", served.proc.stdout.readline())
        assert url
        page_url = url.group(0)

        async def room() -> None:
            async with aiohttp.ClientSession() as session:
                people = [Participant(served.port) for _ in SECRETS]
                await asyncio.gather(*(p.connect(session) for p in people))
                await asyncio.gather(*(p.until(FIRST_RUN) for p in people))

                async def take_part(p: Participant, word: str) -> None:
                    await p.settle(0.2)
                    await p.type(f"{word}son", "\r", "\t", f"{word}ina", "\r")
                    await p.until("Before you commit")
                    await p.type(f"My goal is {word} mastery", "\r", "/skip", "\r")

                await asyncio.gather(*(take_part(p, w) for p, w in zip(people, SECRETS, strict=True)))
                await asyncio.sleep(0.5)
                for p in people:
                    await p.close()

        asyncio.run(asyncio.wait_for(room(), 25))
        status, page = _get(page_url)
        status_csv, table = _get(page_url.replace("/?", "/room.csv?"))
        logs = "".join(p.read_text(encoding="utf-8") for p in served.scratch.glob("participant-*/room.jsonl"))
        stored = b"".join(p.read_bytes() for p in served.scratch.rglob("*") if p.is_file())
    assert status == 200 and status_csv == 200
    assert all(word.encode() in stored for word in SECRETS)  # the participants' own stores have them
    for text in (page, table, logs, stop_csv.read_text(encoding="utf-8")):
        assert not any(word in text for word in SECRETS)
    assert "Participants: 3" in page
    rows = {r[1]: r for r in csv.reader(io.StringIO(table))}
    assert rows["(starting)"][2] == FEWER
    assert int(rows["Goal"][3]) >= MIN_PEOPLE or int(rows["Longer-term vision"][3]) >= MIN_PEOPLE  # the skips
    assert stop_csv.read_bytes().decode("utf-8") == table  # written on stop, before the folders went
