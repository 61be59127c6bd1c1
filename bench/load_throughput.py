"""Facts inserted per second into DuckDB through the loader's Arrow path.

Usage: python bench/load_throughput.py [--reports 2000] [--batch 64]
Baseline in the same run: DuckDB's own INSERT ... SELECT of the same rows from one Arrow
table (the ceiling for any loader).
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

from parsers import parse
from warehouse.load import DocumentRecord, fact_rows, load_reports
from warehouse.schema import connect

PAGE = Path(__file__).resolve().parents[2] / "shared/corpus/real/shanghai-govoffice-2019.html"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    report = parse(PAGE.read_bytes(), "p.html")
    docs = [
        DocumentRecord(hashlib.sha256(f"{i}".encode()).hexdigest(), f"{i}.html")
        for i in range(args.reports)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "w.duckdb")
        t = time.perf_counter()
        for k in range(0, len(docs), args.batch):
            load_reports(con, [(d, report) for d in docs[k : k + args.batch]], "bench")
        elapsed = time.perf_counter() - t
        facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]

        con2 = connect(Path(tmp) / "raw.duckdb")
        rows = fact_rows((d.doc_id, report.facts) for d in docs)
        t = time.perf_counter()
        con2.register("rows", rows)
        con2.execute("INSERT INTO facts SELECT * FROM rows")
        raw = time.perf_counter() - t
    print(f"{args.reports} reports, {facts} facts, group commits of {args.batch}")
    print(f"loader (reports, sections, facts, checks, diagnoses): {facts / elapsed:,.0f} facts/s,"
          f" {args.reports / elapsed:,.0f} reports/s")  # fmt: skip
    print(f"baseline single Arrow INSERT of the facts alone:      {facts / raw:,.0f} facts/s"
          f"  (loader at {raw / elapsed:.2f}x of it)")  # fmt: skip


if __name__ == "__main__":
    main()
