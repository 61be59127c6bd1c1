"""Page-image clean-up: seal ink lifted, skew found, rules found, specks told from marks."""

from __future__ import annotations

import cv2
import numpy as np

from parsers.readers.pdf.ocr.image import (
    binarise,
    dark_marks,
    find_rules,
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
