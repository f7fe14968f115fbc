"""SIGKILL a real coach user at random moments, the stage end included: nothing acknowledged is
lost, and no document or commitment is ever stored twice."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from zygote import Zygote

from coach.app.service import CoachService
from coach.content.library import FlowLibrary
from coach.models import ConversationStatus
from coach.store import Store

WRITER = Path(__file__).with_name("_coach_writer.py")
FLOWS_OK = Path(__file__).resolve().parents[1] / "flows_ok"
KILLS = 520
FULL_CHECK_EVERY = 65


class Acknowledged:
    """Everything the writers were told was stored."""

    def __init__(self) -> None:
        self.inputs: dict[str, dict[int, str]] = {}
        self.done: set[str] = set()
        self.last: str | None = None

    def record(self, line: str) -> None:
        word, _, rest = line.rstrip("\n").partition(" ")
        if word == "ACK":
            conversation, seq, text = rest.split(" ", 2)
            self.inputs.setdefault(conversation, {})[int(seq)] = text
            self.last = conversation
        elif word == "DONE":
            self.done.add(rest)


def check(service: CoachService, acked: Acknowledged, conversations: list[str]) -> tuple[int, int, int]:
    """Every acknowledged input is stored as given; every finished stage is done and left exactly
    one plan and one commitment; nothing is stored twice. Returns how many effects a kill had
    interrupted (now completed), documents and commitments."""
    store = service.repo
    assert isinstance(store, Store)
    interrupted = store.finish_pending("r-kill")  # what opening the home screen does first
    service.home_view("p-kill", "r-kill")
    for conversation in conversations:
        loaded = store.load_conversation(conversation)
        assert loaded is not None, f"acknowledged conversation {conversation} is missing"
        stored = {e.seq: e.text for e in loaded[1]}
        for seq, text in acked.inputs[conversation].items():
            assert stored.get(seq) == text, f"{conversation}: acknowledged input {seq} {text!r} is not stored"
    summaries = {s.id: s for s in store.history_summaries("r-kill")}  # the history too
    assert all(s.pending is None for s in summaries.values())
    for conversation in acked.done & set(conversations):
        assert summaries[conversation].status is ConversationStatus.done
    artifacts = store.list_artifacts("r-kill")
    commitments = store.list_commitments("r-kill")
    per_session = Counter((a.session_id, a.kind) for a in artifacts)
    assert all(n == 1 for n in per_session.values()), f"a document stored twice: {per_session.most_common(1)}"
    per_commitment = Counter((c.session_id, c.text) for c in commitments)
    assert all(n == 1 for n in per_commitment.values()), f"a commitment stored twice: {per_commitment.most_common(1)}"
    finished = {s.id for s in summaries.values() if s.status is ConversationStatus.done}
    assert {a.session_id for a in artifacts} == finished, "a finished stage without its plan, or a plan too many"
    return interrupted, len(artifacts), len(commitments)


def test_sigkill_at_random_moments_loses_nothing_and_stores_nothing_twice(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(20261201)
    acked = Acknowledged()
    interrupted = 0
    zygote = Zygote(WRITER, str(data_dir), "7")
    library = FlowLibrary.load([FLOWS_OK])
    try:
        for kill in range(1, KILLS + 1):
            # Let the child get 0-6 inputs stored, then kill it a random moment later: inside an
            # answer, a stage end, a review, an edit's replay...
            zygote.kill_one(rng, acked.record, acks=range(7), max_delay=0.006)
            service = CoachService(library, Store(data_dir))
            try:
                if kill % FULL_CHECK_EVERY == 0:
                    assert service.repo.verify() == []  # type: ignore[attr-defined]
                    interrupted += check(service, acked, sorted(acked.inputs))[0]
                else:
                    interrupted += check(service, acked, [acked.last] if acked.last else [])[0]
            finally:
                service.close()
    finally:
        zygote.close()
    service = CoachService(library, Store(data_dir))
    try:
        _, documents, commitments = check(service, acked, sorted(acked.inputs))
    finally:
        service.close()
    stored = sum(len(v) for v in acked.inputs.values())
    assert stored >= KILLS and len(acked.done) >= KILLS // 10, "the writers got too little done between kills"
    assert interrupted > 0, "no kill landed while effects were being stored: the window was not tested"
    print(f"\n{KILLS} kills: {stored} inputs acknowledged, {len(acked.done)} stages finished; "
          f"{interrupted} kills inside the storing of effects, completed on reopening; "
          f"{documents} documents and {commitments} commitments stored, none twice")
