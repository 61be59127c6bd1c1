"""Read an iterator ahead in a thread, so that producing and consuming overlap.

The parse workers send each report back through a pipe that holds about one report: while
the main process stores a group of reports (a DuckDB transaction that releases the GIL),
nobody reads the pipe and the workers stop. Reading the pool in a thread keeps them busy.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()
_JOIN_S = 5.0


class _Raised:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def read_ahead(source: Iterator[T], size: int) -> Iterator[T]:
    """The items of `source`, produced in a thread up to `size` ahead of the consumer.

    `source` runs only in that thread and is closed there (its `finally` clauses run) when
    it ends, raises, or the consumer stops early; its exception reaches the consumer.
    """
    ready: queue.Queue = queue.Queue(maxsize=max(1, size))
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in source:
                if not put(item):
                    break
            else:
                put(_DONE)
        except BaseException as exc:  # handed to the consumer, who raises it
            put(_Raised(exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, _Raised):
                raise item.exc
            yield item
    finally:
        stop.set()
        # The thread sees `stop` at its next item; a worker busy on a hung document may
        # hold it back until that document's time budget ends, so the consumer does not
        # wait for it (the thread and the workers are daemons: they end with the process).
        thread.join(timeout=_JOIN_S)
