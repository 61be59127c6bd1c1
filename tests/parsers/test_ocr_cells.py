"""What an OCR reader writes on table cells for the gate."""

from __future__ import annotations

import numpy as np

from parsers.document import Cell
from parsers.model import ROW_CLEAR, Where
from parsers.readers.pdf.ocr.cells import _clear_row
from parsers.readers.pdf.ocr.scan import RecognisedPage
from parsers.readers.pdf.settings import OcrSettings
from tests.parsers.ocr_scenes import FakeEngine, draw_zero, reading, unread_marks

# The gap a figure that ends a detected line is parted from its label at.
FIGURE_GAP = OcrSettings().figure_line_gap


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
    # A figure read between the label's words and the first empty cell's box (columns
    # the grid got wrong): across the row too. Ink there is the label's (words of other
    # rows' labels reach there, their enumerators digits).
    from parsers.readers.pdf.ocr.scan import Word

    ink[:] = 0
    ink[104:112, 88:94] = 255
    short = (_cell("3.危及", 0, 10, 80), *row[1:])
    assert _clear(_clear_row(short, _page(ink))) == [True, True, True]
    five = {1: RecognisedPage(1, [], [], [Word((87.0, 102.0, 95.0, 114.0), "5", 0.99)], ink)}
    assert _clear(_clear_row(short, five)) == [False, False, False]
    # Or past the last empty cell's box.
    ink[:] = 0
    last = {1: RecognisedPage(1, [], [], [Word((262.0, 102.0, 270.0, 114.0), "5", 0.99)], ink)}
    assert _clear(_clear_row(short, last)) == [False, False, False]


def test_an_empty_row_is_clear_beside_a_seal_but_not_where_its_disc_reaches() -> None:
    # A seal's ring crosses the row: its ink places no figure in the cells clear of the
    # disc, and a cell the disc reaches into may hold a figure the seal hides.
    ink = np.zeros((300, 400), np.uint8)
    row = _row("6.属于四类过程性信息", "", "", "", "")
    ink[100:121, 185:188] = 255  # the ring's left arc, in the second cell

    def sealed(*seals) -> list[bool]:
        pages = {1: RecognisedPage(1, [], [], [], ink, 1.0, 0.0, 150.0, tuple(seals))}
        return _clear(_clear_row(row, pages))

    assert sealed() == [False, False, False, False]
    assert sealed((200.0, 110.0, 22.0)) == [True, False, False, True]
    # Ink outside the disc still counts.
    ink[104:110, 270:276] = 255
    assert sealed((200.0, 110.0, 22.0)) == [False, False, False, False]
    # A disc reaching only the half row below a cell's box, over a figure centred beside a
    # wrapped label there: that cell is not marked either.
    ink[:] = 0
    ink[124:130, 170:176] = 255
    assert sealed((175.0, 145.0, 22.0)) == [True, False, True, True]


def test_an_empty_rows_band_may_hold_text_read_above_it_but_no_figure() -> None:
    from parsers.readers.pdf.ocr.scan import Word

    # The header's last line just above a row that prints nothing: the band reaches it.
    ink = np.zeros((300, 400), np.uint8)
    ink[92:99, 160:170] = 255
    row = _row("行政复议", "", "", "")
    assert _clear(_clear_row(row, _page(ink))) == [False, False, False]

    def read(text: str) -> dict[int, RecognisedPage]:
        word = Word((156.0, 88.0, 174.0, 100.0), text, 0.95)
        return {1: RecognisedPage(1, [], [], [word], ink, 1.0, 0.0, 150.0)}

    assert _clear(_clear_row(row, read("结"))) == [True, True, True]
    # Read as a figure, a dash, "none" or a look-alike of one, the mark counts.
    for text in ("1", "—", "一", "二", "无", "無", "其他 —", "丨"):
        assert _clear(_clear_row(row, read(text))) == [False, False, False]
    # Ink beside the text read counts too.
    ink[104:110, 220:226] = 255
    assert _clear(_clear_row(row, read("结"))) == [False, False, False]


def test_a_row_printing_a_figure_or_a_dash_is_left_as_read() -> None:
    ink = np.zeros((300, 400), np.uint8)
    for printed in ("0", "无"):
        row = _row("（一）予以公开", "", printed, "")
        assert _clear_row(row, _page(ink)) == row


def test_a_mark_on_the_last_row_a_cell_reaches_is_read_not_a_crash() -> None:
    # A real report's scan: a cell whose bottom is a fractional pixel holds a dash on the
    # last row its rounded box reaches; looking in a window cut another way found nothing.
    from parsers.readers.pdf.ocr.unread import unread_cells
    from parsers.readers.pdf.settings import OcrSettings

    ink = np.zeros((60, 60), np.uint8)
    ink[26, 14:20] = 255
    found = unread_cells([(10.0, 10.0, 30.6, 30.6)], [], ink, ink, None, None, OcrSettings())
    assert [r.text for _, r in found] == ["—"]


