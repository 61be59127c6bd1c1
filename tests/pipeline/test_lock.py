"""The run lock (`DB.lock`): one run per warehouse, no stale-lock takeover races."""

from __future__ import annotations

import multiprocessing as mp
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline.store import WarehouseLock, WarehouseLockedError
from tests.pipeline.lock_race import contend

ROUNDS = 40
CONTENDERS = 3
DEAD_PID = "4194303\n"  # above Linux's pid_max: never a live process


def test_contenders_never_hold_the_lock_together(tmp_path: Path) -> None:
    lock_path = tmp_path / "w.duckdb.lock"
    marker = str(tmp_path / "holding")
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(CONTENDERS + 1)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=contend, args=(str(lock_path), marker, ROUNDS, barrier, results))
        for _ in range(CONTENDERS)
    ]
    for p in procs:
        p.start()
    try:
        for _ in range(ROUNDS):
            lock_path.write_text(DEAD_PID)  # a stale lock left by a crashed run, every round
            barrier.wait(timeout=60)
            barrier.wait(timeout=60)
        rounds: dict[int, list[tuple[bool, bool]]] = defaultdict(list)
        for _ in range(ROUNDS * CONTENDERS):
            round_no, held, overlapped = results.get(timeout=30)
            rounds[round_no].append((held, overlapped))
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    assert not any(overlapped for r in rounds.values() for _, overlapped in r)
    assert all(any(held for held, _ in r) for r in rounds.values())  # the stale lock was taken
    assert len(rounds) == ROUNDS


def test_lock_file_names_the_holder_and_goes_with_it(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb.lock"
    with WarehouseLock(path) as lock:
        assert lock.held and lock.owner() is not None
        with pytest.raises(WarehouseLockedError, match=f"pid {lock.owner()}"):
            WarehouseLock(path).acquire()
    assert not path.exists()
