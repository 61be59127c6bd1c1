"""Excel attachments: sheets read into titles and grids, merged ranges kept once."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Border, Side

from parsers.readers.xlsx import read_xlsx


def _book() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    thin = Side(style="thin")
    sheet["A1"] = "二、主动公开政府信息情况"
    rows = [["信息内容", "本年制发件数", None], [None, "新制作", "新公开"], ["规章", 3, 4.5]]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c, value)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:C3")
    sheet["A7"] = "三、收到和处理政府信息公开申请情况"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheet_titles_are_text_and_ruled_rows_a_grid() -> None:
    doc = read_xlsx(_book())
    assert doc.kind == "xlsx"
    texts = [b.text for b in doc.blocks if b.text]
    assert texts == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    (table,) = [b.table for b in doc.blocks if b.table is not None]
    head = [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.rows[0]]
    assert head == [("信息内容", 0, 0, 2, 1), ("本年制发件数", 0, 1, 1, 2)]
    assert [c.text for c in table.rows[2]] == ["规章", "3", "4.5"]
    where = table.rows[2][2].where
    assert (where.kind, where.row, where.col) == ("xlsx", 5, 3)
