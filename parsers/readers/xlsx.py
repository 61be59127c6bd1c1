"""Excel (.xlsx) attachments to a Document: each sheet's tables as grids, its titles as text.

openpyxl reads the workbook (cached formula results, not formulas). A run of rows with
ruled cells or with two or more filled cells is a table; a row holding a single unruled
text (a title, a section heading, a unit line) is a paragraph. Merged ranges are one
source cell at their origin, as in HTML. A number is printed as Excel stores it (12, 59237.2449);
a cell's display format is not applied.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from parsers.document import Block, Cell, Document, Table
from parsers.errors import SourceError
from parsers.model import Where


@dataclass(frozen=True)
class XlsxSettings:
    """Limits of the Excel reader."""

    max_rows: int = 5000
    max_cols: int = 64


def read_xlsx(data: bytes, settings: XlsxSettings | None = None) -> Document:
    """Read every sheet of a workbook into blocks, sheet after sheet."""
    settings = settings or XlsxSettings()
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise SourceError(f"malformed Excel file: {type(exc).__name__}: {exc}") from exc
    blocks: list[Block] = []
    for sheet in book.worksheets:
        if sheet.max_row > settings.max_rows or sheet.max_column > settings.max_cols:
            raise SourceError(
                f"sheet {sheet.title!r} has {sheet.max_row} rows and {sheet.max_column} "
                f"columns, more than a report's tables ({settings.max_rows} x {settings.max_cols})"
            )
        blocks += _sheet_blocks(sheet, sum(1 for b in blocks if b.table is not None))
    return Document(kind="xlsx", blocks=tuple(blocks), title_hint=book.properties.title)


def _sheet_blocks(sheet, first_table: int) -> list[Block]:
    """One sheet's rows: runs of table rows as grids, lone unruled texts as paragraphs."""
    merged = {
        (m.min_row, m.min_col): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
        for m in sheet.merged_cells.ranges
    }
    covered = {
        (r, c)
        for (r0, c0), (rs, cs) in merged.items()
        for r in range(r0, r0 + rs)
        for c in range(c0, c0 + cs)
        if (r, c) != (r0, c0)
    }
    blocks: list[Block] = []
    run: list[list[tuple[int, int, str]]] = []
    for r, row in enumerate(sheet.iter_rows(), start=1):
        cells = [
            (r, c.column, _text(c.value))
            for c in row
            if (r, c.column) not in covered and (c.value is not None or _ruled(c))
        ]
        filled = [x for x in cells if x[2]]
        lone = len(filled) == 1 and not any(_ruled(c) for c in row)
        if run and (not cells or lone):
            table = _table(first_table, run, merged)
            blocks.append(Block(table=table, where=table.where))
            first_table += 1
            run = []
        if lone:
            blocks.append(Block(text=filled[0][2], where=Where("xlsx", row=r)))
        elif cells:
            run.append(cells)
    if run:
        table = _table(first_table, run, merged)
        blocks.append(Block(table=table, where=table.where))
    return blocks


def _ruled(cell) -> bool:
    b = cell.border
    return any(getattr(b, side).style for side in ("left", "right", "top", "bottom"))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        d = Decimal(repr(value))
        return f"{d.normalize():f}" if d == d.to_integral_value() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _table(
    index: int,
    run: list[list[tuple[int, int, str]]],
    merged: dict[tuple[int, int], tuple[int, int]],
) -> Table:
    first_row = run[0][0][0] if run[0] else 1
    first_col = min((x[1] for row in run for x in row), default=1)
    rows = []
    for row in run:
        out = []
        for r, c, text in row:
            rs, cs = merged.get((r, c), (1, 1))
            gr, gc = r - first_row, c - first_col
            where = Where("xlsx", table=index, row=r, col=c)
            out.append(Cell(text, gr, gc, rs, cs, where))
        rows.append(tuple(out))
    # Row indices must count grid rows; blank rows inside a run keep their place.
    n = max((x.row for r in rows for x in r), default=-1) + 1
    grid: list[tuple[Cell, ...]] = [() for _ in range(n)]
    for r in rows:
        if r:
            grid[r[0].row] = r
    return Table(index, tuple(grid), Where("xlsx", table=index))
