"""A recognised line as glyphs: one per character where recognition placed it, the paper
between a line's cells left open (`paper_runs`), as a text layer's glyphs do, and none for
punctuation where the page shows no ink (`printed`)."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import replace

import numpy as np

from parsers.readers.pdf.lines import Glyph
from parsers.readers.pdf.ocr.engine import Reading
from parsers.readers.pdf.ocr.image import Box
from parsers.readers.pdf.ocr.readings import read_on, text_size
from parsers.script import IDEOGRAPH, numeral

# Full-width opening brackets: their ink sits at the right of an em box.
_FULL_OPENING = frozenset("（「『《〔【")
_POINTS = frozenset(".．、")
# Points no figure is printed with, that recognition may read on bare paper between two words
# detected as one line ('予公开…5.属于…'). Not '、': its ink sits at one side of its box,
# recognition may place it half a character off, and a row label's number needs it.
_WORDS_ONLY = frozenset("…⋯·・")


def printed(reading: Reading, box, faint: np.ndarray) -> Reading:
    """A recognised line without the points (`_WORDS_ONLY`) read where the page shows no
    ink, faint marks included, within half the text's size either side of the place
    recognition gives them: an ellipsis read on the paper between a group label and a row
    label detection ran together, which would keep them one word. A point too small to
    count as a mark (`paper_runs`) still shows as faint ink; no figure's mark is ever
    dropped."""
    x0, y0, x1, y1 = (int(v) for v in box)
    size = text_size(reading, x1 - x0, y1 - y0)
    ink = faint[y0:y1, x0:x1].any(axis=0)
    reach = max(1, round(size / 2))
    kept = []
    for c in reading.chars:
        p = round(c.position * (x1 - x0))
        if c.text in _WORDS_ONLY and not ink[max(0, p - reach) : p + reach + 1].any():
            continue
        kept.append(c)
    return reading if len(kept) == len(reading.chars) else replace(reading, chars=tuple(kept))


def paper_runs(ink: np.ndarray, box, reading: Reading, least: float) -> list[tuple[float, float]]:
    """Runs of paper in a line's box (pixels, page-relative) that its glyphs leave open, as
    a text layer's do. First and last: before its first mark and after its last (the
    detector's padding; either may be empty), so two lines detection parted stay apart.
    Between them, at least `least` of the text's size wide and with no character read on
    it: before a row label's number ('（三）' | '3.危及…', '不予公' | '4.保护…', '办理结' |
    '二、部分…': a group label and the row label beside it, crowded on one line of a table
    without rules), and paper standing alone between words set tight (`_lone_gap`: '总计' |
    '结果'). Paper as wide between other characters is a spaced header's letters, or
    punctuation's own. Empty when the box holds no ink."""
    x0, y0, x1, y1 = (int(v) for v in box)
    chars = [c for c in reading.chars if c.text.strip()]
    places = [x0 + c.position * (x1 - x0) for c in chars]
    size = text_size(reading, x1 - x0, y1 - y0)
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
        if read_on(places, chars, a, b, 0.15 * size):
            continue
        i = bisect.bisect_left(places, (a + b) / 2)
        if not 0 < i < len(chars):
            continue  # not between two characters
        after = chars[i + 1].text if i + 1 < len(chars) else ""
        # A row label's number ('3.' after '（三）' or '不予公', '二、' after '办理结') opens
        # a cell, and paper standing alone: paper as wide parts the letters of a spaced
        # header alike, punctuation's em box is mostly paper, and a sign's belongs to its
        # figure.
        before = chars[i - 1].text
        if (
            (chars[i].text.isdigit() or numeral(chars[i].text) is not None)
            and after in _POINTS
            and (IDEOGRAPH.match(before) or before in ")）")
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
    if not all(IDEOGRAPH.match(c.text) for c in chars[i - 2 : i + 2]):
        return False
    return width == widths[0] and (len(widths) < 2 or width >= 2 * max(widths[1], 1))


def place_glyphs(
    reading: Reading, box: Box, paper: tuple[tuple[float, float], ...] = ()
) -> list[Glyph]:
    """One glyph per character, where recognition placed it, each touching its neighbours
    (a recognised line is one run of text: only a space it reads opens a gap), except
    across the runs of `paper` (points, as `paper_runs` finds them) between them, which stay
    open, and within the line's ink."""
    x0, top, x1, bottom = box
    mid = (top + bottom) / 2
    # Detection boxes are grown around the text; the text itself is about this tall, or as
    # wide as its ideographs where the box is taller (cells set at different heights).
    size = text_size(reading, x1 - x0, bottom - top)
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
