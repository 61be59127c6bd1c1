"""How processes share the warehouse file: each write a short session, readers retry briefly.

DuckDB lets one process open a file read-write, or any number open it read-only, never both
at once (https://duckdb.org/docs/current/connect/concurrency). So a run never keeps the file
open while it waits on the network: `Warehouse.writing()` opens it, runs one transaction or a
few, and closes it (which checkpoints), typically in tens of milliseconds; readers
(`Warehouse.reading()`, `open_reader`) that find it held retry for a few seconds, and a
writer that finds a reader retries too. A reader therefore sees what the last session
committed: whole documents, never half of one.

Errors say whose problem it is: `WarehouseInUseError` when another process kept the file
longer than we were willing to wait, `WarehouseUnwritableError` when the file or its disk
refuses writes (disk full, read-only, I/O error).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from parsers.errors import NianbaoError
from warehouse.schema import migrate

log = logging.getLogger(__name__)

# What DuckDB says when another process holds the file (both directions).
LOCK_MESSAGE = "Could not set lock on file"
HOLDER_RE = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
# What DuckDB says when the operating system refuses a write: the warehouse is not writable.
STORAGE_MESSAGES = (
    "Could not write",
    "Could not fsync",
    "Could not truncate",
    "No space left",
    "File too large",
    "Read-only file system",
    "Permission denied",
    "database has been invalidated",
)


class WarehouseInUseError(NianbaoError):
    """Another process kept the warehouse file open longer than we would wait."""


class WarehouseUnwritableError(NianbaoError):
    """The warehouse file or its disk refuses writes."""


@dataclass(frozen=True)
class AccessSettings:
    """How long each side waits for the other, and how often it looks again."""

    reader_wait: float = 30.0  # seconds a reader retries while a writer holds the file
    writer_wait: float = 600.0  # seconds a writer that must write retries while readers hold it
    flush_wait: float = 5.0  # a crawl's periodic flush gives up this soon; its rows stay queued
    unwritable_after: float = 30.0  # a warehouse refusing writes this long stops the run
    retry_first: float = 0.02  # first pause between attempts, doubling ...
    retry_max: float = 0.25  # ... up to this
    patience: float = 10.0  # after waiting this long, say who holds the file

    def __post_init__(self) -> None:
        for name in ("reader_wait", "writer_wait", "flush_wait", "unwritable_after", "patience"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        if not 0 < self.retry_first <= self.retry_max:
            raise ValueError("need 0 < retry_first <= retry_max")


def is_lock_error(exc: BaseException) -> bool:
    """True when DuckDB refused the file because another process holds it."""
    return isinstance(exc, duckdb.Error) and LOCK_MESSAGE in str(exc)


def is_storage_error(exc: BaseException) -> bool:
    """True when the error is the file or the disk refusing, not the data being wrong."""
    if isinstance(exc, duckdb.IOException | duckdb.FatalException | duckdb.PermissionException):
        return not is_lock_error(exc)
    return isinstance(exc, duckdb.Error) and any(m in str(exc) for m in STORAGE_MESSAGES)


def holder_of(exc: BaseException) -> str:
    """'pid 123 (/usr/bin/python3)' from DuckDB's lock message, or 'another process'."""
    match = HOLDER_RE.search(str(exc))
    if not match:
        return "another process"
    return f"pid {match['pid']} ({match['program']})"


