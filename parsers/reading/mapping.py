"""Map a labelled table (sections 二 and 三) onto its canonical cells.

Rows are identified (`identify`), their values read in the header's column order
(`columns`); what cannot be read is `missing` with its reason. A row that printed one value
cell too few is handed on, as it is, to the repair step: mapping never repairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.bounds import shares
from parsers.document import Block
from parsers.model import Diagnosis, Fact
from parsers.reading.cells import Grid
from parsers.reading.columns import header_over, read_order
from parsers.reading.identify import identify_rows
from parsers.reading.labels import LabelIndex, LabelSettings, names_any
from parsers.reading.rows import DataRow, data_rows, header_rows
from parsers.templates import RowSpec, TableSpec


@dataclass(frozen=True)
class MappingSettings:
    """When a table is a skeleton rather than a table of blanks."""

    # A table with no printed number and fewer identified rows than this share is a skeleton.
    skeleton_row_share: float = 0.5
    labels: LabelSettings = field(default_factory=LabelSettings)

    def __post_init__(self) -> None:
        shares(self, "skeleton_row_share")


@dataclass(frozen=True)
class ShiftedRow:
    """A row that printed one value cell fewer than its columns: which cell was omitted is
    for the repair step to find, from the consistency rules."""

    row_id: str
    row: DataRow
    placed: str | None  # how the row was identified by position, if it was


@dataclass
class TableRead:
    """A canonical table as read: facts of what was read or is missing, and what is left."""

    facts: list[Fact] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)
    shifted: list[ShiftedRow] = field(default_factory=list)
    # Rows identified by their position, not by a printed label: the checks may overrule.
    placed: set[str] = field(default_factory=set)


def missing(table_id: str, cells: list[tuple[str, str]], note: str) -> list[Fact]:
    """Facts for cells the source does not give, each with the reason."""
    return [Fact(table_id, r, c, None, "missing", note=note) for r, c in cells]


def absent_table(spec: TableSpec, note: str) -> TableRead:
    """Every cell of a table the source does not print, with the reason."""
    return TableRead(missing(spec.id, spec.cells(), note), [Diagnosis(spec.id, "error", note)])


def map_label_table(
    spec: TableSpec, format_id: str, grids: list[Grid], settings: MappingSettings
) -> TableRead:
    """Map a table whose rows carry labels (proactive, requests)."""
    out = TableRead()
    kept = []
    for g in grids:
        foreign = _foreign_header(spec, g, settings.labels)
        if foreign is None:
            kept.append(g)
        else:
            note = f"a table in the section with other columns ({foreign}) is not read"
            out.diagnoses.append(Diagnosis(spec.id, "info", note))
    rows = [row for g in kept for row in data_rows(g, _values_from(spec, g, settings.labels))]
    found = identify_rows(spec, format_id, rows, settings.labels)
    by_id = {i.row_id: (row, i.placed) for row, i in found.rows if i.row_id}

    canonical = [r for r in spec.rows if not r.optional]
    # Rows named by their labels: a placement by structure says nothing in a table of no
    # figures at all.
    named = sum(1 for _, i in found.rows if i.row_id and i.placed is None)
    if sum(g.numbers for g in kept) == 0 and named < settings.skeleton_row_share * len(canonical):
        n_rows = sum(len(g.rows) for g in kept)
        note = (
            f"table present as a skeleton of {n_rows} rows; 0 of {len(spec.cells())} values "
            f"printed; {named} row label(s) survive"
        )
        return absent_table(spec, note)

    out.diagnoses += [
        Diagnosis(spec.id, "warning", n) for n in dict.fromkeys(found.unplaced.values())
    ]
    out.diagnoses += [
        Diagnosis(spec.id, "warning", f"{r}: {n}") for r, n in found.conflicts.items()
    ]
    out.diagnoses += [
        Diagnosis(spec.id, "info", i.note)
        for _, i in found.rows
        if i.note and i.named is None and i.verdict.distances
    ]
    # A label that fits several rows equally leaves each of them missing for that reason.
    doubtful: dict[str, str] = {}
    for _, i in found.rows:
        if i.row_id is None and i.note and i.verdict.candidates:
            for candidate in i.verdict.candidates:
                doubtful.setdefault(candidate, i.note)
    orders: dict = {}  # header order per (table, header rows, columns): rows share headers
    misplaced = _misplaced(spec, [(r, by_id[r.id][0]) for r in spec.rows if r.id in by_id], orders)
    replaced = {x: r.id for r in spec.rows if r.optional and r.id in by_id for x in r.replaces}
    for spec_row in spec.rows:
        hit = by_id.get(spec_row.id)
        if spec_row.optional and hit is None:
            continue
        cells = [(spec_row.id, c) for c in spec_row.cols]
        if hit is None:
            if spec_row.id in replaced:
                note = f"not printed: the table prints these rows as one ({replaced[spec_row.id]})"
            elif spec_row.id in found.conflicts:
                note = found.conflicts[spec_row.id]
            elif spec_row.id in doubtful:
                note = doubtful[spec_row.id]
            else:
                note = found.unplaced.get(spec_row.id, "row not found in the table")
                if spec_row.id not in found.unplaced:
                    out.diagnoses.append(Diagnosis(spec.id, "warning", f"{spec_row.id}: {note}"))
            out.facts += missing(spec.id, cells, note)
            continue
        row, how = hit
        if how is not None:
            out.placed.add(spec_row.id)
        note = misplaced.get((row.grid.index, row.index))
        if note is not None:
            out.diagnoses.append(Diagnosis(spec.id, "warning", f"{spec_row.id}: {note}"))
            out.facts += missing(spec.id, cells, note)
            continue
        out.facts += _row_facts(spec, spec_row, row, how, orders, out)
    return out


def _row_facts(
    spec: TableSpec, spec_row: RowSpec, row: DataRow, how: str | None, orders: dict, out: TableRead
) -> list[Fact]:
    cells = [(spec_row.id, c) for c in spec_row.cols]
    n, width = len(row.values), len(spec_row.cols)
    if n == width:
        cols, withheld = _columns(spec, spec_row, row, orders)
        if withheld:
            out.diagnoses.append(Diagnosis(spec.id, "warning", f"{spec_row.id}: {withheld}"))
            return missing(spec.id, cells, withheld)
        return [
            cell.fact(spec.id, spec_row.id, col, spec_row.unit, how)
            for col, cell in zip(cols, row.values, strict=True)
        ]
    if n == width - 1 and spec.groups:
        out.shifted.append(ShiftedRow(spec_row.id, row, how))
        return []
    note = (
        f"row printed {n} value cells where {width} are expected; position of each value uncertain"
    )
    out.diagnoses.append(Diagnosis(spec.id, "warning", f"{spec_row.id}: {note}"))
    return missing(spec.id, cells, note)


def _columns(
    spec: TableSpec, spec_row: RowSpec, row: DataRow, cache: dict
) -> tuple[tuple[str, ...], str | None]:
    """The columns of a row's values in printed order, or why they cannot be trusted."""
    grid = row.grid
    every = cache.get(grid.index)
    if every is None:
        every = cache[grid.index] = header_rows(grid, len(grid.rows))
    rows = [r for r in every if r and r[0].row < row.index]
    if not spec.groups:
        rows = rows[-1:]  # a block table: the header right above its rows
    key = (grid.index, tuple(r[0].row for r in rows if r), spec_row.cols)
    order = cache.get(key)
    if order is None:
        order = cache[key] = read_order(
            rows, spec.col_keys, spec_row.cols, positioned=grid.positioned
        )
    if order.order is not None:
        return order.order, None
    if order.contradiction is not None:
        return spec_row.cols, (
            f"the header names the columns in another order than the template "
            f"({order.contradiction}); which value is which is uncertain"
        )
    return spec_row.cols, None


