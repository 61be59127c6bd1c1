"""Ruled grids that are page layout as much as table: headings and prose inside frames.

Some reports put the whole page in a bordered frame, or print each section heading as a
one-cell bordered table touching the data table below it. The ruling then joins headings,
paragraphs and the statistical tables into one grid. A row that is one cell across the whole
grid and holds a section heading or prose is layout: the grid is cut there, and the row's
text goes back to the page's text (so the title, headings and paragraphs read as they do in
the HTML rendition). A piece left with no row of two cells is no table either.
"""

from __future__ import annotations

from parsers.readers.pdf.ruled import Box, GridCell, PageGrid
from parsers.readers.pdf.settings import LayoutSettings
from parsers.readers.pdf.unruled.regions import is_heading_text


def split_layout(grid: PageGrid, settings: LayoutSettings) -> tuple[list[PageGrid], list[Box]]:
    """The table pieces of a grid, and the boxes of the rows that are page layout."""
    n_cols = len(grid.xs) - 1
    rows: dict[int, list[GridCell]] = {}
    for c in grid.cells:
        rows.setdefault(c.row, []).append(c)
    cut = {
        r
        for r, cells in rows.items()
        if len(cells) == 1
        and cells[0].colspan == n_cols
        and cells[0].rowspan == 1
        and _layout_text(cells[0].text, settings)
    }
    if not cut:
        return [grid], []
    pieces: list[PageGrid] = []
    freed: list[Box] = [rows[r][0].bbox for r in sorted(cut)]
    start = 0
    for end in [*sorted(cut), grid.n_rows]:
        cells = [c for c in grid.cells if start <= c.row < end]
        # A cell spanning down across a cut row belongs to no piece whole: keep the grid.
        if any(c.row + c.rowspan > end for c in cells):
            return [grid], []
        if cells:
            piece = _piece(grid, cells, start, end - start)
            if any(sum(1 for c in cells if c.row == r) >= 2 for r in range(start, end)):
                pieces.append(piece)
            else:
                freed += [c.bbox for c in cells]
        start = end + 1
    return pieces, freed


def _layout_text(text: str, settings: LayoutSettings) -> bool:
    if not text:
        return False
    prose = len(text) >= settings.prose_chars or any(ch in text for ch in settings.sentence_ends)
    return prose or is_heading_text(text)


def _piece(grid: PageGrid, cells: list[GridCell], first: int, n_rows: int) -> PageGrid:
    """Rows [first, first + n_rows) as a grid of their own, with only the column lines used."""
    lines = sorted({grid.xs[c.col] for c in cells} | {grid.xs[c.col + c.colspan] for c in cells})
    at = {x: i for i, x in enumerate(lines)}
    out = [
        GridCell(
            c.text,
            c.row - first,
            at[grid.xs[c.col]],
            c.rowspan,
            at[grid.xs[c.col + c.colspan]] - at[grid.xs[c.col]],
            c.page,
            c.bbox,
        )
        for c in cells
    ]
    bbox = (
        min(c.bbox[0] for c in cells),
        min(c.bbox[1] for c in cells),
        max(c.bbox[2] for c in cells),
        max(c.bbox[3] for c in cells),
    )
    return PageGrid(grid.page, bbox, lines, n_rows, out, grid.page, bbox, ruled=grid.ruled)
