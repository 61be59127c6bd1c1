"""Column order as the printed header gives it, checked against the template's order.

National formats fix the column order, so values are read in order. A header that names the
columns in another order overrides that: by its order when it names every column with a
position (HTML and PDF grids), and otherwise by withholding the values it contradicts.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.reading.cells import TypedCell


@dataclass(frozen=True)
class HeaderOrder:
    """What the header rows above some data say about its columns."""

    order: tuple[str, ...] | None  # every column, in printed order, when positions allow
    contradiction: str | None  # a header row naming two columns against the template order


def read_order(
    rows: list[tuple[TypedCell, ...]],
    col_keys: dict[str, tuple[str, ...]],
    cols: tuple[str, ...],
    *,
    positioned: bool,
) -> HeaderOrder:
    """The order of `cols` in these header rows (exact label matches only)."""
    named: list[tuple[TypedCell, str]] = []
    contradiction = None
    for row in rows:
        in_row = []
        for cell in row:
            col = next((c for c in cols if not cell.keys.isdisjoint(col_keys.get(c, ()))), None)
            if col is not None:
                in_row.append((cell, col))
        ranks = [cols.index(c) for _, c in in_row]
        if ranks != sorted(ranks) and contradiction is None:
            contradiction = " | ".join(c.raw for c, _ in in_row)
        named += in_row
    order = None
    if positioned:
        seq = tuple(col for _, col in sorted(named, key=lambda x: x[0].col))
        if len(seq) == len(cols) and set(seq) == set(cols):
            order = seq
    return HeaderOrder(order, contradiction)