class Warehouse:
    """The warehouse at `path`, opened only for as long as each read or write takes.

    One writing session at a time per process (the crawl's flusher thread and the main
    thread take turns); the schema is migrated by the first writing session.
    """

    def __init__(self, path: str | Path, settings: AccessSettings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings or AccessSettings()
        self._writing = threading.RLock()
        self._migrated = False

    def __repr__(self) -> str:
        return f"Warehouse({str(self.path)!r})"

    @contextmanager
    def writing(self, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection for one short session; closed (and checkpointed) after.

        Waits up to `wait` seconds (default `writer_wait`) for readers to let go, then raises
        WarehouseInUseError. Storage failures inside the session raise
        WarehouseUnwritableError; other errors (the data's) pass through unchanged.
        """
        wait = self.settings.writer_wait if wait is None else wait
        with self._writing:
            con = self._connect(read_only=False, wait=wait)
            try:
                if not self._migrated:
                    migrate(con)
                    self._migrated = True
                yield con
            except duckdb.Error as exc:
                if is_storage_error(exc):
                    raise WarehouseUnwritableError(
                        f"{self.path}: warehouse not writable: {_first_line(exc)}"
                    ) from exc
                raise
            finally:
                _close(con)

    @contextmanager
    def reading(self, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection, closed after; see `open_reader`."""
        con = self.open_reader(wait)
        try:
            yield con
        finally:
            con.close()

    def open_reader(
        self, wait: float | None = None, config: dict[str, object] | None = None
    ) -> duckdb.DuckDBPyConnection:
        """A read-only connection the caller closes; retries up to `wait` seconds (default
        `reader_wait`) while a writer holds the file, then raises WarehouseInUseError.
        `config` is DuckDB's connection configuration (e.g. the query sandbox's)."""
        wait = self.settings.reader_wait if wait is None else wait
        return self._connect(read_only=True, wait=wait, config=config)

    def _connect(
        self, *, read_only: bool, wait: float, config: dict[str, object] | None = None
    ) -> duckdb.DuckDBPyConnection:
        started = time.monotonic()
        deadline = started + wait
        pause = self.settings.retry_first
        said = False
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only, config=config or {})
            except duckdb.Error as exc:
                if not is_lock_error(exc):
                    if not read_only and is_storage_error(exc):
                        raise WarehouseUnwritableError(
                            f"{self.path}: warehouse not writable: {_first_line(exc)}"
                        ) from exc
                    raise
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WarehouseInUseError(
                        f"{self.path} is in use by {holder_of(exc)}"
                        f"{f' for more than {wait:g} s' if wait else ''}; "
                        "try again when it is done"
                    ) from None
                if not said and time.monotonic() - started >= self.settings.patience:
                    said = True
                    log.warning(
                        "waiting for %s to release %s (up to %g s)", holder_of(exc), self.path, wait
                    )
                time.sleep(min(pause, left))
                pause = min(pause * 2, self.settings.retry_max)


class HeldWarehouse(Warehouse):
    """A warehouse whose connection the caller already holds (tests, library users).

    Each session is a cursor of that connection, so sessions still run one transaction at
    a time and from any thread; the connection itself stays open (and the file locked).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        row = con.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
        super().__init__(row[0] if row and row[0] else ":memory:")
        self.con = con

    @contextmanager
    def writing(self, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._writing:
            cursor = self.con.cursor()
            try:
                yield cursor
            except duckdb.Error as exc:
                if is_storage_error(exc):
                    raise WarehouseUnwritableError(
                        f"{self.path}: warehouse not writable: {_first_line(exc)}"
                    ) from exc
                raise
            finally:
                cursor.close()

    def open_reader(
        self, wait: float | None = None, config: dict[str, object] | None = None
    ) -> duckdb.DuckDBPyConnection:
        return self.con.cursor()


def as_warehouse(target: Warehouse | duckdb.DuckDBPyConnection | str | Path) -> Warehouse:
    """A Warehouse from a Warehouse, a path, or a connection the caller holds."""
    if isinstance(target, Warehouse):
        return target
    if isinstance(target, duckdb.DuckDBPyConnection):
        return HeldWarehouse(target)
    return Warehouse(target)


def _close(con: duckdb.DuckDBPyConnection) -> None:
    """Close, checkpointing; a failed checkpoint leaves the WAL, which the next open replays,
    so what was committed is kept."""
    try:
        con.close()
    except duckdb.Error as exc:
        log.warning("closing the warehouse: %s (committed work stays in its WAL)", exc)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
