"""What an OCR reader writes on table cells for the gate."""

from __future__ import annotations

import numpy as np

from parsers.document import Cell
from parsers.model import ROW_CLEAR, Where
from parsers.readers.pdf.ocr.cells import _clear_row
from parsers.readers.pdf.ocr.scan import RecognisedPage


def _cell(text: str, col: int, x0: float, x1: float, readings=()) -> Cell:
    where = Where("ocr", table=0, row=3, col=col, page=1, bbox=(x0, 100.0, x1, 120.0),
                  confidence=1.0, readings=readings)  # fmt: skip
    return Cell(text, 3, col, where=where)


def _row(*texts: str) -> tuple[Cell, ...]:
    """A label cell then value cells 50 points wide; empty ones read as holding no ink."""
    cells = [_cell(texts[0], 0, 10, 95)]
    for i, t in enumerate(texts[1:], start=1):
        cells.append(_cell(t, i, 50.0 + 50 * i, 100.0 + 50 * i, ("",) if not t else ()))
    return tuple(cells)


def _page(ink: np.ndarray) -> dict[int, RecognisedPage]:
    # One pixel per point, so boxes in points index the ink directly.
    return {1: RecognisedPage(1, [], [], [], ink, 1.0, 0.0, 150.0)}


def _clear(row: tuple[Cell, ...]) -> list[bool]:
    return [ROW_CLEAR in c.where.readings for c in row if not c.text]


def test_an_empty_row_is_clear_only_where_no_ink_lies_across_it_or_half_a_row_beyond() -> None:
    ink = np.zeros((300, 400), np.uint8)
    # The label's enumerator is a digit, yet the row prints no figure.
    row = _row("3.危及“三安全一稳定”", "", "", "")
    assert _clear(_clear_row(row, _page(ink))) == [True, True, True]
    # A figure centred between a wrapped label's two lines shows just below the row.
    ink[124:130, 170:176] = 255
    assert _clear(_clear_row(row, _page(ink))) == [False, False, False]
    # Further down it belongs to the next row.
    ink[:] = 0
    ink[140:146, 170:176] = 255
    assert _clear(_clear_row(row, _page(ink))) == [True, True, True]


def test_a_row_printing_a_figure_or_a_dash_is_left_as_read() -> None:
    ink = np.zeros((300, 400), np.uint8)
    for printed in ("0", "无"):
        row = _row("（一）予以公开", "", printed, "")
        assert _clear_row(row, _page(ink)) == row