def test_a_line_is_parted_where_paper_runs_between_cells_not_after_punctuation() -> None:
    # Two header cells of a table without rules, crowded on one detected line: paper as
    # wide as a character between them. After a comma the same paper is the comma's own.
    from parsers.readers.pdf.ocr.recut import _pieces

    ink = np.zeros((40, 200), np.uint8)
    ink[10:30, 10:60] = 255
    ink[10:30, 90:150] = 255
    box = (0, 0, 200, 40)
    cells = reading(("商", 0.1), ("业", 0.25), ("科", 0.5), ("研", 0.7))
    pieces = _pieces(ink, box, cells, 0.7, FIGURE_GAP)
    # Each piece reaches to the middle of the paper between them: no ink is left out.
    assert pieces == [(0, 0, 75, 40), (75, 0, 200, 40)]
    prose = reading(("商", 0.1), ("业", 0.25), ("，", 0.33), ("科", 0.5), ("研", 0.7))
    assert _pieces(ink, box, prose, 0.7, FIGURE_GAP) == [box]
    # A row label's number spaced from its words is no figure beside a label.
    label = reading(("1", 0.1), ("属", 0.5), ("于", 0.7))
    assert _pieces(ink, box, label, 0.7, FIGURE_GAP) == [box]
    # Letters spaced less than the gap stay one line.
    assert _pieces(ink, box, cells, 1.5, FIGURE_GAP) == [box]


def test_a_dot_the_second_reading_adds_beside_the_digits_is_a_speck_unless_ink_is_there() -> None:
    from parsers.readers.pdf.ocr.checks import speck_free

    assert speck_free("54.", "54", extra=False) == "54"
    assert speck_free("0°", "0", extra=False) == "0"
    # Ink beyond the digits read: the dot may be a figure's part, the readings disagree.
    assert speck_free("54.", "54", extra=True) == "54."
    # Between digits a dot changes the value.
    assert speck_free("5.4", "54", extra=False) == "5.4"
    assert speck_free("58", "54", extra=False) == "58"
    assert speck_free(None, "54", extra=False) is None


def test_a_reading_a_seals_disc_reaches_is_marked_so_its_image_confirms_nothing() -> None:
    from parsers.model import UNDER_SEAL
    from parsers.readers.pdf.ocr.cells import _mark
    from parsers.readers.pdf.ocr.scan import Word

    ink = np.zeros((300, 400), np.uint8)
    ink[105:115, 112:118] = 255
    word = Word((110.0, 104.0, 120.0, 116.0), "0", 0.99, "0")
    cell = _cell("0", 1, 100.0, 150.0)
    # The disc reaches: neither cell nor word; the cell, not the word read; the word.
    seals = (((200.0, 110.0, 40.0), False), ((175.0, 110.0, 40.0), False))
    for seal, under in (*seals, ((155.0, 110.0, 40.0), True)):
        page = RecognisedPage(1, [], [], [word], ink, 1.0, 0.0, 150.0, (seal,))
        readings = _mark(cell, {1: page}).where.readings
        assert (UNDER_SEAL in readings) is under, seal
        assert "0" in readings


def test_a_lone_digits_runner_up_dash_is_another_reading() -> None:
    from parsers.readers.pdf.ocr.checks import alternatives
    from parsers.readers.pdf.ocr.engine import Char, Reading

    lone = Reading((Char("0", 0.4, "—", 0.35, 0.5),))
    assert alternatives(lone) == ("—",)
    # In a figure of several digits a dash in a digit's place reads as no figure at all.
    ten = Reading((Char("1", 0.99, None, 0.0, 0.3), Char("0", 0.4, "—", 0.35, 0.7)))
    assert alternatives(ten) == ()
    three = Reading((Char("3", 0.6, "8", 0.3, 0.5),))
    assert alternatives(three) == ("8",)
    # A lone "none" whose runner-up is a digit: the digit is another reading (the gate lets
    # 無 stand from a lower confidence only where no digit runs it close).
    assert alternatives(Reading((Char("無", 0.35, "0", 0.33, 0.5),))) == ("0",)
    assert alternatives(Reading((Char("無", 0.35, "維", 0.33, 0.5),))) == ()


