"""Rows of a grid: which print values (data rows), which are the header, and their labels.

A data row is split after its last cell of text: what follows are its values (numbers,
blanks, dashes), what precedes its label cells (empty ones included: a group's column left
empty beside the row's own label). In a ruled grid whose value columns are known, text after
a figure there is a value too (unreadable), not the end of the labels; so is one character
read by OCR after a figure or a dash past the label columns (無 read as 浦).
Header rows are found by structure: every row above the first row that prints a figure is
header or title, and words in them never name a data row (a 总计 over the totals column is
not the results total).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from parsers.reading.cells import Grid, TypedCell
from parsers.script import enumerated, enumerator_number

# A row of this many cells of words and no figure is a header (申请人情况 | 自然人 | … | 总计 |),
# never a row of blank values: a data row prints at most a group, a subgroup and its label.
HEADER_MIN_WORDS = 4


@dataclass(frozen=True)
class DataRow:
    """A printed row of values with its labels.

    `own`: the row's own label cells (text cells of this row, left to right); `spanning`:
    label cells that span rows and cover this one (group labels, printed once); `values`:
    its value cells, left to right.
    """

    grid: Grid
    index: int
    own: tuple[TypedCell, ...]
    spanning: tuple[TypedCell, ...]
    values: tuple[TypedCell, ...]
    # Above the first row that prints a figure: a header row, unless its label names a
    # canonical row whose width it has exactly (a first row printed all blank).
    above_figures: bool = False

    @property
    def labelled(self) -> bool:
        """Whether the row prints a label of its own."""
        return any(c.keys for c in self.own)

    def label_keys(self) -> frozenset[str]:
        """Keys of the row's own label: its last label cell, and all of them joined (a label
        broken over cells, or printed after its group's words)."""
        cells = [c.keys for c in self.own if c.keys]
        if len(cells) <= 1:
            return cells[0] if cells else frozenset()
        joined = {""}
        for keys in cells:
            joined = {a + b for a in joined for b in keys}
        return frozenset(cells[-1] | joined)

    def number(self) -> int | None:
        """The enumerator the row's own label prints (（六） → 6), if any."""
        label = self._label()
        return enumerator_number(label) if label is not None else None

    def enumerated(self) -> bool:
        """Whether the row's own label opens with an enumerator (a circled one included)."""
        label = self._label()
        return label is not None and enumerated(label)

    def _label(self) -> str | None:
        """The text of the row's own last label cell."""
        own = [c for c in self.own if c.keys]
        return own[-1].raw if own else None

    def where(self) -> str:
        return f"table {self.grid.index} row {self.index}"


def label_columns(grid: Grid) -> int:
    """How many columns at the left of a positioned grid hold labels: those that rows printing
    figures fill with words more often than with figures (0 for grids without positions)."""
    if not grid.positioned:
        return 0
    words, figures = grid.column_counts
    labels = [k for k, n in words.items() if n > figures.get(k, 0)]
    return max(labels) + 1 if labels else 0


def _value_place(grid: Grid, i: int, cell: TypedCell, counts: tuple[dict, dict]) -> bool:
    """Whether an empty cell in the label columns sits where the grid prints figures: its
    column holds figures more often than words, or the row above or below prints a figure in
    a cell of the same place and a label of its own (a table whose rows start their values at
    different columns, as LibreOffice lays out a split table converted from Word)."""
    words, figures = counts
    if figures.get(cell.col, 0) > words.get(cell.col, 0):
        return True
    for j in (i - 1, i + 1):
        if not 0 <= j < len(grid.rows):
            continue
        row = grid.rows[j]
        # Only a row that prints its label shows the layout: one whose label was lost (its
        # figures shifted left into the label columns) shows the damage.
        if any(c.keys for c in row) and any(
            c.numeric and (c.col, c.colspan) == (cell.col, cell.colspan) for c in row
        ):
            return True
    return False


def _misread_mark(cell: TypedCell) -> bool:
    """Whether a cell read by OCR is one character: after a figure or a dash past the label
    columns (the caller's test), recognition's reading of a value's mark (無 read as 浦),
    unreadable, not a label (no row's label is one character)."""
    return cell.where is not None and cell.where.kind == "ocr" and len(cell.raw.strip()) == 1


