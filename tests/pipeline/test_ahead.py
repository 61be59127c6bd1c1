"""Reading an iterator ahead in a thread: order kept, errors and early stops passed on."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from pipeline.ahead import read_ahead


def _counting(n: int, produced: list[int], closed: threading.Event) -> Iterator[int]:
    try:
        for i in range(n):
            produced.append(i)
            yield i
    finally:
        closed.set()


def test_items_come_in_order_and_the_source_is_closed() -> None:
    produced: list[int] = []
    closed = threading.Event()
    assert list(read_ahead(_counting(50, produced, closed), size=4)) == list(range(50))
    assert closed.is_set()


def test_the_source_works_while_the_consumer_is_busy() -> None:
    produced: list[int] = []
    closed = threading.Event()
    items = read_ahead(_counting(10, produced, closed), size=3)
    assert next(items) == 0
    time.sleep(0.3)  # the consumer storing a group
    # Read ahead: the item taken, three waiting, one more held by the producer.
    assert len(produced) == 5
    assert list(items) == list(range(1, 10))


def test_an_error_in_the_source_reaches_the_consumer() -> None:
    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("bad document list")

    items = read_ahead(failing(), size=2)
    assert next(items) == 1
    with pytest.raises(ValueError, match="bad document list"):
        next(items)


def test_a_consumer_that_stops_early_closes_the_source() -> None:
    produced: list[int] = []
    closed = threading.Event()
    items = read_ahead(_counting(1000, produced, closed), size=2)
    assert next(items) == 0
    items.close()  # the load stopped: warehouse not writable, say
    assert closed.wait(2)
    assert len(produced) < 10
