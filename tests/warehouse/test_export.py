"""Exports: facts and checks by year (hive), every view a file, readable elsewhere."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import duckdb
import pandas as pd
import polars as pl
import pytest

from parsers import parse
from tests.conftest import REAL
from warehouse.export import export_warehouse
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect


@pytest.fixture
def wh(series_copy):
    """The series warehouse plus one report whose year is unknown."""
    data = (REAL / "shanghai-govoffice-2019.html").read_bytes()
    con = connect(series_copy)
    doc = DocumentRecord(hashlib.sha256(data).hexdigest(), "no-year.html")
    load_reports(con, [(doc, replace(parse(data, "s.html"), year=None))], "1")
    con.close()
    return series_copy


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_reads_back_in_pandas_polars_and_duckdb(wh, tmp_path, fmt) -> None:
    out = tmp_path / "export"
    con = connect(wh, read_only=True)
    written = dict(export_warehouse(con, out, fmt))
    (n_facts,) = con.execute("SELECT count(*) FROM facts").fetchone()
    (n_checks,) = con.execute("SELECT count(*) FROM checks").fetchone()
    by_year = dict(con.execute(
        "SELECT r.year, count(*) FROM facts JOIN reports r USING (report_id) GROUP BY 1"
    ).fetchall())  # fmt: skip
    assert {"facts", "checks", "requests_wide", "report_summary", "agency_years"} <= set(written)
    years = sorted(p.name for p in (out / "facts").iterdir())
    assert years == [f"year={y}" for y in range(2019, 2025)]
    pattern = str(out / "facts" / "**" / f"*.{fmt}")
    if fmt == "parquet":
        pdf = pd.read_parquet(out / "facts")
        pol = pl.read_parquet(pattern, hive_partitioning=True)
    else:
        pdf = pd.concat(
            [pd.read_csv(p).assign(year=p.parent.name.split("=")[1])
             for p in (out / "facts").rglob("*.csv")]
        )  # fmt: skip
        pol = pl.read_csv(pattern, infer_schema_length=0)
    unknown = out / f"facts_year_unknown.{fmt}"
    n_unknown = len(pd.read_parquet(unknown) if fmt == "parquet" else pd.read_csv(unknown))
    assert n_unknown == by_year[None] > 0
    assert len(pdf) == len(pol) == n_facts - n_unknown
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    dk = duckdb.connect()
    got = dict(dk.execute(
        f"SELECT year, count(*) FROM {reader}('{pattern}', hive_partitioning = true) GROUP BY 1"
    ).fetchall())  # fmt: skip
    assert got == {y: n for y, n in by_year.items() if y is not None}
    checks = dk.execute(
        f"SELECT count(*) FROM {reader}('{out / 'checks' / '**' / ('*.' + fmt)}', "
        "hive_partitioning = true)"
    ).fetchone()
    (n_checks_known,) = con.execute(
        "SELECT count(*) FROM checks JOIN reports r USING (report_id) WHERE r.year IS NOT NULL"
    ).fetchone()
    assert checks == (n_checks_known,) and n_checks_known < n_checks
    wide = out / f"requests_wide.{fmt}"
    frame = pd.read_parquet(wide) if fmt == "parquet" else pd.read_csv(wide)
    (n_wide,) = con.execute("SELECT count(*) FROM requests_wide").fetchone()
    assert len(frame) == n_wide and "row_label" in frame.columns


def test_export_never_uses_names_found_in_the_file(series_copy, tmp_path) -> None:
    con = connect(series_copy)
    con.execute("CREATE TABLE \"x'); COPY facts TO '/tmp/pwned.csv'; --\" AS SELECT 1 AS a")
    con.execute("CREATE VIEW evil AS SELECT 1 AS a")
    con.close()
    con = connect(series_copy, read_only=True)
    written = dict(export_warehouse(con, tmp_path / "out", "csv"))
    assert "evil" not in written and not any("pwned" in str(p) for p in written.values())
    assert not (tmp_path / "out" / "evil.csv").exists()
