"""Tables cut by a page break: a row cut in two is joined, and figures are never run together."""

from __future__ import annotations

from parsers.readers.pdf.ruled import GridCell, PageGrid
from parsers.readers.pdf.settings import StitchSettings
from parsers.readers.pdf.stitch import stitch

XS = [50.0, 200.0, 260.0, 320.0]


def _grid(page: int, rows: list[list[str]]) -> PageGrid:
    cells = [
        GridCell(text, r, c, 1, 1, page, (XS[c], 100.0 + 20 * r, XS[c + 1], 120.0 + 20 * r))
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    bbox = (XS[0], 100.0, XS[-1], 100.0 + 20 * len(rows))
    return PageGrid(page, bbox, list(XS), len(rows), cells, page, bbox)


def _rows(grid: PageGrid) -> list[list[str]]:
    return [[c.text for c in grid.row_cells(r)] for r in range(grid.n_rows)]


def test_figure_cut_by_the_break_is_never_joined() -> None:
    """'１' at the foot of a page and '６件' at the head of the next: 16, or two figures."""
    prev = _grid(1, [["项目", "甲", "乙"], ["8.属于行政查询事项", "１", "２０"]])
    nxt = _grid(2, [["", "６件", "件"], ["1.本机关不掌握", "3", "4"]])
    rows = _rows(stitch(prev, nxt, StitchSettings()))
    assert rows[1] == ["8.属于行政查询事项", "１\n６件", "２０件"]  # unit joins; figures do not
    assert rows[2] == ["1.本机关不掌握", "3", "4"]


def test_figure_pushed_below_the_break_fills_its_cell() -> None:
    prev = _grid(1, [["项目", "甲", "乙"], ["政府集中采购", "286", ""]])
    nxt = _grid(2, [["", "", "226.4万元"], ["其他", "1", "2"]])
    rows = _rows(stitch(prev, nxt, StitchSettings()))
    assert rows[1] == ["政府集中采购", "286", "226.4万元"]
    assert len(rows) == 3


def test_cut_row_that_fills_and_carries_on_is_not_joined() -> None:
    """Pieces that both fill empty cells and carry on printed ones may be two rows."""
    prev = _grid(1, [["项目", "甲", "乙"], ["规章", "5", ""]])
    nxt = _grid(2, [["", "3", "1"]])
    rows = _rows(stitch(prev, nxt, StitchSettings()))
    assert rows[1] == ["规章", "5", ""] and rows[2] == ["", "3", "1"]


def test_figures_under_a_header_are_not_joined_to_it() -> None:
    prev = _grid(1, [["项目", "甲", "乙"]])
    nxt = _grid(2, [["", "7", "9"]])
    assert _rows(stitch(prev, nxt, StitchSettings())) == [["项目", "甲", "乙"], ["", "7", "9"]]
