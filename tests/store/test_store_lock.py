"""Two real coach processes on the same data: no lost update, no lost or duplicated input, and a
clear message when blocked."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import entry, header

from coach.models import Commitment
from coach.store import Store, StoreLockedError

WORKER = Path(__file__).with_name("_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_two_processes_never_lose_an_update(data_dir: Path, processes: list[subprocess.Popen[str]]) -> None:
    rounds = 200
    with Store(data_dir) as store:
        store.commitments.save(Commitment(id="counter", relationship_id="r-shared", stage="commitment", text="0"))
    processes += [spawn("increment", str(data_dir), "counter", tag, str(rounds)) for tag in ("a", "b")]
    _run_together(processes)

    with Store(data_dir) as store:
        counter = store.commitments.get("counter", relationship_id="r-shared")
        assert counter is not None and counter.text == str(rounds)  # 2 processes x rounds/2 increments
        ids = {c.id for c in store.commitments.list_for_relationship("r-shared")}
        assert ids == {"counter"} | {f"{tag}-{i}" for tag in ("a", "b") for i in range(1, rounds, 2)}
        assert store.verify() == []


def _run_together(processes: list[subprocess.Popen[str]]) -> list[list[str]]:
    """Start the workers at once (so their transactions interleave); return their DONE lines."""
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "READY"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, _ = process.communicate(timeout=60)
        word, *rest = out.split()
        assert process.returncode == 0 and word == "DONE"
        results.append(rest)
    (a_first, a_last, *_), (b_first, b_last, *_) = results
    assert float(a_first) < float(b_last) and float(b_first) < float(a_last), "the two writers did not overlap"
    return results


def test_two_processes_append_to_their_own_conversations(
    data_dir: Path, processes: list[subprocess.Popen[str]]
) -> None:
    rounds = 100
    conversations = {"a": header("r-shared"), "b": header("r-shared")}
    with Store(data_dir) as store:
        for conversation in conversations.values():
            store.create_conversation(conversation)
    processes += [spawn("append", str(data_dir), c.id, tag, str(rounds)) for tag, c in conversations.items()]
    for _, _, conflicts in _run_together(processes):
        assert conflicts == "0"
    with Store(data_dir) as store:
        for tag, conversation in conversations.items():
            loaded = store.load_conversation(conversation.id)
            assert loaded is not None
            assert [(e.seq, e.text) for e in loaded[1]] == [(i + 1, f"{tag}-{i}") for i in range(rounds)]
        assert store.verify() == []


def test_two_processes_append_to_the_same_conversation(data_dir: Path, processes: list[subprocess.Popen[str]]) -> None:
    rounds = 100
    conversation = header("r-shared")
    with Store(data_dir) as store:
        store.create_conversation(conversation)
    processes += [spawn("append", str(data_dir), conversation.id, tag, str(rounds)) for tag in ("a", "b")]
    results = _run_together(processes)
    with Store(data_dir) as store:
        loaded = store.load_conversation(conversation.id)
        assert loaded is not None
        entries = loaded[1]
        assert [e.seq for e in entries] == list(range(1, 2 * rounds + 1))
        texts = [e.text for e in entries]
        assert sorted(texts) == sorted(f"{tag}-{i}" for tag in ("a", "b") for i in range(rounds))  # none lost or twice
        for tag in ("a", "b"):  # and each process's inputs in the order it stored them
            assert [t for t in texts if t.startswith(f"{tag}-")] == [f"{tag}-{i}" for i in range(rounds)]
        assert store.verify() == []
    print(f"\nLogConflicts retried: {[int(r[2]) for r in results]}")


def test_second_copy_gets_a_clear_message(data_dir: Path, processes: list[subprocess.Popen[str]]) -> None:
    Store(data_dir).close()
    holder = spawn("hold", str(data_dir))
    processes.append(holder)
    assert holder.stdout is not None
    line = holder.stdout.readline().split()
    assert line[0] == "HOLDING"
    started = time.monotonic()
    with pytest.raises(StoreLockedError) as caught:
        Store(data_dir, lock_timeout=0.3)
    assert 0.3 <= time.monotonic() - started < 3
    message = str(caught.value)
    assert "\n" not in message and f"pid {line[1]}" in message and "already open" in message


def test_second_copy_waits_while_the_first_writes(data_dir: Path, processes: list[subprocess.Popen[str]]) -> None:
    Store(data_dir).close()
    holder = spawn("hold", str(data_dir))
    processes.append(holder)
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().startswith("HOLDING")

    def release_soon() -> None:
        time.sleep(0.3)
        holder.stdin.write("release\n")  # type: ignore[union-attr]
        holder.stdin.flush()  # type: ignore[union-attr]

    threading.Thread(target=release_soon).start()
    started = time.monotonic()
    with Store(data_dir, lock_timeout=10) as store:
        assert time.monotonic() - started >= 0.25
        conversation = header()
        store.create_conversation(conversation)
        store.append_entry(conversation.id, entry(1))
        assert store.load_conversation(conversation.id) == (conversation, [entry(1)])
    holder.wait(timeout=10)


def test_a_dead_holder_does_not_block(data_dir: Path, processes: list[subprocess.Popen[str]]) -> None:
    Store(data_dir).close()
    holder = spawn("hold", str(data_dir))
    processes.append(holder)
    assert holder.stdout is not None and holder.stdout.readline().startswith("HOLDING")
    holder.kill()
    holder.wait(timeout=10)
    with Store(data_dir, lock_timeout=1) as store:
        assert store.verify() == []


def test_lock_is_reentrant_within_a_process(store: Store) -> None:
    with store.transaction(), store.transaction():
        store.create_conversation(header())
    with store.transaction():
        pass
