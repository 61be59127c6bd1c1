"""The worker pool: each task under a time and memory budget; a bad task never stops the rest."""

from __future__ import annotations

import time

from pipeline.pool import PoolSettings, TaskFailure, run_pool
from tests.pipeline.pool_tasks import behave


def test_results_and_failures_each_come_back_once() -> None:
    items = ["a", "hang", "b", "hog", "raise", "die", "c"]
    settings = PoolSettings(jobs=2, timeout_s=2, memory_mb=300)
    t = time.monotonic()
    got = dict(run_pool(behave, items, settings))
    assert time.monotonic() - t < 30
    assert set(got) == set(items)
    assert [got[x] for x in "abc"] == ["A", "B", "C"]
    assert isinstance(got["hang"], TaskFailure) and "timed out after 2 s" in got["hang"].reason
    assert isinstance(got["hog"], TaskFailure) and "memory" in got["hog"].reason
    assert isinstance(got["raise"], TaskFailure) and "RuntimeError: boom" in got["raise"].reason
    assert isinstance(got["die"], TaskFailure) and "died" in got["die"].reason


def test_empty_input() -> None:
    assert list(run_pool(behave, [], PoolSettings(jobs=2))) == []


def test_a_worker_that_dies_right_after_its_last_result_loses_no_task() -> None:
    # Each big result is still being read by the parent when its worker, done sending, has
    # started the next task and died of it: the parent, handing out a task on that result,
    # writes into a dead worker's pipe. That task must go to the next worker, not stop the
    # pool (it raised BrokenPipeError).
    items = [x for i in range(4) for x in (f"big{i}", "die")] + ["last"]
    got = list(run_pool(behave, items, PoolSettings(jobs=1, timeout_s=20)))
    results = {item: r for item, r in got if item != "die"}
    assert {k: len(v) for k, v in results.items()} == {
        **{f"big{i}": 16_000_000 for i in range(4)},
        "last": 4,
    }
    deaths = [r for item, r in got if item == "die"]
    assert len(deaths) == 4 and all(isinstance(r, TaskFailure) for r in deaths)