def data_rows(grid: Grid, values_from: int | None = None) -> list[DataRow]:
    """The grid's rows of values, in order; those above its first figure are marked.

    `values_from`: where the value columns start, when the header names them (else the
    label columns are told by what the rows print there).
    """
    out = []
    seen_figures = False
    zone = values_from if values_from is not None and grid.positioned else label_columns(grid)
    width = max((c.col + c.colspan for r in grid.rows for c in r), default=0)
    counts = grid.column_counts if zone else ({}, {})
    # In a ruled grid whose header names the value columns, a cell there after a figure or a
    # dash is a value's, even when its text reads as none ('J', 不适用): that value,
    # unreadable. (Not after empty cells: a header row's words; nor first: a label broken
    # over two cells pushes its second cell right.)
    fixed = values_from if values_from is not None and grid.positioned and grid.ruled else None
    for i, cells in enumerate(grid.rows):
        last_text = -1
        valued = False  # a figure or a dash printed in the value columns before this cell
        past_labels = False  # a figure or a dash printed past the label columns before it
        for k, c in enumerate(cells):
            if not c.is_value and not valued and not (past_labels and _misread_mark(c)):
                last_text = k
            valued = valued or (c.numeric and fixed is not None and c.col >= fixed)
            past_labels = past_labels or (c.numeric and c.col >= zone)
        labels, values = cells[: last_text + 1], cells[last_text + 1 :]
        if values and zone and values[-1].col + values[-1].colspan == width:
            # A row across the whole grid: its empty cells in the label columns are the
            # labels' (a group column left empty), not blank values, unless the grid prints
            # figures in that place.
            lead = 0
            while (
                lead < len(values)
                and not values[lead].raw
                and values[lead].col < zone
                and not _value_place(grid, i, values[lead], counts)
            ):
                lead += 1
            labels, values = labels + values[:lead], values[lead:]
        if not values:
            continue
        figures = any(c.numeric for c in values)
        if len(labels) >= HEADER_MIN_WORDS and not figures:
            continue  # words across the table with empty cells after them: a header row
        seen_figures = seen_figures or figures
        first = values[0].col
        spanning = tuple(c for c in grid.covering(i) if c.col < first and c.keys)
        own = tuple(c for c in labels if c.rowspan == 1)
        spanning += tuple(c for c in labels if c.rowspan > 1 and c.keys)
        out.append(DataRow(grid, i, own, spanning, values, not seen_figures))
    return out


def header_rows(grid: Grid, before: int) -> list[tuple[TypedCell, ...]]:
    """Rows above `before` that are all label text: the table's header rows."""
    return [r for r in grid.rows[:before] if r and all(c.raw and not c.is_value for c in r)]


def trim_terminators(rows: list[DataRow], widths: list[int | None]) -> list[DataRow]:
    """Drop a closing empty token from the rows of text tables written `cell | cell |`.

    A line ending in a separator may end in an empty cell or in a terminator. Per table, the
    rows whose width is known decide: when more of them have one empty value too many than
    have the expected count, the separator closes every line of that table.
    """
    votes: dict[int, int] = {}
    for row, width in zip(rows, widths, strict=True):
        if width is None or row.grid.kind != "text":
            continue
        extra = len(row.values) == width + 1 and not row.values[-1].raw
        votes[row.grid.index] = votes.get(row.grid.index, 0) + (
            1 if extra else -1 if len(row.values) == width else 0
        )
    closed = {t for t, v in votes.items() if v > 0}
    return [
        replace(r, values=r.values[:-1])
        if r.grid.index in closed and r.values and not r.values[-1].raw
        else r
        for r in rows
    ]


def trim_leading(rows: list[DataRow], widths: list[int | None]) -> list[DataRow]:
    """In a text table whose cells are counted, not placed, a row with more value cells than
    its width whose extra ones lead and are empty: those are its label columns left empty
    (`| |18|0|…`), not blank values."""
    out = []
    for row, width in zip(rows, widths, strict=True):
        extra = len(row.values) - width if width is not None else 0
        if not row.grid.positioned and extra > 0 and not any(c.raw for c in row.values[:extra]):
            row = replace(row, own=row.own + row.values[:extra], values=row.values[extra:])
        out.append(row)
    return out


def trim_unheaded(
    rows: list[DataRow],
    widths: list[int | None],
    heads: Callable[[TypedCell], bool],
    nearest_header: bool,
) -> list[DataRow]:
    """The rows, each with its empty value cells past its width dropped, in a table without
    ruling, where the header names the column of each cell the row keeps, by a word over
    that cell alone, and of none it drops (`heads`: a header cell naming one of the
    template's columns): columns other rows' words opened (a unit note over the next
    block's figures: '行政处罚 | 0 | '), where this row prints nothing. The header is the
    rows above that name a column, or with `nearest_header` the nearest of them (a block's
    own, in a table of blocks)."""
    out = []
    for row, width in zip(rows, widths, strict=True):
        extra = len(row.values) - width if width is not None else 0
        if (
            extra > 0
            and not row.grid.ruled
            and row.grid.positioned
            and not any(c.raw for c in row.values[width:])
        ):
            named = _named_header_cells(row, heads, nearest_header)
            # Each kept cell under a header word of its own: one word over two of the row's
            # cells may have had the extra column opened under it.
            over = [[h for h in named if _over(h, c)] for c in row.values]
            alone = [[h for h in hs if sum(_over(h, c) for c in row.values) == 1] for hs in over]
            if all(alone[:width]) and not any(over[width:]):
                row = replace(row, values=row.values[:width])
        out.append(row)
    return out


def _named_header_cells(
    row: DataRow, heads: Callable[[TypedCell], bool], nearest: bool
) -> list[TypedCell]:
    """The cells naming a column (`heads`) of the rows above a row that print no figure,
    or of the nearest such row."""
    above = [
        named
        for r in row.grid.rows[: row.index]
        if not any(c.numeric for c in r)
        for named in [[c for c in r if heads(c)]]
        if named
    ]
    return [c for cells in (above[-1:] if nearest else above) for c in cells]


def _over(head: TypedCell, cell: TypedCell) -> bool:
    """Whether a header cell spans any of a cell's columns."""
    return head.col < cell.col + cell.colspan and cell.col < head.col + head.colspan
