"""Raw bytes on disk, stored once by sha256; and the lock that keeps one run per warehouse.

`RawStore(root)` keeps each distinct body at `root/ab/abcdef…` (its sha256), written to a
temporary file and renamed, so a reader never sees half a file and a crash leaves no
partial one. By default the root sits next to the warehouse: `<db path>.raw/`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import ConfigError

log = logging.getLogger(__name__)

# Tries to take the run lock while it is being released and removed under us.
LOCK_ATTEMPTS = 5


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
        if not _is_digest(sha256):
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

    def blobs(self) -> Iterator[tuple[str, Path, int]]:
        """Every stored body as (sha256, path, size); files not named by a digest are skipped."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir() or len(folder.name) != 2:
                continue
            for entry in os.scandir(folder):
                name = entry.name
                if entry.is_file() and _is_digest(name) and name.startswith(folder.name):
                    yield name, Path(entry.path), entry.stat().st_size

    def leftovers(self) -> Iterator[tuple[Path, float, int]]:
        """Temporary files of writes a crash interrupted, as (path, mtime, size)."""
        if not self.root.is_dir():
            return
        for path in self.root.glob("*/.tmp-*.part"):
            with contextlib.suppress(FileNotFoundError):
                info = path.stat()
                yield path, info.st_mtime, info.st_size


def _is_digest(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class WarehouseLockedError(ConfigError):
    """Another live process is running on this warehouse."""


class WarehouseLock:
    """The run lock: an exclusive `flock` on `<db>.lock`, which holds the owner's pid.

    The kernel releases a flock when its holder dies, so a crashed run leaves no stale lock
    to take over, and two processes can never both hold it. The file is removed on release
    while still locked; whoever opened it just before checks, once locked, that the path
    still names the file it locked, and starts again if not. Readers never take this lock.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @classmethod
    def for_db(cls, db_path: str | Path) -> WarehouseLock:
        return cls(default_lock_path(db_path))

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            raise WarehouseLockedError(f"{self.path}: already held by this process")
        for _ in range(LOCK_ATTEMPTS):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                owner = self.owner()
                who = f"another run (pid {owner})" if owner else "another run"
                raise WarehouseLockedError(
                    f"{self.path}: {who} is using this warehouse; wait for it to finish"
                ) from None
            except BaseException:
                os.close(fd)
                raise
            if not _names(self.path, fd):  # released and removed after we opened it
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            self._fd = fd
            return
        raise WarehouseLockedError(f"{self.path}: the lock kept changing hands; try again")

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if _names(self.path, fd):
                os.unlink(self.path)
        finally:
            os.close(fd)

    def owner(self) -> int | None:
        """The pid written in the lock file, if any (for messages only)."""
        try:
            text = self.path.read_text().strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        return int(text) if text.isdigit() else None

    def __enter__(self) -> WarehouseLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _names(path: Path, fd: int) -> bool:
    """True if `path` is (still) the file open as `fd`."""
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)
