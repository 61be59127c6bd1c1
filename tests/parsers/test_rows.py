"""Which cells of a grid's rows are values and which are labels."""

from __future__ import annotations

from parsers.document import Cell, Table
from parsers.reading.cells import type_grid
from parsers.reading.labels import LabelIndex
from parsers.reading.rows import data_rows


def _grid(*rows: list[str]):
    cells = tuple(tuple(Cell(t, i, j) for j, t in enumerate(r)) for i, r in enumerate(rows))
    return type_grid(Table(0, cells), "html", LabelIndex(False))


def test_words_after_a_figure_in_the_value_columns_are_an_unreadable_value() -> None:
    grid = _grid(
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        ["3", "1", "不详", "0", "4"],
    )
    (row,) = data_rows(grid, values_from=0)
    assert [c.raw for c in row.values] == ["3", "1", "不详", "0", "4"]
    assert row.values[2].status == "missing"


def test_words_after_empty_cells_stay_words() -> None:
    # A header row written out whole: empty cells under the spanning ones, then words. Taken
    # for values, its empty cells would read as blanks where the figures are 0.
    grid = _grid(
        ["", "", "结果维持", "结果纠正"],
        ["0", "0", "2", "1"],
    )
    rows = data_rows(grid, values_from=0)
    assert [r.index for r in rows] == [1]
