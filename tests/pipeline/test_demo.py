"""`nianbao demo`: the whole job on the embedded sample site, as `make demo` runs it."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.pipeline.test_cli import nianbao

# Slow on purpose (real processes, a browser or a whole corpus): left out of `make test-fast`.
pytestmark = pytest.mark.slow


def test_demo_crawls_parses_loads_and_is_incremental(tmp_path) -> None:
    r = nianbao("demo", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr[-2000:]
    first, second = r.stdout.split("-- second run (site unchanged)")
    new = int(re.search(r"(\d+) new documents", first).group(1))
    assert new >= 10
    parsed = int(re.search(r"reports: .*\((\d+) new", first).group(1))
    assert parsed == new - 2  # the two pointer pages carry no report: their PDFs do
    assert "0 fetched" in second and " 0 new documents, 0 failed URLs" in second
    assert "accuracy against gold: 1.0 of" in r.stdout and " 0 fabricated" in r.stdout
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    (reports,) = con.execute("SELECT count(*) FROM reports").fetchone()
    runs = con.execute("SELECT status, new_documents FROM runs ORDER BY run_id").fetchall()
    (carrying,) = con.execute("SELECT count(*) FROM documents WHERE kind <> 'pointer'").fetchone()
    assert reports == carrying  # a pointer page's report is its attachment
    assert runs == [("done", new), ("done", 0)]
    assert con.execute(
        "SELECT count(*) FROM documents WHERE source NOT LIKE 'http://127.0.0.1:%'"
    ).fetchone() == (0,)
