"""Every table, view and column is documented in the database, from one source."""

from __future__ import annotations

from warehouse.dictionary import OBJECTS
from warehouse.documentation import (
    BEGIN,
    FULL,
    README,
    full_dictionary,
    render_readme,
)
from warehouse.schema import connect, new_warehouse_columns


def test_every_object_and_column_carries_a_comment(db) -> None:
    con = connect(db)
    total, commented = con.execute(
        "SELECT count(*), count(comment) FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND NOT internal"
    ).fetchone()
    assert total > 300 and commented / total >= 0.95
    objects = con.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main' "
        "UNION ALL SELECT view_name, comment FROM duckdb_views() "
        "WHERE schema_name = 'main' AND NOT internal"
    ).fetchall()
    assert all(comment for _, comment in objects), [n for n, c in objects if not c]
    assert {n for n, _ in objects} == set(OBJECTS)
    (status,) = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'facts' AND column_name = 'status'"
    ).fetchone()
    for word in ("ok", "blank", "dash", "repaired", "derived", "missing"):
        assert word in status
    (facts,) = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'facts'"
    ).fetchone()
    assert "blank or dash cell is not zero" in facts


def test_readme_and_dictionary_file_are_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text
    assert render_readme(text) == text, "README is stale: run python -m pipeline.docs"
    assert FULL.read_text(encoding="utf-8") == full_dictionary(new_warehouse_columns()), (
        "DICTIONARY.md is stale: run python -m pipeline.docs"
    )
