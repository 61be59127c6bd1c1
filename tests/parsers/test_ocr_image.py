"""Page-image clean-up: seal ink lifted, skew found, rules found, specks told from marks."""

from __future__ import annotations

import cv2
import numpy as np

from parsers.readers.pdf.ocr.image import (
    binarise,
    dark_marks,
    find_rules,
    find_seals,
    find_skew,
    lift_red,
    marks_in,
    rotate,
)
from parsers.readers.pdf.settings import ImageSettings

S = ImageSettings()


def _table_page() -> np.ndarray:
    """A white page with a light-grey 4 x 3 grid and a dark word in one cell."""
    page = np.full((800, 600), 245, np.uint8)
    for y in (100, 160, 220, 280, 340):
        cv2.line(page, (50, y), (550, y), 170, 1)
    for x in (50, 250, 400, 550):
        cv2.line(page, (x, 100), (x, 340), 170, 1)
    cv2.putText(page, "2152", (280, 200), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 20, 2)
    return page


def test_faint_rules_are_found_and_text_is_not_a_rule() -> None:
    horizontal, vertical = find_rules(_table_page(), S)
    assert sorted(round(b[1]) for b in horizontal) == [100, 160, 220, 280, 340]
    assert sorted(round(b[0]) for b in vertical) == [50, 250, 400, 550]


