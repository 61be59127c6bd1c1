"""Table cells on OCR'd pages marked as read by OCR: confidence and every other reading.

What the OCR gate of the reading stage (`parsers.reading.ocr_gate`) knows of a cell is
written here onto its `Where`: `kind = 'ocr'`, the least confidence of its words, and the
other readings of the image (the second reading, runner-up digits, what was read before a
look-alike became a digit, marks nothing read).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from parsers.document import Block, Cell, Table
from parsers.model import ROW_CLEAR, UNDER_SEAL, UNREAD_MARKS, Where
from parsers.readers.pdf.ocr.engine import LOOKALIKES
from parsers.readers.pdf.ocr.image import Box, Circle, marks_in
from parsers.readers.pdf.ocr.marks import ink_beside
from parsers.readers.pdf.ocr.readings import DASHES, SLASHES, centre_in
from parsers.readers.pdf.ocr.scan import RecognisedPage, Word
from parsers.script import IDEOGRAPH, NONE_WORDS
from parsers.values import read_value

_LEADING_ZERO = re.compile(r"^0\d")
# What a figure, a dash or "none" may be read as: a word holding one is no header's text.
_NOT_TEXT = (
    frozenset("一二三") | NONE_WORDS | frozenset("".join(DASHES | SLASHES)) | set(LOOKALIKES)
)


def mark_ocr(blocks: list[Block], pages: dict[int, RecognisedPage]) -> list[Block]:
    """Table cells on OCR'd pages marked as read by OCR, with confidence and readings."""
    if not pages:
        return blocks
    out = []
    for block in blocks:
        if block.table is None:
            out.append(block)
            continue
        ruled = block.table.ruled
        rows = tuple(tuple(_mark(c, pages, ruled) for c in row) for row in block.table.rows)
        if not ruled:
            rows = tuple(_clear_row(row, pages) for row in rows)
        table = Table(block.table.index, rows, block.table.where, block.table.ruled)
        out.append(Block(block.text, table, block.where))
    return out


def _mark(cell: Cell, pages: dict[int, RecognisedPage], ruled: bool = True) -> Cell:
    """The cell marked as read by OCR: its words' least confidence and every other reading
    of the image. Several words in one cell (two figures a lost rule ran together, read as
    one), a figure with a leading zero, ink in a ruled cell that no word covers (a digit
    detection cut off), or a seal reaching what was read disagree with what was read, so
    only a rule can confirm it."""
    w = cell.where
    if w is None or w.page not in pages or w.bbox is None:
        return cell
    page = pages[w.page]
    words = sorted((x for x in page.words if centre_in(x.bbox, w.bbox)), key=lambda x: x.bbox[0])
    if words:
        confidence = min(x.confidence for x in words)
        seconds = [x.second for x in words]
        readings: tuple[str, ...] = ()
        if all(x is not None for x in seconds):
            readings += ("".join(x for x in seconds if x is not None),)
        if len(words) == 1:
            readings += words[0].alternatives
        if any(x.unread_marks for x in words) or (ruled and _ink_beside(page, w.bbox, words)):
            readings += (UNREAD_MARKS,)
        if len(words) > 1:
            readings += (" ".join(x.text for x in words),)
        if any(_LEADING_ZERO.match(x.text) for x in words):
            readings += ("a leading zero, as no figure prints",)
        readings += tuple(x.read_as for x in words if x.read_as)
    elif not cell.text.strip() and not _has_ink(page, w.bbox):
        # No ink in the cell: the image agrees that it is empty.
        confidence, readings = 1.0, ("",)
    else:
        # Marks that no reading recognised, or text from words that straddle the cell.
        confidence, readings = 0.0, ()
    if any(_overlaps(x.bbox, seal) for x in words for seal in page.seals):
        # What was read there may be the seal's ink (an empty cell's image holds none).
        readings += (UNDER_SEAL,)
    where = Where(
        "ocr",
        table=w.table,
        row=w.row,
        col=w.col,
        page=w.page,
        bbox=w.bbox,
        confidence=round(confidence, 4),
        readings=readings,
    )
    return replace(cell, where=where)


