"""`coach serve --facilitator`: where the room is, for the person running the workshop.

Each participant's app (a serve child started with --room, hidden) passes
`coach.tui.serve_app.RoomLog` as its
service's observer: every input becomes one line of `room.jsonl` in the participant's own folder,
holding a `RoomEvent`'s three fields (the stage, the step id it was given at, its kind: start,
answer, skip, back, why, help, give_up, done), never what was typed. The server reads those files
(`Room.refresh`), keeps only lines whose stage and step are the flow library's own ids and whose
kind is one of those (anything else is dropped, so nothing but the library's identifiers can reach
the aggregate), and shows, on a second port bound to loopback only and behind a token printed at
start:

- how many participants are at each stage and step (the step of their latest input, or finished);
- how many times people used /skip, /back, /why and gave up, per step;

every count only where at least `MIN_PEOPLE` distinct participants are in it, else "fewer than 3"
(a stage fewer than 3 people started is one line, with no steps). Steps are named by their slot's
label in the flow (never an answer). The same table downloads as CSV, and is written as CSV when the
server stops (the participants' data is deleted then).
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import os
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

    from coach.app.partnership import Texts
    from coach.content.library import FlowLibrary

ROOM_LOG = "room.jsonl"
"""In each participant's folder: the room events of their app, one JSON object a line."""
MIN_PEOPLE = 3
"""A count is shown only when at least this many distinct participants are in it."""
SHOWN_KINDS = ("skip", "back", "why", "give_up")
KINDS = frozenset({"start", "answer", "skip", "back", "why", "help", "give_up", "done"})
REFRESH_EVERY = 5  # seconds between the page's reloads
START, FINISHED = "", "\x00done"  # the rows before a stage's first step and after its end


@dataclass
class Row:
    stage: str  # the stage's title
    step: str  # the step's label ("" for a stage shown as one line)
    here: int | None  # None: fewer than MIN_PEOPLE
    counts: dict[str, int | None]


