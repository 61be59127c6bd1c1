"""Raw bytes on disk, stored once by sha256; and the lock that keeps one run per warehouse.

`RawStore(root)` keeps each distinct body at `root/ab/abcdef…` (its sha256), written to a
temporary file and renamed, so a reader never sees half a file and a crash leaves no
partial one. By default the root sits next to the warehouse: `<db path>.raw/`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path

from pipeline.errors import ConfigError

log = logging.getLogger(__name__)

# A lock file without a pid yet is being written by its owner if younger than this.
FRESH_LOCK_SECONDS = 5.0


def default_raw_root(db_path: str | Path) -> Path:
    """Where raw bytes go for the warehouse at `db_path`: `<db path>.raw/`."""
    return Path(f"{db_path}.raw")


def default_lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.lock")


class RawStore:
    """Content-addressed storage of raw document bytes."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes, *, sha256: str | None = None) -> str:
        """Store `data` (once) and return its sha256 (pass it if already computed)."""
        sha256 = sha256 or hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`; FileNotFoundError if absent."""
        return self.path(sha256).read_bytes()


class WarehouseLockedError(ConfigError):
    """Another live process is crawling into this warehouse."""


class WarehouseLock:
    """An exclusive lock file `<db>.lock` holding the owner's pid.

    Created with O_EXCL, so two processes cannot both hold it. A lock whose pid is no longer
    running (a crashed run) is stale and is taken over.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.held = False

    @classmethod
    def for_db(cls, db_path: str | Path) -> WarehouseLock:
        return cls(default_lock_path(db_path))

    def acquire(self) -> None:
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self._owner()
                if owner is None and self._young():
                    raise WarehouseLockedError(
                        f"{self.path}: another run is starting on this warehouse; try again"
                    ) from None
                if owner is not None and _alive(owner):
                    raise WarehouseLockedError(
                        f"{self.path}: another run (pid {owner}) is using this warehouse; "
                        "wait for it to finish"
                    ) from None
                log.warning("taking over stale lock %s (pid %s is not running)", self.path, owner)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path)
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(f"{os.getpid()}\n")
            self.held = True
            return
        raise WarehouseLockedError(f"{self.path}: another run took the lock first; try again")

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        if self._owner() == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)

    def _owner(self) -> int | None:
        try:
            text = self.path.read_text().strip()
        except FileNotFoundError:
            return None
        return int(text) if text.isdigit() else None

    def _young(self) -> bool:
        """A lock file just created, whose pid is not written yet."""
        try:
            return time.time() - self.path.stat().st_mtime < FRESH_LOCK_SECONDS
        except FileNotFoundError:
            return False

    def __enter__(self) -> WarehouseLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError as exc:
        return exc.errno != errno.ESRCH
    return True
