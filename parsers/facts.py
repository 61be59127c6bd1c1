"""Facts built from source cells, or recorded as missing with their reason."""

from __future__ import annotations

from parsers.document import Cell
from parsers.model import Fact
from parsers.values import read_value


def missing(table_id: str, cells: list[tuple[str, str]], note: str) -> list[Fact]:
    """Facts for cells the source does not give, each with the reason."""
    return [Fact(table_id, r, c, None, "missing", note=note) for r, c in cells]


def cell_fact(
    table_id: str,
    row_id: str,
    col_id: str,
    cell: Cell,
    unit: str | None = None,
    repair: str | None = None,
) -> Fact:
    """A fact read from one source cell; `repair` says how its position was inferred."""
    rv = read_value(cell.text)
    status = "repaired" if repair and rv.status == "ok" else rv.status
    note = "; ".join(x for x in (repair, rv.note) if x) or None
    return Fact(
        table_id,
        row_id,
        col_id,
        rv.value,
        status,
        cell.text,
        rv.unit or (unit if rv.status == "ok" else None),
        note,
        cell.where,
    )