def test_skew_is_found_and_undone() -> None:
    page = _table_page()
    for y in range(420, 780, 30):  # lines of text below the table
        cv2.putText(page, "2024 1234 5678 90", (60, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 20, 2)
    turned = rotate(page, -1.5)
    angle = find_skew(binarise(turned), S)
    # Searched on a quarter-size copy: on a page this small, to about 0.3 degrees.
    assert abs(angle - 1.5) <= 0.35
    horizontal, _ = find_rules(rotate(turned, angle), S)
    assert len(horizontal) == 5


def test_red_seal_ink_is_lifted_black_text_kept() -> None:
    rgb = np.full((100, 100, 3), 250, np.uint8)
    rgb[40:60, 10:90] = (220, 40, 40)  # seal ink
    rgb[45:55, 45:55] = (10, 10, 10)  # text under it
    grey = lift_red(rgb, S)
    assert grey[42, 20] > 200 and grey[50, 50] < 50


def test_speckle_is_no_mark_a_small_dash_is() -> None:
    grey = np.full((60, 60), 240, np.uint8)
    grey[10, 10] = grey[40, 45] = 120  # isolated grey specks
    grey[30, 25:31] = 60  # a short dark stroke
    grey[31, 25:31] = 70
    marks = dark_marks(grey, S, dpi=150)
    found = marks_in(marks, (0, 0, 60, 60), margin=2)
    assert found is not None and found[2:] == (6, 2)
    grey[30:32, 25:31] = 240
    assert marks_in(dark_marks(grey, S, dpi=150), (0, 0, 60, 60), margin=2) is None


def test_a_rule_that_stops_short_of_the_border_reaches_it() -> None:
    # A scan lost the first 8 pixels (at 150 dpi) of the rule under a tall first-column
    # cell: without the corner, that cell and every cell to its right would read as one.
    page = np.full((1754, 1241), 245, np.uint8)
    for x in (100, 300, 1100):
        cv2.line(page, (x, 200), (x, 680), 170, 1)
    cv2.line(page, (100, 200), (1100, 200), 170, 1)
    cv2.line(page, (300, 440), (1100, 440), 170, 1)  # the tall cell's inner rule
    cv2.line(page, (108, 560), (1100, 560), 170, 1)  # stops 8 px short of the border
    cv2.line(page, (100, 680), (1100, 680), 170, 1)
    horizontal, _ = find_rules(page, S)
    left = {round(b[1]): round(b[0]) for b in horizontal}
    assert left[560] == 100
    # A rule ending well away from any rule across it stays where it ends.
    assert left[440] > 290


def test_a_figure_broken_by_the_threshold_is_one_mark_and_paper_specks_are_none() -> None:
    from parsers.readers.pdf.ocr.marks import glyph_count

    ink = np.zeros((40, 120), np.uint8)
    # A '0' whose thin top and bottom fell below the threshold: two strokes, one glyph;
    # specks above and below the line and far off are paper.
    ink[10:22, 50:53] = 255
    ink[10:22, 54:57] = 255
    for y, x in ((2, 20), (35, 54), (15, 110)):
        ink[y : y + 2, x : x + 2] = 255
    assert glyph_count(ink, (0, 0, 120, 40)) == 1
    # At 150 dpi the sides of a thin 0 stand 2 pixels apart: still narrower than a digit.
    thin = np.zeros((40, 120), np.uint8)
    thin[10:22, 50:53] = thin[10:22, 55:58] = 255
    assert glyph_count(thin, (0, 0, 120, 40)) == 1
    # The foot of a broken 2 under the glyph is a piece of it.
    two = np.zeros((40, 120), np.uint8)
    two[10:19, 50:55] = 255
    two[20:22, 49:58] = 255
    assert glyph_count(two, (0, 0, 120, 40)) == 1
    # A second digit beside it is a second glyph, and a minus sign dropped to the figure's
    # left still counts.
    ink[10:22, 60:66] = 255
    assert glyph_count(ink, (0, 0, 120, 40)) == 2
    ink[15:17, 40:46] = 255
    assert glyph_count(ink, (0, 0, 120, 40)) == 3
    # A rule's stub at the box's edge beside the figure is not the figure's...
    ink[0:40, 0:2] = 255
    assert glyph_count(ink, (0, 0, 120, 40)) == 3
    # ... but a seal's ring running in from beyond the box over the figure is a mark unread.
    ring = ink.copy()
    ring[14:15, 52:120] = 255
    assert glyph_count(ring, (0, 0, 120, 40)) > 3
    # So is ink joined to the figure that runs out of the box: nothing tells them apart.
    joined = np.zeros((40, 120), np.uint8)
    joined[10:22, 50:58] = 255
    joined[16:17, 58:120] = 255
    assert glyph_count(joined, (0, 0, 120, 40)) > 1


def test_a_dash_is_told_from_a_one_by_its_shape() -> None:
    from parsers.readers.pdf.ocr.marks import flat

    ink = np.zeros((40, 60), np.uint8)
    ink[20:22, 20:32] = 255  # a dash: wide and flat
    assert flat(ink, (0, 0, 60, 40), 1.4)
    ink[:] = 0
    ink[12:26, 28:30] = 255  # a one: upright
    assert not flat(ink, (0, 0, 60, 40), 1.4)


def test_the_column_rule_of_a_two_row_table_is_found() -> None:
    # Section 二's small tables (信息内容 | 本年处理决定数量, one row of figures) have column
    # rules about 38 points long: at 200 dpi on A4, 106 pixels of a 2339-pixel page.
    page = np.full((2339, 1654), 245, np.uint8)
    for y in (1000, 1053, 1106):
        cv2.line(page, (150, y), (1550, y), 170, 1)
    for x in (150, 550, 1550):
        cv2.line(page, (x, 1000), (x, 1106), 170, 1)
    _, vertical = find_rules(page, S)
    assert sorted(round(b[0]) for b in vertical) == [150, 550, 1550]


def _cell_page(*words):
    """A page at 72 dpi (one pixel a point) with one ruled cell (100, 100)-(160, 140)."""
    from parsers.readers.pdf.ocr.scan import RecognisedPage

    ink = np.zeros((300, 300), np.uint8)
    return RecognisedPage(1, [], [], list(words), ink, 1.0, 0.0, 150.0)


def _marked(page, text: str):
    from parsers.document import Cell
    from parsers.model import Where
    from parsers.readers.pdf.ocr.cells import _mark

    cell = Cell(text, 0, 0, where=Where("pdf", table=0, row=0, col=0, page=1,
                                        bbox=(100, 100, 160, 140)))  # fmt: skip
    return _mark(cell, {1: page}).where


def test_a_figure_stands_on_its_readings_only_where_nothing_else_is_in_its_cell() -> None:
    from parsers.readers.pdf.ocr.scan import Word

    word = Word((110, 110, 122, 124), "16", 0.99, "16")
    page = _cell_page(word)
    page.ink[112:122, 111:121] = 255
    assert _marked(page, "16").readings == ("16",)
    # A digit detection cut off (the 5 of a 165 wrapped under it) is a mark beside it.
    page.ink[126:136, 112:118] = 255
    assert "unread marks beside the figure" in _marked(page, "16").readings
    # So is a seal's ring running in from the cell's edge across its middle...
    page = _cell_page(word)
    page.ink[112:122, 111:121] = 255
    page.ink[118:120, 100:160] = 255
    assert "unread marks beside the figure" in _marked(page, "16").readings
    # ... but not a rule's residue hugging the edge.
    page.ink[118:120, 100:160] = 0
    page.ink[100:140, 104:106] = 255
    assert _marked(page, "16").readings == ("16",)


def test_two_words_in_one_cell_or_a_leading_zero_need_a_rule() -> None:
    from parsers.readers.pdf.ocr.scan import Word

    # A lost rule ran two rows' figures into one cell: '112' over '21'.
    page = _cell_page(Word((110, 104, 130, 116), "112", 0.9, "112"),
                      Word((110, 124, 126, 136), "21", 0.98, "21"))  # fmt: skip
    assert "112 21" in _marked(page, "112\n21").readings
    page = _cell_page(Word((110, 110, 130, 124), "07", 0.87, "07"))
    assert "a leading zero, as no figure prints" in _marked(page, "07").readings


def test_a_slash_is_told_from_a_one_by_its_slant() -> None:
    from parsers.readers.pdf.ocr.marks import slanted

    def ink(text: str) -> np.ndarray:
        img = np.full((40, 40), 255, np.uint8)
        cv2.putText(img, text, (12, 28), cv2.FONT_HERSHEY_COMPLEX, 0.6, 0, 1)
        return ((img < 160) * 255).astype(np.uint8)

    assert slanted(ink("/"), (0, 0, 40, 40), 0.85)
    for upright in ("1", "7", "l"):
        assert not slanted(ink(upright), (0, 0, 40, 40), 0.85)


def test_a_minus_beside_a_figure_is_seen_though_its_digits_touch() -> None:
    from parsers.readers.pdf.ocr.marks import glyph_count, sign_beside

    # "-36" as a 150 dpi scan draws it: the 3 and the 6 one pixel apart, a minus 4 x 2 at
    # mid-height left of them. Recognition read "36".
    ink = np.zeros((32, 45), np.uint8)
    ink[9:22, 17:24] = 255  # the 3
    ink[9:21, 25:30] = 255  # the 6, in two pieces the threshold broke
    ink[14:22, 30:34] = 255
    ink[16:18, 11:15] = 255  # the minus
    box = (0, 0, 45, 32)
    # The 3 and the 6 run together are as wide as two digits; the minus is a mark apart.
    assert glyph_count(ink, box) == 3
    assert sign_beside(ink, box)
    # A speck below the line or a point after the digits is no minus.
    ink[16:18, 11:15] = 0
    ink[27:29, 12:16] = 255
    ink[19:21, 36:38] = 255
    assert not sign_beside(ink, box)


def test_two_digits_the_blur_ran_together_count_as_two() -> None:
    from parsers.readers.pdf.ocr.marks import glyph_count

    # A real report's "34" scanned at 150 dpi: the 3 and the 4 touch, and recognition read
    # only "3" (both readings agreed). The mark is as wide as two digits.
    ink = np.zeros((32, 45), np.uint8)
    ink[9:22, 14:22] = 255  # the 3
    ink[9:22, 22:31] = 255  # the 4, touching it
    assert glyph_count(ink, (0, 0, 45, 32)) == 2
    # A lone digit, blur and all, is one.
    ink[:, 22:31] = 0
    ink[9:22, 13:24] = 255
    assert glyph_count(ink, (0, 0, 45, 32)) == 1


def test_a_stroke_beside_a_closed_loop_is_a_glyph_of_its_own() -> None:
    from parsers.readers.pdf.ocr.marks import glyph_count

    # '10' set tight: a 1 a pixel from a whole 0 is two glyphs, though two arcs of a thin
    # 0 as close are one.
    ink = np.zeros((30, 30), np.uint8)
    ink[8:22, 8:10] = 255
    ink[8:22, 11:19] = 255
    ink[10:20, 13:17] = 0
    assert glyph_count(ink, (0, 0, 30, 30)) == 2


def test_a_stroke_running_on_past_its_box_is_a_piece_of_something_longer() -> None:
    from parsers.readers.pdf.ocr.marks import runs_on

    ink = np.zeros((60, 200), np.uint8)
    ink[30:33, 90:104] = 255  # a dash, alone
    assert not runs_on(ink, (88, 26, 106, 38), 12)
    ink[30:33, 20:180] = 255  # a seal's ring through the same place
    assert runs_on(ink, (88, 26, 106, 38), 12)


def test_a_thin_zero_whose_top_and_bottom_the_threshold_lost_is_one_glyph() -> None:
    from parsers.readers.pdf.ocr.marks import glyph_count

    # A real layout's thin Song 0 at 200 dpi: two arcs 4 pixels apart, 10 tall, spanning 8.
    ink = np.zeros((20, 18), np.uint8)
    ink[5:15, 6:8] = 255
    ink[5:15, 12:14] = 255
    assert glyph_count(ink, (0, 0, 18, 20)) == 1
    # Two 1s stand farther apart: a digit's advance (0.7 of its height) between strokes.
    ink[:] = 0
    ink[5:15, 4:6] = 255
    ink[5:15, 12:14] = 255
    assert glyph_count(ink, (0, 0, 18, 20)) == 2


_COLUMNS = (150, 600, 800, 1000, 1180, 1310, 1450, 1550)


def _sealed_grid(seal: bool) -> np.ndarray:
    """A 200 dpi A4 page: a 10-row table with rules every 42 pixels and 7 columns, words in
    its cells, and (with `seal`) a grey scan's seal over its right columns: a ring 150
    pixels (54 points) across, an inner ring and a star, darkening what they cover."""
    page = np.full((2339, 1654), 245, np.uint8)
    xs = _COLUMNS
    for y in range(1000, 1421, 42):
        cv2.line(page, (150, y), (1550, y), 60, 2)
    for x in xs:
        cv2.line(page, (x, 1000), (x, 1420), 60, 2)
    for y in range(1030, 1420, 42):
        for x in xs[:-1]:
            cv2.putText(page, "1.20 4", (x + 12, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 20, 2)
    return _sealed(page) if seal else page


def _sealed(page: np.ndarray) -> np.ndarray:
    """A grey seal stamped over a page, centred at (1320, 1200)."""
    ink = np.full_like(page, 255)
    centre = (1320, 1200)
    cv2.circle(ink, centre, 150, 110, 12)
    cv2.circle(ink, centre, 117, 110, 6)
    star = [
        (
            centre[0] + round(r * np.sin(k * np.pi / 5)),
            centre[1] - round(r * np.cos(k * np.pi / 5)),
        )
        for k, r in zip(range(10), [45, 18] * 5, strict=True)
    ]
    cv2.fillPoly(ink, [np.array(star, np.int32)], 110)
    page = (page.astype(np.uint16) * ink // 255).astype(np.uint8)
    return page


def test_a_column_rule_a_seal_covers_whole_still_parts_its_cells() -> None:
    # Section 二's three-row block with the seal stamped over its last column: the rule
    # between the last two columns lies wholly on the seal, from the block's top rule to
    # its bottom one; without it the last two columns' cells read as one.
    page = np.full((2339, 1654), 245, np.uint8)
    for y in (1140, 1182, 1224, 1266):
        cv2.line(page, (150, y), (1550, y), 60, 2)
    for x in (150, 1550):
        cv2.line(page, (x, 1100), (x, 1300), 60, 2)
    cv2.line(page, (1290, 1140), (1290, 1266), 60, 2)
    # A stroke on the seal that stops between two rules is no cell's side.
    cv2.line(page, (1350, 1140), (1350, 1245), 60, 2)
    page = _sealed(page)
    seals = find_seals(page, S, 200)
    assert len(seals) == 1
    _, vertical = find_rules(page, S, seals)
    assert sorted(round(b[0] / 10) for b in vertical) == [15, 129, 155]


def test_a_grey_seal_is_found_and_its_ring_makes_no_rules() -> None:
    # A grey scan keeps a red seal's ring dark: its flat left and right stretches passed for
    # column rules a few rows long and cut those rows into cells the table does not have.
    page = _sealed_grid(seal=True)
    seals = find_seals(page, S, 200)
    assert len(seals) == 1
    cx, cy, r = seals[0]
    assert abs(cx - 1320) <= 6 and abs(cy - 1200) <= 6 and 150 <= r <= 190
    _, unfiltered = find_rules(page, S)
    assert len(unfiltered) > 8  # without the seal, its ring makes rules
    horizontal, vertical = find_rules(page, S, seals)
    assert sorted({round(b[0] / 10) for b in vertical}) == [round(x / 10) for x in _COLUMNS]
    assert all(b[2] - b[0] > 1000 for b in horizontal)


def test_no_seal_is_found_in_a_table_or_text() -> None:
    assert find_seals(_sealed_grid(seal=False), S, 200) == []


def test_a_rules_halo_along_a_cells_border_is_no_mark_a_dash_the_margin_cut_is() -> None:
    # Faint ink of a blurred rule reaches past the margin kept clear of it: a strip along the
    # window's border. A dash set flush left, which the margin cut, runs away from it.
    ink = np.zeros((60, 120), np.uint8)
    cell = (10.0, 10.0, 110.0, 50.0)
    ink[14:46, 105] = 255  # the right rule's halo: one pixel wide, the window's height
    assert marks_in(ink, cell, margin=4) == (105, 14, 1, 32)
    assert marks_in(ink, cell, margin=4, clear=True) is None
    ink[30:32, 12:30] = 255  # a dash from the left rule's side into the cell
    assert marks_in(ink, cell, margin=4, clear=True) == (14, 30, 16, 2)


def _sides(ink: np.ndarray, top: int, bottom: int, left: int, right: int) -> None:
    """A thin 0's two sides, '(' from column `left` and ')' from column `right`, each 3
    pixels wide and bowing 1 pixel out at its middle third."""
    third = (bottom - top) // 3
    ink[top:bottom, left + 1 : left + 3] = ink[top:bottom, right : right + 2] = 255
    ink[top + third : bottom - third, left : left + 3] = 0
    ink[top + third : bottom - third, right : right + 3] = 0
    ink[top + third : bottom - third, left : left + 2] = 255
    ink[top + third : bottom - third, right + 1 : right + 3] = 255


def test_a_small_zero_the_threshold_ate_to_stubs_is_one_glyph_where_its_faint_ink_says_so() -> None:
    from parsers.readers.pdf.ocr.marks import glyph_count

    # A real scan's 0, 9 pixels tall at 150 dpi (Huai'an 2024, page 4): the threshold
    # kept two stubs, 3 pixels tall and 3 apart; the faint ink keeps both sides whole, 9
    # tall, 1 apart, bowing out as a 0's do.
    marks = np.zeros((19, 17), np.uint8)
    marks[7:10, 5:7] = marks[7:10, 10:12] = 255
    box = (0, 0, 17, 19)

    def count(left: int = 5, right: int = 9, extra=None) -> int:
        faint = np.zeros((19, 17), np.uint8)
        _sides(faint, 5, 14, left, right)
        if extra is not None:
            extra(faint)
        return glyph_count(marks, box, 1, faint | marks)

    assert glyph_count(marks, box, 1) == 2
    assert count() == 1

    def speck_on_top(f: np.ndarray) -> None:
        f[2:5, 10:12] = 255

    def speck_below(f: np.ndarray) -> None:
        f[14:17, 9:11] = 255

    def upright(f: np.ndarray) -> None:
        f[5:14, 5:8] = f[5:14, 9:12] = 255

    def looped(f: np.ndarray) -> None:
        f[5:14, 5:8] = 0
        f[5:14, 6:8] = f[7:12, 5:8] = 255
        f[8:11, 6] = 0  # a tiny closed loop, bowing left: a whole glyph

    def minus(f: np.ndarray) -> None:
        f[5:14, 5:8] = 0
        f[5:14, 4:9] = 255
        f[5:7, 4:6] = f[12:14, 4:6] = 0  # a side 5 wide beside one 2 wide: no pair

    def run_out(f: np.ndarray) -> None:
        f[0:6, 6:8] = f[0:6, 9:11] = 255

    def upright_left(f: np.ndarray) -> None:
        f[5:14, 5:8] = 0
        f[5:14, 5:8] = 255

    def upright_right(f: np.ndarray) -> None:
        f[5:14, 9:12] = 0
        f[5:14, 9:12] = 255

    # Sides not level (a speck over one stub), upright strokes (a 1 beside a 0's side), a
    # loop (a whole glyph), sides unlike in width, sides too far apart for one glyph, or
    # faint ink running out of the box: two glyphs, as the threshold says.
    assert count(extra=speck_on_top) == 2
    assert count(extra=speck_below) == 2
    assert count(extra=upright) == 2
    assert count(extra=upright_left) == 2
    assert count(extra=upright_right) == 2
    assert count(extra=looped) == 2
    assert count(extra=minus) == 2
    assert count(right=11) == 2
    assert count(extra=run_out) == 2
    # A 0 13 pixels tall whose left side took in a minus touching it (5 wide beside 2): the
    # two are no 0's sides, though they are level, bow apart and fit a glyph's width.
    tall_marks = np.zeros((19, 17), np.uint8)
    tall_marks[8:11, 4:6] = tall_marks[8:11, 9:11] = 255
    faint = np.zeros((19, 17), np.uint8)
    faint[3:16, 5:7] = faint[3:16, 8:10] = 255
    faint[7:12, 5:7] = faint[7:12, 8:10] = 0
    faint[7:12, 4:6] = faint[7:12, 9:11] = 255
    faint[8:11, 1:4] = 255  # the minus
    assert glyph_count(tall_marks, box, 1, faint | tall_marks) == 2


def test_faint_ink_that_joins_a_zeros_sides_also_counts_a_digit_the_threshold_lost() -> None:
    from parsers.readers.pdf.ocr.marks import glyph_count

    # '110' rendered 13 pixels tall in pale ink: the threshold kept a stub of the first 1
    # and the 0's two sides, none of the second 1. Joining the 0's sides on the faint ink's
    # word must count the second 1 it shows as well, or two glyphs would pass for '10'.
    marks = np.zeros((17, 30), np.uint8)
    marks[4:8, 5:6] = marks[7:10, 19:20] = marks[7:10, 24:25] = 255
    box = (0, 0, 30, 17)

    def count(second_one: tuple[slice, slice] | None, join_zero: bool = True) -> int:
        faint = np.zeros((17, 30), np.uint8)
        faint[4:13, 4:7] = 255
        if second_one is not None:
            faint[second_one] = 255
        if join_zero:
            _sides(faint, 4, 13, 19, 23)
        else:
            faint[4:13, 19:22] = faint[4:13, 22:25] = 255  # upright: no 0's sides
            faint[4:13, 22] = 0
        return glyph_count(marks, box, 1, faint | marks)

    assert glyph_count(marks, box, 1) == 3  # the 0's sides taken for two glyphs
    assert count((slice(4, 13), slice(12, 15))) == 3
    # A speck is no digit, nor is ink cut by the box's edge; and where no sides were
    # joined, the threshold's own count stands.
    assert count((slice(9, 11), slice(12, 14))) == 2
    assert count((slice(0, 13), slice(12, 15))) == 2
    assert count((slice(4, 13), slice(12, 15)), join_zero=False) == 3
    assert count(None, join_zero=False) == 3


def test_a_rule_broken_across_one_narrow_cell_is_carried_on_to_the_next_rule() -> None:
    # A pale rule the scan broke into pieces across the first and last, narrow columns:
    # each piece is shorter than a rule, and the cells above and below it would read as one
    # ('0\n0'). It is carried to the next rule across it either way, not past it, and not
    # to a rule that does not cross its line.
    page = np.full((2339, 1654), 245, np.uint8)
    for y in (1000, 1400):
        cv2.line(page, (150, y), (1600, y), 60, 2)
    for x in (150, 300, 1400, 1550, 1600):
        cv2.line(page, (x, 1000), (x, 1400), 60, 2)
    cv2.line(page, (1475, 1300), (1475, 1400), 60, 2)
    cv2.line(page, (300, 1200), (1400, 1200), 60, 2)
    for start, stop in ((152, 300), (1402, 1550)):
        for k, x in enumerate(range(start, stop, 40)):
            y = 1199 if k % 2 else 1201  # the scan's jagged stair: no row runs a rule's length
            cv2.line(page, (x, y), (min(x + 39, stop - 1), y), 150, 1)
    # A figure set close above the broken stretch leaves paper below it: still a rule.
    cv2.putText(page, "1898", (1405, 1196), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 20, 2)
    # Words along a rule's line in a cell are no rule: the next row's middle is not carried.
    cv2.line(page, (300, 1300), (1400, 1300), 60, 2)
    for x in range(1410, 1540, 40):
        cv2.putText(page, "1", (x, 1310), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 20, 2)
    horizontal, _ = find_rules(page, S)
    spans = {round(b[1]): (round(b[0]), round(b[2])) for b in horizontal}
    left, right = spans[1200]
    assert abs(left - 150) <= 3 and abs(right - 1550) <= 3
    assert abs(spans[1300][1] - 1400) <= 3


def test_a_seals_star_edge_between_a_columns_rules_makes_no_rule() -> None:
    # The seal stamped centred on a column about as wide as its star: the flat edge of the
    # star's upper arms runs from one of the column's rules to the other, near the seal's
    # centre, but it is the edge of a filled shape, not a rule.
    page = np.full((2339, 1654), 245, np.uint8)
    for y in (900, 1140, 1240, 1500):
        cv2.line(page, (150, y), (1550, y), 60, 2)
    for x in (150, 1278, 1362, 1550):
        cv2.line(page, (x, 900), (x, 1500), 60, 2)
    page = _sealed(page)
    seals = find_seals(page, S, 200)
    horizontal, _ = find_rules(page, S, seals)
    assert sorted(round(b[1]) for b in horizontal) == [900, 1140, 1240, 1500]


def test_dots_of_dithered_shading_along_a_rules_line_carry_no_rule() -> None:
    # A two-row header shaded grey, which a black-and-white scan prints as scattered dots:
    # the rule between two sub-columns starts under their group's cell ('2023' over both),
    # and the dots along its line do not carry it up through that cell.
    page = np.full((2339, 1654), 255, np.uint8)
    dots = np.random.default_rng(0).random((120, 1400)) < 0.4
    page[1000:1120, 150:1550][dots] = 0
    for y in (1000, 1060, 1120, 1180, 1240):
        x0, x1 = (900, 1400) if y == 1060 else (150, 1550)
        cv2.line(page, (x0, y), (x1, y), 0, 2)
    for x in (150, 900, 1400, 1550):
        cv2.line(page, (x, 1000), (x, 1240), 0, 2)
    cv2.line(page, (1150, 1060), (1150, 1240), 0, 2)
    horizontal, vertical = find_rules(page, S)
    middle = [b for b in vertical if abs(b[0] - 1150) < 4]
    assert len(middle) == 1 and middle[0][1] > 1050
    assert all(b[0] > 850 for b in horizontal if abs(b[1] - 1060) < 4)


def test_a_minus_kerned_onto_its_digit_too_pale_for_the_threshold_is_a_sign() -> None:
    from parsers.readers.pdf.ocr.marks import sign_touching

    # '-8' at 150 dpi, its minus kerned onto the 8's bowl: the threshold drops the minus
    # (too small a patch) and the faint ink joins it to the 8, so nothing sees it apart.
    marks = np.zeros((24, 30), np.uint8)
    marks[4:19, 10:19] = 255
    faint = marks.copy()
    faint[3:20, 9:20] = 255
    minus = faint.copy()
    minus[11:13, 3:10] = 255
    box = (0, 0, 30, 24)
    assert not sign_touching(marks, faint, box)
    assert sign_touching(marks, minus, box)
    # Faint ink running left at the top (a 1's flag) or down its side (a halo) is the
    # digit's own.
    flag = faint.copy()
    flag[4:6, 4:10] = 255
    assert not sign_touching(marks, flag, box)
    halo = faint.copy()
    halo[5:18, 6:9] = 255
    assert not sign_touching(marks, halo, box)
    # Nor is a nub too short for a minus, a blob as tall as it is wide, or a bar too thick.
    for rows, cols in ((slice(11, 12), slice(7, 9)), (slice(10, 14), slice(5, 9)),
                       (slice(9, 15), slice(0, 9))):  # fmt: skip
        other = faint.copy()
        other[rows, cols] = 255
        assert not sign_touching(marks, other, box)


def test_the_figure_checks_join_a_small_zeros_sides_and_see_a_minus_kerned_onto_its_digit() -> None:
    from parsers.readers.pdf.ocr.checks import marks_unread
    from parsers.readers.pdf.settings import OcrSettings

    s = OcrSettings()
    # The small 0 of the glyph test above, read as '0': nothing unread beside it.
    marks = np.zeros((19, 17), np.uint8)
    marks[7:10, 5:7] = marks[7:10, 10:12] = 255
    faint = np.zeros((19, 17), np.uint8)
    _sides(faint, 5, 14, 5, 9)
    faint |= marks
    box = (0, 0, 17, 19)
    assert not marks_unread("0", box, box, marks, faint, 1, s)
    # '-8' read as '8', its minus too pale for the threshold and joined to the 8 in the
    # faint ink: a mark unread.
    marks = np.zeros((24, 30), np.uint8)
    marks[4:19, 10:19] = 255
    faint = marks.copy()
    faint[3:20, 9:20] = 255
    faint[11:13, 3:10] = 255
    box = (0, 0, 30, 24)
    assert marks_unread("8", box, box, marks, faint, 1, s)