def test_a_box_over_cells_set_at_different_heights_is_parted_by_its_ideographs_size() -> None:
    # Detection drew one box over header cells of one and of two lines: the box is twice
    # the text's height, and the paper between the cells narrower than that measure.
    from parsers.readers.pdf.ocr.recut import _pieces

    ink = np.zeros((80, 240), np.uint8)
    ink[10:35, 5:95] = 255
    ink[10:70, 120:235] = 255
    box = (0, 0, 240, 80)
    header = reading(("商", 0.06), ("业", 0.19), ("企", 0.31), ("科", 0.56), ("研", 0.69))
    assert _pieces(ink, box, header, 0.7, FIGURE_GAP) == [(0, 0, 107, 80), (107, 0, 240, 80)]


def test_a_line_is_not_parted_where_a_character_was_read_on_the_paper() -> None:
    # A point too small to count as ink between two words, but recognition read it there.
    from parsers.readers.pdf.ocr.recut import _pieces

    ink = np.zeros((40, 200), np.uint8)
    ink[10:30, 5:20] = 255
    ink[10:30, 60:190] = 255
    box = (0, 0, 200, 40)
    label = reading(("公", 0.06), ("·", 0.2), ("危", 0.4), ("及", 0.55), ("三", 0.7))
    assert _pieces(ink, box, label, 0.7, FIGURE_GAP) == [box]
    cells = reading(("公", 0.06), ("危", 0.4), ("及", 0.55), ("三", 0.7))
    assert len(_pieces(ink, box, cells, 0.7, FIGURE_GAP)) == 2
    # A space recognition reads in the gap is the gap itself.
    spaced = reading(("公", 0.06), (" ", 0.2), ("危", 0.4), ("及", 0.55), ("三", 0.7))
    assert len(_pieces(ink, box, spaced, 0.7, FIGURE_GAP)) == 2


def test_glyphs_leave_open_the_paper_before_a_row_labels_number_and_around_the_ink() -> None:
    from parsers.readers.pdf.ocr.glyphs import paper_runs, place_glyphs

    ink = np.zeros((40, 200), np.uint8)
    for x in (5, 35, 65):  # 不予公, then paper, then 4.保护
        ink[10:30, x : x + 25] = 255
    for x in (105, 135, 165):
        ink[10:30, x : x + 25] = 255
    box = (0, 0, 200, 40)
    # The detector's padding before the first mark and after the last is paper too.
    edges = [(0.0, 5.0), (190.0, 200.0)]
    chars = [("不", 0.09), ("予", 0.24), ("公", 0.39), ("4", 0.56), (".", 0.62), ("保", 0.74)]
    paper = paper_runs(ink, box, reading(*chars), 0.25)
    assert paper == [edges[0], (90.0, 105.0), edges[1]]
    glyphs = place_glyphs(reading(*chars), box, tuple(paper))
    assert glyphs[2].x1 == 90.0 and glyphs[3].x0 == 105.0
    assert glyphs[0].x0 == 5.0 and glyphs[-1].x1 <= 190.0
    assert glyphs[1].x1 == glyphs[2].x0  # inside a word glyphs touch
    # Recognition may place the number right at the paper's edge: the paper still parts it.
    edge = [*chars[:3], ("4", 0.525), *chars[4:]]
    glyphs = place_glyphs(reading(*edge), box, tuple(paper_runs(ink, box, reading(*edge), 0.25)))
    assert glyphs[2].x1 == 90.0 and glyphs[3].x0 == 105.0
    # After punctuation too: '（三）' | '3.危及…'.
    label = [("三", 0.09), ("）", 0.39), ("3", 0.56), (".", 0.62), ("危", 0.74), ("及", 0.89)]
    assert paper_runs(ink, box, reading(*label), 0.25) == paper
    # A number in Chinese numerals alike: '度办理结' | '二、部分公开…'.
    label = [("理", 0.09), ("结", 0.39), ("二", 0.56), ("、", 0.62), ("部", 0.74), ("分", 0.89)]
    assert paper_runs(ink, box, reading(*label), 0.25) == paper
    # Not a numeral before a point: a word's letters ('结' | '果、').
    label = [("理", 0.09), ("结", 0.39), ("果", 0.56), ("、", 0.62), ("部", 0.74), ("分", 0.89)]
    assert paper_runs(ink, box, reading(*label), 0.25) == edges
    # The same paper between the letters of a spaced header, or between digits, is none.
    even = np.zeros((40, 200), np.uint8)
    for x in (5, 45, 85, 125, 165):
        even[10:30, x : x + 25] = 255
    spaced = [("不", 0.09), ("予", 0.29), ("公", 0.49), ("保", 0.69), ("护", 0.89)]
    assert paper_runs(even, box, reading(*spaced), 0.25) == edges
    digits = [("1", 0.09), ("0", 0.24), ("7", 0.39), ("3", 0.56), (".", 0.62), ("5", 0.74)]
    assert paper_runs(ink, box, reading(*digits), 0.25) == edges
    # A space read on that paper leaves it open; a sign's paper belongs to its figure.
    spaced = [*chars[:3], (" ", 0.49), *chars[3:]]
    assert paper_runs(ink, box, reading(*spaced), 0.25) == paper
    signed = [("公", 0.09), ("予", 0.24), ("－", 0.39), ("4", 0.56), (".", 0.62), ("5", 0.74)]
    assert paper_runs(ink, box, reading(*signed), 0.25) == edges
    # Paper narrower than the share of the text's size asked for is inside a word.
    assert paper_runs(ink, box, reading(*chars), 0.6) == edges


