"""Which cells of a grid's rows are values and which are labels."""

from __future__ import annotations

from dataclasses import replace

from parsers.document import Cell, Table
from parsers.model import Where
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


def test_one_character_read_by_ocr_after_a_figure_is_an_unreadable_value() -> None:
    # 無 read as 浦 in a table without ruling lines: one character says no row's label, so
    # it takes its value's place (unreadable) and the figures before it stay values.
    def ocr(*texts: str) -> tuple[Cell, ...]:
        where = Where("ocr", table=0, page=1, bbox=(0, 0, 1, 1), confidence=0.9)
        return tuple(Cell(t, 0, j, where=where) for j, t in enumerate(texts))

    def grid(*rows: tuple[Cell, ...]):
        rows = tuple(tuple(replace(c, row=i) for c in r) for i, r in enumerate(rows))
        return type_grid(Table(0, rows, ruled=False), "pdf", LabelIndex(True))

    cells = ocr("5.属于三类内部事务信息", "37", "12", "無", "浦", "49")
    others = [ocr("4.保护第三方合法权益", "4", "1", "無", "無", "5")] * 2
    row = data_rows(grid(*others, cells))[-1]
    assert [c.raw for c in row.values] == ["37", "12", "無", "浦", "49"]
    assert row.values[3].status == "missing" and "浦" in row.values[3].note
    # Not in the label columns, though a figure stands before it there (a label's number
    # split off, its last character too: 4 | 保护第三方合法权 | 益 | …); not printed in a
    # text layer.
    split = ocr("4", "保护第三方合法权", "益", "4", "1", "無", "無", "5")
    wide = [ocr("", "3.危及“三安全一稳定”", "", "9", "4", "無", "無", "13")] * 2
    assert [c.raw for c in data_rows(grid(*wide, split))[-1].values] == ["4", "1", "無", "無", "5"]
    printed = tuple(Cell(c.text, 0, c.col, where=Where("pdf", page=1)) for c in cells)
    assert [c.raw for c in data_rows(grid(*others, printed))[-1].values] == ["49"]


def test_words_after_empty_cells_stay_words() -> None:
    # A header row written out whole: empty cells under the spanning ones, then words. Taken
    # for values, its empty cells would read as blanks where the figures are 0.
    grid = _grid(
        ["", "", "结果维持", "结果纠正"],
        ["0", "0", "2", "1"],
    )
    rows = data_rows(grid, values_from=0)
    assert [r.index for r in rows] == [1]


def _unruled(*rows: list[str]):
    cells = tuple(tuple(Cell(t, i, j) for j, t in enumerate(r)) for i, r in enumerate(rows))
    return type_grid(Table(0, cells, ruled=False), "pdf", LabelIndex(False))


def test_empty_cells_ending_a_row_under_no_header_word_are_not_its_values() -> None:
    from parsers.reading.rows import trim_unheaded

    def heads(cell) -> bool:
        return cell.raw in ("本年处理决定数量", "本年收费金额")

    # A block of one column of figures; the next block's unit note opened a third column.
    grid = _unruled(
        ["信息内容", "本年处理决定数量", ""],
        ["行政处罚", "18", ""],
        ["信息内容", "本年收费金额", "（单位：万元）"],
        ["行政事业性收费", "4956", ""],
    )
    rows = [r for r in data_rows(grid) if not r.above_figures]
    assert [len(r.values) for r in rows] == [2, 2]
    trimmed = trim_unheaded(rows, [1, 1], heads, nearest_header=True)
    assert [[c.raw for c in r.values] for r in trimmed] == [["18"], ["4956"]]
    # Under a header word that names a column, an empty cell is a blank value; a cell that
    # prints something is one too; a ruled table's columns are drawn, never opened by words.
    headed = _unruled(["信息内容", "本年处理决定数量", "本年收费金额"], ["行政处罚", "18", ""])
    assert (
        len(trim_unheaded(data_rows(headed)[-1:], [1], heads, nearest_header=True)[0].values) == 2
    )
    printed = _unruled(["信息内容", "本年处理决定数量", ""], ["行政处罚", "18", "0"])
    assert (
        len(trim_unheaded(data_rows(printed)[-1:], [1], heads, nearest_header=True)[0].values) == 2
    )
    ruled = _grid(["信息内容", "本年处理决定数量", ""], ["行政处罚", "18", ""])
    assert len(trim_unheaded(data_rows(ruled)[-1:], [1], heads, nearest_header=True)[0].values) == 2

    # The extra column in the middle, the row's last value printed blank: the cells kept
    # would stand under no header word, so none is dropped (dropping the last would move
    # the 2 under 本年制发件数's neighbour); nor with no header above at all.
    def named(cell) -> bool:
        return cell.raw in ("本年制发件数", "本年废止件数", "现行有效件数")

    middle = _unruled(
        ["信息内容", "本年制发件数", "", "本年废止件数", ""],
        ["行政规范性文件", "5", "", "2", ""],
    )
    assert (
        len(trim_unheaded(data_rows(middle)[-1:], [3], named, nearest_header=True)[0].values) == 4
    )
    # A header word over two of the row's cells may have had the extra column opened under
    # it: with the last header damaged, dropping the last cell would move the 2 left.
    cells = (
        (Cell("信息内容", 0, 0), Cell("本年制发件数", 0, 1, 1, 2), Cell("本年废止件数", 0, 3)),
        tuple(Cell(t, 1, j) for j, t in enumerate(["规章", "5", "", "2", ""])),
    )
    wide = type_grid(Table(0, cells, ruled=False), "pdf", LabelIndex(False))
    assert len(trim_unheaded(data_rows(wide)[-1:], [3], named, nearest_header=True)[0].values) == 4
    headless = _unruled(["行政规范性文件", "5", "", "2", ""], ["规章", "1", "", "0", "3"])
    assert (
        len(trim_unheaded(data_rows(headless)[:1], [3], named, nearest_header=True)[0].values) == 4
    )


def test_a_grouped_tables_header_of_several_rows_names_the_columns_a_row_keeps() -> None:
    from parsers.reading.rows import trim_unheaded

    columns = ("自然人", "商业企业", "总计")

    def heads(cell) -> bool:
        return cell.raw in columns

    # Section 三's header over two rows; a note beside the table opened a fourth column.
    grid = _unruled(
        ["申请人情况", "自然人", "法人或其他组织", "", "（备注）"],
        ["", "", "商业企业", "总计", ""],
        ["一、本年新收政府信息公开申请数量", "3", "1", "4", ""],
    )
    (row,) = [r for r in data_rows(grid) if not r.above_figures]
    assert len(row.values) == 4
    # Every header row above counts: 自然人 on the first, 商业企业 and 总计 on the second.
    (kept,) = trim_unheaded([row], [3], heads, nearest_header=False)
    assert [c.raw for c in kept.values] == ["3", "1", "4"]
    # Only the nearest header row, it names too few of the row's columns to drop any.
    (whole,) = trim_unheaded([row], [3], heads, nearest_header=True)
    assert len(whole.values) == 4
