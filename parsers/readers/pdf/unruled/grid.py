"""Tables printed without ruling lines: a grid rebuilt from where the text sits.

Steps, each over plain values: words cut where other rows start a column (`pdf_words`) →
table parts, each with its own columns (`pdf_columns`) → words stacked into cell blocks
(`pdf_blocks`) → columns → rows (`pdf_rows`) → a grid.

Empty value cells become empty cells, so a row keeps its width. A value is never merged
with another: when two values fall in one cell of the grid, the row is given a cell for
each of them, so it has more value cells than its columns and is read as uncertain rather
than guessed; a row whose values may be another row's keeps its labels and no value cells.
Every grid made here is marked unruled.
"""

from __future__ import annotations

import itertools

from parsers.readers.pdf.lines import join_lines
from parsers.readers.pdf.ruled import GridCell, PageGrid, boundaries
from parsers.readers.pdf.settings import TextGridSettings, TextSettings
from parsers.readers.pdf.unruled.columns import find_columns, split_parts
from parsers.readers.pdf.unruled.rows import find_rows
from parsers.readers.pdf.unruled.stacks import Part, Stack, cell_limits, stack_blocks, value_pieces
from parsers.readers.pdf.unruled.words import TextLine, column_starts, cut_at_starts, join_pieces
from parsers.values import read_value


def build_text_grid(
    lines: list[TextLine], text: TextSettings, s: TextGridSettings, empty_row: bool = False
) -> PageGrid | None:
    """A grid from the lines of one unruled table (on one page or running over several).

    `empty_row`: the lines are a header only, over the room of a row that prints nothing;
    that row is given one empty cell under each column the header names.
    """
    starts = column_starts(lines, s)
    # Where the first figures start, a column starts: a label never runs into it.
    figures = [w.x0 for x in lines for w in x.words if w.numeric]
    first = min(figures) if figures else None
    for line in lines:
        cut_at_starts(line, [*starts, first] if first is not None else starts, text, s, first)
    lefts = [w.x0 for x in lines for w in x.words]
    for line in lines:
        join_pieces(line, lefts, first, text, s)
    x0 = min(x.x0 for x in lines)
    x1 = max(x.x1 for x in lines)
    limits = cell_limits(lines, starts, x1)
    parts = split_parts(lines, x0, x1, s)
    parts[-1].empty_row = empty_row
    for part in parts:
        part.blocks = stack_blocks([seg for b in part.blocks for seg in b.segs], limits, s)
        find_columns(part, x0, x1, s)
        find_rows(part, s)
    if empty_row:
        last = lines[-1]
        parts[-1].bands.append((last.page, last.bottom, last.bottom + last.size))
    size = min(x.size for x in lines)
    base = boundaries([x for p in parts for x in p.bounds], s.line_tolerance * size)
    if len(base) < 3:
        return None
    return _emit(parts, base)


def _nearest(xs: list[float], x: float) -> int:
    """The index of the value of `xs` nearest `x`."""
    return min(range(len(xs)), key=lambda i: abs(xs[i] - x))


def _layout(parts: list[Part], base: list[float]) -> tuple[list[float], list[list[int]]]:
    """The grid's column lines, and each part's column bounds as indexes into them.

    A value column that a row fills with several values is cut into as many grid columns
    (extra lines inside its first base column), so each of those values gets a cell.
    """
    ucols = [[_nearest(base, x) for x in p.bounds] for p in parts]
    extra: set[float] = set()
    for part, ucol in zip(parts, ucols, strict=True):
        for c, k in part.crowded.items():
            a, b = base[ucol[c]], base[ucol[c] + 1]
            extra.update(a + (b - a) * j / k for j in range(1, k))
    xs = sorted(set(base) | extra)
    at = {x: i for i, x in enumerate(xs)}
    return xs, [[at[base[i]] for i in ucol] for ucol in ucols]