def _clear_row(row: tuple[Cell, ...], pages: dict[int, RecognisedPage]) -> tuple[Cell, ...]:
    """A row of an unruled table that prints nothing in its value cells, its empty cells
    marked `ROW_CLEAR` where the image holds no ink across them, from half the row's height
    above it to half below (a figure centred beside a wrapped label would show there),
    but for the words read there as text only (the header's last line over a row that
    prints nothing) and a seal's disc, and where no figure was read in that band right of
    the row's words. A cell whose band a seal's disc reaches into is not marked: what the
    seal hides may be its figure."""
    texts = [c for c in row if c.text.strip()]
    if any(read_value(c.text).status in ("ok", "dash") for c in texts):
        return row  # it prints a figure or a dash: its empty cells are placed by them
    start = max((c.where.bbox[2] for c in texts if c.where and c.where.bbox), default=None)
    empty = [
        c
        for c in row
        if not c.text.strip()
        and c.where is not None
        and c.where.bbox is not None
        and c.where.page in pages
        and c.where.readings == ("",)
        and (start is None or c.where.bbox[0] >= start)
        and not any(_overlaps(_band(c.where.bbox), s) for s in pages[c.where.page].seals)
    ]
    if not empty or len({c.where.page for c in empty}) > 1:
        return row
    x0s, tops, x1s, bottoms = zip(*(c.where.bbox for c in empty), strict=True)
    area = _band((min(x0s), min(tops), max(x1s), max(bottoms)))
    page = pages[empty[0].where.page]
    if _ink_beyond_text(page, area):
        return row
    # A figure read anywhere right of the row's words (a grid whose columns came out
    # wrong places it outside the empty cells' boxes) is across the row too: its box's
    # middle in the band (the box is a detected line's, grown around the text).
    left = area[0] if start is None else min(start, area[0])
    if any(
        read_value(w.text).status in ("ok", "dash")
        and left <= (w.bbox[0] + w.bbox[2]) / 2
        and area[1] <= (w.bbox[1] + w.bbox[3]) / 2 <= area[3]
        for w in page.words
    ):
        return row
    clear = {id(c) for c in empty}
    return tuple(
        replace(c, where=replace(c.where, readings=("", ROW_CLEAR))) if id(c) in clear else c
        for c in row
    )


def _band(box: Box) -> Box:
    """A row's box with half its height above and below: where a figure centred beside a
    wrapped label shows."""
    pad = (box[3] - box[1]) / 2
    return (box[0], box[1] - pad, box[2], box[3] + pad)


def _overlaps(box: Box, seal: Circle) -> bool:
    """Whether a seal's disc reaches into a box."""
    cx, cy, r = seal
    dx = max(box[0] - cx, 0.0, cx - box[2])
    dy = max(box[1] - cy, 0.0, cy - box[3])
    return dx * dx + dy * dy < r * r


def _ink_beside(page: RecognisedPage, bbox: Box, words: list[Word]) -> bool:
    """Whether a ruled cell holds marks of a glyph's size that none of its words covers, or
    foreign ink across its middle."""
    if page.ink is None:
        return False
    k = 1 / page.scale
    boxes = [tuple(v * k for v in x.bbox) for x in words]
    tall = 0.35 * min(b[3] - b[1] for b in boxes)
    return ink_beside(page.ink, tuple(v * k for v in bbox), boxes, tall, _margin(page))


def _has_ink(page: RecognisedPage, bbox: Box) -> bool:
    if page.ink is None:
        return False
    px = tuple(v / page.scale for v in bbox)
    return marks_in(page.ink, px, margin=_margin(page)) is not None


def _ink_beyond_text(page: RecognisedPage, bbox: Box) -> bool:
    """Whether a box (points) holds ink outside the words read as text (`_text_only`) and
    the seals' discs. A mark recognition dropped from such a word's line is taken for the
    word's too."""
    if page.ink is None:
        return False
    x0, y0, x1, y1 = (max(0, round(v / page.scale)) for v in bbox)
    window = page.ink[y0:y1, x0:x1].copy()
    for w in page.words:
        if not _text_only(w.text):
            continue
        a, b, c, d = (round(v / page.scale) for v in w.bbox)
        window[max(0, b - y0) : max(0, d - y0), max(0, a - x0) : max(0, c - x0)] = 0
    rows, cols = np.ogrid[y0 : y0 + window.shape[0], x0 : x0 + window.shape[1]]
    k = 1 / page.scale
    for cx, cy, r in page.seals:
        window[(cols - cx * k) ** 2 + (rows - cy * k) ** 2 <= (r * k) ** 2] = 0
    box = (0.0, 0.0, float(window.shape[1]), float(window.shape[0]))
    return marks_in(window, box, margin=_margin(page)) is not None


def _text_only(text: str) -> bool:
    """Whether a reading is words only: an ideograph, and no character a figure, a dash or
    "none" may be read as (无, 一, 丨, a digit)."""
    chars = [ch for ch in text if not ch.isspace()]
    return any(IDEOGRAPH.match(ch) for ch in chars) and not any(
        ch.isdigit() or ch in _NOT_TEXT for ch in chars
    )


def _margin(page: RecognisedPage) -> int:
    """Pixels kept clear of a cell's rules when looking for ink in it."""
    return max(4, round(4 * page.dpi / 150))
