"""Nightly runs watched: a fixture site changes between runs, and each change is reported.

Real crawls of a report column on 127.0.0.1 into real DuckDB files, parsed by real worker
processes: a report republished with one corrected figure, a list page redesigned so its
report links vanish, a source down three runs in a row, a report removed, robots.txt
closing the column.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipeline.batch import BatchSettings
from pipeline.config import CrawlConfig, Source
from pipeline.run import RunResult, run_once
from pipeline.status import status_lines
from pipeline.store import WarehouseLock
from pipeline.summary import change_lines, health_lines, run_summary
from tests.sites import TEST_SETTINGS, SiteServer
from tests.sites.column import Column

BATCH = BatchSettings(jobs=1, timeout_s=60)


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer() as s:
        yield s


def config(start: str, name: str = "qingshi") -> CrawlConfig:
    return CrawlConfig(sources=(Source(name, (start,)),), crawler=TEST_SETTINGS)


def run(column: Column, db: Path, *, parse: bool = True) -> RunResult:
    return run_once(config(column.start), db, BATCH, parse=parse)


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def flags(result: RunResult) -> tuple[str, ...]:
    (source,) = result.crawl.sources
    return source.verdict.flags


def test_republished_report_reports_the_corrected_figure_and_keeps_both(
    server: SiteServer, db: Path
) -> None:
    column = Column(server)
    first = run(column, db)
    assert [c.change for c in first.changes] == ["new"] * 3
    assert first.parsed is not None and first.parsed.reports["parsed"] == 3

    url, fix = column.republish_corrected(0)
    second = run(column, db)
    (change,) = second.changes
    assert (change.change, change.url, change.kind) == ("republished", url, "report_page")
    assert change.figures_compared
    (figure,) = change.figures  # the one corrected figure, nothing else
    assert (figure.table_id, figure.row_id, figure.col_id) == (fix.table_id, fix.row_id, fix.col_id)
    assert (figure.old_value, figure.new_value) == (Decimal(fix.old), Decimal(fix.new))
    assert (figure.old_status, figure.new_status) == ("ok", "ok")
    assert (figure.old_raw, figure.new_raw) == (fix.old, fix.new)

    # both documents and both reports are kept, each with its own value
    values = dict(
        query(
            db,
            "SELECT report_id, value FROM facts WHERE table_id = ? AND row_id = ? AND col_id = ?",
            [fix.table_id, fix.row_id, fix.col_id],
        )
    )
    assert values[change.old_doc_id] == Decimal(fix.old)
    assert values[change.new_doc_id] == Decimal(fix.new)
    assert query(db, "SELECT count(*) FROM documents WHERE url = ?", [url]) == [(2,)]
    (source,) = second.crawl.sources
    assert (source.tally.documents_changed, source.tally.documents_unchanged) == (1, 2)

    summary = run_summary(second, 0)
    (item,) = summary["changes"]["republished"]
    assert item["figures"][0]["old_value"] == Decimal(fix.old)
    assert summary["changes"]["new"] == [] and summary["changes"]["gone"] == []
    (usage,) = summary["raw_store"]  # every version of every report is kept
    assert (usage["source"], usage["document_files"]) == ("qingshi", 4)
    assert usage["bytes"] == usage["document_bytes"] + usage["page_bytes"] > 0
    lines = change_lines(second)
    assert lines[0] == "changes: 0 new reports, 1 republished (1 figures changed), 0 gone"
    assert f"  {fix.table_id}.{fix.row_id}.{fix.col_id}: {fix.old} -> {fix.new}" in lines

    third = run(column, db)  # nothing changed since: nothing reported
    assert third.changes == ()


def test_list_page_redesigned_so_its_report_links_vanish_flags_the_source(
    server: SiteServer, db: Path
) -> None:
    column = Column(server)
    for _ in range(2):
        assert flags(run(column, db, parse=False)) == ()
    column.redesign()
    redesigned = run(column, db, parse=False)
    assert redesigned.crawl.status == "done"
    assert set(flags(redesigned)) == {"no_report_links", "structure_changed"}
    (source,) = redesigned.crawl.sources
    assert source.verdict.usual_report_links == 3
    assert "no report links found on its 1 list pages; usually 3" in source.verdict.reasons[0]
    assert health_lines(redesigned)[0] == "sources: 1 crawled, 1 flagged"
    (row,) = query(db, "SELECT flagged, flags, report_links FROM source_health")
    assert row == (True, ["no_report_links", "structure_changed"], 0)
    lines = status_lines(duckdb.connect(str(db), read_only=True), WarehouseLock.for_db(db))
    assert "flagged sources: 1 of 1" in lines
    assert any(line.startswith("  qingshi (run 3): no report links") for line in lines)

    column.restore()  # back as before: the structure changed again, the links are back
    restored = run(column, db, parse=False)
    assert flags(restored) == ("structure_changed",)
    assert flags(run(column, db, parse=False)) == ()


def test_source_down_three_runs_in_a_row_is_flagged(db: Path) -> None:
    with SiteServer() as server:
        column = Column(server)
        assert flags(run(column, db, parse=False)) == ()
    # the server is gone: connections to its port are refused
    down = [run(column, db, parse=False) for _ in range(3)]
    assert [flags(r) for r in down] == [(), (), ("down",)]
    (source,) = down[-1].crawl.sources
    assert source.verdict.down_runs == 3
    assert source.verdict.reasons[0].startswith("down 3 runs in a row: nothing could be fetched")
    assert all(r.crawl.status == "done" for r in down)
    rows = query(db, "SELECT down, down_runs FROM source_runs ORDER BY run_id")
    assert rows == [(False, 0), (True, 1), (True, 2), (True, 3)]
    kinds = query(db, "SELECT DISTINCT kind FROM source_failures WHERE run_id = 4")
    assert kinds and all(k in ("network", "robots_unreachable") for (k,) in kinds)


def test_removed_report_is_reported_gone_once_and_its_data_kept(
    server: SiteServer, db: Path
) -> None:
    column = Column(server)
    first = run(column, db)
    url = column.remove(1)  # off the list page, and 404
    doc_id = next(c.new_doc_id for c in first.changes if c.url == url)

    second = run(column, db)
    (change,) = second.changes
    assert (change.change, change.url, change.old_doc_id, change.http_status) == (
        "gone",
        url,
        doc_id,
        404,
    )
    assert f"gone: {url} (HTTP 404; the document and its data are kept)" in change_lines(second)
    # its data is kept
    assert query(db, "SELECT status FROM reports WHERE report_id = ?", [doc_id]) == [("parsed",)]
    (facts,) = query(db, "SELECT count(*) FROM facts WHERE report_id = ?", [doc_id])[0]
    assert facts > 0
    # known to be gone now: not asked for again, not reported again
    server.clear_log()
    third = run(column, db)
    assert third.changes == ()
    assert server.requests_to(path_of(url)) == []


def test_robots_now_disallowing_the_reports_flags_the_source(server: SiteServer, db: Path) -> None:
    column = Column(server)
    assert flags(run(column, db, parse=False)) == ()
    column.close_in_robots()
    closed = run(column, db, parse=False)
    # the list page is now out of bounds (nothing reached: its reports are not asked for)
    assert flags(closed) == ("no_report_links", "robots_disallows_reports")
    (source,) = closed.crawl.sources
    assert source.tally.robots_blocked == [column.start]
    assert source.verdict.reasons[1] == (
        f"robots.txt now disallows URLs that held reports or their lists: {column.start}"
    )


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]