def test_punctuation_read_on_paper_with_no_ink_at_all_is_not_printed() -> None:
    # '予公开' | '…' read on bare paper | '5.属于…': the ellipsis kept the two words one.
    from parsers.readers.pdf.ocr.glyphs import paper_runs, printed

    ink = np.zeros((40, 220), np.uint8)
    for x in (5, 35, 65, 125, 155, 185):  # 予公开, then paper, then 5.属
        ink[10:30, x : x + 25] = 255
    box = (0, 0, 220, 40)
    edges = [(0.0, 5.0), (210.0, 220.0)]
    chars = [("公", 0.24), ("开", 0.39), ("…", 0.48), ("5", 0.6), (".", 0.65), ("属", 0.8)]
    line = reading(*chars)
    assert paper_runs(ink, box, line, 0.25) == edges
    shown = printed(line, box, ink)
    assert shown.text == "公开5.属"
    assert paper_runs(ink, box, shown, 0.25) == [edges[0], (90.0, 125.0), edges[1]]
    # Faint ink under it (a point too small to count as a mark): printed.
    faint = ink.copy()
    faint[24:27, 104:107] = 255
    assert printed(line, box, faint) == line
    # A figure's mark is never dropped, ink or none: a point, a dash; nor '、', whose ink
    # recognition may place half a character off (review).
    for mark in (".", "—", "-", "/", "，", "、"):
        marked = reading(*chars[:2], (mark, 0.48), *chars[3:])
        assert printed(marked, box, ink) == marked, mark


def test_paper_standing_alone_between_words_set_tight_parts_two_cells() -> None:
    # '总计' | '结果': two cells' headers on one detected line, apart by paper twice as wide
    # as any other between the line's marks.
    from parsers.readers.pdf.ocr.glyphs import paper_runs

    ink = np.zeros((40, 130), np.uint8)
    for x0, x1 in ((5, 30), (31, 56), (67, 92), (93, 118)):
        ink[10:30, x0:x1] = 255
    box = (0, 0, 130, 40)
    edges = [(0.0, 5.0), (118.0, 130.0)]
    chars = [("总", 0.13), ("计", 0.33), ("结", 0.61), ("果", 0.81)]
    assert paper_runs(ink, box, reading(*chars), 0.25) == [edges[0], (56.0, 67.0), edges[1]]
    # One ideograph on a side is a spaced word's letter ('总 | 计结'), and so is a figure.
    assert paper_runs(ink, box, reading(*chars[1:]), 0.25) == edges
    assert paper_runs(ink, box, reading(*chars[:3], ("1", 0.81)), 0.25) == edges
    # Where another gap is half as wide, the paper does not stand alone.
    ink[10:30, 24:31] = 0
    assert paper_runs(ink, box, reading(*chars), 0.25) == edges
    # ... unless that paper is a punctuation mark's own ('其他处' | '不补正、行'): '、' is
    # mostly paper.
    line = np.zeros((40, 170), np.uint8)
    for x0, x1 in ((5, 30), (31, 56), (67, 92), (93, 118), (119, 124), (139, 164)):
        line[10:30, x0:x1] = 255
    comma = [("处", 0.1), ("他", 0.25), ("不", 0.46), ("补", 0.62), ("、", 0.72), ("行", 0.9)]
    assert paper_runs(line, (0, 0, 170, 40), reading(*comma), 0.25) == [
        (0.0, 5.0),
        (56.0, 67.0),
        (164.0, 170.0),
    ]


