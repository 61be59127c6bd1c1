"""Dashboard benchmark: `nianbao dashboard` on a warehouse of 10,000 reports (goal: < 60 s).

The warehouse is built as bench/warehouse_scale.py builds it (1,667 agencies named after
real divisions × 2019–2024, every canonical cell, through the loader's own append and derive
steps), then made plausible for indicators: section 三 results_total is the sum of its
result rows, new requests balance the year (new + carried over = handled + carried
forward), section 四 totals are the sum of their parts, and 1% of the cells are made
missing, so that gaps and reasons are drawn too. The whole CLI is timed (start-up, reading
the views, charts, pages).

    python bench/dashboard_scale.py                 # 10,000 reports, --jobs 2
    python bench/dashboard_scale.py --reports 2000  # a quick run
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from warehouse_scale import YEARS, agencies, batch_tables

from warehouse.derive import derive_reports
from warehouse.load import append_tables, record_documents
from warehouse.schema import connect

RESULT_ROWS = (
    "granted", "partly_granted", "denied_state_secret", "denied_by_law", "denied_security",
    "denied_third_party", "denied_internal", "denied_process", "denied_enforcement",
    "denied_query", "unable_not_held", "unable_to_create", "unable_unclear",
    "rejected_petition", "rejected_repeat", "rejected_publication", "rejected_excessive",
    "rejected_confirmation", "other_handling", "other_no_correction", "other_unpaid_fee",
    "other_misc",
)  # fmt: skip
PLAUSIBLE = [
    # results_total = the sum of the result rows, per column
    f"""UPDATE facts SET value = s.v, status = 'ok', raw = CAST(CAST(s.v AS BIGINT) AS VARCHAR)
        FROM (SELECT report_id, col_id, sum(coalesce(value, 0)) AS v FROM facts
              WHERE table_id = 'requests' AND row_id IN {RESULT_ROWS!r}
              GROUP BY report_id, col_id) s
        WHERE facts.report_id = s.report_id AND facts.col_id = s.col_id
          AND facts.table_id = 'requests' AND facts.row_id = 'results_total'""",
    # new_received = results_total + carried_forward − carried_over (carried over capped)
    """UPDATE facts SET value = greatest(s.v, 0), status = 'ok',
                        raw = CAST(CAST(greatest(s.v, 0) AS BIGINT) AS VARCHAR)
       FROM (SELECT report_id, col_id,
                    sum(coalesce(value, 0) * CASE row_id WHEN 'carried_over' THEN -1 ELSE 1 END)
                        AS v
             FROM facts WHERE table_id = 'requests'
               AND row_id IN ('results_total', 'carried_forward', 'carried_over')
             GROUP BY report_id, col_id) s
       WHERE facts.report_id = s.report_id AND facts.col_id = s.col_id
         AND facts.table_id = 'requests' AND facts.row_id = 'new_received'""",
    # reviews total = the sum of its parts
    """UPDATE facts SET value = s.v, status = 'ok', raw = CAST(CAST(s.v AS BIGINT) AS VARCHAR)
       FROM (SELECT report_id, row_id, sum(coalesce(value, 0)) AS v FROM facts
             WHERE table_id = 'reviews' AND col_id <> 'total' GROUP BY report_id, row_id) s
       WHERE facts.report_id = s.report_id AND facts.row_id = s.row_id
         AND facts.table_id = 'reviews' AND facts.col_id = 'total'""",
    # 1% of the cells missing
    """UPDATE facts SET value = NULL, status = 'missing', raw = NULL,
                        note = 'bench: planted missing'
       WHERE hash(report_id || table_id || row_id || col_id) % 100 = 0""",
]


def build(db: Path, reports: int, batch: int = 5000) -> None:
    """The warehouse of bench/warehouse_scale.py, made plausible for indicators."""
    names = agencies(-(-reports // len(YEARS)), random.Random(1))
    rng = np.random.default_rng(1)
    con = connect(db)
    for first in range(0, reports, batch):
        docs, tables = batch_tables(first, min(batch, reports - first), names, rng)
        con.execute("BEGIN TRANSACTION")
        record_documents(con, docs)
        append_tables(con, tables)
        derive_reports(con, tables.reports.column("report_id").to_pylist())
        con.execute("COMMIT")
    for sql in PLAUSIBLE:
        con.execute(sql)
    con.execute("CHECKPOINT")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="build the site here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nianbao-dashboard-"))
    db = folder / "bench.duckdb"
    t = time.perf_counter()
    build(db, args.reports)
    print(f"warehouse of {args.reports} reports built in {time.perf_counter() - t:.1f} s")
    out = args.keep or folder / "site"
    nianbao = Path(sys.executable).with_name("nianbao")
    load = os.getloadavg()[0]
    t = time.perf_counter()
    done = subprocess.run(
        [str(nianbao), "dashboard", "--db", str(db), "--out", str(out), "--jobs", str(args.jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(done.stdout.strip())
    print(
        f"nianbao dashboard, {args.reports} reports, --jobs {args.jobs}: {wall:.1f} s wall "
        f"(goal < 60 s); site {size / 2**20:.0f} MiB; load average before "
        f"{load:.1f}, after {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    if args.keep is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
