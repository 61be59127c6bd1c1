"""Worker processes with a time and memory budget per task; a stuck task is killed."""

from __future__ import annotations

import logging
import multiprocessing as mp
import resource
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PoolSettings:
    """How many workers, and the budget each task runs under."""

    jobs: int = 2
    timeout_s: float = 120.0
    memory_mb: int = 2048


@dataclass(frozen=True)
class TaskFailure:
    """Why a task produced no result: timed out, ran out of memory, or crashed.

    `kind` says whose fault: `timeout` and `memory` are the budget doing its job on a
    document too costly to read; `died` and `internal` may be our bug.
    """

    reason: str
    kind: str = "internal"  # timeout | memory | died | internal

    @property
    def resource_limit(self) -> bool:
        return self.kind in ("timeout", "memory")


def _worker(conn: Connection, fn: Callable[[Any], Any], memory_mb: int) -> None:
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, item = task
        try:
            conn.send((index, fn(item)))
        except MemoryError:
            reason = f"memory budget exceeded ({memory_mb} MB)"
            conn.send((index, TaskFailure(reason, "memory")))
        except Exception as exc:  # the parent records it; the worker goes on
            log.error("task failed\n%s", traceback.format_exc())
            conn.send((index, TaskFailure(f"internal error: {type(exc).__name__}: {exc}")))


class _Slot:
    """One worker process and the task it is running."""

    def __init__(self, ctx, fn: Callable[[Any], Any], memory_mb: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, fn, memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.task: int | None = None
        self.started = 0.0

    def give(self, index: int, item: Any) -> None:
        self.conn.send((index, item))
        self.task, self.started = index, time.monotonic()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()


def run_pool(
    fn: Callable[[Any], Any], items: Iterable[Any], settings: PoolSettings
) -> Iterator[tuple[Any, Any]]:
    """Yield (item, result or TaskFailure) as tasks finish; a bad task never stops the rest."""
    ctx = mp.get_context("spawn")
    todo = list(enumerate(items))
    if not todo:
        return
    todo.reverse()
    pending: dict[int, Any] = {}
    slots = [
        _Slot(ctx, fn, settings.memory_mb) for _ in range(max(1, min(settings.jobs, len(todo))))
    ]
    try:
        while todo or pending:
            for slot in slots:
                if slot.task is None and todo:
                    index, item = todo.pop()
                    pending[index] = item
                    slot.give(index, item)
            busy = [s for s in slots if s.task is not None]
            ready = wait([s.conn for s in busy], timeout=0.5)
            now = time.monotonic()
            for i, slot in enumerate(slots):
                if slot.task is None:
                    continue
                if slot.conn in ready:
                    try:
                        index, result = slot.conn.recv()
                    except (EOFError, OSError):
                        index, result = slot.task, TaskFailure("worker process died", "died")
                        slots[i] = _replace(slot, ctx, fn, settings)
                    else:
                        slot.task = None
                    yield pending.pop(index), result
                elif not slot.proc.is_alive():
                    index = slot.task
                    slots[i] = _replace(slot, ctx, fn, settings)
                    reason = "worker process died (out of memory?)"
                    yield pending.pop(index), TaskFailure(reason, "died")
                elif now - slot.started > settings.timeout_s:
                    index = slot.task
                    slots[i] = _replace(slot, ctx, fn, settings)
                    reason = f"timed out after {settings.timeout_s:g} s"
                    yield pending.pop(index), TaskFailure(reason, "timeout")
    finally:
        for slot in slots:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        for slot in slots:
            slot.proc.join(timeout=2)
            if slot.proc.is_alive():
                slot.kill()


def _replace(slot: _Slot, ctx, fn: Callable[[Any], Any], settings: PoolSettings) -> _Slot:
    slot.kill()
    return _Slot(ctx, fn, settings.memory_mb)
