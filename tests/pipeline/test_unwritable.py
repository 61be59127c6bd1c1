"""A warehouse that refuses writes (the disk is full) ends the run with that status, never
hangs it, keeps the run lock free for the next run, and loses nothing the next run cannot
fetch again. The full disk is real: the run's process gets RLIMIT_FSIZE, so its writes past a
file size fail with EFBIG as on a full disk (the warehouse's WAL cannot grow)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.pipeline.test_cli import NIANBAO
from tests.sites import SiteServer, Static
from tests.sites.qingshi import list_page, page, report_body
from warehouse.schema import connect

# Slow on purpose (real processes, a browser or a whole corpus): left out of `make test-fast`.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
REPORTS = 60
# Largest file a run may write (its WAL): the crawl's rows fit in 64 KB, the reports' not;
# in 16 KB not even the crawl's.
LOAD_FULL_AT = 64 * 1024
CRAWL_FULL_AT = 16 * 1024


@pytest.fixture
def site() -> Iterator[SiteServer]:
    names = [(f"青石市第{i}区", 2008 + i % 16) for i in range(REPORTS)]
    items = [
        (f"/r{i}.html", f"{city}{year}年政府信息公开工作年度报告")
        for i, (city, year) in enumerate(names)
    ]
    routes = {"/ndbg/": Static(list_page(items, "").encode())}
    for i, (city, year) in enumerate(names):
        title = f"{city}{year}年政府信息公开工作年度报告"
        routes[f"/r{i}.html"] = Static(page(title, report_body(city, year)).encode())
    with SiteServer(routes) as server:
        yield server


def sources(tmp_path: Path, site: SiteServer, rate: float) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        textwrap.dedent(
            f"""
            [crawler]
            contact = "mailto:test@example.org"
            rate = {rate}
            trust_env = false

            [[sources]]
            name = "qingshi"
            start_urls = ["{site.url("/ndbg/")}"]
            """
        )
    )
    return path


def full_disk(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_disk_full_while_loading_ends_the_run_and_the_next_run_parses_the_rest(
    tmp_path: Path, db: Path, site: SiteServer
) -> None:
    connect(db).close()
    config = sources(tmp_path, site, rate=50)
    summary = tmp_path / "summary.json"
    started = time.monotonic()
    r = subprocess.run(
        [*NIANBAO, "--quiet", "run", "--config", str(config), "--db", str(db),
         "--summary-json", str(summary)],
        capture_output=True, text=True, timeout=120, preexec_fn=full_disk(LOAD_FULL_AT),
    )  # fmt: skip
    assert time.monotonic() - started < 60
    assert r.returncode == 1, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    assert "stopped: " in r.stdout and "warehouse not writable" in r.stdout
    assert "File too large" in r.stdout
    assert "the next run parses what was not loaded" in r.stderr
    assert not Path(f"{db}.lock").exists()
    written = json.loads(summary.read_text(encoding="utf-8"))
    assert written["status"] == "warehouse_not_writable" and written["exit_code"] == 1
    assert written["crawl"]["new_documents"] == REPORTS and written["parse"] is None

    # room again: the next run takes the lock, fetches what was not recorded, parses it all
    again = subprocess.run(
        [*NIANBAO, "--quiet", "run", "--config", str(config), "--db", str(db)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    (documents,) = con.execute("SELECT count(*) FROM documents").fetchone()
    (reports,) = con.execute("SELECT count(*) FROM reports").fetchone()
    (last,) = con.execute("SELECT status FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
    con.close()
    assert documents == reports == REPORTS and last == "done"


STOPPING = textwrap.dedent(
    """
    import resource, signal, sys, time
    from pipeline.batch import BatchSettings
    from pipeline.config import load_config
    from pipeline.run import run_once
    from warehouse.access import AccessSettings

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    started = time.monotonic()
    result = run_once(load_config(sys.argv[1]), sys.argv[2], BatchSettings(jobs=1),
                      access=AccessSettings(unwritable_after=0.5, writer_wait=1))
    print(result.crawl.status, result.crawl.counts.fetched, round(time.monotonic() - started, 1))
    """
)


def test_a_warehouse_refusing_writes_stops_the_crawl_early(
    tmp_path: Path, db: Path, site: SiteServer
) -> None:
    connect(db).close()
    config = sources(tmp_path, site, rate=10)  # the whole crawl would take 6 s
    r = subprocess.run(
        [sys.executable, "-c", STOPPING, str(config), str(db), str(CRAWL_FULL_AT)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    status, fetched, elapsed = r.stdout.split()
    assert status == "unwritable"
    assert int(fetched) < REPORTS  # stopped before the end
    assert float(elapsed) < 5
    assert "rows kept for the next try" in r.stderr
    assert not Path(f"{db}.lock").exists()
