"""Tables that run over a page break, joined back into one grid.

A table is continued when a grid ends page n and a grid opens page n+1 (nothing but page
furniture between them), both with the same outer edges and one's column lines a subset of
the other's. A header repeated on the new page is dropped. At the break, a label cell cut in
two ('（四）无' | '法提供') or a spanning label whose lower part is empty becomes one cell
spanning both parts; a whole row cut in two becomes one row again.
"""

from __future__ import annotations

from parsers.readers.pdf.lines import ENUMERATED, join_lines
from parsers.readers.pdf.ruled import GridCell, PageGrid, boundaries
from parsers.readers.pdf.settings import StitchSettings
from parsers.values import read_value


def _number(text: str) -> bool:
    return bool(text) and read_value(text).status == "ok"


def _label(text: str) -> bool:
    return bool(text) and read_value(text).status == "missing"


def _subset(a: list[float], b: list[float], tol: float) -> bool:
    return all(any(abs(x - y) <= tol for y in b) for x in a)


def table_continues(prev: PageGrid, nxt: PageGrid, settings: StitchSettings) -> bool:
    """Whether `nxt`, opening the page after the one `prev` ends, carries `prev` on."""
    tol = settings.edge_tolerance
    if nxt.page != prev.last_page + 1:
        return False
    if abs(prev.xs[0] - nxt.xs[0]) > tol or abs(prev.xs[-1] - nxt.xs[-1]) > tol:
        return False
    return _subset(nxt.xs, prev.xs, tol) or _subset(prev.xs, nxt.xs, tol)


def stitch(prev: PageGrid, nxt: PageGrid, settings: StitchSettings) -> PageGrid:
    """One grid from a table and its continuation on the next page."""
    tol = settings.edge_tolerance
    xs = boundaries(prev.xs + nxt.xs, tol)

    def col_of(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    def regrid(c: GridCell, row: int) -> GridCell:
        c0, c1 = col_of(c.bbox[0]), col_of(c.bbox[2])
        return GridCell(c.text, row, c0, c.rowspan, max(1, c1 - c0), c.page, c.bbox)

    cells = [regrid(c, c.row) for c in prev.cells]
    rest = [regrid(c, c.row) for c in nxt.cells]
    skip = _repeated_header(prev, nxt)
    rest = [
        GridCell(c.text, c.row - skip, c.col, c.rowspan, c.colspan, c.page, c.bbox)
        for c in rest
        if c.row >= skip
    ]
    n_rows = prev.n_rows
    bottom = {(c.col, c.colspan): c for c in cells if c.row + c.rowspan == n_rows}
    first = [c for c in rest if c.row == 0]
    partners = {id(c): bottom.get((c.col, c.colspan)) for c in first}

    # A row with no text at all may be a blank data row: it is never folded away.
    fold = any(c.text for c in first) and all(
        partners[id(c)] is not None and (not c.text or (_label(c.text) and not _opens(c.text)))
        for c in first
    )
    # A row cut by the break with no label below it: what the lower part prints carries on
    # the cells above (a middle-aligned figure pushed onto the next page, a figure wrapped
    # a digit a line). Figures on both sides of the break are kept apart, never joined:
    # '１' over '６件' may be 16 or two figures, and reads as neither.
    below = [c for c in first if c.text]
    cut = (
        not fold
        and below
        and not min(first, key=lambda c: c.col).text
        and all(partners[id(c)] is not None and _figure_part(c.text) for c in first)
        # ... under cells of figures (or empty ones): figures under header words are the
        # header's first row of figures, not the rest of a row.
        and all(_figure_part(partners[id(c)].text) for c in below)
        # Either every piece below fills an empty cell, or every one carries on a printed
        # one: a row that does both may be two rows, and is not joined.
        and len({bool(partners[id(c)].text) for c in below}) == 1
    )
    merged: set[int] = set()
    if fold or cut:
        # The last row was cut by the page break: its lower part joins it.
        for c in first:
            top = partners[id(c)]
            assert top is not None
            if _figure(top.text) and _figure(c.text):
                top.text = f"{top.text}\n{c.text}"
            else:
                top.text = join_lines([top.text, c.text])
            top.rowspan += c.rowspan - 1
            merged.add(id(c))
        offset = n_rows - 1
    else:
        zone = max((c.col for c in first if _label(c.text)), default=-1)
        for c in first:
            top = partners[id(c)]
            if top is None or c.col >= zone:
                continue
            # A spanning label carries on below the break: its lower part empty, or its
            # text continued, or its text printed below the break only (middle-aligned).
            if (
                not c.text
                or (_label(c.text) and _label(top.text) and not _opens(c.text))
                or (_label(c.text) and not top.text and top.rowspan > 1)
            ):
                top.text = join_lines([top.text, c.text])
                top.rowspan += c.rowspan
                merged.add(id(c))
        offset = n_rows
    for c in rest:
        if id(c) not in merged:
            cells.append(
                GridCell(c.text, c.row + offset, c.col, c.rowspan, c.colspan, c.page, c.bbox)
            )
    n_total = offset + nxt.n_rows - skip
    return PageGrid(
        prev.page,
        prev.bbox,
        xs,
        n_total,
        cells,
        nxt.last_page,
        nxt.last_bbox,
        ruled=prev.ruled and nxt.ruled,
    )


def _figure(text: str) -> bool:
    """Whether a cell's text reads as a figure (or a piece of one: '１', '６件')."""
    return bool(text) and read_value(text).status == "ok"


def _figure_part(text: str) -> bool:
    """Whether a cell prints nothing but (part of) a figure: digits, a dash, or a unit."""
    if not text or read_value(text).status in ("ok", "dash"):
        return True
    return read_value("1" + text).status == "ok"  # a unit, wrapped away from its figure


def _opens(text: str) -> bool:
    return bool(ENUMERATED.match(text))


def _repeated_header(prev: PageGrid, nxt: PageGrid) -> int:
    """How many rows opening `nxt` repeat the rows opening `prev` (a header on each page)."""

    def row_key(grid: PageGrid, r: int) -> tuple:
        return tuple((c.text, c.rowspan) for c in grid.row_cells(r))

    k = 0
    while k < min(prev.n_rows, nxt.n_rows - 1):
        key = row_key(nxt, k)
        if not key or key != row_key(prev, k) or any(_number(t) for t, _ in key):
            break
        k += 1
    # A header cell spanning below the repeated rows would be cut: keep the rows then.
    if any(c.row < k < c.row + c.rowspan for c in nxt.cells):
        return 0
    return k
