"""Ink no recognised line covers: figures, dashes and words detection missed outside ruled
cells (`unread_figures`), and ruled cells where it found nothing but ink (`unread_cells`)."""

from __future__ import annotations

import numpy as np

from parsers.readers.pdf.ocr import hyphens
from parsers.readers.pdf.ocr.hyphens import CELL_FIGURE
from parsers.readers.pdf.ocr.image import Box, halo, inner, marks_in
from parsers.readers.pdf.ocr.marks import runs_on, slanted
from parsers.readers.pdf.ocr.readings import (
    DASHES,
    PLAIN_FIGURE,
    as_figure,
    cell_margin,
    centre_in,
    dash_marks,
    dash_reading,
    has_digit,
    line_height,
    meaningful,
    pad_box,
)
from parsers.readers.pdf.settings import OcrSettings
from parsers.script import IDEOGRAPH

# A mark less than this share of a cell's largest mark, either way, is a speck to it.
_SPECK = 0.3
# A cell's largest mark less than this share of a line's height, either way, is a speck.
_GLYPH_LEAST = 0.25


def unread_figures(found, cells, rules, ink, faint, ocr, page, s: OcrSettings):
    """Figures, dashes and words that detection missed outside ruled cells (a lone digit far
    from its label, a column's header among others crowded on its line, in a table without
    ruling lines; ruled cells are `unread_cells`'): marks no recognised line covers, of a
    line's height (specks are smaller, rules and seals larger), read on their own and kept
    only when they read as a figure, a flat stroke reads as a dash, or they read as words
    with a confidence of at least `word_confidence`. A stroke's shape is its `faint` ink's:
    the threshold of `ink` cuts a pale hyphen short, or a 7 down to its bar. A flat mark too
    small to tell from speckle is a dash where the figures read place one (`hyphens`)."""
    import cv2

    line_h = line_height(found)
    free, free_faint = ink.copy(), faint.copy()
    for b, _ in found:
        free[int(b[1]) : int(b[3]), int(b[0]) : int(b[2])] = 0
    # Faint ink keeps the lines read: a mark a line's box clips is measured whole (the
    # foot of a 2 is no dash).
    for a in (free, free_faint):
        # A rule broken by the scan leaves stubs a figure tall: they are no figure.
        for x0, y0, x1, y1 in rules:
            m = 4
            a[max(0, int(y0) - m) : int(y1) + m + 1, max(0, int(x0) - m) : int(x1) + m + 1] = 0
        for c in cells:
            a[int(c[1]) : int(c[3]) + 1, int(c[0]) : int(c[2]) + 1] = 0
    # Digits of one figure are joined, and marks a little apart up and down (a digit's
    # strokes the threshold broke; a speck touching it too, which recognition reads past);
    # a figure's neighbours in other columns are not, nor the rows above and below.
    gap = max(2, round(line_h * s.figure_gap))
    rise = 1 + round(line_h * s.figure_break)
    joined = cv2.dilate(free, np.ones((rise, gap), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    _, pale, pale_stats, _ = cv2.connectedComponentsWithStats(free_faint, connectivity=8)
    crops, boxes, small = [], [], []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        ys, xs = np.nonzero(free[y : y + h, x : x + w] & (labels[y : y + h, x : x + w] == i))
        if not len(xs):
            continue
        x0, y0, x1, y1 = x + xs.min(), y + ys.min(), x + xs.max() + 1, y + ys.max() + 1
        w, h = x1 - x0, y1 - y0
        figure = s.figure_height[0] * line_h <= h <= s.figure_height[1] * line_h
        fw, fh = _faint_extent(pale[y + ys, x + xs], pale_stats, (x0, y0, x1, y1))
        low = fh <= s.dash_height * line_h
        # A piece of a longer stroke that the lines read cut up (a seal's ring) is no dash.
        low = low and not runs_on(ink, (x0, y0, x1, y1), round(line_h))
        dash = low and s.dash_ratio * fh <= fw and fw >= s.dash_min_width * line_h
        if low and not dash and hyphens.small_flat(fw, fh, line_h, s):
            # A hyphen of a small face, a speck, or a piece of a digit the scan broke:
            # judged by the ink by it and, once all is read, its place among the figures.
            if _alone_on_line(free_faint, (x0, y0, x1, y1), found, line_h):
                small.append((x0, y0, x1, y1))
        if not (figure or dash) or w > s.word_width * line_h:
            continue
        box = (
            _dash_box((x0, y0, x1, y1), line_h, ink.shape, s)
            if dash
            else pad_box((x0, y0, x1, y1), s.pad + 2, ink.shape)
        )
        crops.append(page[box[1] : box[3], box[0] : box[2]])
        boxes.append((box, dash, w <= s.figure_width * line_h))
    small += _pale_marks(free, free_faint, found, line_h, s)
    extra = []
    for (box, dash, narrow), reading in zip(
        boxes, ocr.recognise(crops) if crops else [], strict=True
    ):
        text = reading.text.strip()
        figure = as_figure(reading)
        if dash:
            # A flat stroke read as a dash (or as dashes: '-一', its ends apart), or as no
            # letter or digit at all (too small to read), as found dashes are
            # (`second_readings`).
            if dash_marks(text) or not any(ch.isalnum() for ch in text):
                extra.append((box, dash_reading()))
        elif IDEOGRAPH.search(text) and reading.confidence >= s.word_confidence:
            extra.append((box, reading))
        elif narrow and PLAIN_FIGURE.match(figure.text.strip()) and has_digit(figure.text):
            extra.append((box, figure))
    return extra + _hyphens(small, found + extra, line_h, ink.shape, s)


def _pale_marks(
    free: np.ndarray, free_faint: np.ndarray, found: list, line_h: float, s: OcrSettings
) -> list[Box]:
    """Flat marks only the faint ink shows (`dash_min_width` to `pale_dash_max_width` of a
    line's height wide, at most `dash_height` tall), alone and outside every line read."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(free_faint, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if free[y : y + h, x : x + w].any():
            continue  # ink's own marks are judged with it
        if not s.dash_min_width * line_h <= w <= s.pale_dash_max_width * line_h:
            continue
        if h > s.dash_height * line_h or not hyphens.small_flat(w, h, line_h, s):
            continue
        mark = (x, y, x + w, y + h)
        if any(
            b[0] < mark[2] and mark[0] < b[2] and b[1] < mark[3] and mark[1] < b[3]
            for b, _ in found
        ):
            continue  # in a line read: what recognition made of it stands
        if _alone_on_line(free_faint, mark, found, line_h):
            out.append(mark)
    return out


def _alone_on_line(faint: np.ndarray, mark: Box, found: list, line_h: float) -> bool:
    """Whether a mark is the only ink within half a line's height of it (`hyphens.alone`),
    but for the words read left or right of it."""
    x0, y0, x1, y1 = mark
    room = (x0 - line_h / 2, y0 - line_h / 2, x1 + line_h / 2, y1 + line_h / 2)
    beside = [b for b, _ in found if b[2] <= x0 or x1 <= b[0]]
    return hyphens.alone(faint, mark, room, beside)


def _hyphens(marks: list[Box], read: list, line_h: float, shape, s: OcrSettings) -> list:
    """Dash readings for the small flat marks that stand where the figures and dashes
    `read` say a hyphen stands (`hyphens`); those found in the same pass count as read."""
    if not marks:
        return []
    # A box found without a reading (a label's, as callers may pass) is no figure.
    figures = [
        b
        for b, r in read
        if r is not None and (CELL_FIGURE.match(r.text.strip()) or r.text in DASHES)
    ]
    return [
        (_dash_box(m, line_h, shape, s), dash_reading())
        for m in hyphens.placed(marks, figures, line_h, s)
    ]


def _dash_box(mark, line_h: float, shape, s: OcrSettings) -> tuple[int, int, int, int]:
    """The box a dash's mark is read in: padded, and a line's height, as a detected line's
    box is (recognition reads a crop only as tall as the stroke as anything, '1' for a
    hyphen, and a box that short would stand apart from the line it is printed on)."""
    box = pad_box(mark, s.pad + 2, shape)
    mid, half = (box[1] + box[3]) / 2, line_h / 2
    return pad_box((box[0], mid - half, box[2], mid + half), 0, shape)


def _faint_extent(under: np.ndarray, stats: np.ndarray, box) -> tuple[int, int]:
    """Width and height of the faint marks (`under`: their labels at a mark's pixels) that
    hold a mark whose box is `box` (pixels)."""
    x0, y0, x1, y1 = box
    ids = np.unique(under)
    ids = ids[ids > 0]
    if not len(ids):
        return x1 - x0, y1 - y0
    part = stats[ids]
    left, top = part[:, 0].min(), part[:, 1].min()
    right = (part[:, 0] + part[:, 2]).max()
    bottom = (part[:, 1] + part[:, 3]).max()
    return int(right - left), int(bottom - top)


def unread_cells(cells, found, ink, faint, ocr, page, s: OcrSettings):
    """Ruled cells where detection found nothing but ink: a dash, or a mark read on its own;
    where the ink is only faint, a stroke whose shape is a dash's or a slash's, and a flat
    mark too small to tell from speckle a dash where the figures read place one
    (`hyphens`)."""
    line_h = line_height(found)
    extra = []
    crops, boxes, small = [], [], []
    for cell in cells:
        if any(centre_in(b, cell) for b, _ in found):
            continue
        m = cell_margin(ink)
        layer, clear = ink, False
        marks = marks_in(ink, cell, margin=m)
        if marks is None:
            # Only faint ink: a faint dash or slash, judged by its shape, or a glyph lighter
            # than the mark level (a thin face's 0 at 150 dpi), read.
            marks = marks_in(faint, cell, margin=m, clear=True)
            if marks is None:
                continue
            if max(marks[2:]) < _GLYPH_LEAST * line_h:
                # A speck, or a hyphen of a small face: judged by the ink by it and, once
                # all is read, its place among the figures.
                x, y, w, h = marks
                mark = (x, y, x + w, y + h)
                if hyphens.small_flat(w, h, line_h, s) and hyphens.alone(
                    faint, mark, inner(faint, cell, m), cell=True
                ):
                    small.append(mark)
                continue
            stroke = _faint_stroke(faint, marks, line_h, s)
            if stroke is not None:
                extra.append(stroke)
                continue
            layer, clear = faint, True
        elif max(marks[2:]) < _GLYPH_LEAST * line_h:
            # Dark ink only in specks (or a short stroke): the glyph may be faint about them.
            bigger = marks_in(faint, cell, margin=m, clear=True)
            if bigger is not None and max(bigger[2:]) > max(marks[2:]):
                layer, clear, marks = faint, True, bigger
        _x, _y, w, h = marks
        # The whole content of the cell is read, the largest mark judged as a dash. The
        # same window `marks_in` looked in, so the mark it found is in it.
        box = pad_box(_content(layer, inner(layer, cell, m), marks, clear), s.pad + 2, ink.shape)
        # Faint ink counts too: a 7 whose stroke down is lighter than its bar is no dash.
        whole = marks_in(faint, cell, margin=m) or marks
        low = whole[3] <= s.dash_height * line_h
        stroke = _stroke(layer, box, w, h, line_h, s, low)
        if stroke is not None:
            extra.append((box, stroke))
            continue
        crops.append(page[box[1] : box[3], box[0] : box[2]])
        boxes.append((box, low))
    for (box, low), reading in zip(boxes, ocr.recognise(crops) if crops else [], strict=True):
        reading = as_figure(reading)
        if dash_marks(reading.text):
            if low:  # else a glyph's bar read alone, under its fainter strokes
                extra.append((box, dash_reading()))
        elif meaningful(reading.text) and (
            reading.confidence >= s.min_confidence or has_digit(reading.text)
        ):
            extra.append((box, reading))
    return extra + _hyphens(small, found + extra, line_h, ink.shape, s)


def _content(ink: np.ndarray, window, largest, clear: bool) -> tuple[int, int, int, int]:
    """The box of a cell's `largest` mark (x, y, width, height in page pixels) and its
    other marks that are a glyph's part: at least `_SPECK` of the largest one's size tall or
    wide, or on their line within a glyph's room of them (a point, a sign, a stroke the
    scan broke off a digit); with `clear`, none running along the window's border. Specks
    a scan scatters about a cell would widen the crop and spoil its reading."""
    import cv2

    x0, y0, x1, y1 = window
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink[y0:y1, x0:x1], connectivity=8)
    x, y, w, h = (stats[1:, k] for k in range(4))
    ok = ~halo(x, y, w, h, x1 - x0, y1 - y0) if clear else np.ones_like(x, bool)
    x, y = x + x0, y + y0
    lx, ly, lw, lh = largest
    size = max(lw, lh)
    big = ok & (np.maximum(w, h) >= _SPECK * size)
    left, top = min([lx, *x[big]]), min([ly, *y[big]])
    right, bottom = max([lx + lw, *(x + w)[big]]), max([ly + lh, *(y + h)[big]])
    near = ok & (x + w >= left - size) & (x <= right + size) & (y + h > top) & (y < bottom)
    return (
        int(min([left, *x[near]])),
        int(top),
        int(max([right, *(x + w)[near]])),
        int(bottom),
    )


def _faint_stroke(faint: np.ndarray, mark, line_h: float, s: OcrSettings):
    """A faint dash or slash alone in a cell, judged by the shape of its largest `mark`
    (x, y, width, height in page pixels)."""
    x, y, w, h = mark
    box = pad_box((x, y, x + w, y + h), s.pad + 2, faint.shape)
    stroke = _stroke(faint, box, w, h, line_h, s)
    return None if stroke is None else (box, stroke)


def _stroke(ink: np.ndarray, box, w: int, h: int, line_h: float, s: OcrSettings, low=True):
    """A dash (a flat stroke, `low` in all its ink) or a slash (a slanted one no taller than
    a line) judged by the shape of the `w` x `h` mark in `box`; None for anything else."""
    if w >= s.dash_ratio * h and h <= s.dash_height * line_h and low:
        return dash_reading()
    if h <= line_h and slanted(ink, box, s.slash_slant):
        return dash_reading("/")
    return None