def test_a_line_opening_with_a_bracket_starts_where_the_brackets_em_box_does() -> None:
    # '（二）部分' over '情形）': the bracket's ink sits at the right of its em box, so the
    # line starts half a character before its first mark, as the line below it does.
    from parsers.readers.pdf.ocr.glyphs import paper_runs, place_glyphs

    ink = np.zeros((40, 200), np.uint8)
    ink[10:30, 28:30] = 255  # the bracket's stroke
    ink[10:30, 35:190] = 255
    box = (0, 0, 200, 40)
    line = reading(("（", 0.16), ("二", 0.25), ("）", 0.37), ("部", 0.55), ("分", 0.8))
    glyphs = place_glyphs(line, box, tuple(paper_runs(ink, box, line, 0.25)))
    size = glyphs[0].size
    assert glyphs[0].x0 == 28 - size / 2
    word = reading(("情", 0.16), ("形", 0.37), ("）", 0.6))
    assert place_glyphs(word, box, tuple(paper_runs(ink, box, word, 0.25)))[0].x0 == 28


def test_a_first_character_too_faint_for_the_ink_keeps_its_place_in_the_line() -> None:
    # '15' whose 1 is too faint to count as a mark: the paper before the first mark runs
    # past the 1's place, yet the 1 stays before the 5.
    from parsers.readers.pdf.ocr.glyphs import paper_runs, place_glyphs

    ink = np.zeros((40, 60), np.uint8)
    ink[10:30, 32:48] = 255
    fifteen = reading(("1", 0.35), ("5", 0.65))
    glyphs = place_glyphs(
        fifteen, (0, 0, 60, 40), tuple(paper_runs(ink, (0, 0, 60, 40), fifteen, 0.25))
    )
    assert [g.text for g in sorted(glyphs, key=lambda g: g.x0)] == ["1", "5"]
    assert glyphs[0].x1 <= glyphs[1].x0


def test_a_digit_read_where_no_mark_is_a_digits_height_is_not_kept() -> None:
    # The tails of strokes a word above left out of its box, read as '6', among figures
    # whose digits are 20 pixels tall; a digit a coarse scan broke to 8 pixels stays.
    from parsers.readers.pdf.ocr.checks import speck_readings

    ink = np.zeros((40, 400), np.uint8)
    boxes = [(x, 0, x + 30, 40) for x in range(0, 240, 40)]
    for x0, _, _, _ in boxes[:5]:
        ink[10:30, x0 + 10 : x0 + 14] = 255
    tails = boxes[5]
    ink[0:4, tails[0] + 5 : tails[0] + 20] = 255
    readings = [reading((d, 0.5)) for d in "12345"] + [reading(("6", 0.5))]
    assert speck_readings(ink, boxes, readings, 0.35) == {5}
    ink[10:30, boxes[4][0] + 10 : boxes[4][0] + 14] = 0
    ink[10:18, boxes[4][0] + 10 : boxes[4][0] + 14] = 255
    assert speck_readings(ink, boxes, readings, 0.35) == {5}
    # Too few figures on the page to know a digit's height by: nothing is set aside.
    assert speck_readings(ink, boxes[3:], readings[3:], 0.35) == set()


def test_a_figure_set_close_after_a_label_is_parted_from_it() -> None:
    # A label set close to its first figure: less paper than parts two cells, more than
    # an ideograph and a digit of one word ever have between them.
    from parsers.readers.pdf.ocr.recut import _pieces

    ink = np.zeros((40, 200), np.uint8)
    ink[10:30, 10:120] = 255
    ink[10:30, 130:140] = 255
    box = (0, 0, 200, 40)
    glued = reading(("禁", 0.1), ("止", 0.25), ("公", 0.4), ("开", 0.55), ("0", 0.67))
    assert _pieces(ink, box, glued, 0.7, FIGURE_GAP) == [(0, 0, 125, 40), (125, 0, 200, 40)]
    # A figure's point goes with it; the figure is all that follows the paper.
    tenth = reading(("公", 0.4), ("开", 0.55), ("1", 0.66), (".", 0.68), ("5", 0.69))
    assert len(_pieces(ink, box, tenth, 0.7, FIGURE_GAP)) == 2
    # Words after the digits: a sentence's figure ('收到申请 15 件'), not a cell's.
    sentence = reading(("申", 0.4), ("请", 0.55), ("1", 0.66), ("5", 0.68), ("件", 0.69))
    assert _pieces(ink, box, sentence, 0.7, FIGURE_GAP) == [box]
    # A footnote's circled number, or a row label's number and its point, is no figure.
    for mark in ("①", "4."):
        note = reading(
            ("公", 0.4), ("开", 0.55), *((ch, 0.67 + 0.01 * i) for i, ch in enumerate(mark))
        )
        assert _pieces(ink, box, note, 0.7, FIGURE_GAP) == [box], mark
    # A space read in the gap is the gap's own: the figure still follows the ideograph.
    spaced = reading(("公", 0.4), ("开", 0.55), (" ", 0.61), ("0", 0.67))
    assert len(_pieces(ink, box, spaced, 0.7, FIGURE_GAP)) == 2
    # A value with its note ('5（其中修订' | '3': 5, of which 3 revised) is one cell; a
    # row label's own number does not make it one.
    note = reading(("5", 0.05), ("（", 0.15), ("修", 0.4), ("订", 0.55), ("3", 0.67))
    assert _pieces(ink, box, note, 0.7, FIGURE_GAP) == [box]
    numbered = reading(("1", 0.05), (".", 0.1), ("属", 0.4), ("于", 0.55), ("0", 0.67))
    assert len(_pieces(ink, box, numbered, 0.7, FIGURE_GAP)) == 2
    # After a closing bracket, no cut at the smaller gap.
    bracket = reading(("公", 0.4), ("）", 0.55), ("0", 0.67))
    assert _pieces(ink, box, bracket, 0.7, FIGURE_GAP) == [box]
    # Paper narrower than the gap: one word.
    ink[10:30, 120:130] = 255
    ink[10:30, 128:133] = 0
    assert _pieces(ink, box, glued, 0.7, FIGURE_GAP) == [box]


