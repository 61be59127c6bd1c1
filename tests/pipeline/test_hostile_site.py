"""`nianbao run` over a hostile site beside good reports (issue #12): the run finishes, every
good report is loaded, every hostile response is recorded with its reason, memory stays
bounded, and a second run is unaffected. See `tests/sites/hostile.py` for the site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.measured import NIANBAO, Measured, run_measured
from tests.sites import SiteServer, hostile

# Slow on purpose (real processes, a browser or a whole corpus): left out of `make test-fast`.
pytestmark = pytest.mark.slow

CONFIG = """
[crawler]
user_agent = "nianbao-test/1.0"
contact = "mailto:test@example.org"
rate = 500.0
per_host_concurrency = 4
connect_timeout = 1.0
read_timeout = 5.0
response_deadline = 10.0
url_deadline = 20.0
retries = 1
backoff_base = 0.05
backoff_max = 0.2
trust_env = false

[[sources]]
name = "hostile"
start_urls = ["{base}/ndbg/"]
allow = ["{other}/", "http://files.qingshi.gov.cn"]
allow_patterns = ['^http://.*/latest/']
"""


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[SiteServer, SiteServer]]:
    with SiteServer() as main, SiteServer(hostile.other_routes()) as other:
        main.routes.update(hostile.routes(main.base, other.base))
        yield main, other


@pytest.fixture(scope="module")
def runs(
    sites: tuple[SiteServer, SiteServer], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Measured, Measured]:
    main, other = sites
    folder = tmp_path_factory.mktemp("hostile")
    config = folder / "sources.toml"
    config.write_text(CONFIG.format(base=main.base, other=other.base), encoding="utf-8")
    db = folder / "warehouse.duckdb"
    args = ("run", "--config", str(config), "--db", str(db), "--jobs", "2", "--timeout", "30")
    first = run_measured(NIANBAO, *args, timeout=240)
    second = run_measured(NIANBAO, *args, timeout=240)
    return db, first, second


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def by_path(pairs: list[tuple], base: str) -> dict[str, object]:
    return {url.removeprefix(base): value for url, value in pairs}


def test_the_run_finishes_in_bounded_time_and_memory(runs) -> None:
    _db, first, second = runs
    for run in (first, second):
        assert run.returncode == 1, run.stderr[-3000:]  # done, with failures recorded
        assert "internal error" not in run.stdout + run.stderr
        assert run.seconds < 90
        assert run.peak_mb < 400, run.peak_mb  # a quiet run of the CLI: about 200 MB
        assert run.children_peak_mb < 600, run.children_peak_mb
        assert "HTTP Request:" not in run.stderr  # httpx's request lines stay off the terminal
    assert rows(runs[0], "SELECT run_id, status FROM runs ORDER BY run_id") == [
        (1, "done"),
        (2, "done"),
    ]


def test_every_good_report_is_loaded(runs, sites) -> None:
    db, _first, _second = runs
    loaded = by_path(
        rows(db, "SELECT d.url, r.status FROM reports r JOIN documents d USING (doc_id)"),
        sites[0].base,
    )
    assert {path: loaded.get(path) for path in hostile.GOOD} == dict.fromkeys(
        hostile.GOOD, "parsed"
    )


def test_every_hostile_response_is_recorded_with_its_reason(runs, sites) -> None:
    db, _first, _second = runs
    main, other = sites
    failures = by_path(rows(db, "SELECT url, reason FROM fetch_errors WHERE run_id = 1"), "")
    for path, words in hostile.EXPECTED_FETCH_FAILURES.items():
        assert words in failures[main.base + path], path
    assert failures[other.url("/report.html")].startswith(
        f"{other.url('/report.html')}: robots.txt unreachable (redirected to "
        "http://2852039166/robots.txt refused: 2852039166 is a link-local address"
    )
    assert failures[hostile.METADATA] == (
        f"{hostile.METADATA} refused: 2852039166 is a link-local address, and the source's "
        "own sites are not"
    )
    hostile_urls = {
        *(main.base + path for path in hostile.EXPECTED_FETCH_FAILURES),
        other.url("/report.html"),
        hostile.METADATA,
    }
    # the rest: links in the good reports' page chrome to pages this site does not have
    assert {failures[url] for url in set(failures) - hostile_urls} == {"HTTP 404"}
    errors = by_path(
        rows(db, "SELECT d.url, r.error FROM reports r JOIN documents d USING (doc_id)"),
        main.base,
    )
    for path, words in hostile.EXPECTED_PARSE_FAILURES.items():
        assert words in (errors[path] or ""), path
    notes = by_path(rows(db, "SELECT url, note FROM url_state WHERE note IS NOT NULL"), main.base)
    assert notes == hostile.EXPECTED_NOTES
    urls = {url for (url,) in rows(db, "SELECT url FROM url_state")}
    assert hostile.LOOKALIKE not in urls
    assert other.requests_to("/report.html") == []


def test_a_second_run_is_unaffected(runs) -> None:
    db, _first, second = runs
    per_run = rows(
        db,
        "SELECT run_id, new_documents, failed_urls FROM runs ORDER BY run_id",
    )
    (_, new_first, failed_first), (_, new_second, failed_second) = per_run
    assert new_first == len(hostile.GOOD) + len(hostile.EXPECTED_PARSE_FAILURES)
    assert new_second == 0
    assert failed_second == failed_first
    same = rows(
        db,
        "SELECT a.reason = b.reason FROM fetch_errors a JOIN fetch_errors b USING (url) "
        "WHERE a.run_id = 1 AND b.run_id = 2 AND a.url NOT LIKE '%/bomb.html'",
    )
    assert len(same) == failed_first - 1 and all(equal for (equal,) in same)
    assert "(0 new, 0 re-parsed, 0 unchanged)" in second.stdout
    assert "0 new documents" in second.stdout
