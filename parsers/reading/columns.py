"""Column order as the printed header gives it, checked against the template's order.

National formats fix the column order, so values are read in order. A header that names the
columns in another order overrides that: by its order when it names every column with a
position (HTML and PDF grids), and otherwise by withholding the values it contradicts. In a
table without ruling lines, so does a header cell printed over a value that its place in
the row gives another column (`header_over`).
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
            col = _names(cell, cols, col_keys)
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


def header_over(
    header: list[tuple[TypedCell, ...]],
    values: tuple[TypedCell, ...],
    cols: tuple[str, ...],
    col_keys: dict[str, tuple[str, ...]],
) -> str | None:
    """Why a row's values, read in the order `cols`, are not where the `header` rows put
    them: a header cell naming a column is printed over one printed value of the row alone
    (the value's middle within the header's width, on the same page), that value's place
    gives it another column, and the header of that column, where one is named, is farther
    from it. Without ruling lines the grid's columns come from where the words sit: one
    lost and one too many shift every value between them, and the row's count of cells may
    still match."""
    heads = [
        (named, head, _middle(head))
        for row in header
        for head in row
        if _middle(head) is not None and (named := _names(head, cols, col_keys)) is not None
    ]
    printed = [
        (cell, col, _middle(cell))
        for cell, col in zip(values, cols, strict=True)
        if cell.raw.strip() and _middle(cell) is not None
    ]
    for named, head, centre in heads:
        box = head.where.bbox
        under = [
            (cell, col, x)
            for cell, col, x in printed
            if cell.where.page == head.where.page and box[0] <= x <= box[2]
        ]
        if len(under) != 1 or under[0][1] == named:
            continue
        cell, col, x = under[0]
        own = [c for n, h, c in heads if n == col and h.where.page == head.where.page]
        if any(abs(x - c) <= abs(x - centre) for c in own):
            continue  # nearer its own column's header: a wide header overhanging it
        return (
            f"the header {head.raw} is printed over {cell.raw}, which its place in the row "
            f"gives to {col}: the columns were not found where the words sit"
        )
    return None


def _middle(cell: TypedCell) -> float | None:
    box = cell.where.bbox if cell.where is not None else None
    return None if box is None else (box[0] + box[2]) / 2


def _names(
    cell: TypedCell, cols: tuple[str, ...], col_keys: dict[str, tuple[str, ...]]
) -> str | None:
    """The column of `cols` a header cell names (exact label match), if any."""
    return next((c for c in cols if not cell.keys.isdisjoint(col_keys.get(c, ()))), None)