def _hyphen_scene() -> tuple[list, np.ndarray, np.ndarray]:
    """0s read around where a hyphen would stand at (150, 130) on a blank 400 x 240 page
    (one beside it on its line, one above and one below it in its column), the page's
    empty ink and its image."""
    zero = reading(("0", 0.5))
    found = [
        ((40, 115, 60, 145), zero),  # beside it, on its line
        ((140, 55, 160, 85), zero),  # above it, in its column
        ((140, 175, 160, 205), zero),  # below it
    ]
    return found, np.zeros((240, 400), np.uint8), np.full((240, 400, 3), 255, np.uint8)


def test_a_hyphen_too_small_to_tell_from_a_speck_is_read_where_figures_say_one_stands() -> None:
    # A 9-point hyphen at 150 dpi keeps 4 x 2 pixels of pale ink: no larger than speckle.
    # Where a figure is read beside it on its line and figures above and below it in its
    # column, it is the hyphen; elsewhere a speck.
    from parsers.readers.pdf.ocr.unread import unread_cells, unread_figures

    found, dark, page = _hyphen_scene()

    def hyphen(x: int, y: int = 129) -> np.ndarray:
        faint = dark.copy()
        faint[y : y + 2, x : x + 4] = 255
        return faint

    row = [(0.0, 100.0, 100.0, 160.0), (100.0, 100.0, 200.0, 160.0), (200.0, 100.0, 300.0, 160.0)]
    s = OcrSettings()
    read = unread_cells(row, found, dark, hyphen(148), None, None, s)
    assert [r.text for _, r in read] == ["—"]
    # In a column of no figures, or off its figures' middles, it is a speck.
    assert unread_cells(row, found, dark, hyphen(248), None, None, s) == []
    assert unread_cells(row, found, dark, hyphen(170), None, None, s) == []
    # Round, it is a point or a speck wherever it stands.
    point = dark.copy()
    point[128:131, 149:152] = 255
    assert unread_cells(row, found, dark, point, None, None, s) == []
    # A 7 the scan broke up: its bar is as small and where a hyphen stands, but its
    # stroke's pieces lie by it.
    seven = hyphen(148)
    for y in (133, 137, 141, 145):
        x = 150 - (y - 133) // 3
        seven[y : y + 2, x : x + 2] = 255
    assert unread_cells(row, found, dark, seven, None, None, s) == []
    # Above the middle of the figures beside it (a speck at the top of the line).
    assert unread_cells(row, found, dark, hyphen(148, 116), None, None, s) == []
    # Row labels' numbers ('1.') are no figures to stand among.
    numbered = [(b, reading(("1", 0.3), (".", 0.6))) for b, _ in found]
    assert unread_cells(row, numbered, dark, hyphen(148), None, None, s) == []
    # The faint edge of the cell's rule along its border is the rule's, not a piece.
    edged = hyphen(148)
    edged[104:106, 104:196] = 255
    assert [r.text for _, r in unread_cells(row, found, dark, edged, None, None, s)] == ["—"]
    # Outside ruled cells the same: by its place among the figures read.
    read = unread_figures(found, [], [], hyphen(148), hyphen(148), FakeEngine(), page, s)
    assert [r.text for _, r in read] == ["—"]
    assert unread_figures(found, [], [], hyphen(248), hyphen(248), FakeEngine(), page, s) == []

    # A label read close beside it is its own ink, not a piece of the mark's.
    labelled = [*found, ((60, 115, 136, 145), reading(("禁", 0.3), ("止", 0.7)))]
    close = hyphen(148)
    close[120:138, 110:136] = 255
    read = unread_figures(labelled, [], [], close, close, FakeEngine(), page, s)
    assert [r.text for _, r in read] == ["—"]


