"""What a line read on a scanned page is: the marks read for a dash, a slash or "none", a
figure's pattern, and the small measures of boxes and readings the OCR steps share."""

from __future__ import annotations

import itertools
import re

import numpy as np

from parsers.readers.pdf.ocr.engine import LOOKALIKES, SPECKS, Char, Reading
from parsers.readers.pdf.ocr.image import Box, grow_box
from parsers.readers.pdf.settings import OcrSettings
from parsers.script import IDEOGRAPH

# What recognition makes of a lone dash in a cell (一 is the character "one", shaped alike).
DASHES = frozenset({"-", "—", "–", "一", "_", "－", "--", "——", "~"})
# The characters of those readings: a stroke read as two of them ('-一') is a dash too.
_DASH_MARKS = frozenset("".join(DASHES))
# Words a figure cell prints for "none" (read as a dash): they get a second reading too.
# A slash says "none" too; it stands only where its ink is a slanted stroke.
SLASHES = frozenset({"/", "／", "\\"})
# What a reading finds at a figure's ends for a speck: marks never part of a figure, and
# points and commas, which are only between digits.
END_SPECKS = "".join(SPECKS) + ".,，·"
# A figure alone: digits, points and commas, a sign before them.
PLAIN_FIGURE = re.compile(r"^[+\-]?[\d.,]+$")
# What recognition makes of an upright stroke (a 1 and its look-alikes): a dash read again as
# one of these is judged by its ink's shape.
UPRIGHT = frozenset({"1", *(k for k, v in LOOKALIKES.items() if v == "1")})
# What recognition makes of a slash read again: digits of one stroke.
STROKES = UPRIGHT | {"7"}
# What recognition reads a rule as, beside a line's text: an upright stroke, a bracket's
# side, never the dotted 'i' (`UPRIGHT` but for it, with '[' and ']').
RULE_READ = frozenset("1[]|lI!丨")


def pad_box(b: Box, pad: int, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A box in whole pixels (its edges rounded outwards) grown `pad` pixels each way,
    kept on an image of `shape`."""
    whole = (int(b[0]), int(b[1]), int(np.ceil(b[2])), int(np.ceil(b[3])))
    return grow_box(whole, pad, shape)


def centre_in(box: Box, cell: Box) -> bool:
    """Whether a box's centre lies in a cell (edges included)."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]


def in_cells(box: Box, cells: list[Box]) -> bool:
    """Whether a box's centre lies in one of the ruled `cells`: its text is that cell's."""
    return any(centre_in(box, c) for c in cells)


def cell_margin(ink: np.ndarray) -> int:
    """Pixels kept clear of a cell's rules when looking for marks in it (more at finer scans)."""
    return max(4, round(4 * ink.shape[1] / 1240))


def line_height(found) -> float:
    """The median height of the recognised lines' boxes, in pixels."""
    heights = sorted(b[3] - b[1] for b, _ in found) or [20]
    return heights[len(heights) // 2]


def figure_like(text: str, s: OcrSettings) -> bool:
    """A short reading that holds a digit: a cell's figure, not a line of prose."""
    t = text.strip()
    return has_digit(t) and len(t) <= s.figure_max_chars


def meaningful(text: str) -> bool:
    """Text with a letter, digit or ideograph, or a dash; punctuation alone is speckle."""
    t = text.strip()
    return t in DASHES or any(ch.isalnum() for ch in t)


def dash_marks(text: str) -> bool:
    """Whether a reading is a dash, or dashes run together: one flat stroke whose ends
    recognition read apart ('-一')."""
    t = text.strip()
    return bool(t) and set(t) <= _DASH_MARKS


def has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def as_figure(reading: Reading) -> Reading:
    """A reading of digits and look-alikes taken as the figure it likely is: a candidate
    the gate lets stand only on a rule, since its own reading says otherwise."""
    return reading.figure if reading.figure is not None else reading


def dash_reading(mark: str = "—") -> Reading:
    """A dash (or slash) found by its shape."""
    return Reading((Char(mark, 0.9, None, 0.0, 0.5),))


def text_size(reading: Reading, width: float, height: float) -> float:
    """The size of a line's text in a box `width` x `height`: about 0.72 of the box's
    height (detection grows boxes around the text), or the usual distance between its
    neighbouring ideographs where that is less (a box drawn over cells set at different
    heights is taller than its text)."""
    places = [c.position * width for c in reading.chars]
    steps = sorted(
        b - a
        for (a, c), (b, d) in itertools.pairwise(zip(places, reading.chars, strict=True))
        if IDEOGRAPH.match(c.text) and IDEOGRAPH.match(d.text)
    )
    pitch = steps[len(steps) // 2] if len(steps) >= 2 else float("inf")
    return min(height * 0.72, pitch)


def read_on(places: list[float], chars, a: float, b: float, margin: float = 0.0) -> bool:
    """Whether recognition read a character (not a space) inside the paper from `a` to
    `b`, more than `margin` from its edges: a point too small to count as a mark."""
    return any(
        a + margin < p < b - margin for p, c in zip(places, chars, strict=True) if c.text.strip()
    )
