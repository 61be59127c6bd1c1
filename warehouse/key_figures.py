"""The few printed figures the warehouse's own checks compare, kept per report beside `facts`.

The cross-report rules (`warehouse.continuity`) read the carried-over and carried-forward
rows and the in-force counts of the reports a group stores and of their agencies' reports of
the years before and after; the narrative check (`warehouse.narrative`) reads the request
totals of the reports stored. Read from `facts`, each group stored scanned every fact of the
warehouse (20 M at 100,000 reports). `key_figures` holds a copy of just these cells (about
22 a report), written from the group's facts in the same transaction and emptied with them
when a report is parsed again, so the checks read a table a tenth the size."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from warehouse.values import VALUE_TYPE

# (table_id, row_ids, col_ids or None for every column), and the rule that reads them.
CELLS: tuple[tuple[str, tuple[str, ...], tuple[str, ...] | None], ...] = (
    # requests.carry_continuity (and the narrative check's carried_over total)
    ("requests", ("carried_over", "carried_forward"), None),
    # narrative.requests_received and narrative.requests_handled
    ("requests", ("new_received", "results_total"), ("total",)),
    # proactive.in_force_continuity
    ("proactive", ("rules", "normative_docs"), ("issued", "repealed", "in_force")),
)
COLUMNS = ("report_id", "table_id", "row_id", "col_id", "value", "status")

DDL: list[str] = [
    f"""CREATE TABLE key_figures (
        report_id VARCHAR NOT NULL,
        table_id VARCHAR NOT NULL,
        row_id VARCHAR NOT NULL,
        col_id VARCHAR NOT NULL,
        value {VALUE_TYPE},
        status VARCHAR NOT NULL
    )""",
]


def _sql_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _where_sql() -> str:
    parts = []
    for table, rows, cols in CELLS:
        part = f"(table_id = '{table}' AND row_id IN {_sql_list(rows)}"
        if cols is not None:
            part += f" AND col_id IN {_sql_list(cols)}"
        parts.append(part + ")")
    return " OR ".join(parts)


def fill_sql(facts: str = "facts") -> str:
    """Copy the key figures of every report in `facts` (the table, for a warehouse made
    before this one; or a group's facts about to be stored)."""
    columns = ", ".join(COLUMNS)
    return f"INSERT INTO key_figures SELECT {columns} FROM {facts} WHERE {_where_sql()}"


def record_key_figures(con: duckdb.DuckDBPyConnection, facts: pa.Table) -> None:
    """Copy the key figures of a group's facts (an Arrow table with the facts' columns)."""
    if facts.num_rows == 0:
        return
    con.register("_group_facts", facts)
    try:
        con.execute(fill_sql("_group_facts"))
    finally:
        con.unregister("_group_facts")
