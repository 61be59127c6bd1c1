"""Scanned PDF pages read by OCR into the PDF path: glyphs with positions, and ruling lines.

A page without a usable text layer is rendered (pypdfium2) at its scan's resolution, its red
seal ink lifted, deskewed and binarised (`image`). Ruling lines found in the image become
line objects, so the PDF path builds ruled grids from them exactly as from drawn lines; each
recognised line of text becomes glyphs in PDF points, so unruled tables and prose go the
same way as a text layer's (outside ruled cells the glyphs cover the line's ink and leave
the paper between its cells open, as a text layer's do: `paper_runs`). Readings of a digit on a
mark far shorter than the page's digits are dropped as speckle (`speck_readings`). Every
recognised word keeps its confidence, a second reading (the same crop, binarised and at
another scale) and the runner-up characters; an empty ruled cell says whether it holds ink.
`cells.mark_ocr` then writes that onto the table cells (`Where.kind = 'ocr'`, `confidence`,
`readings`) for the OCR gate of the reading stage (`parsers.reading.ocr_gate`), which knows
them only by those fields.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parsers.readers.pdf.lines import Glyph
from parsers.readers.pdf.ocr.checks import (
    alternatives,
    figure_box,
    marks_unread,
    second_readings,
    speck_free,
    speck_readings,
)
from parsers.readers.pdf.ocr.engine import Reading, engine
from parsers.readers.pdf.ocr.glyphs import paper_runs, place_glyphs, printed
from parsers.readers.pdf.ocr.image import (
    Box,
    Circle,
    binarise,
    dark_marks,
    despeckle,
    find_rules,
    find_seals,
    find_skew,
    lift_red,
    rotate,
)
from parsers.readers.pdf.ocr.marks import runs_on, slanted
from parsers.readers.pdf.ocr.readings import (
    DASHES,
    SLASHES,
    as_figure,
    dash_reading,
    has_digit,
    in_cells,
    meaningful,
    pad_box,
)
from parsers.readers.pdf.ocr.recut import off_rules, split_lines
from parsers.readers.pdf.ocr.unread import unread_cells, unread_figures
from parsers.readers.pdf.ruled import find_cell_boxes
from parsers.readers.pdf.settings import OcrSettings


@dataclass(frozen=True)
class Word:
    """A line of text read on a page: box in PDF points, reading, and its second reading."""

    bbox: Box
    text: str
    confidence: float
    second: str | None = None
    alternatives: tuple[str, ...] = ()
    # Ink the reading leaves out (`marks_unread`): more separate marks than characters
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
        boxes = [pad_box(b, s.pad, grey.shape) for b in _detect(ocr, page, s.det_max_side)]
        cells = [
            tuple(v / scale for v in box)
            for group in find_cell_boxes(rules, s.grid)
            for box in group
        ]
        readings = ocr.recognise([page[b[1] : b[3], b[0] : b[2]] for b in boxes])
        boxes, readings = split_lines(boxes, readings, cells, marks, ocr, page, s)
        boxes, readings = off_rules(boxes, readings, cells, vertical, faint, ocr, page, s)
        readings = [as_figure(r) for r in readings]
        specks = speck_readings(faint, boxes, readings, s.figure_speck)
        found = _kept_readings(boxes, readings, specks, marks, s)
        found += unread_cells(cells, found, marks, faint, ocr, page, s)
        found += unread_figures(found, cells, horizontal + vertical, marks, faint, ocr, page, s)
        join = max(1, round(dpi / 150))
        figure_boxes = [figure_box(r.text.strip(), b, marks, join, s) for b, r in found]
        # A box drawn tight through a figure's marks misleads recognition too (the top of
        # a 7's bar cut off reads as 1): the second reading is of the box that holds them.
        seconds = second_readings(
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
            extra = marks_unread(text, box, whole, marks, faint, join, s)
            # Read as '0.' and taken for 0: with no ink beyond the digits, the point was a
            # speck, and the first reading no other candidate.
            read_as = reading.read_as
            if speck_free(read_as, text, extra) == text:
                read_as = None
            words.append(
                Word(pt, text, reading.confidence, speck_free(second, text, extra),
                     alternatives(reading), extra, read_as)
            )  # fmt: skip
            if in_cells(box, cells):
                glyphs += place_glyphs(reading, pt)
            else:
                shown = printed(reading, box, faint)
                paper = [
                    (a * scale, b * scale) for a, b in paper_runs(marks, box, shown, s.glyph_gap)
                ]
                glyphs += place_glyphs(shown, pt, tuple(paper))
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
        (b, dash_reading() if r.text.strip() in DASHES else r)
        for i, (b, r) in enumerate(zip(boxes, readings, strict=True))
        if meaningful(r.text)
        and (r.confidence >= s.min_confidence or has_digit(r.text))
        and i not in specks
        and not (r.text.strip() in DASHES and runs_on(marks, b, b[3] - b[1]))
    ] + [
        (b, dash_reading("/"))
        for b, r in zip(boxes, readings, strict=True)
        if r.text.strip() in SLASHES and slanted(marks, b, s.slash_slant)
    ]


def _detect(ocr, page: np.ndarray, max_side: int) -> list[Box]:
    """Text line boxes in page pixels, detected on the page scaled down to `max_side`."""
    import cv2

    factor = min(1.0, max_side / max(page.shape[:2]))
    small = page if factor >= 1 else cv2.resize(page, None, fx=factor, fy=factor)
    return [tuple(v / factor for v in b) for b in ocr.detect(small)]


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
