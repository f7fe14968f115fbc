"""Two real coach processes on the same data: no lost update, and a clear message when blocked."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

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
        store.save_commitment(Commitment(id="counter", relationship_id="r-shared", stage="commitment", text="0"))
    processes += [spawn("increment", str(data_dir), "counter", tag, str(rounds)) for tag in ("a", "b")]
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "READY"
    for process in processes:  # start both at once so their transactions interleave
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    spans = []
    for process in processes:
        out, _ = process.communicate(timeout=60)
        word, first, last = out.split()
        assert process.returncode == 0 and word == "DONE"
        spans.append((float(first), float(last)))
    (a_first, a_last), (b_first, b_last) = spans
    assert a_first < b_last and b_first < a_last, "the two writers did not overlap"

    with Store(data_dir) as store:
        counter = store.commitments.get("counter", relationship_id="r-shared")
        assert counter is not None and counter.text == str(rounds)  # 2 processes x rounds/2 increments
        ids = {c.id for c in store.commitments.list_for_relationship("r-shared")}
        assert ids == {"counter"} | {f"{tag}-{i}" for tag in ("a", "b") for i in range(1, rounds, 2)}
        assert store.verify() == []


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


def test_second_copy_waits_while_the_first_writes(
    data_dir: Path, processes: list[subprocess.Popen[str]], make_state
) -> None:
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
        state = make_state(None)
        store.save_conversation(state)
        assert store.load_conversation(state.id) == state
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


def test_lock_is_reentrant_within_a_process(store: Store, make_state) -> None:
    with store.transaction(), store.transaction():
        store.save_conversation(make_state(None))
    with store.transaction():
        pass
