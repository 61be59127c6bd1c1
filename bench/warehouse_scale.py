"""Scale benchmark: ~100,000 reports (~20 M facts) loaded, then every example query timed.

National size is about 150,000 reports a year. The reports are built directly as Arrow
batches (no documents are generated or parsed): ~16,700 agencies named after real divisions
of the national division codes (county and city governments and six departments each), six
years each (2019–2020 format 2019, 2021–2024 format 2021), every canonical cell, ~40 in-report
checks, six sections of prose whose sentences partly repeat the year before, and two
narrative figures per report. Each batch goes through the warehouse's own storing path
(`warehouse.load.append_tables`: every table, sentence keys and key figures; then
`warehouse.derive.derive_reports`: agency keys, narrative check, cross-report checks and
text reuse, inside the transaction).

    python bench/warehouse_scale.py                  # 100,000 reports into a temporary file
    python bench/warehouse_scale.py --reports 12000  # a quick run

Prints load rows/s (facts appended, and the whole loader with its derived steps), the
warehouse's size on disk and each example query's time (best of three, on the read-only
locked connection `nianbao query` uses).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parsers.templates import load_format
from warehouse.derive import derive_reports
from warehouse.examples import load_examples
from warehouse.load import (
    CHECK_SCHEMA,
    DIAGNOSIS_SCHEMA,
    FACT_SCHEMA,
    REPORT_SCHEMA,
    SECTION_SCHEMA,
    DocumentRecord,
    ReportTables,
    append_tables,
    record_documents,
)
from warehouse.narrative import SCHEMA as NARRATIVE_SCHEMA
from warehouse.places import load_places
from warehouse.sandbox import open_for_query, run_one
from warehouse.schema import connect

YEARS = tuple(range(2019, 2025))
BODIES = ("人民政府", "教育局", "公安局", "民政局", "财政局", "卫生健康委员会", "市场监督管理局")
SENTENCES = (
    "{y}年，{a}坚持以公开为常态、不公开为例外，主动公开政府信息{n}条",
    "围绕重点领域信息公开，及时发布财政预决算、重大建设项目等信息",
    "全年制发规范性文件{n}件，全部按规定向社会公开",
    "召开新闻发布会{n}场，主动回应社会关切",
    "进一步规范依申请公开工作流程，严格落实登记、审核、办理、答复、归档等环节要求",
    "加强与申请人的沟通，依法依规做好答复工作",
    "建立健全政府信息公开保密审查制度，坚持先审查后公开",
    "持续加强政府网站建设，全年网站访问量达{n}万人次",
    "组织开展政务公开业务培训{n}次，参训人员{n}人次",
    "将政务公开工作纳入年度绩效考核",
    "一是政策解读形式还不够丰富；二是基层政务公开标准化规范化建设有待深化",
    "下一步将持续深化政务公开，加强统筹协调和督促指导",
)
CHECK_RULES = 40


def agencies(n: int, rng: random.Random) -> list[str]:
    """n agency names built from the division list (city or county government + bodies)."""
    index = load_places()
    names = []
    for d in index.by_code.values():
        if d.level == "province":
            continue
        city = index.by_code.get(d.city_code)
        prefix = (city.name if city and city.code != d.code else "") + d.name
        names += [prefix + body for body in BODIES]
    rng.shuffle(names)
    if len(names) < n:
        raise SystemExit(f"only {len(names)} agency names; ask for fewer reports")
    return names[:n]


def cell_codes(fmt: str) -> list[tuple[str, str, str]]:
    f = load_format(fmt)
    return [(t, r, c) for t, spec in f.tables.items() for r, c in spec.cells()]


def batch_tables(first: int, count: int, names: list[str], rng: np.random.Generator):
    """Arrow tables of reports first … first+count−1 (report i: agency i // 6, year i % 6)."""
    ids = [f"{i:016x}" for i in range(first, first + count)]
    agency = [names[i // len(YEARS)] for i in range(first, first + count)]
    year = [YEARS[i % len(YEARS)] for i in range(first, first + count)]
    fmt = ["2019" if y <= 2020 else "2021" for y in year]
    reports = pa.table(
        {
            "report_id": ids,
            "doc_id": ids,
            "title": [
                f"{a}{y}年政府信息公开工作年度报告" for a, y in zip(agency, year, strict=True)
            ],
            "agency": agency,
            "agency_raw": agency,
            "year": pa.array(year, pa.int32()),
            "format": fmt,
            "script": ["simplified"] * count,
            "published": [None] * count,
            "status": ["parsed"] * count,
            "error": [None] * count,
            "parser_version": ["bench"] * count,
        },
        schema=REPORT_SCHEMA,
    )
    facts = []
    for f in ("2019", "2021"):
        rows = [i for i in range(count) if fmt[i] == f]
        if not rows:
            continue
        codes = cell_codes(f)
        n = len(rows) * len(codes)
        values = rng.integers(0, 500, n).astype(np.int32)
        blank = rng.random(n) < 0.2
        value = pc.cast(pa.array(values, mask=blank), pa.decimal128(24, 6))
        raw = pc.if_else(blank, "", pc.cast(pa.array(values), pa.string()))
        none = pa.nulls(n)
        columns = {
            "report_id": pa.array(np.repeat(np.array(ids, dtype=object)[rows], len(codes))),
            "table_id": pa.array([c[0] for c in codes] * len(rows)),
            "row_id": pa.array([c[1] for c in codes] * len(rows)),
            "col_id": pa.array([c[2] for c in codes] * len(rows)),
            "value": value,
            "unit": none.cast(pa.string()),
            "status": pc.if_else(blank, "blank", "ok"),
            "raw": raw,
            "note": none.cast(pa.string()),
        }
        for name, typ in zip(FACT_SCHEMA.names[9:], FACT_SCHEMA.types[9:], strict=True):
            columns[name] = none.cast(typ)
        facts.append(pa.table(columns, schema=FACT_SCHEMA))
    n = count * CHECK_RULES
    checks = pa.table(
        {
            "report_id": pa.array(np.repeat(np.array(ids, dtype=object), CHECK_RULES)),
            "rule_id": ["requests.row_total"] * n,
            "scope": [f"r{k}" for k in range(CHECK_RULES)] * count,
            "status": ["pass"] * n,
            "lhs": pa.nulls(n, pa.decimal128(24, 6)),
            "rhs": pa.nulls(n, pa.decimal128(24, 6)),
            "diff": pa.nulls(n, pa.decimal128(24, 6)),
            "message": [None] * n,
        },
        schema=CHECK_SCHEMA,
    )
    sections: dict[str, list] = {k: [] for k in SECTION_SCHEMA.names}
    narrative: dict[str, list] = {k: [] for k in NARRATIVE_SCHEMA.names}
    for i, rid in enumerate(ids):
        seed = (first + i) // len(YEARS)
        for no in range(1, 7):
            # Most sentences carry over from year to year; one changes each year.
            picks = [(seed * 7 + no * 3 + k + (k == 0) * year[i]) % len(SENTENCES)
                     for k in range(4)]  # fmt: skip
            text = "。".join(
                SENTENCES[p].format(y=year[i], a=agency[i], n=int(rng.integers(1, 900)))
                for p in picks
            ) + "。"  # fmt: skip
            for k, v in zip(SECTION_SCHEMA.names, (rid, no, None, True, text, text), strict=True):
                sections[k].append(v)
        for k in range(2):
            row = (rid, 1, k, 10 * k, 10 * k + 5, int(rng.integers(1, 9999)), "件", None, None,
                   "123件", "requests_received" if k == 0 else None)  # fmt: skip
            for name, v in zip(NARRATIVE_SCHEMA.names, row, strict=True):
                narrative[name].append(v)
    docs = [DocumentRecord(rid.ljust(64, "0"), f"bench/{rid}.html") for rid in ids]
    return docs, ReportTables(
        reports=reports,
        sections=pa.table(sections, schema=SECTION_SCHEMA),
        diagnoses=DIAGNOSIS_SCHEMA.empty_table(),
        facts=pa.concat_tables(facts),
        derived=FACT_SCHEMA.empty_table(),
        checks=checks,
        narrative=pa.table(narrative, schema=NARRATIVE_SCHEMA),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--db", type=Path, default=None, help="keep the warehouse here")
    args = parser.parse_args()
    folder = None if args.db else Path(tempfile.mkdtemp(prefix="nianbao-scale-"))
    db = args.db or folder / "scale.duckdb"
    db.unlink(missing_ok=True)
    names = agencies(-(-args.reports // len(YEARS)), random.Random(1))
    rng = np.random.default_rng(1)
    con = connect(db)
    built = appended = derived = committed = 0.0
    cpu_appended = cpu_derived = 0.0
    facts = 0
    for first in range(0, args.reports, args.batch):
        t0 = time.perf_counter()
        docs, tables = batch_tables(first, min(args.batch, args.reports - first), names, rng)
        t1 = time.perf_counter()
        c1 = time.process_time()
        con.execute("BEGIN TRANSACTION")
        record_documents(con, docs)
        append_tables(con, tables)
        t2 = time.perf_counter()
        c2 = time.process_time()
        derive_reports(con, tables.reports.column("report_id").to_pylist())
        t2c = time.perf_counter()
        con.execute("COMMIT")
        t3 = time.perf_counter()
        c3 = time.process_time()
        cpu_appended += c2 - c1
        cpu_derived += c3 - c2
        built += t1 - t0
        appended += t2 - t1
        derived += t3 - t2
        committed += t3 - t2c
        facts += tables.facts.num_rows
        print(f"  {first + len(docs):>7} reports, {facts:>10} facts: batch built "
              f"{t1 - t0:.1f} s, appended {t2 - t1:.1f} s, derived {t3 - t2:.1f} s",
              flush=True)  # fmt: skip
    con.execute("CHECKPOINT")
    counts = dict(
        con.execute(
            "SELECT 'checks', count(*) FROM checks UNION ALL "
            "SELECT 'cross-report checks', count(*) FROM checks WHERE other_report_id IS NOT NULL "
            "UNION ALL SELECT 'text_reuse', count(*) FROM text_reuse UNION ALL "
            "SELECT 'agencies', count(DISTINCT agency_key) FROM report_agencies"
        ).fetchall()
    )
    con.close()
    size = os.path.getsize(db) + (os.path.getsize(f"{db}.wal") if Path(f"{db}.wal").exists() else 0)
    print(f"reports: {args.reports}, facts: {facts}, {counts}")
    print(f"load, facts appended (Arrow → DuckDB, every table of the batch): "
          f"{facts / appended:,.0f} facts/s ({appended:.1f} s)")  # fmt: skip
    print(f"load, whole loader (append + agency keys, narrative check, cross-report checks, "
          f"text reuse): {facts / (appended + derived):,.0f} facts/s "
          f"({appended + derived:.1f} s; derived steps and commit {derived:.1f} s, of which "
          f"commit {committed:.1f} s)")  # fmt: skip
    print(f"CPU time (all threads) of the load: append {cpu_appended:.1f} s "
          f"({facts / cpu_appended:,.0f} facts per CPU-second), derived steps and commit "
          f"{cpu_derived:.1f} s; whole loader {facts / (cpu_appended + cpu_derived):,.0f} "
          "facts per CPU-second")  # fmt: skip
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"building the Arrow batches (not loading): {built:.1f} s")
    print(f"warehouse on disk: {size / 2**20:.0f} MiB")
    q = open_for_query(db)
    for name, example in load_examples().items():
        times = []
        for _ in range(3):
            t = time.perf_counter()
            _, rows = run_one(q, example.sql)
            times.append(time.perf_counter() - t)
        print(f"query {name}: best {min(times) * 1000:.0f} ms, median "
              f"{statistics.median(times) * 1000:.0f} ms ({len(rows)} rows)")  # fmt: skip
    q.close()
    if folder is not None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
