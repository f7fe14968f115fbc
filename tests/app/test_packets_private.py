"""Private answers never leave: every shipped stage, for every role it is written for, played with
generated answers (each free-text answer and list item a unique marker word), then shared; no
marker given to a private slot may appear anywhere in any packet's bytes (answers, documents, the
Markdown view), and every shared answer is of a slot declared (or defaulted) `partner`."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.app.errors import AppError
from coach.app.memory import MemoryRepository
from coach.app.service import CoachService
from coach.app.views import Chat
from coach.content.library import FlowLibrary
from coach.content.visibility import slot_visibility
from coach.models import STAGES, Role

TODAY = date(2026, 11, 27)
MAX_TURNS = 400
LIBRARY = FlowLibrary.load()  # module-wide, so that hypothesis does not print it with each example


class Player:
    """Answers whatever the coach asks, from a seeded random source; remembers which marker went
    to which slot."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.n = 0
        self.flow = ""
        self.markers: dict[tuple[str, str], set[str]] = {}  # (flow, slot) -> markers typed for it

    def marker(self, slot: str | None) -> str:
        self.n += 1
        word = f"qz{self.n:04d}{self.rnd.choice('kvwxj')}"
        self.markers.setdefault((self.flow, slot or ""), set()).add(word)
        return word

    def answer(self, chat: Chat) -> str:
        conv = chat.conversation
        mode = conv.mode
        if mode == "reviewing":
            return "done"
        if mode == "confirming":
            return "yes"
        if mode == "drafting":
            return "keep"
        if mode == "writing":
            return ""
        q = conv.question()
        if q is None:
            return "yes"
        rnd = self.rnd
        if q.type in ("choice", "multichoice"):
            count = max(1, len(q.choices))
            picks = sorted(rnd.sample(range(1, count + 1), k=1 if q.type == "choice" else rnd.randint(1, count)))
            return ", ".join(map(str, picks))
        if q.type == "scale":
            return str(rnd.randint(int(q.min if q.min is not None else 1), int(q.max if q.max is not None else 5)))
        if q.type == "yes_no":
            return rnd.choice(["yes", "no"])
        if q.type == "number":
            lo = int(q.min) + 1 if q.min is not None else 1
            hi = int(q.max) if q.max is not None else lo + 10
            return str(rnd.randint(lo, max(lo, min(hi, lo + 10))))
        if q.type == "date":
            return (TODAY + timedelta(days=7 * (self.n + 1) + rnd.randint(0, 3))).isoformat()
        if q.type == "list":
            return "; ".join(f"{self.marker(q.slot)} with the team by March 2027" for _ in range(rnd.randint(1, 3)))
        # free text: a marker in a sentence that passes the usual follow-ups (words, a number, a date)
        return f"{self.marker(q.slot)} means I will present three drafts to my team by 3 March 2027"


def _play(service: CoachService, player: Player, role: Role, flows: list[str]) -> CoachService:
    me = service.add_profile("Ana Lima" if role == Role.mentee else "Sam Okafor", role)
    rel = service.add_relationship(me, "Sam Okafor" if role == Role.mentee else "Ana Lima")
    for flow_id in flows:
        player.flow = flow_id
        chat = service.open_stage(me, rel, flow_id)
        for _ in range(MAX_TURNS):
            if chat.done:
                break
            service.answer(chat, player.answer(chat))
        assert chat.done, f"{flow_id} ({role.value}) did not finish in {MAX_TURNS} answers"
        service.leave(chat)
    return service


def _stages(library: FlowLibrary, role: Role) -> list[str]:
    order = {s: i for i, s in enumerate(STAGES)}
    flows = [lf.flow for lf in library.flows.values() if not lf.flow.subflow and role.value in lf.flow.roles]
    return [f.id for f in sorted(flows, key=lambda f: (order.get(f.stage, 99), f.id))]


def _private_markers(library: FlowLibrary, flow_id: str, player: Player) -> dict[str, set[str]]:
    """The markers typed in `flow_id` for its private slots, by slot."""
    flows = {fid: lf.flow for fid, lf in library.flows.items()}
    visibility = slot_visibility(flow_id, flows, library.prompts)
    return {slot: words for (flow, slot), words in player.markers.items()
            if flow == flow_id and visibility.get(slot) != "partner"}


def test_every_shipped_stage_is_played_for_each_of_its_roles(library: FlowLibrary) -> None:
    stages = {lf.flow.stage for lf in library.flows.values() if not lf.flow.subflow}
    assert set(STAGES) <= stages
    assert _stages(library, Role.mentee) and _stages(library, Role.mentor)


@pytest.mark.parametrize("role", [Role.mentee, Role.mentor])
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_no_private_answer_is_in_any_packet(tmp_path_factory: pytest.TempPathFactory, role: Role, seed: int) -> None:
    library = LIBRARY
    player = Player(random.Random(seed))
    flows = _stages(library, role)
    service = _play(CoachService(library, MemoryRepository(), today=lambda: TODAY), player, role, flows)
    out = tmp_path_factory.mktemp("packets")
    private = set()
    for flow_id in flows:
        private |= {w for words in _private_markers(library, flow_id, player).values() for w in words}
    assert private, "some answers were private"  # the test tests something
    shared_any = False
    for flow_id in flows:
        try:
            preview = service.share_preview(library.flow(flow_id).stage)
        except AppError as error:  # a stage whose answers are all private
            assert "nothing" in str(error) and "may see" in str(error)
            continue
        shared_any = True
        visibility = slot_visibility(flow_id, {f: lf.flow for f, lf in library.flows.items()}, library.prompts)
        assert all(visibility[i.answer.slot] == "partner" for i in preview.items if i.answer)
        path = service.share(preview, None, Path(out) / f"{flow_id}.coach").path
        packet = path.read_bytes().decode("utf-8").casefold()
        leaked = sorted(w for w in private if w in packet)
        assert not leaked, f"{flow_id} ({role.value}, seed {seed}): private answers in the packet: " + ", ".join(
            f"{w} ({'.'.join(next(k for k, ws in player.markers.items() if w in ws))})" for w in leaked)
        assert re.search(r"qz\d{4}", packet) or "documents" in packet
    assert shared_any
