"""Readers are never blocked: `nianbao query` every second while `nianbao run` crawls a slow
site for more than a minute, then parses and loads; `audit`, `export` and `status` too.

Every call must answer (exit 0), and see whole documents only: each report it sees has
exactly the facts, sections and checks it has once the run is over, and every URL state
that names a document has that document's row.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.pipeline.test_cli import NIANBAO
from tests.sites import SiteServer
from tests.sites.column import Column

RATE = 0.25  # requests per second: 17 URLs take a minute
MIN_RUN_SECONDS = 60
REPORTS = 15  # the demo site's clean, quirky and damaged reports
# One statement: per report its facts, sections and checks; then the URL states whose
# document row is missing (must be none), the number of URL states, and when it was read.
SNAPSHOT = """
WITH f AS (SELECT report_id, count(*) AS n FROM facts GROUP BY 1),
     s AS (SELECT report_id, count(*) AS n FROM sections GROUP BY 1),
     c AS (SELECT report_id, count(*) AS n FROM checks GROUP BY 1)
SELECT r.report_id AS id, coalesce(f.n, 0) AS facts, coalesce(s.n, 0) AS sections,
       coalesce(c.n, 0) AS checks
FROM reports r LEFT JOIN f USING (report_id) LEFT JOIN s USING (report_id)
     LEFT JOIN c USING (report_id)
UNION ALL
SELECT '#orphan_states', count(*) FILTER (WHERE d.sha256 IS NULL), count(*), 0
FROM url_state u LEFT JOIN documents d ON d.sha256 = u.sha256
WHERE u.kind IN ('report_page', 'attachment', 'pointer')
UNION ALL
SELECT '#url_states', count(*), 0, 0 FROM url_state
UNION ALL
SELECT '#at', epoch_ms(current_timestamp), 0, 0
"""


def reader(args: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.monotonic()
    done = subprocess.run([*NIANBAO, *args], capture_output=True, text=True, timeout=120)
    return time.monotonic() - started, done


@pytest.mark.slow
def test_queries_answer_every_second_of_a_minute_long_run(tmp_path: Path, db: Path) -> None:
    with SiteServer() as server:
        column = Column(server, n=REPORTS, pattern="*-[cqd]*-*.htm*")  # no bad ones
        config = tmp_path / "sources.toml"
        config.write_text(
            textwrap.dedent(
                f"""
                [crawler]
                contact = "mailto:test@example.org"
                rate = {RATE}
                per_host_concurrency = 1
                trust_env = false

                [[sources]]
                name = "qingshi"
                start_urls = ["{column.start}"]
                max_depth = 1
                """
            )
        )
        summary_file = tmp_path / "summary.json"
        started = time.monotonic()
        writer = subprocess.Popen(
            [*NIANBAO, "--quiet", "run", "--config", str(config), "--db", str(db),
             "--jobs", "2", "--summary-json", str(summary_file)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        results: list[tuple[str, float, float, subprocess.CompletedProcess]] = []
        lock = threading.Lock()

        def call(kind: str, args: list[str]) -> None:
            at = time.monotonic() - started
            took, done = reader(args)
            with lock:
                results.append((kind, at, took, done))

        threads: list[threading.Thread] = []
        tick = 0
        while writer.poll() is None:
            tick += 1
            if tick % 15 == 5:
                kind, args = "audit", ["audit", "--db", str(db)]
            elif tick % 15 == 10:
                kind, args = "export", ["export", "--db", str(db), "--out", str(tmp_path / "x")]
            elif tick % 15 == 0:
                kind, args = "status", ["status", "--db", str(db)]
            else:
                kind, args = "query", ["query", "--db", str(db), "--format", "json", SNAPSHOT]
            if db.exists():
                thread = threading.Thread(target=call, args=(kind, args))
                thread.start()
                threads.append(thread)
            time.sleep(1.0)
        elapsed = time.monotonic() - started
        out, err = writer.communicate()
        for thread in threads:
            thread.join(timeout=150)

    assert writer.returncode == 0, out[-3000:] + err[-3000:]
    assert f"changes: {REPORTS} new reports, 0 republished (0 figures changed), 0 gone" in out
    assert elapsed >= MIN_RUN_SECONDS
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    assert summary["status"] == "done" and summary["crawl"]["new_documents"] == REPORTS

    con = duckdb.connect(str(db), read_only=True)
    final = {
        rid: (facts, sections, checks)
        for rid, facts, sections, checks in con.execute(SNAPSHOT).fetchall()
        if not rid.startswith("#")
    }
    con.close()
    assert len(final) == REPORTS and sum(f for f, _, _ in final.values()) > 2000

    failures = [(k, at, d.returncode, d.stderr[-500:]) for k, at, _, d in results if d.returncode]
    assert failures == []
    queries = sorted((at, took, d) for k, at, took, d in results if k == "query")
    assert len(queries) >= MIN_RUN_SECONDS * 0.8  # one a second, less the first moments
    assert len([r for r in results if r[0] != "query"]) >= 10
    seen_full = 0
    states = 0
    snapshots = []
    for _, took, done in queries:
        rows = json.loads(done.stdout)
        by_id = {r["id"]: (r["facts"], r["sections"], r["checks"]) for r in rows}
        snapshots.append((by_id.pop("#at")[0], took, by_id))
    for _, _took, by_id in sorted(snapshots, key=lambda s: s[0]):  # in the order they read
        assert by_id.pop("#orphan_states")[0] == 0  # no URL state without its document
        now = by_id.pop("#url_states")[0]
        assert now >= states  # what was written stays written
        states = now
        for rid, counts in by_id.items():
            assert counts == final[rid], f"report {rid} seen half-loaded: {counts}"
        seen_full += len(by_id) == REPORTS
    # the queries saw the warehouse before and after the reports were loaded
    assert states > 0 and seen_full > 0
    print(
        f"run {elapsed:.0f} s; {len(results)} reader calls, {len(queries)} queries, "
        f"slowest {max(t for _, t, _ in queries):.2f} s"
    )
