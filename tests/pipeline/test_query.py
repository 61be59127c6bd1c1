"""`nianbao query`: strictly read-only, one statement, examples, files, terminal-safe output."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.output import render_table, safe_text, width
from warehouse.examples import load_examples


def query(*args: str):
    return CliRunner().invoke(main, ["query", *args])


@pytest.fixture
def wh(series, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(series[0], db)
    return str(db)


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("COPY reports TO '{tmp}/out.csv'", "reads the warehouse only"),
        ("COPY (SELECT 1) TO '{tmp}/out.parquet' (FORMAT parquet)", "reads the warehouse only"),
        ("ATTACH '{tmp}/other.duckdb' AS o (READ_WRITE)", "reads the warehouse only"),
        ("SELECT * FROM read_text('/etc/hostname')", "reads the warehouse only"),
        ("SELECT * FROM read_csv('/etc/passwd')", "reads the warehouse only"),
        ("SELECT * FROM glob('/etc/*')", "reads the warehouse only"),
        ("SELECT * FROM 'http://127.0.0.1:9/x.csv'", "reads the warehouse only"),
        ("PRAGMA memory_limit = '1GB'", "never writes and never changes settings"),
        ("RESET lock_configuration", "never writes and never changes settings"),
        ("EXPORT DATABASE '{tmp}/dump'", "reads the warehouse only"),
        ("INSTALL httpfs", "reads the warehouse only"),
        ("LOAD httpfs", "reads the warehouse only"),
        ("SET enable_external_access = true", "never writes and never changes settings"),
        ("SET threads = 1", "never writes and never changes settings"),
        ("INSERT INTO agency_aliases VALUES ('a', 'b', NULL, now())", "never writes"),
        ("CREATE TABLE x AS SELECT 1", "never writes"),
        ("SELECT 1; SELECT 2", "one SQL statement per call, got 2"),
        ("SELECT 1; COPY reports TO '{tmp}/out.csv'", "one SQL statement per call, got 2"),
        ("", "no SQL statement given"),
    ],
)
def test_anything_but_one_read_is_refused_with_exit_2(wh, tmp_path, sql, says) -> None:
    r = query("--db", wh, sql.format(tmp=tmp_path))
    assert r.exit_code == 2, r.output
    assert says in r.output
    assert not any(p.name in ("out.csv", "out.parquet", "other.duckdb", "dump")
                   for p in tmp_path.iterdir())  # fmt: skip


def test_the_warehouse_is_unchanged_by_refused_statements(wh) -> None:
    before = duckdb.connect(wh, read_only=True).execute("SELECT count(*) FROM reports").fetchone()
    query("--db", wh, "DELETE FROM reports")
    after = duckdb.connect(wh, read_only=True).execute("SELECT count(*) FROM reports").fetchone()
    assert before == after and before[0] > 0


def test_sql_from_a_file(wh, tmp_path) -> None:
    f = tmp_path / "q.sql"
    f.write_text("SELECT count(*) AS n FROM reports -- a comment\n", encoding="utf-8")
    r = query("--db", wh, "-f", str(f), "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)[0]["n"] > 0


def test_exactly_one_source_of_sql(wh, tmp_path) -> None:
    assert query("--db", wh).exit_code == 2
    assert query("--db", wh, "SELECT 1", "--example", "agency_gaps").exit_code == 2
    assert query("--db", wh, "--example", "nope").exit_code == 2


def test_every_example_runs(wh) -> None:
    listed = query("--list-examples")
    assert listed.exit_code == 0
    for name in load_examples():
        assert name in listed.output
        r = query("--db", wh, "--example", name, "--format", "json")
        assert r.exit_code == 0, (name, r.output)
        json.loads(r.output)


def test_examples_answer_the_questions(wh) -> None:
    gaps = json.loads(query("--db", wh, "--example", "agency_gaps", "--format", "json").output)
    assert [g["gaps"] for g in gaps] == [[2022]]
    carry = query("--db", wh, "--example", "carry_mismatches", "--format", "json")
    assert {row["scope"].split(":")[0] for row in json.loads(carry.output)} >= {"natural_person"}


def test_cjk_columns_line_up_by_display_width() -> None:
    text = render_table(["agency", "n"], [("上海市人民政府办公厅", 1), ("XX", 22)])
    lines = text.splitlines()
    # Numbers are right-aligned: every line ends at the same display column.
    assert len({width(line) for line in lines[:3]}) == 1, lines
    assert width("上海") == 4


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_terminal_escapes_never_reach_the_terminal(wh, fmt) -> None:
    sql = "SELECT chr(27) || '[2J' || chr(155) || 'x' || chr(8238) AS title, 1 AS n"
    r = query("--db", wh, "--format", fmt, sql)
    assert r.exit_code == 0
    assert not any(c in r.output for c in ("\x1b", "\x9b", "\u202e"))
    assert "\\x1b[2J" in r.output


def test_safe_text_keeps_ordinary_text() -> None:
    assert safe_text("青石市 2023 年（一）") == "青石市 2023 年（一）"
    assert safe_text("a\nb") == "a\\x0ab"
    assert safe_text("a\nb", keep_lines=True) == "a\nb"


def test_recheck_command(wh) -> None:
    r = CliRunner().invoke(main, ["recheck", "--db", wh])
    assert r.exit_code == 0, r.output
    assert "cross-report check rows:" in r.output
