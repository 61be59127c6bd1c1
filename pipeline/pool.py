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
    """One worker process and the tasks sent to it: the first is running, the others wait
    in its pipe, so the worker goes on to the next without waiting for the parent."""

    def __init__(self, ctx, fn: Callable[[Any], Any], memory_mb: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, fn, memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.queue: list[int] = []  # indexes of the tasks sent, the running one first
        self.started = 0.0  # when the running task began

    @property
    def task(self) -> int | None:
        return self.queue[0] if self.queue else None

    def give(self, index: int, item: Any) -> None:
        try:
            self.conn.send((index, item))
        except OSError:
            # The worker died after sending its last result (its next task killed it). The
            # task is queued all the same: the death is noticed on the next turn, the task
            # running then is the one that killed it, and this one goes back to the queue.
            pass
        if not self.queue:
            self.started = time.monotonic()
        self.queue.append(index)

    def finished(self) -> None:
        """The running task's result came back; the next one has begun."""
        self.queue.pop(0)
        self.started = time.monotonic()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()


# Tasks in flight per worker: the running one and the next.
DEPTH = 2


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

    def feed() -> None:
        """Keep every worker DEPTH tasks ahead, so workers parse while the caller stores."""
        for slot in slots:
            while len(slot.queue) < DEPTH and todo:
                index, item = todo.pop()
                pending[index] = item
                slot.give(index, item)

    def lost(i: int, slot: _Slot) -> int:
        """Replace a killed or dead worker; its waiting tasks go back to the queue. Returns
        the index of the task it was running."""
        index, waiting = slot.queue[0], slot.queue[1:]
        for other in reversed(waiting):
            todo.append((other, pending.pop(other)))
        slots[i] = _replace(slot, ctx, fn, settings)
        return index

    try:
        while todo or pending:
            feed()
            busy = [s for s in slots if s.queue]
            ready = wait([s.conn for s in busy], timeout=0.5)
            now = time.monotonic()
            for i, slot in enumerate(slots):
                if not slot.queue:
                    continue
                if slot.conn in ready:
                    try:
                        index, result = slot.conn.recv()
                    except (EOFError, OSError):
                        index, result = lost(i, slot), TaskFailure("worker process died", "died")
                    else:
                        slot.finished()
                    feed()
                    yield pending.pop(index), result
                elif not slot.proc.is_alive():
                    index = lost(i, slot)
                    feed()
                    reason = "worker process died (out of memory?)"
                    yield pending.pop(index), TaskFailure(reason, "died")
                elif now - slot.started > settings.timeout_s:
                    index = lost(i, slot)
                    feed()
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
