"""Write the warehouse's tables and views to files other tools read (Parquet or CSV).

Only the warehouse's own objects are written, from the fixed list of the data dictionary
(never names read from the file), each quoted as an identifier. `facts` and `checks` are
partitioned by report year in the hive layout (`facts/year=2023/…`); every other object is
one file. Rows of reports whose year is unknown go to one file beside the folder
(`facts_year_unknown.parquet`): a NULL partition is not read back by pandas (pyarrow cannot
unify a partition dictionary with nulls).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from warehouse.dictionary import OBJECTS

FORMATS = ("parquet", "csv")
PARTITIONED = ("facts", "checks")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def present_objects(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The dictionary's objects this warehouse holds, in dictionary order."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name IN (SELECT unnest(?))",
        [list(OBJECTS)],
    ).fetchall()
    have = {name for (name,) in rows}
    return [name for name in OBJECTS if name in have]


def export_warehouse(con: duckdb.DuckDBPyConnection, out: Path, fmt: str) -> list[tuple[str, Path]]:
    """Write every object; return (object, path written) in order."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    out.mkdir(parents=True, exist_ok=True)
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER"
    written = []
    for name in present_objects(con):
        if name in PARTITIONED:
            target = out / name
            if target.exists():
                shutil.rmtree(target)
            rows = f"FROM {_ident(name)} t LEFT JOIN reports r USING (report_id)"
            con.execute(
                f"COPY (SELECT t.*, r.year {rows} WHERE r.year IS NOT NULL) "
                f"TO {_literal(target.as_posix())} ({options}, PARTITION_BY (year))"
            )
            unknown = out / f"{name}_year_unknown.{fmt}"
            con.execute(
                f"COPY (SELECT t.* {rows} WHERE r.year IS NULL) "
                f"TO {_literal(unknown.as_posix())} ({options})"
            )
            written.append((f"{name}_year_unknown", unknown))
        else:
            target = out / f"{name}.{fmt}"
            con.execute(
                f"COPY (SELECT * FROM {_ident(name)}) TO {_literal(target.as_posix())} ({options})"
            )
        written.append((name, target))
    return written