def test_a_hyphen_only_faint_ink_shows_is_read_where_figures_say_one_stands() -> None:
    # So pale that the threshold of `ink` lost it whole: its faint ink alone shows it,
    # whole, as wide as a dash (a fifth of a line's height: 6 of the 30 pixels here).
    from parsers.readers.pdf.ocr.unread import unread_figures

    found, dark, page = _hyphen_scene()
    zero = found[0][1]
    s, engine = OcrSettings(), FakeEngine()

    def pale(x: int = 146, width: int = 8, height: int = 1, y: int = 129) -> np.ndarray:
        faint = dark.copy()
        faint[y : y + height, x : x + width] = 255
        return faint

    def read(ink: np.ndarray, faint: np.ndarray, words=found) -> list[str]:
        return [r.text for _, r in unread_figures(words, [], [], ink, faint, engine, page, s)]

    assert read(dark, pale()) == ["—"]
    # In a column of no figures, it is a speck.
    assert read(dark, pale(246)) == []
    # Narrower than a dash, it is speckle's size; wider than a line is tall, a streak or
    # a fold; taller than a dash, or as tall as wide, no dash.
    assert read(dark, pale(148, width=4)) == []
    assert read(dark, pale(120, width=60)) == []
    assert read(dark, pale(135, width=30, height=12, y=123)) == []
    assert read(dark, pale(146, width=8, height=8, y=125)) == []
    # Other faint ink by it (a digit the scan broke into pieces) makes it a piece.
    broken = pale()
    broken[133:136, 150:153] = 255
    assert read(dark, broken) == []
    # Inside a line read, what recognition made of its ink stands (a 0 read there).
    assert read(dark, pale(), [*found, ((136, 115, 164, 145), zero)]) == []
    # A mark the threshold kept is judged once, with the ink's own marks.
    assert read(pale(), pale()) == ["—"]


def test_a_figure_in_a_box_drawn_tight_around_it_is_counted_in_the_box_that_holds_it() -> None:
    blank = np.zeros((40, 80), np.uint8)
    ink = blank.copy()
    draw_zero(ink, 43)
    # Detection drew the box through the 0's sides: the 0 is counted whole in the box
    # grown round it, and nothing else is there.
    tight = (44, 11, 51, 23)
    assert not unread_marks("0", tight, ink, blank)
    # A minus inside the grown box, left of the 0, is a mark unread.
    minus = ink.copy()
    minus[16:18, 38:41] = 255
    assert unread_marks("0", tight, minus, blank)
    # A block of ink joined to the 0 and running on past the grown box is too.
    wide = ink.copy()
    wide[11:23, 50:62] = 255
    assert unread_marks("0", tight, wide, blank)


def test_a_mark_running_on_past_the_grown_box_is_unread_though_the_tight_box_shows_none() -> None:
    # '10' set touching, its 0 joined to a stroke that goes on to the right (a digit
    # detection cut off, a seal's ring): no box holds its marks whole. Counted in the
    # tight box alone the marks are no more than the digits read, and their span goes
    # unmeasured: the mark running on is what says something was left unread.
    from parsers.readers.pdf.ocr.marks import glyph_count, whole_box

    blank = np.zeros((40, 80), np.uint8)
    ink = blank.copy()
    ink[10:24, 40:42] = 255
    draw_zero(ink, 42)
    ink[16:18, 51:70] = 255
    tight = (41, 11, 50, 23)
    assert whole_box(ink, tight, 3) is None
    assert glyph_count(ink, tight, 1) <= len("10")
    assert unread_marks("10", tight, ink, blank)


def test_a_figure_in_a_box_drawn_tight_around_it_stays_unconfirmed_if_wider_than_read() -> None:
    # '10' read as '0' in a box drawn tight around both digits, 1 pixel apart at 150 dpi:
    # the 0 is a closed loop, so the 1 beside it is a glyph of its own; and the digits'
    # ink spans more than one digit's width.
    from parsers.readers.pdf.ocr.marks import digit_span

    ink = np.zeros((40, 80), np.uint8)
    ink[10:24, 40:42] = 255  # the 1
    draw_zero(ink, 43)
    assert unread_marks("0", (40, 10, 52, 24), ink, np.zeros_like(ink))
    # The narrowest 0 a generated or real scan printed: two digits' ink is wider.
    narrow = np.zeros((40, 80), np.uint8)
    narrow[10:24, 41:43] = 255
    draw_zero(narrow, 44, w=8)
    assert unread_marks("0", (41, 10, 52, 24), narrow, np.zeros_like(narrow))
    assert digit_span(narrow, (30, 5, 60, 30)) > OcrSettings().digit_fit


