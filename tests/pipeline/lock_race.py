"""A contender for the run lock, importable by spawned processes (tests/pipeline/test_lock.py)."""

from __future__ import annotations

import os
import time

from pipeline.store import WarehouseLock, WarehouseLockedError


def contend(lock_path: str, marker: str, rounds: int, barrier, results) -> None:
    """Each round: wait for the others, try the lock; while holding it, claim `marker` with
    O_EXCL (which fails if another holder has it) and report (round, held, overlapped)."""
    lock = WarehouseLock(lock_path)
    for round_no in range(rounds):
        barrier.wait()
        held = overlapped = False
        try:
            lock.acquire()
        except WarehouseLockedError:
            pass
        else:
            held = True
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                overlapped = True
            else:
                time.sleep(0.005)
                os.close(fd)
                os.unlink(marker)
            finally:
                lock.release()
        results.put((round_no, held, overlapped))
        barrier.wait()