def _misplaced(
    spec: TableSpec, rows: list[tuple[RowSpec, DataRow]], orders: dict
) -> dict[tuple[int, int], str]:
    """Why rows read by count in a table without ruling lines are not read where their
    header puts them (`header_over`), by (grid, row): one row of a header's zone (`_zone`)
    whose values the header contradicts says that the grid's columns are wrong, for every
    row read by count beneath the same header."""
    zones: dict[tuple[int, int, int], list[tuple[RowSpec, DataRow]]] = {}
    for spec_row, row in rows:
        grid = row.grid
        if grid.ruled or not grid.positioned or len(row.values) != len(spec_row.cols):
            continue
        zone = _zone(spec, row)
        if zone is not None:
            zones.setdefault(zone, []).append((spec_row, row))
    out: dict[tuple[int, int], str] = {}
    for (_, first, end), members in zones.items():
        header = members[0][1].grid.rows[first:end]
        for spec_row, row in members:
            cols, _ = _columns(spec, spec_row, row, orders)
            note = header_over(list(header), row.values, cols, spec.col_keys)
            if note is not None:
                out.update({(r.grid.index, r.index): note for _, r in members})
                break
    return out


def _zone(spec: TableSpec, row: DataRow) -> tuple[int, int, int] | None:
    """The rows that head a row of a table without ruling lines (grid, first, end): a block
    table's own header (the rows printing no figure right above the block the row is in);
    else the rows above the grid's first row printing a figure."""
    grid = row.grid
    figured = [any(c.numeric for c in r) for r in grid.rows]
    if spec.groups:
        first = next((i for i, f in enumerate(figured) if f), None)
        return None if first is None or first > row.index else (grid.index, 0, first)
    end = row.index
    while end > 0 and figured[end - 1]:
        end -= 1  # the block's rows above this one
    start = end
    while start > 0 and not figured[start - 1]:
        start -= 1
    return (grid.index, start, end) if start < end else None