def test_digits_touching_in_a_tight_box_are_unread_by_their_span_alone() -> None:
    # '10', its 1 touching the 0, read as '0': one mark, no wider than a blurred digit
    # to count as two glyphs; only the span of its ink says it holds more than one digit.
    from parsers.readers.pdf.ocr.marks import digit_span, glyph_count

    blank = np.zeros((40, 80), np.uint8)
    ink = blank.copy()
    ink[10:24, 40:42] = 255
    draw_zero(ink, 42)
    tight, grown = (41, 11, 50, 23), (38, 8, 53, 26)
    assert glyph_count(ink, grown, 1) == 1
    assert digit_span(ink, grown) > OcrSettings().digit_fit
    assert unread_marks("0", tight, ink, blank)


def test_a_sign_beside_a_figure_in_a_tight_box_is_no_digit() -> None:
    # '-10', its 1 touching the 0, read as '-0': a sign is no digit, so the ink of two
    # digits spans more than the one digit read.
    blank = np.zeros((40, 80), np.uint8)
    ink = blank.copy()
    ink[16:18, 30:36] = 255
    ink[10:24, 40:42] = 255
    draw_zero(ink, 42)
    assert unread_marks("-0", (41, 11, 50, 23), ink, blank)


def test_a_rule_in_the_room_left_of_a_figure_in_a_tight_box_hides_no_minus() -> None:
    # '-6' read as '6': a rule in the room left of the figure is no digit that hides the
    # minus beside it.
    blank = np.zeros((40, 80), np.uint8)
    six = blank.copy()
    draw_zero(six, 43)
    six[16:18, 36:40] = 255  # the minus, past the grown box
    six[0:40, 31:33] = 255  # the cell's rule
    assert unread_marks("6", (44, 11, 51, 23), six, blank)
    six[16:18, 36:40] = 0
    assert not unread_marks("6", (44, 11, 51, 23), six, blank)


def test_a_figure_in_a_tight_box_is_read_again_from_the_box_that_holds_it() -> None:
    # A box drawn through the top of a 7's bar reads as 1, and so does the same crop read
    # again: the second reading is of the box grown round the marks.
    from parsers.readers.pdf.ocr.checks import second_readings

    s, engine = OcrSettings(), FakeEngine()
    page = np.full((40, 80, 3), 255, np.uint8)
    ink = np.zeros((40, 80), np.uint8)
    tight, whole = (44, 11, 51, 23), (41, 8, 54, 26)
    second_readings([(tight, reading(("1", 0.5)))], page, ink, ink, engine, s, [whole])
    assert engine.crops[0].shape[:2] == (round(18 * s.second_scale), round(13 * s.second_scale))


def test_a_box_taking_in_a_cells_rule_is_cut_short_of_it_only_across_paper() -> None:
    # A 0 set flush left in its ruled cell: detection's box takes in the cell's rule,
    # which recognition reads as '1' or '['. Cut past the rule's ink where paper follows.
    from parsers.readers.pdf.ocr.recut import _short_of_rules

    s = OcrSettings()

    faint = np.zeros((60, 80), np.uint8)
    faint[0:60, 20:22] = 255  # the rule, found at x 20 to 21
    draw_zero(faint, 26, y=20)
    rule = [(20.0, 0.0, 21.0, 60.0)]
    box = (17, 16, 40, 38)
    assert _short_of_rules(faint, box, rule, s) == (22, 16, 40, 38)
    # A minus touching the rule, or a 1 set against it: no paper parts them from it.
    minus = faint.copy()
    minus[26:28, 22:25] = 255
    assert _short_of_rules(minus, box, rule, s) == box
    one = faint.copy()
    one[20:34, 22:24] = 255
    assert _short_of_rules(one, box, rule, s) == box
    # ... though the 1 runs the box's whole height: the rule runs on beyond it.
    tall = faint.copy()
    tall[16:38, 22:24] = 255
    assert _short_of_rules(tall, box, rule, s) == box
    # A rule found where the box shows none (a shaded row's edge) cuts nothing.
    assert _short_of_rules(faint, box, [(24.0, 0.0, 24.0, 60.0)], s) == box
    # A rule near the box's right edge is cut off alike.
    right = np.fliplr(faint).copy()
    assert _short_of_rules(right, (40, 16, 63, 38), [(58.0, 0.0, 59.0, 60.0)], s) == (
        40,
        16,
        58,
        38,
    )
