"""Detected lines read again in other boxes: parted where paper runs between cells
(`split_lines`), and cut short of a ruled cell's rule they took in (`off_rules`)."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np

from parsers.readers.pdf.lines import DIGITS, ENUMERATED, FIGURE_MARKS
from parsers.readers.pdf.ocr.engine import Char, Reading
from parsers.readers.pdf.ocr.image import Box
from parsers.readers.pdf.ocr.readings import (
    RULE_READ,
    as_figure,
    in_cells,
    read_on,
    text_size,
)
from parsers.readers.pdf.settings import OcrSettings
from parsers.script import IDEOGRAPH

# Punctuation whose em box holds paper on one side: a gap beside it parts no cells.
_CLOSING = frozenset("，。、；：,.;:)）」』”’》!！?？．·")
# A figure is never printed left of words on a table's line: digits there number a label.
_ENUMERATOR = re.compile(r"[0-9０-９]")
_OPENING = frozenset("(（「『“‘《")


def split_lines(boxes, readings, cells, ink, ocr, page, s: OcrSettings):
    """Detected lines outside ruled cells parted where paper as wide as `line_gap` of their
    text's size (`text_size`) runs between their marks and neither punctuation explains it
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


def off_rules(
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
        old, new = as_figure(readings[i]).text.strip(), as_figure(r).text.strip()
        left = cut[i][0] > boxes[i][0]
        if (
            new
            and new in (old, old[1:] if left else old[:-1])
            and (new == old or (old[0] if left else old[-1]) in RULE_READ)
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
    size = text_size(reading, x1 - x0, y1 - y0)
    least, least_figure = gap * size, figure_gap * size
    if len(xs) < 2 or xs[-1] - xs[0] < 2 * least_figure or len(reading.chars) < 2:
        return [box]
    cuts = []
    for a, b in itertools.pairwise(xs):
        if b - a - 1 < least_figure or read_on(places, reading.chars, a, b):
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
        if _ENUMERATOR.match(left) and IDEOGRAPH.match(right):
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
        bool(IDEOGRAPH.match(last))
        and (words[:1] not in DIGITS or ENUMERATED.match(words) is not None)
        and text[:1] in DIGITS
        and text[-1:] in DIGITS
        and all(ch in DIGITS or ch in FIGURE_MARKS for ch in text)
    )