def run_together(spec: TableSpec, blocks: list[Block], labels: LabelIndex) -> str | None:
    """Why a table printed as running text cannot be read: its labels followed by their
    figures with no separator (规章016: 0 | 16, 01 | 6 or 0 | 1 | 6?), or None."""
    every = {k for r in spec.rows for k in r.keys} | {
        k for ks in spec.col_keys.values() for k in ks
    }
    words = sorted({k for k in every if len(k) >= 2}, key=len, reverse=True)
    for block in blocks:
        if block.table is not None or not block.text:
            continue
        for key in labels.keys(block.text):
            for word in words:
                digits = re.search(re.escape(word) + r"(\d{2,})", key)
                if digits:
                    return (
                        "table printed as running text: the figures run together after their "
                        f"labels ({digits.group()}); no split of the digits is certain"
                    )
    return None


def _values_from(spec: TableSpec, grid: Grid, settings: LabelSettings) -> int | None:
    """Where a positioned grid's value columns start: its leftmost header cell naming one of
    the template's columns (自然人, 本年制发件数 …)."""
    if not grid.positioned:
        return None
    cols = [
        c.col
        for row in header_rows(grid, len(grid.rows))
        for c in row
        if names_any(c.keys, spec.col_words, settings)
    ]
    return min(cols, default=None)


def _foreign_header(spec: TableSpec, grid: Grid, settings: LabelSettings) -> str | None:
    """A header row naming none of the template's columns: another table (2017年 | 2018年).
    Header rows stand above the figures: a row of labels below them is a row whose figures
    were lost, not a header."""
    vocab = tuple({k for keys in spec.col_keys.values() for k in keys} | set(spec.keywords))
    for row in grid.rows:
        if any(c.is_value for c in row):
            return None
        if len(row) < 2 or not all(c.raw for c in row):
            continue
        if not any(names_any(c.keys, vocab, settings) for c in row):
            return " | ".join(c.raw for c in row)
        return None  # the first header row decides
    return None
