"""Tasks for the pool tests: importable by spawned workers."""

from __future__ import annotations

import os
import time


def behave(item: str) -> str:
    """Return the item, or misbehave the way its name says."""
    if item == "hang":
        time.sleep(60)
    if item == "hog":
        hoard = bytearray(1024 * 1024 * 1024)  # beyond the test's memory budget
        return str(len(hoard))
    if item == "raise":
        raise RuntimeError("boom")
    if item == "die":
        os._exit(3)
    if item.startswith("big"):
        return item.upper() * 4_000_000  # tens of MB: the parent is still reading it
    # when the worker, done sending, has gone on to its next task
    return item.upper()
