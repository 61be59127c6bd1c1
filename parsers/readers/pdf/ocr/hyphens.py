"""Hyphens too small to tell from speckle by size, read where the figures around them say
one stands.

A 9-point hyphen scanned at 150 dpi keeps about 4 x 2 pixels of pale ink: no larger than
the speckle a scan scatters over a page. Such a flat mark is a hyphen only where its place
says a figure stands: its middle at the height of the middle of a figure (or dash) read
beside it on its line, under or over the middles of figures read on other lines in its
column (a column's figures are set centred), and no other ink by it (the bar of a 7 or an
arc of a 0 the scan broke up has its other pieces by it). Marks found in the same pass do
not vouch for one another: a row of nothing but such marks stays speckle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from parsers.readers.pdf.ocr.image import Box, halo
from parsers.readers.pdf.settings import OcrSettings

# A figure as a cell prints it, not a row label's number ('1.') nor a stray point: digits,
# thousands commas, a decimal point.
CELL_FIGURE = re.compile(r"^[+\-]?\d+(,\d{3})*(\.\d+)?$")
# Ink of fewer pixels either way is no piece of anything.
_SPECK_PX = 2


def small_flat(w: float, h: float, line_h: float, s: OcrSettings) -> bool:
    """Whether a mark `w` x `h` pixels is flat as a dash and wide enough to be a hyphen of
    a small face (`OcrSettings.aligned_dash_width` of a line's height)."""
    return s.dash_ratio * h <= w and w >= s.aligned_dash_width * line_h


def placed(marks: list[Box], figures: Sequence[Box], line_h: float, s: OcrSettings) -> list[Box]:
    """The marks (x0, y0, x1, y1 in page pixels) that stand where a row of the `figures`
    read (their boxes) crosses a column of them."""
    return [m for m in marks if among_figures(figures, m, line_h, s)]


def among_figures(figures: Sequence[Box], mark: Box, line_h: float, s: OcrSettings) -> bool:
    """Whether a mark's middle is at the height of a figure's middle beside it on its line
    and under or over the middles of `aligned_dash_votes` figures on other lines, each
    within `aligned_dash_tolerance` of a line's height."""
    mx, my = (mark[0] + mark[2]) / 2, (mark[1] + mark[3]) / 2
    tol = s.aligned_dash_tolerance * line_h
    beside = any(abs((b[1] + b[3]) / 2 - my) <= tol for b in figures)
    column = sum(
        1 for b in figures if not b[1] <= my <= b[3] and abs((b[0] + b[2]) / 2 - mx) <= tol
    )
    return beside and column >= s.aligned_dash_votes


def alone(
    faint: np.ndarray, mark: Box, window: Box, read: Sequence[Box] = (), cell: bool = False
) -> bool:
    """Whether a mark is the only ink in a window (the ink over it is its own) but for
    specks, ink wholly inside the boxes of words `read` beside it (a label set close) and,
    in a ruled `cell`, the rules' faint edges along the window's border."""
    import cv2

    x0, y0, x1, y1 = (max(0, int(v)) for v in window)
    _, _, stats, _ = cv2.connectedComponentsWithStats(faint[y0:y1, x0:x1], connectivity=8)
    x, y, w, h = (stats[1:, k] for k in range(4))
    edge = halo(x, y, w, h, x1 - x0, y1 - y0) if cell else np.zeros(len(x), bool)
    for i in range(len(x)):
        a, b, c, d = x0 + x[i], y0 + y[i], x0 + x[i] + w[i], y0 + y[i] + h[i]
        if max(w[i], h[i]) < _SPECK_PX or edge[i]:
            continue
        if a < mark[2] and mark[0] < c and b < mark[3] and mark[1] < d:
            continue  # the mark's own ink
        if any(r[0] <= a and c <= r[2] and r[1] <= b and d <= r[3] for r in read):
            continue
        return False
    return True