def _emit(parts: list[Part], base: list[float]) -> PageGrid | None:
    """The grid: each part's rows in turn, its blocks placed in the columns they cover."""
    xs, ucols = _layout(parts, base)
    n_cols = len(xs) - 1
    cells: list[GridCell] = []
    owner: dict[tuple[int, int], GridCell] = {}

    def place(cell: GridCell) -> None:
        cells.append(cell)
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner.setdefault((r, c), cell)

    def grow(cell: GridCell, row: int) -> None:
        cell.rowspan = row - cell.row + 1
        for c in range(cell.col, cell.col + cell.colspan):
            owner.setdefault((row, c), cell)

    row_labels: set[int] = set()
    row = 0
    for part, ucol in zip(parts, ucols, strict=True):
        if part.banner is not None:
            b = part.banner
            place(GridCell(b.text, row, 0, 1, n_cols, b.page, _bbox(b)))
            row += 1
        if not part.blocks:
            continue
        label_end = ucol[part.n_labels]
        by_band: dict[int, list[Stack]] = {}
        for b in part.blocks:
            by_band.setdefault(b.band, []).append(b)
        for i, (page, top, bottom) in enumerate(part.bands):
            r = row + i
            own = sorted(by_band.get(i, []), key=lambda b: (b.c0, b.x0))
            if i in part.mixed:
                # Two rows' values run together: the row keeps its labels, no value cells,
                # so it is read as a row without figures rather than with the wrong ones.
                own = [b for b in own if b.label]
            done: set[int] = set()
            for c, group in itertools.groupby((b for b in own if b.numeric), key=lambda b: b.c0):
                members = list(group)
                crowd = [p for b in members for p in value_pieces(b)]
                crowd.sort(key=lambda b: ((b.x0 + b.x1) / 2, b.top))
                if len(crowd) > 1:
                    # Never one number from several: each value its own cell, side by side.
                    for j, b in enumerate(crowd):
                        place(_cell(b, r, ucol[c] + j, 1))
                    done.update(id(b) for b in members)
            for b in own:
                if b.blank or id(b) in done:
                    continue
                c0, c1 = _free(owner, r, ucol[b.c0], max(ucol[b.c1], ucol[b.c0] + 1))
                if c1 > c0:
                    place(_cell(b, r, c0, c1 - c0, b.rowspan))
                    continue
                taken = owner[(r, c0)]
                if _reads_value(taken.text) or b.numeric:
                    # A figure is never changed by text joined to it, nor hidden in a label.
                    # (Its place is taken only by header text over the value columns, and a
                    # row with text among its figures is not read as a row of figures.)
                    continue
                # Its place is taken by a label: keep the text with the cell there.
                taken.text = join_lines([taken.text, b.text])
            labels = [owner[(r, c)] for c in range(label_end) if (r, c) in owner]
            row_label = max((c for c in labels if c.row == r), key=lambda c: c.col, default=None)
            if row_label is not None:
                end = row_label.col + row_label.colspan
                if all((r, c) not in owner for c in range(end, label_end)) and end < label_end:
                    row_label.colspan = label_end - row_label.col
                    for c in range(end, label_end):
                        owner[(r, c)] = row_label
                row_labels.add(id(row_label))
                # A group label above spans down over the label columns this row leaves
                # empty; a row's own label never does.
                for c in range(row_label.col):
                    above = owner.get((r - 1, c))
                    if (
                        (r, c) not in owner
                        and above is not None
                        and id(above) not in row_labels
                        and above.col + above.colspan <= label_end
                    ):
                        grow(above, r)
            if i in part.mixed:
                continue  # no value cells at all, not even empty ones
            for k in range(part.n_labels, len(part.bounds) - 1):
                for a, b in _free_runs(owner, r, ucol[k], ucol[k + 1]):
                    place(GridCell("", r, a, 1, b - a, page, (xs[a], top, xs[b], bottom)))
        row += len(part.bands)
    if not cells:
        return None
    first = [c for c in cells if c.page == cells[0].page]
    last_page = max(c.page for c in cells)
    last = [c for c in cells if c.page == last_page]
    return PageGrid(
        cells[0].page,
        _span(first),
        xs,
        row,
        cells,
        last_page,
        _span(last),
        ruled=False,
    )


def _cell(b: Stack, row: int, col: int, colspan: int, rowspan: int = 1) -> GridCell:
    """A grid cell holding a block's text."""
    return GridCell(b.text, row, col, rowspan, colspan, b.page, _bbox(b))


def _reads_value(text: str) -> bool:
    """Whether a cell's text reads as a figure or a dash."""
    return bool(text) and read_value(text).status in ("ok", "dash")


def _free(owner: dict, r: int, c0: int, c1: int) -> tuple[int, int]:
    """The longest run of free slots of row r within [c0, c1), or (c0, c0) if none."""
    runs = _free_runs(owner, r, c0, c1)
    return max(runs, key=lambda ab: ab[1] - ab[0], default=(c0, c0))


def _free_runs(owner: dict, r: int, c0: int, c1: int) -> list[tuple[int, int]]:
    """Runs [a, b) of free slots of row r within [c0, c1)."""
    out = []
    start = None
    for c in range(c0, c1 + 1):
        if c < c1 and (r, c) not in owner:
            start = c if start is None else start
        elif start is not None:
            out.append((start, c))
            start = None
    return out


def _bbox(b: Stack) -> tuple[float, float, float, float]:
    return (b.x0, b.top, b.x1, b.bottom)


def _span(cells: list[GridCell]) -> tuple[float, float, float, float]:
    return (
        min(c.bbox[0] for c in cells),
        min(c.bbox[1] for c in cells),
        max(c.bbox[2] for c in cells),
        max(c.bbox[3] for c in cells),
    )
