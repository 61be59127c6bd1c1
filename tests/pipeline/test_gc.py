"""`nianbao gc` and `nianbao status`: the raw store keeps every report version for ever and
the current copy of every page; superseded page copies go. Against real crawls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipeline.batch import BatchSettings
from pipeline.config import CrawlConfig, Source
from pipeline.run import run_once
from pipeline.store import RawStore, WarehouseLock
from tests.pipeline.test_cli import nianbao
from tests.sites import TEST_SETTINGS, SiteServer, Static
from tests.sites.column import LIST, Column, list_page
from warehouse.schema import connect


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer() as s:
        yield s


def run(column: Column, db: Path) -> None:
    config = CrawlConfig(sources=(Source("qingshi", (column.start,)),), crawler=TEST_SETTINGS)
    assert run_once(config, db, BatchSettings(jobs=1)).crawl.status == "done"


def shas(db: Path, sql: str) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {s for (s,) in con.execute(sql).fetchall()}
    finally:
        con.close()


def test_gc_prunes_superseded_pages_and_keeps_every_report_version(
    server: SiteServer, db: Path
) -> None:
    column = Column(server)
    run(column, db)
    old_list = shas(db, f"SELECT sha256 FROM url_state WHERE url LIKE '%{LIST}'")
    column.republish_corrected(0)
    column.items.append(("/xxgk/ndbg/t_new.html", "青石市2023年政府信息公开工作年度报告"))
    server.routes[LIST] = Static(list_page(column.items))  # the list page changed too
    run(column, db)
    store = RawStore(f"{db}.raw")
    documents = shas(db, "SELECT sha256 FROM documents")
    assert len(documents) == 4  # three reports and the corrected version of one
    before = {sha for sha, _, _ in store.blobs()}
    assert old_list <= before

    dry = nianbao("gc", "--db", str(db), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "gc: would remove 1 superseded page copies" in dry.stdout
    assert {sha for sha, _, _ in store.blobs()} == before

    done = nianbao("gc", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "gc: removed 1 superseded page copies" in done.stdout
    assert "kept: 4 report documents, every version" in done.stdout
    after = {sha for sha, _, _ in store.blobs()}
    assert after == before - old_list
    assert documents <= after  # every version of every report
    assert shas(db, "SELECT sha256 FROM url_state WHERE sha256 IS NOT NULL") <= after

    server.clear_log()
    run(column, db)  # the current copies are there: an unchanged site costs 304s
    assert {e.status for e in server.log if e.path != "/robots.txt"} <= {304, 404}

    status = nianbao("status", "--db", str(db))
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0] == "last runs:"
    assert lines[1].startswith("  run 3 ") and " done " in lines[1]
    assert "1 republished (1 figures changed)" in status.stdout
    assert "flagged sources: 0 of 1" in lines
    assert lines[-1].startswith("raw store: ") and "largest: qingshi " in lines[-1]


def test_gc_is_refused_while_a_run_holds_the_lock(server: SiteServer, db: Path) -> None:
    run(Column(server), db)
    with WarehouseLock.for_db(db):
        r = nianbao("gc", "--db", str(db))
    assert r.returncode == 2
    assert r.stderr.startswith("in use: ") and "another run" in r.stderr


def test_gc_refuses_a_raw_store_its_warehouse_knows_nothing_of(
    server: SiteServer, db: Path, tmp_path: Path
) -> None:
    run(Column(server), db)
    other = tmp_path / "other.duckdb"
    Path(f"{db}.raw").rename(f"{other}.raw")
    connect(other).close()  # an empty warehouse beside a full raw store
    r = nianbao("gc", "--db", str(other))
    assert r.returncode == 2
    assert "names no document or page" in r.stderr
    assert any(RawStore(f"{other}.raw").blobs())