@dataclass
class Room:
    """What the participants' room logs add up to: where each is, and per step the uses of each kind
    (with who, to apply the threshold). Only library ids are kept."""

    library: FlowLibrary  # localized: titles and labels in the facilitator's language
    latest: dict[str, tuple[str, str]] = field(default_factory=dict)  # participant -> (stage, row)
    started: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # stage -> participants
    uses: dict[tuple[str, str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    offsets: dict[Path, int] = field(default_factory=dict)

    def refresh(self, scratch: Path) -> None:
        """Read what the participants' apps have added since the last time (whole lines only)."""
        for folder in sorted(scratch.glob("participant-*")):
            path = folder / ROOM_LOG
            try:
                with path.open("rb") as file:
                    file.seek(self.offsets.get(path, 0))
                    data = file.read()
            except OSError:
                continue
            whole = data[: data.rfind(b"\n") + 1]
            self.offsets[path] = self.offsets.get(path, 0) + len(whole)
            who = folder.name.removeprefix("participant-")
            for line in whole.splitlines():
                self.add(who, line)

    def add(self, who: str, line: bytes) -> None:
        """One line of a room log: kept only if it is a stage, a step and a kind the library knows."""
        try:
            data = json.loads(line)
        except ValueError:
            return
        if not isinstance(data, dict) or set(data) != {"stage", "step", "kind"}:
            return
        stage, step, kind = data["stage"], data["step"], data["kind"]
        if not isinstance(stage, str) or stage not in self.library.flows or kind not in KINDS:
            return
        if step is not None and (not isinstance(step, str) or step not in self.library.flow(stage).step_ids()):
            return
        self.started[stage].add(who)
        if kind == "done":
            self.latest[who] = (stage, FINISHED)
            return
        if kind == "start":
            self.latest[who] = (stage, START)
            return
        row = step or START
        self.latest[who] = (stage, row)
        self.uses[stage, row, kind].append(who)

    def rows(self, say: Texts) -> list[Row]:
        """The table: per stage (in the library's order), a line per step, with the counts that may be shown."""
        rows: list[Row] = []
        here: dict[tuple[str, str], set[str]] = defaultdict(set)
        for who, where in self.latest.items():
            here[where].add(who)
        for flow in self.library.flows.values():
            stage = flow.flow
            people = self.started.get(stage.id, set())
            if not people:
                continue
            title = stage.title
            if len(people) < MIN_PEOPLE:
                rows.append(Row(title, "", None, dict.fromkeys(SHOWN_KINDS)))
                continue
            steps = [START, *(s.id for s in stage.steps if getattr(s, "slot", None)), FINISHED]
            labels = [self.label(stage.id, row, say) for row in steps]
            for row, label in zip(steps, labels, strict=True):
                if labels.count(label) > 1:
                    label = f"{label} ({row})"  # two steps asking for the same slot
                counts: dict[str, int | None] = {}
                for kind in SHOWN_KINDS:
                    uses = self.uses.get((stage.id, row, kind), [])
                    counts[kind] = len(uses) if len(set(uses)) >= MIN_PEOPLE else None
                now = len(here.get((stage.id, row), set()))
                rows.append(Row(title, label, now if now >= MIN_PEOPLE else None, counts))
        return rows

    def label(self, stage: str, row: str, say: Texts) -> str:
        if row == START:
            return say.say("serve.room.start")
        if row == FINISHED:
            return say.say("serve.room.finished")
        step = self.library.flow(stage).step(row)
        slot = self.library.flow(stage).slots.get(getattr(step, "slot", "") or "")
        return slot.label if slot is not None and slot.label else row

    def participants(self) -> int | None:
        n = len(self.latest)
        return n if n >= MIN_PEOPLE else None


def shown(value: int | None, say: Texts) -> str:
    return say.say("serve.room.fewer", n=MIN_PEOPLE) if value is None else str(value)


def columns(say: Texts) -> list[str]:
    return [say.say(f"serve.room.{name}") for name in ("stage", "step", "here", *SHOWN_KINDS)]


def to_csv(room: Room, say: Texts) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns(say))
    for row in room.rows(say):
        writer.writerow([row.stage, row.step, shown(row.here, say), *(shown(row.counts[k], say) for k in SHOWN_KINDS)])
    return out.getvalue()


def to_html(room: Room, say: Texts, token: str, lang: str) -> str:
    e = html.escape
    head = "".join(f"<th>{e(c)}</th>" for c in columns(say))
    body = []
    for row in room.rows(say):
        cells = [row.stage, row.step, shown(row.here, say), *(shown(row.counts[k], say) for k in SHOWN_KINDS)]
        body.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    table = (f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>" if body
             else f"<p>{e(say.say('serve.room.nobody'))}</p>")
    people = shown(room.participants(), say)
    return f"""<!doctype html>
<html lang="{e(lang)}"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{REFRESH_EVERY}">
<title>{e(say.say("serve.room.title"))}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:.3em .6em;text-align:left}}</style></head>
<body><h1>{e(say.say("serve.room.title"))}</h1>
<p>{e(say.say("serve.room.participants", count=people))}</p>
<p>{e(say.say("serve.room.explain", n=MIN_PEOPLE))}</p>
{table}
<p><a href="room.csv?token={e(token)}" download>{e(say.say("serve.room.download"))}</a></p>
</body></html>
"""


class RoomView:
    """The facilitator's page: a small aiohttp site on loopback, in the server's event loop."""

    def __init__(self, scratch: Path, library: FlowLibrary, say: Texts, lang: str, port: int) -> None:
        self.scratch = scratch
        self.room = Room(library.localized(lang))
        self.say = say
        self.lang = lang
        self.port = port
        self.token = secrets.token_urlsafe(24)
        self.runner: web.AppRunner | None = None
        self.csv_path: Path | None = None  # where the table is written when the server stops

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def allowed(self, request: web.Request) -> bool:
        return secrets.compare_digest(request.query.get("token", "").encode(), self.token.encode())

    async def start(self) -> None:
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/", self.handle_page)
        app.router.add_get("/room.csv", self.handle_csv)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()  # loopback only, whatever --host says

    async def handle_page(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        if not self.allowed(request):
            raise web.HTTPForbidden(text=self.say.say("serve.room.forbidden"))
        self.room.refresh(self.scratch)
        return web.Response(text=to_html(self.room, self.say, self.token, self.lang), content_type="text/html",
                            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    async def handle_csv(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        if not self.allowed(request):
            raise web.HTTPForbidden(text=self.say.say("serve.room.forbidden"))
        self.room.refresh(self.scratch)
        return web.Response(text=to_csv(self.room, self.say), content_type="text/csv",
                            headers={"Content-Disposition": 'attachment; filename="room.csv"',
                                     "Cache-Control": "no-store"})

    async def stop(self, csv_path: Path | None) -> Path | None:
        """Stop the page; with `csv_path`, write the room's table there first (before the
        participants' folders go). Returns where it was written."""
        written = None
        if csv_path is not None:
            self.room.refresh(self.scratch)
            with contextlib.suppress(OSError):
                fd = os.open(csv_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
                    file.write(to_csv(self.room, self.say))
                written = csv_path
        if self.runner is not None:
            await self.runner.cleanup()
        return written


def room_view_port(args: Any) -> int:
    """The facilitator's port: --facilitator-port, else the server's + 1."""
    port: int = args.facilitator_port or (args.port + 1 if args.port < 65535 else args.port - 1)
    return port
