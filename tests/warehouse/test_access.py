"""Sharing the warehouse file between a writer and readers, with real processes.

DuckDB lets one process open a file read-write or many read-only, never both; these tests
hold the file from another process the way a run or an analyst would, and check that each
side waits briefly, says who holds the file when it gives up, and loses nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.pipeline.test_cli import nianbao
from warehouse.access import (
    AccessSettings,
    Warehouse,
    WarehouseInUseError,
)
from warehouse.crawl import CrawlWriter, UrlState
from warehouse.schema import connect

# Real processes holding the file and waiting out timeouts: seconds each.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
HOLD = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
    con.close()
    """
)


@contextmanager
def held(db: Path, mode: str, seconds: float) -> Iterator[subprocess.Popen]:
    """Another process holding the file (`read` or `write`) for `seconds`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), mode, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def warehouse(db: Path) -> Warehouse:
    connect(db).close()
    return Warehouse(db, AccessSettings(reader_wait=10, writer_wait=10))


def test_a_reader_waits_out_a_writer_and_gets_in(warehouse: Warehouse, db: Path) -> None:
    with held(db, "write", 1.0):
        started = time.monotonic()
        with warehouse.reading() as con:
            assert con.execute("SELECT count(*) FROM runs").fetchone() == (0,)
        assert time.monotonic() - started >= 0.5


def test_a_reader_gives_up_naming_the_holder(db: Path, warehouse: Warehouse) -> None:
    with held(db, "write", 30) as holder:
        impatient = Warehouse(db, AccessSettings(reader_wait=0.5))
        started = time.monotonic()
        with pytest.raises(WarehouseInUseError, match=f"in use by pid {holder.pid} .* 0.5 s"):
            impatient.open_reader()
        assert time.monotonic() - started < 5
        # the commands say so in a line, exit 2, no traceback
        config = db.parent / "sources.toml"
        config.write_text(
            '[crawler]\ncontact = "mailto:t@example.org"\n'
            '[[sources]]\nname = "x"\nstart_urls = ["http://127.0.0.1:9/"]\n'
        )
        for args in (
            ["query", "--db", str(db), "SELECT 1"],
            ["parse", str(REPO / "tests"), "--db", str(db)],
            ["run", "--config", str(config), "--db", str(db)],
        ):
            r = nianbao("--wait", "0.5", *args)
            assert r.returncode == 2, r.stderr
            assert r.stderr.startswith(f"in use: {db} is in use by pid {holder.pid}")
            assert "Traceback" not in r.stderr


def test_a_writer_waits_out_readers_and_keeps_its_rows(warehouse: Warehouse, db: Path) -> None:
    writer = CrawlWriter(warehouse, known=set())
    for i in range(3):
        writer.add_state(UrlState(url=f"http://a/{i}", source="s", http_status=200))
    with held(db, "read", 30):
        with pytest.raises(WarehouseInUseError):
            writer.flush(wait=0.3)
        assert writer.pending == 3  # nothing lost
        writer.add_state(UrlState(url="http://a/0", source="s", http_status=404))  # newer
    assert writer.flush() == 4
    assert writer.pending == 0
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT url, http_status FROM url_state ORDER BY url").fetchall()
    con.close()
    assert rows == [("http://a/0", 404), ("http://a/1", 200), ("http://a/2", 200)]


FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from warehouse.access import Warehouse, WarehouseUnwritableError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # the disk is full
    try:
        with Warehouse(sys.argv[1]).writing() as con:
            # Rows well past the limit in any file (the log too, whatever the schema's size).
            con.execute("INSERT INTO fetch_errors SELECT 1, 'u' || i, repeat('x', 500), "
                        "NULL, now() FROM range(20000) t(i)")
    except WarehouseUnwritableError as exc:
        print(exc.reason)
    """
)


def test_a_full_disk_is_unwritable_not_a_crash(warehouse: Warehouse, db: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(db), str(os.path.getsize(db))],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert r.returncode == 0, r.stderr
    assert "warehouse not writable" in r.stdout and "File too large" in r.stdout
    # nothing of the failed transaction landed; the file still opens
    with warehouse.reading() as con:
        assert con.execute("SELECT count(*) FROM fetch_errors").fetchone() == (0,)
