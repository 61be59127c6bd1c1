"""Scanned PDF pages read by OCR into the PDF path: glyphs with positions, and ruling lines.

A page without a usable text layer is rendered (pypdfium2) at its scan's resolution, its red
seal ink lifted, deskewed and binarised (`image`). Ruling lines found in the image become
line objects, so the PDF path builds ruled grids from them exactly as from drawn lines; each
recognised line of text becomes glyphs in PDF points, so unruled tables and prose go the
same way as a text layer's (outside ruled cells the glyphs cover the line's ink and leave
the paper between its cells open, as a text layer's do: `_paper`). Readings of a digit on a
mark far shorter than the page's digits are dropped as speckle (`_specks`). Every
recognised word keeps its confidence, a second reading (the same crop, binarised and at
another scale) and the runner-up characters; an empty ruled cell says whether it holds ink.
`cells.mark_ocr` then writes that onto the table cells (`Where.kind = 'ocr'`, `confidence`,
`readings`) for the OCR gate of the reading stage (`parsers.reading.ocr_gate`), which knows
them only by those fields.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass

import numpy as np

from parsers.readers.pdf.lines import DIGITS, ENUMERATED, FIGURE_MARKS, Glyph
from parsers.readers.pdf.ocr import hyphens
from parsers.readers.pdf.ocr.engine import LOOKALIKES, SPECKS, Char, Reading, engine
from parsers.readers.pdf.ocr.hyphens import CELL_FIGURE
from parsers.readers.pdf.ocr.image import (
    Box,
    Circle,
    binarise,
    dark_marks,
    despeckle,
    find_rules,
    find_seals,
    find_skew,
    grow_box,
    halo,
    inner,
    lift_red,
    marks_in,
    rotate,
)
from parsers.readers.pdf.ocr.marks import (
    digit_span,
    flat,
    glyph_count,
    runs_on,
    sign_beside,
    slanted,
    whole_box,
)
from parsers.readers.pdf.ruled import find_cell_boxes
from parsers.readers.pdf.settings import OcrSettings

# What recognition makes of a lone dash in a cell (一 is the character "one", shaped alike).
DASHES = frozenset({"-", "—", "–", "一", "_", "－", "--", "——", "~"})
# Words a figure cell prints for "none" (read as a dash): they get a second reading too.
NONE_WORDS = frozenset({"无", "無"})
# A slash says "none" too; it stands only where its ink is a slanted stroke.
SLASHES = frozenset({"/", "／", "\\"})
# What a reading finds at a figure's ends for a speck: marks never part of a figure, and
# points and commas, which are only between digits.
END_SPECKS = "".join(SPECKS) + ".,，·"


@dataclass(frozen=True)
class Word:
    """A line of text read on a page: box in PDF points, reading, and its second reading."""

    bbox: Box
    text: str
    confidence: float
    second: str | None = None
    alternatives: tuple[str, ...] = ()
    # Ink the reading leaves out (`_marks_unread`): more separate marks than characters
    # read, a minus left of the digits, a mark running on past the box that holds the
    # figure, or digits' ink wider than the digits read (a sign or a digit dropped).
    unread_marks: bool = False
    # What recognition read where the figure alphabet was imposed ('o' for 0).
    read_as: str | None = None


@dataclass
class RecognisedPage:
    """What OCR found on one page, in PDF points."""

    number: int
    glyphs: list[Glyph]
    rules: list[dict]
    words: list[Word]
    # The deskewed page's ink (255, faint marks included), and points per pixel, to tell an
    # empty cell from one whose marks nothing recognised.
    ink: np.ndarray | None = None
    scale: float = 1.0
    skew: float = 0.0
    dpi: float = 0.0
    seals: tuple[Circle, ...] = ()  # in PDF points


class ScanReader:
    """Reads the scanned pages of one PDF; the renderer opens only when a scan is met."""

    def __init__(self, data: bytes, settings: OcrSettings) -> None:
        self._data = data
        self.settings = settings
        self._pdf = None

    def recognise(
        self, number: int, width: float, height: float, images: list[dict]
    ) -> RecognisedPage:
        """Read page `number` (1-based), `width` x `height` points, holding `images`."""
        s = self.settings
        dpi = _scan_dpi(images, width, s)
        rgb = self._render(number, dpi)
        scale = width / rgb.shape[1]  # points per pixel
        grey = lift_red(rgb, s.image)
        skew = find_skew(binarise(grey), s.image)
        if abs(skew) >= s.image.min_skew:
            grey = rotate(grey, skew)
        seals = find_seals(grey, s.image, dpi)
        horizontal, vertical = find_rules(grey, s.image, seals)
        marks = dark_marks(grey, s.image, dpi)
        faint = dark_marks(grey, s.image, dpi, faint=True)
        grey = despeckle(grey)
        rules = [_line(b, scale) for b in horizontal + vertical]
        page = np.dstack([grey, grey, grey])
        ocr = engine(s.engine)
        boxes = [_pad(b, s.pad, grey.shape) for b in _detect(ocr, page, s.det_max_side)]
        cells = [
            tuple(v / scale for v in box)
            for group in find_cell_boxes(rules, s.grid)
            for box in group
        ]
        readings = ocr.recognise([page[b[1] : b[3], b[0] : b[2]] for b in boxes])
        boxes, readings = _split_lines(boxes, readings, cells, marks, ocr, page, s)
        boxes, readings = _off_rules(boxes, readings, cells, vertical, faint, ocr, page, s)
        readings = [_as_figure(r) for r in readings]
        specks = _specks(faint, boxes, readings, s.figure_speck)
        found = _kept_readings(boxes, readings, specks, marks, s)
        found += _unread_cells(cells, found, marks, faint, ocr, page, s)
        found += _unread_figures(found, cells, horizontal + vertical, marks, faint, ocr, page, s)
        join = max(1, round(dpi / 150))
        figure_boxes = [_figure_box(r.text.strip(), b, marks, join, s) for b, r in found]
        # A box drawn tight through a figure's marks misleads recognition too (the top of
        # a 7's bar cut off reads as 1): the second reading is of the box that holds them.
        seconds = _second_readings(
            found,
            page,
            marks,
            faint,
            ocr,
            s,
            [w or b for (b, _), w in zip(found, figure_boxes, strict=True)],
        )
        words, glyphs = [], []
        for (box, reading), second, whole in zip(found, seconds, figure_boxes, strict=True):
            pt = tuple(v * scale for v in box)
            text = reading.text.strip()
            extra = _marks_unread(text, box, whole, marks, faint, join, s)
            # Read as '0.' and taken for 0: with no ink beyond the digits, the point was a
            # speck, and the first reading no other candidate.
            read_as = reading.read_as
            if _speck_free(read_as, text, extra) == text:
                read_as = None
            words.append(
                Word(pt, text, reading.confidence, _speck_free(second, text, extra),
                     _alternatives(reading), extra, read_as)
            )  # fmt: skip
            if in_cells(box, cells):
                glyphs += _glyphs(reading, pt)
            else:
                paper = [
                    (a * scale, b * scale) for a, b in _paper(marks, box, reading, s.glyph_gap)
                ]
                glyphs += _glyphs(reading, pt, tuple(paper))
        seals_pt = tuple((x * scale, y * scale, r * scale) for x, y, r in seals)
        return RecognisedPage(number, glyphs, rules, words, faint, scale, skew, dpi, seals_pt)

    def _render(self, number: int, dpi: float) -> np.ndarray:
        import pypdfium2 as pdfium

        if self._pdf is None:
            self._pdf = pdfium.PdfDocument(self._data)
        page = self._pdf[number - 1]
        try:
            image = page.render(scale=dpi / 72).to_pil().convert("RGB")
        finally:
            page.close()
        return np.asarray(image)

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def _kept_readings(
    boxes: list[Box], readings: list[Reading], specks: set[int], marks: np.ndarray, s: OcrSettings
) -> list[tuple[Box, Reading]]:
    """The lines read that stand: text with a letter, digit or ideograph (or a dash), sure
    enough or holding a digit, not speckle (`specks`: their indices); a dash only where its
    ink is a mark of its own, not a piece of a longer stroke running on beyond its box (a
    seal's ring, a rule); a slash only where its ink slants."""
    return [
        (b, _dash_reading() if r.text.strip() in DASHES else r)
        for i, (b, r) in enumerate(zip(boxes, readings, strict=True))
        if _meaningful(r.text)
        and (r.confidence >= s.min_confidence or _has_digit(r.text))
        and i not in specks
        and not (r.text.strip() in DASHES and runs_on(marks, b, b[3] - b[1]))
    ] + [
        (b, _dash_reading("/"))
        for b, r in zip(boxes, readings, strict=True)
        if r.text.strip() in SLASHES and slanted(marks, b, s.slash_slant)
    ]


def _detect(ocr, page: np.ndarray, max_side: int) -> list[Box]:
    """Text line boxes in page pixels, detected on the page scaled down to `max_side`."""
    import cv2

    factor = min(1.0, max_side / max(page.shape[:2]))
    small = page if factor >= 1 else cv2.resize(page, None, fx=factor, fy=factor)
    return [tuple(v / factor for v in b) for b in ocr.detect(small)]


# Punctuation whose em box holds paper on one side: a gap beside it parts no cells.
_CLOSING = frozenset("，。、；：,.;:)）」』”’》!！?？．·")
# A figure is never printed left of words on a table's line: digits there number a label.
_ENUMERATOR = re.compile(r"[0-9０-９]")
_POINTS = frozenset(".．、")
_OPENING = frozenset("(（「『“‘《")
# Full-width opening brackets: their ink sits at the right of an em box.
_FULL_OPENING = frozenset("（「『《〔【")


def _split_lines(boxes, readings, cells, ink, ocr, page, s: OcrSettings):
    """Detected lines outside ruled cells parted where paper as wide as `line_gap` of their
    text's size (`_text_size`) runs between their marks and neither punctuation explains it
    (the paper after a comma, before an opening bracket, by the line's own reading) nor a
    character read on it, each piece then read on its own; before a figure that ends the
    line after an ideograph, paper as wide as `figure_line_gap`. In a ruled cell a line is
    one cell's text, however spaced its letters."""
    parts = [
        [b] if in_cells(b, cells) else _pieces(ink, b, r, s.line_gap, s.figure_line_gap)
        for b, r in zip(boxes, readings, strict=True)
    ]
    todo = [i for i, p in enumerate(parts) if len(p) > 1]
    if not todo:
        return boxes, readings
    read = iter(ocr.recognise([page[p[1] : p[3], p[0] : p[2]] for i in todo for p in parts[i]]))
    out_boxes, out_readings = [], []
    for i, r in enumerate(readings):
        for box in parts[i]:
            out_boxes.append(box)
            out_readings.append(r if len(parts[i]) == 1 else next(read))
    return out_boxes, out_readings


def _off_rules(
    boxes, readings, cells, vertical, faint: np.ndarray, ocr, page: np.ndarray, s: OcrSettings
):
    """Lines in ruled cells whose box takes in a rule beside their text, paper between the
    two, cut short of the rule and read again: a rule read with a figure set close to it
    makes a 0 '10' or '[0'. The cut stands only where the new reading is the old one, or
    the old one but for a stroke read at the cut end ('1', '[', '|'): it removes the rule,
    never a character. A box cut at both ends is judged by its left end alone: the new
    reading may lose the old one's first character, never its last."""
    cut = [_short_of_rules(faint, b, vertical, s) if in_cells(b, cells) else b for b in boxes]
    todo = [i for i, (a, b) in enumerate(zip(boxes, cut, strict=True)) if a != b]
    if not todo:
        return boxes, readings
    crops = [page[cut[i][1] : cut[i][3], cut[i][0] : cut[i][2]] for i in todo]
    out_boxes, out_readings = list(boxes), list(readings)
    for i, r in zip(todo, ocr.recognise(crops), strict=True):
        # As figures: a 0 read as 'o' in one and '0' in the other is the same reading.
        old, new = _as_figure(readings[i]).text.strip(), _as_figure(r).text.strip()
        left = cut[i][0] > boxes[i][0]
        if (
            new
            and new in (old, old[1:] if left else old[:-1])
            and (new == old or (old[0] if left else old[-1]) in _RULE_READ)
        ):
            out_boxes[i], out_readings[i] = cut[i], r
    return out_boxes, out_readings


def _short_of_rules(
    faint: np.ndarray, box: tuple[int, int, int, int], vertical: list[Box], s: OcrSettings
) -> tuple[int, int, int, int]:
    """A box cut short of each vertical rule running down it near its left or right edge
    (its outer `rule_edge`) and on beyond it: past the rule's ink (columns inked nearly all
    the way along the rule, half the box's height above and below it included, which no
    character is; `rule_spread` pixels past where the rule was found at most), where a
    column of paper follows and text after that. A rule found where this box shows no
    such ink (a shaded row's edges are taken for rules) cuts nothing."""
    x0, y0, x1, y1 = box
    left, right = 0, x1 - x0
    half = (y1 - y0) // 2
    for rx0, ry0, rx1, ry1 in vertical:
        top, bottom = max(y0 - half, int(ry0)), min(y1 + half, math.ceil(ry1))
        if (
            top > y0
            or bottom < y1
            or bottom - top < s.rule_run * (y1 - y0)
            or rx1 <= x0
            or rx0 >= x1
        ):
            continue  # not down the box and on
        column = (faint[top:bottom, x0:x1] > 0).mean(axis=0) >= s.rule_cover
        a, b = max(0, int(rx0) - x0), min(x1 - x0, math.ceil(rx1) - x0)
        near = [k for k in range(a - 1, b + 2) if left <= k < right and column[k]]
        if not near:
            continue
        if (a + b) / 2 < s.rule_edge * (x1 - x0):
            k = _past_ink(column, max(near), 1, min(right, b + s.rule_spread))
            if k < right and not faint[y0:y1, x0 + k].any() and faint[y0:y1, x0 + k : x1].any():
                left = max(left, k)
        elif (a + b) / 2 > (1 - s.rule_edge) * (x1 - x0):
            k = _past_ink(column, min(near), -1, max(left - 1, a - 1 - s.rule_spread))
            if (
                k >= left
                and not faint[y0:y1, x0 + k].any()
                and faint[y0:y1, x0 + left : x0 + k].any()
            ):
                right = min(right, k + 1)
    return (x0 + left, y0, x0 + right, y1)


def _past_ink(column: np.ndarray, k: int, step: int, stop: int) -> int:
    """The first column from `k` on, going `step` (1 rightwards, -1 leftwards), that the
    rule has not inked (`column`), or `stop` if the rule's ink runs on to it."""
    while (k - stop) * step < 0 and column[k]:
        k += step
    return k


def _pieces(
    ink: np.ndarray, box, reading: Reading, gap: float, figure_gap: float
) -> list[tuple[int, int, int, int]]:
    """`box` cut at each run of inkless columns at least `gap` of its text's size wide that
    punctuation beside it does not explain and no character was read on; before the figure
    that ends the line, after an ideograph, at `figure_gap`."""
    x0, y0, x1, y1 = box
    cols = ink[y0:y1, x0:x1].any(axis=0)
    xs = np.nonzero(cols)[0]
    places = [c.position * (x1 - x0) for c in reading.chars]
    size = _text_size(reading, x1 - x0, y1 - y0)
    least, least_figure = gap * size, figure_gap * size
    if len(xs) < 2 or xs[-1] - xs[0] < 2 * least_figure or len(reading.chars) < 2:
        return [box]
    cuts = []
    for a, b in itertools.pairwise(xs):
        if b - a - 1 < least_figure or _read_on(places, reading.chars, a, b):
            continue
        mid = (a + b) / 2
        before = [c for c, x in zip(reading.chars, places, strict=True) if x < mid]
        after = [c for c, x in zip(reading.chars, places, strict=True) if x >= mid]
        if not before or not after:
            continue
        if (b - a - 1 < least or xs[-1] - xs[0] < 2 * least) and not _figure_after_words(
            before, after
        ):
            continue
        left, right = before[-1].text, after[0].text
        if left in _CLOSING or right in _OPENING:
            continue
        if _ENUMERATOR.match(left) and _IDEOGRAPH.match(right):
            continue  # a row label's number and its words ("1. 属于国家秘密")
        cuts.append((a, b))
    if not cuts:
        return [box]
    # Each piece reaches to the middle of the paper beside it, so all the line's ink is in
    # one piece or another (ink left out would be read again as a word of its own).
    middles = [x0 + (a + b + 1) // 2 for a, b in cuts]
    edges = [x0, *middles, x1]
    return [(a, y0, b, y1) for a, b in itertools.pairwise(edges)]


def _figure_after_words(before: list[Char], after: list[Char]) -> bool:
    """Whether the characters after a gap are a figure (and nothing else) and those before
    it end in an ideograph (a space read in the gap aside), and do not open with a figure
    of their own: '5（其中修订' | '3' is one value with its note (5, of which 3 revised),
    where '1.属于国家秘密' | '0' is a row label, numbered, and its figure."""
    text = "".join(c.text for c in after).strip()
    words = "".join(c.text for c in before).strip()
    last = next((c.text for c in reversed(before) if c.text.strip()), "")
    return (
        bool(_IDEOGRAPH.match(last))
        and (words[:1] not in DIGITS or ENUMERATED.match(words) is not None)
        and text[:1] in DIGITS
        and text[-1:] in DIGITS
        and all(ch in DIGITS or ch in FIGURE_MARKS for ch in text)
    )


def _text_size(reading: Reading, width: float, height: float) -> float:
    """The size of a line's text in a box `width` x `height`: about 0.72 of the box's
    height (detection grows boxes around the text), or the usual distance between its
    neighbouring ideographs where that is less (a box drawn over cells set at different
    heights is taller than its text)."""
    places = [c.position * width for c in reading.chars]
    steps = sorted(
        b - a
        for (a, c), (b, d) in itertools.pairwise(zip(places, reading.chars, strict=True))
        if _IDEOGRAPH.match(c.text) and _IDEOGRAPH.match(d.text)
    )
    pitch = steps[len(steps) // 2] if len(steps) >= 2 else float("inf")
    return min(height * 0.72, pitch)


def _read_on(places: list[float], chars, a: float, b: float, margin: float = 0.0) -> bool:
    """Whether recognition read a character (not a space) inside the paper from `a` to
    `b`, more than `margin` from its edges: a point too small to count as a mark."""
    return any(
        a + margin < p < b - margin for p, c in zip(places, chars, strict=True) if c.text.strip()
    )


def _scan_dpi(images: list[dict], width: float, s: OcrSettings) -> float:
    """The resolution of the page's largest image, within the settings' bounds (a page
    without images, whose text layer is garbled, is rendered at `text_dpi`)."""
    best = max(images, key=lambda i: float(i["x1"]) - float(i["x0"]), default=None)
    dpi = s.text_dpi if best is None else s.min_dpi
    if best is not None and best.get("srcsize"):
        shown = max(float(best["x1"]) - float(best["x0"]), 1.0) / 72
        dpi = float(best["srcsize"][0]) / shown
    return min(max(dpi, s.min_dpi), s.max_dpi)


def _line(b: Box, scale: float) -> dict:
    """A ruling line in PDF points, shaped like pdfplumber's line objects."""
    x0, top, x1, bottom = (v * scale for v in b)
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "stroke": True,
        "stroking_color": (0,),
    }


def _pad(b: Box, pad: int, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A box in whole pixels (its edges rounded outwards) grown `pad` pixels each way,
    kept on an image of `shape`."""
    whole = (int(b[0]), int(b[1]), int(np.ceil(b[2])), int(np.ceil(b[3])))
    return grow_box(whole, pad, shape)


_PLAIN_FIGURE = re.compile(r"^[+\-]?[\d.,]+$")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


def _figure_like(text: str, s: OcrSettings) -> bool:
    """A short reading that holds a digit: a cell's figure, not a line of prose."""
    t = text.strip()
    return _has_digit(t) and len(t) <= s.figure_max_chars


def _meaningful(text: str) -> bool:
    """Text with a letter, digit or ideograph, or a dash; punctuation alone is speckle."""
    t = text.strip()
    return t in DASHES or any(ch.isalnum() for ch in t)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def centre_in(box: Box, cell: Box) -> bool:
    """Whether a box's centre lies in a cell (edges included)."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]


def in_cells(box: Box, cells: list[Box]) -> bool:
    """Whether a box's centre lies in one of the ruled `cells`: its text is that cell's."""
    return any(centre_in(box, c) for c in cells)


def _margin(s: OcrSettings, ink: np.ndarray) -> int:
    """Pixels kept clear of a cell's rules when looking for marks in it (more at finer scans)."""
    return max(4, round(4 * ink.shape[1] / 1240))


def _line_height(found) -> float:
    """The median height of the recognised lines' boxes, in pixels."""
    heights = sorted(b[3] - b[1] for b, _ in found) or [20]
    return heights[len(heights) // 2]


def _specks(faint: np.ndarray, boxes, readings, share: float) -> set[int]:
    """The readings holding a digit whose tallest mark is under `share` of the page's usual
    digit height (the median of those marks): the tails of strokes a word above left out of
    its box, or speckle, read as a digit, not a figure."""
    import cv2

    tallest = {}
    for i, (box, reading) in enumerate(zip(boxes, readings, strict=True)):
        if _has_digit(reading.text):
            x0, y0, x1, y1 = (int(v) for v in box)
            n, _, stats, _ = cv2.connectedComponentsWithStats(faint[y0:y1, x0:x1], connectivity=8)
            tallest[i] = int(stats[1:, cv2.CC_STAT_HEIGHT].max()) if n > 1 else 0
    if len(tallest) < 5:
        return set()  # too few figures to know a digit's height by
    usual = sorted(tallest.values())[len(tallest) // 2]
    return {i for i, h in tallest.items() if h < share * usual}


def _unread_figures(found, cells, rules, ink, faint, ocr, page, s: OcrSettings):
    """Figures, dashes and words that detection missed outside ruled cells (a lone digit far
    from its label, a column's header among others crowded on its line, in a table without
    ruling lines; ruled cells are `_unread_cells`'): marks no recognised line covers, of a
    line's height (specks are smaller, rules and seals larger), read on their own and kept
    only when they read as a figure, a flat stroke reads as a dash, or they read as words
    with a confidence of at least `word_confidence`. A stroke's shape is its `faint` ink's:
    the threshold of `ink` cuts a pale hyphen short, or a 7 down to its bar. A flat mark too
    small to tell from speckle is a dash where the figures read place one (`hyphens`)."""
    import cv2

    line_h = _line_height(found)
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
            else _pad((x0, y0, x1, y1), s.pad + 2, ink.shape)
        )
        crops.append(page[box[1] : box[3], box[0] : box[2]])
        boxes.append((box, dash, w <= s.figure_width * line_h))
    small += _pale_marks(free, free_faint, found, line_h, s)
    extra = []
    for (box, dash, narrow), reading in zip(
        boxes, ocr.recognise(crops) if crops else [], strict=True
    ):
        text = reading.text.strip()
        figure = _as_figure(reading)
        if dash:
            # A flat stroke read as a dash, or as no letter or digit at all (too small to
            # read), as found dashes are (`_second_readings`).
            if text in DASHES or not any(ch.isalnum() for ch in text):
                extra.append((box, _dash_reading()))
        elif _IDEOGRAPH.search(text) and reading.confidence >= s.word_confidence:
            extra.append((box, reading))
        elif narrow and _PLAIN_FIGURE.match(figure.text.strip()) and _has_digit(figure.text):
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
        (_dash_box(m, line_h, shape, s), _dash_reading())
        for m in hyphens.placed(marks, figures, line_h, s)
    ]


def _dash_box(mark, line_h: float, shape, s: OcrSettings) -> tuple[int, int, int, int]:
    """The box a dash's mark is read in: padded, and a line's height, as a detected line's
    box is (recognition reads a crop only as tall as the stroke as anything, '1' for a
    hyphen, and a box that short would stand apart from the line it is printed on)."""
    box = _pad(mark, s.pad + 2, shape)
    mid, half = (box[1] + box[3]) / 2, line_h / 2
    return _pad((box[0], mid - half, box[2], mid + half), 0, shape)


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


def _unread_cells(cells, found, ink, faint, ocr, page, s: OcrSettings):
    """Ruled cells where detection found nothing but ink: a dash, or a mark read on its own;
    where the ink is only faint, a stroke whose shape is a dash's or a slash's, and a flat
    mark too small to tell from speckle a dash where the figures read place one
    (`hyphens`)."""
    line_h = _line_height(found)
    extra = []
    crops, boxes, small = [], [], []
    for cell in cells:
        if any(centre_in(b, cell) for b, _ in found):
            continue
        m = _margin(s, ink)
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
        box = _pad(_content(layer, inner(layer, cell, m), marks, clear), s.pad + 2, ink.shape)
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
        reading = _as_figure(reading)
        if reading.text.strip() in DASHES:
            if low:  # else a glyph's bar read alone, under its fainter strokes
                extra.append((box, _dash_reading()))
        elif _meaningful(reading.text) and (
            reading.confidence >= s.min_confidence or _has_digit(reading.text)
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


# A mark less than this share of a cell's largest mark, either way, is a speck to it.
_SPECK = 0.3
# A cell's largest mark less than this share of a line's height, either way, is a speck.
_GLYPH_LEAST = 0.25


def _faint_stroke(faint: np.ndarray, mark, line_h: float, s: OcrSettings):
    """A faint dash or slash alone in a cell, judged by the shape of its largest `mark`
    (x, y, width, height in page pixels)."""
    x, y, w, h = mark
    box = _pad((x, y, x + w, y + h), s.pad + 2, faint.shape)
    stroke = _stroke(faint, box, w, h, line_h, s)
    return None if stroke is None else (box, stroke)


def _stroke(ink: np.ndarray, box, w: int, h: int, line_h: float, s: OcrSettings, low=True):
    """A dash (a flat stroke, `low` in all its ink) or a slash (a slanted one no taller than
    a line) judged by the shape of the `w` x `h` mark in `box`; None for anything else."""
    if w >= s.dash_ratio * h and h <= s.dash_height * line_h and low:
        return _dash_reading()
    if h <= line_h and slanted(ink, box, s.slash_slant):
        return _dash_reading("/")
    return None


def _as_figure(reading: Reading) -> Reading:
    """A reading of digits and look-alikes taken as the figure it likely is: a candidate
    the gate lets stand only on a rule, since its own reading says otherwise."""
    return reading.figure if reading.figure is not None else reading


def _dash_reading(mark: str = "—") -> Reading:
    """A dash (or slash) found by its shape."""
    return Reading((Char(mark, 0.9, None, 0.0, 0.5),))


# What recognition makes of an upright stroke (a 1 and its look-alikes): a dash read again as
# one of these is judged by its ink's shape.
UPRIGHT = frozenset({"1", *(k for k, v in LOOKALIKES.items() if v == "1")})
# What recognition makes of a slash read again: digits of one stroke.
STROKES = UPRIGHT | {"7"}
# What recognition reads a rule as, beside a line's text: an upright stroke, a bracket's
# side, never the dotted 'i' (`UPRIGHT` but for it, with '[' and ']').
_RULE_READ = frozenset("1[]|lI!丨")


def _second_readings(
    found,
    page: np.ndarray,
    marks: np.ndarray,
    faint: np.ndarray,
    ocr,
    s: OcrSettings,
    crop_boxes: list[Box] | None = None,
) -> list[str | None]:
    """Each figure (and dash) read again from its crop at another resolution (of the boxes
    `crop_boxes`, where given: one per found line); a dash found by its shape is read here
    for the first time by recognition."""
    import cv2

    todo = [
        i
        for i, (_, r) in enumerate(found)
        if _figure_like(r.text, s) or r.text in DASHES | SLASHES or r.text.strip() in NONE_WORDS
    ]
    crops = []
    for i in todo:
        b = crop_boxes[i] if crop_boxes is not None else found[i][0]
        crop = page[b[1] : b[3], b[0] : b[2]]
        crops.append(cv2.resize(crop, None, fx=s.second_scale, fy=s.second_scale,
                                interpolation=cv2.INTER_CUBIC))  # fmt: skip
    out: list[str | None] = [None] * len(found)
    for i, r in zip(todo, ocr.recognise(crops) if crops else [], strict=True):
        # Read again as letters shaped like digits ('o' for 0): the digits they are shaped
        # like, as the first reading's digits are as probable as all their shapes.
        text = _as_figure(r).text.strip()
        if found[i][1].text in DASHES and not any(ch.isalnum() for ch in text):
            # A lone short stroke that recognition reads as no letter or digit (a dash, or
            # noise like '?' for one too small to read): the shape stands.
            text = "—"
        elif (
            found[i][1].text in DASHES
            and text in UPRIGHT
            and flat(marks, found[i][0], s.dash_ratio)
        ):
            # Read again as an upright stroke ('1'), but its ink is a flat one: a dash.
            text = "—"
        elif found[i][1].text in SLASHES and (
            text in SLASHES
            or not any(ch.isalnum() for ch in text)
            or (text in STROKES and slanted(faint, found[i][0], s.slash_alone))
        ):
            # A slash (its stroke slants: it stood only so) read again as a slash, as no
            # letter or digit ('，'), or as a digit of one stroke ('1', '7') though all its
            # ink, faint included, slants as only a slash's does (a 7's bar, a 1's flag and
            # foot do not).
            text = found[i][1].text
        elif (
            found[i][1].text.strip() in STROKES
            and text in STROKES
            and slanted(faint, found[i][0], s.slash_alone)
        ):
            # Read twice as a digit of one stroke, but all its ink slants as only a slash's
            # does: a slash (it says "none"), or a 1, the image cannot tell which.
            text = "/"
        out[i] = "—" if text in DASHES else text
    return out


def _figure_box(text: str, box: Box, marks: np.ndarray, join: int, s: OcrSettings) -> Box | None:
    """The box a figure's marks lie in whole (`whole_box`); other text's own box."""
    if _PLAIN_FIGURE.match(text) is None:
        return box
    grow = max(s.tight_box_floor * join, round(s.tight_box_grow * (box[3] - box[1])))
    return whole_box(marks, box, grow)


def _marks_unread(
    text: str,
    box: Box,
    whole: Box | None,
    marks: np.ndarray,
    faint: np.ndarray,
    join: int,
    s: OcrSettings,
) -> bool:
    """Whether a figure's line holds more glyphs than were read, a minus left of it, ink
    running on past the box that holds it (`whole` None) or digits wider than those read.
    A minus recognition dropped makes a negative figure positive: it is looked for on its
    own, in the faint ink (counting glyphs misses it where the threshold broke the digit
    beside it, or digits 1 pixel apart count as one) and in the threshold's (the blur can
    make a short minus's faint ink as tall as it is wide). Where detection drew the box
    through every mark, they are counted in the box that holds them whole (`whole`, from
    `_figure_box`), and the digits' ink must fit the digits read; a mark that runs on beyond it
    (`whole` None), or a sign in a digit's room left of it, is a mark unread."""
    if _PLAIN_FIGURE.match(text) is None:
        return False
    if whole is None:
        return True
    # `whole_box` gives back `box` itself (the same object) where it did not grow it.
    grown = whole is not box
    digits = sum(ch.isdigit() for ch in text)
    # A dropped minus stands left of the digits, within a box's height of them.
    height = box[3] - box[1]
    room = (max(0, whole[0] - round(s.sign_room * height)), *whole[1:]) if grown else box
    return (
        glyph_count(marks, whole, join) > len(text)
        or (grown and digit_span(marks, whole) > s.digit_fit * digits)
        or (
            text[0] not in "+-"
            and any(sign_beside(m, b, whole) for m in (faint, marks) for b in {box, whole, room})
        )
    )


def _speck_free(second: str | None, first: str, extra: bool) -> str | None:
    """The second reading without a dot it found beside the digits ('54.' where '54' was
    read) when the ink holds no mark beyond the digits read (`extra`): a speck, not part of
    the figure. A dot between digits stays: it would change the value."""
    if second is not None and not extra and second.strip(END_SPECKS) == first:
        return first
    return second


def _alternatives(reading: Reading) -> tuple[str, ...]:
    """Readings with one digit replaced by a runner-up digit ('8' where '3' was read), and
    a lone digit's runner-up dash ('—' where '0' was read: rules cannot tell them apart)."""
    text = reading.text
    lone = len(text.strip()) == 1
    out = []
    for i, c in enumerate(reading.chars):
        if not (c.runner_up and c.text.isdigit()):
            continue
        if c.runner_up.isdigit() or (lone and c.runner_up in DASHES):
            out.append(text[:i] + c.runner_up + text[i + 1 :])
    return tuple(dict.fromkeys(x.strip() for x in out))


def _paper(ink: np.ndarray, box, reading: Reading, least: float) -> list[tuple[float, float]]:
    """Runs of paper in a line's box (pixels, page-relative) that its glyphs leave open, as
    a text layer's do. First and last: before its first mark and after its last (the
    detector's padding; either may be empty), so two lines detection parted stay apart.
    Between them, at least `least` of the text's size wide and with no character read on
    it: before a row label's number ('（三）' | '3.危及…', '不予公' | '4.保护…': a group
    label and the row label beside it, crowded on one line of a table without rules), and
    paper standing alone between words set tight (`_lone_gap`: '总计' | '结果'). Paper as
    wide between other characters is a spaced header's letters, or punctuation's own.
    Empty when the box holds no ink."""
    x0, y0, x1, y1 = (int(v) for v in box)
    chars = [c for c in reading.chars if c.text.strip()]
    places = [x0 + c.position * (x1 - x0) for c in chars]
    size = _text_size(reading, x1 - x0, y1 - y0)
    cols = ink[y0:y1, x0:x1].any(axis=0)
    xs = np.nonzero(cols)[0] + x0
    if not len(xs):
        return []
    # The paper detection's padding adds before the first mark and after the last.
    out = [(float(x0), float(xs[0]))]
    # Beside punctuation the paper is the mark's own em box: no measure of the line's
    # spacing ('、' is mostly paper).
    widths = sorted(
        (b - a - 1 for a, b in itertools.pairwise(xs) if not _by_punctuation(places, chars, a, b)),
        reverse=True,
    )
    for a, b in itertools.pairwise(xs):
        if b - a - 1 < least * size:
            continue
        # Recognition places characters only roughly: one may sit on the paper's edge.
        if _read_on(places, chars, a, b, 0.15 * size):
            continue
        i = bisect.bisect_left(places, (a + b) / 2)
        if not 0 < i < len(chars):
            continue  # not between two characters
        after = chars[i + 1].text if i + 1 < len(chars) else ""
        # A row label's number ('3.' after '（三）' or '不予公') opens a cell, and paper
        # standing alone: paper as wide parts the letters of a spaced header alike,
        # punctuation's em box is mostly paper, and a sign's belongs to its figure.
        before = chars[i - 1].text
        if (
            chars[i].text.isdigit()
            and after in _POINTS
            and (_IDEOGRAPH.match(before) or before in ")）")
        ) or _lone_gap(chars, i, b - a - 1, widths):
            out.append((float(a + 1), float(b)))
    out.append((float(xs[-1] + 1), float(x1)))
    return out


def _by_punctuation(places: list[float], chars, a: int, b: int) -> bool:
    """Whether paper from `a` to `b` lies next to a punctuation mark read on the line."""
    i = bisect.bisect_left(places, (a + b) / 2)
    return any(not chars[k].text.isalnum() for k in (i - 1, i) if 0 <= k < len(chars))


def _lone_gap(chars, i: int, width: int, widths: list[int]) -> bool:
    """Whether paper `width` wide before `chars[i]` parts two cells of words set tight:
    two ideographs or more either side, and the paper at least twice as wide as any
    other in the line but punctuation's ('总计' | '结果': two cells' headers on one detected
    line; '其他处' | '不补正、…': a group label and a row label). A spaced header's letters
    stand apart alike, so none of their gaps stands alone."""
    if i < 2 or i + 2 > len(chars):
        return False
    if not all(_IDEOGRAPH.match(c.text) for c in chars[i - 2 : i + 2]):
        return False
    return width == widths[0] and (len(widths) < 2 or width >= 2 * max(widths[1], 1))


def _glyphs(reading: Reading, box: Box, paper: tuple[tuple[float, float], ...] = ()) -> list[Glyph]:
    """One glyph per character, where recognition placed it, each touching its neighbours
    (a recognised line is one run of text: only a space it reads opens a gap), except
    across the runs of `paper` (points, as `_paper` finds them) between them, which stay
    open, and within the line's ink."""
    x0, top, x1, bottom = box
    mid = (top + bottom) / 2
    # Detection boxes are grown around the text; the text itself is about this tall, or as
    # wide as its ideographs where the box is taller (cells set at different heights).
    size = _text_size(reading, x1 - x0, bottom - top)
    centres = [x0 + c.position * (x1 - x0) for c in reading.chars]
    half = size * 0.5
    # The first and last runs are the paper before the first mark and after the last;
    # each other lies between the characters either side of its middle.
    after = {bisect.bisect_left(centres, (a + b) / 2): (a, b) for a, b in paper[1:-1]}
    if paper:
        after[0] = paper[0]
        after[len(centres)] = paper[-1]
    out = []
    for i, c in enumerate(reading.chars):
        left = (centres[i - 1] + centres[i]) / 2 if i > 0 else max(x0, centres[i] - half)
        right = (
            (centres[i] + centres[i + 1]) / 2
            if i + 1 < len(centres)
            else min(x1, centres[i] + half)
        )
        # Never past the character's own place: a first character too faint to count as
        # ink must not move behind the second.
        if i in after:
            left = min(max(left, after[i][1]), centres[i])
            if i == 0 and c.text in _FULL_OPENING:
                # An opening bracket's ink sits at the right of its em box: the box, not
                # the ink, is where its line starts ('（二）部分…' over '情形）').
                left = max(x0, left - half)
        if i + 1 in after:
            right = max(min(right, after[i + 1][0]), centres[i])
        right = max(right, left + 0.1)
        out.append(Glyph(c.text, left, mid - size / 2, right, mid + size / 2, size, "ocr"))
    return out


def ocr_notes(pages: list[RecognisedPage]) -> list[str]:
    """What a reader of the report should know about its OCR'd pages."""
    if not pages:
        return []
    listed = ", ".join(str(p.number) for p in pages)
    dpis = sorted({round(p.dpi) for p in pages})
    skews = max(abs(p.skew) for p in pages)
    return [
        f"page(s) {listed} are scanned images, read by OCR at {'/'.join(map(str, dpis))} dpi "
        f"(skew up to {skews:.1f} degrees corrected); figures read by OCR are kept only where "
        "a consistency rule or a second reading confirms them"
    ]
