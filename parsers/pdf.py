"""PDF to a Document: text blocks in reading order and tables as grids, with page and bbox.

Per page: glyphs (fake-bold duplicates removed) → ruled grids and the text lines outside
them → page furniture (headers, footers, page numbers) dropped. Across pages: tables cut by
a page break stitched back together, wrapped lines joined into paragraphs. A PDF that cannot
be read (encrypted, malformed, garbled text layer, scanned images) raises SourceError.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException

from parsers.document import Block, Cell, Document, Table
from parsers.errors import SourceError
from parsers.model import Where
from parsers.pdf_grid import GridSettings, PageGrid, build_grid, find_cell_boxes, inside
from parsers.pdf_grid import visible_rules as find_rules
from parsers.pdf_stitch import StitchSettings, continues, stitch
from parsers.pdf_text import (
    Glyph,
    Line,
    TextSettings,
    body_margins,
    dedupe,
    find_furniture,
    is_cjk,
    join_lines,
    make_lines,
)
from parsers.pdf_text import continues as line_continues

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfSettings:
    """Every threshold of the PDF reader, by stage."""

    text: TextSettings = field(default_factory=TextSettings)
    grid: GridSettings = field(default_factory=GridSettings)
    stitch: StitchSettings = field(default_factory=StitchSettings)
    # A text layer with at least this share of unreadable glyphs is garbled.
    garbled_share: float = 0.3
    # ... measured only over at least this many glyphs.
    garbled_min_glyphs: int = 40
    # A page with fewer glyphs than this and an image covering `scan_area` of it is a scan.
    scan_max_glyphs: int = 10
    scan_area: float = 0.3
    # An image smaller than this share of the page (a logo, a seal) is not counted.
    image_min_area: float = 0.02

    def __post_init__(self) -> None:
        for name in ("garbled_share", "scan_area", "image_min_area"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"PdfSettings.{name} must be between 0 and 1")
        if self.garbled_min_glyphs < 1 or self.scan_max_glyphs < 0:
            raise ValueError("PdfSettings glyph counts must be positive")


DEFAULT = PdfSettings()

# What pdfminer raises on a damaged file, all of it the document's fault.
_MALFORMED = (PdfminerException, PSException, PDFSyntaxError, ValueError, KeyError, TypeError)


@dataclass
class _Page:
    """What one page yields: grids, text lines, and what its text layer is made of."""

    number: int
    height: float
    grids: list[PageGrid]
    lines: list[Line]
    glyphs: int
    images: int
    scanned: bool


def read_pdf(data: bytes, settings: PdfSettings = DEFAULT) -> Document:
    """Read a PDF report into text blocks and table grids in reading order."""
    pdf = _open(data)
    try:
        title_hint = _info_title(pdf)
        pages = []
        counts = _LayerCounts()
        for page in _pages(pdf):
            pages.append(_read_page(page, counts, settings))
            page.close()
    finally:
        pdf.close()
    notes = _check_text_layer(pages, counts, settings)
    items = _order(pages, settings)
    blocks = _blocks(items, settings)
    return Document(
        kind="pdf",
        blocks=tuple(blocks),
        title_hint=title_hint,
        images_in_body=sum(p.images for p in pages),
        notes=tuple(notes),
    )


def _open(data: bytes) -> pdfplumber.PDF:
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise SourceError("malformed PDF: the file does not start with a %PDF- header")
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise SourceError(_reason(exc)) from exc
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise SourceError(f"encrypted PDF: {_describe(exc)}") from exc
    except _MALFORMED as exc:
        raise SourceError(f"malformed PDF: {_describe(exc)}") from exc


def _reason(exc: PdfminerException) -> str:
    cause = exc.args[0] if exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return "encrypted PDF: a password is needed to open it"
    return f"malformed PDF: {_describe(cause)}"


def _describe(exc: object) -> str:
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def _pages(pdf: pdfplumber.PDF):
    try:
        pages = pdf.pages
    except PdfminerException as exc:
        raise SourceError(_reason(exc)) from exc
    except _MALFORMED as exc:
        raise SourceError(f"malformed PDF: {_describe(exc)}") from exc
    if not pages:
        raise SourceError("malformed PDF: no pages")
    return pages


def _info_title(pdf: pdfplumber.PDF) -> str | None:
    """The document information Title, decoded (WPS writes UTF-16 that pdfminer misreads)."""
    try:
        infos = pdf.doc.info
    except _MALFORMED:
        return None
    for info in infos:
        raw = info.get("Title") if isinstance(info, dict) else None
        if isinstance(raw, bytes):
            if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
                text = raw.decode("utf-16", errors="replace")
            else:
                text = raw.decode("utf-8", errors="replace")
            text = text.strip("\x00 \ufeff")
            if text and "\ufffd" not in text:
                return text
    return None


class _LayerCounts:
    """What the glyphs of a document are: CJK, other readable, (cid:N), unreadable."""

    def __init__(self) -> None:
        self.cjk = 0
        self.readable = 0
        self.cid = 0
        self.garbage = 0
        self.samples: list[str] = []

    def add(self, glyphs: list[Glyph]) -> None:
        for g in glyphs:
            t = g.text
            if t.startswith("(cid:"):
                self.cid += 1
            elif len(t) == 1 and t.isspace():
                continue
            elif all(_readable(ch) for ch in t):
                if any(is_cjk(ch) for ch in t):
                    self.cjk += 1
                else:
                    self.readable += 1
            else:
                self.garbage += 1
                if len(self.samples) < 8:
                    self.samples.append(t)

    @property
    def total(self) -> int:
        return self.cjk + self.readable + self.cid + self.garbage


def _readable(ch: str) -> bool:
    """CJK text, ASCII, and the punctuation and symbols Chinese documents print."""
    o = ord(ch)
    if 0x20 <= o < 0x7F or is_cjk(ch):
        return True
    if 0x2000 <= o <= 0x27BF or 0x3040 <= o <= 0x30FF or ch in "·×÷°±§¥\u00a0":
        return True
    return unicodedata.category(ch) in ("Zs",)


def _read_page(page, counts: _LayerCounts, settings: PdfSettings) -> _Page:
    number = page.page_number
    try:
        objects = page.objects
        raw_chars = objects.get("char", [])
        shapes = objects.get("line", []) + objects.get("rect", []) + objects.get("curve", [])
        images = objects.get("image", [])
        height, width = float(page.height), float(page.width)
    except PdfminerException as exc:
        raise SourceError(f"{_reason(exc)} (page {number})") from exc
    except _MALFORMED as exc:
        raise SourceError(f"malformed PDF: page {number}: {_describe(exc)}") from exc
    glyphs = [
        Glyph(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], c["size"], c["fontname"])
        for c in raw_chars
    ]
    glyphs = dedupe(glyphs, settings.text.dedupe_tolerance)
    area = max(width * height, 1.0)
    big = [i for i in images if _area(i) >= settings.image_min_area * area]
    scanned = False
    if len(glyphs) <= settings.scan_max_glyphs and any(
        _area(i) >= settings.scan_area * area for i in images
    ):
        ocr = recognise_page(page)
        scanned = ocr is None
        glyphs = ocr or glyphs
    counts.add(glyphs)

    grids: list[PageGrid] = []
    rest = glyphs
    for boxes in find_cell_boxes(find_rules(shapes, settings.grid), settings.grid):
        bbox = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        held = [g for g in rest if inside(g, bbox)]
        grid = build_grid(boxes, held, number, settings.text, settings.grid)
        if grid is not None:
            grids.append(grid)
            rest = [g for g in rest if not inside(g, bbox)]
    lines = make_lines(rest, number, settings.text)
    return _Page(number, height, grids, lines, len(glyphs), len(big), scanned)


def _area(obj: dict) -> float:
    return max(0.0, float(obj["x1"]) - float(obj["x0"])) * max(
        0.0, float(obj["bottom"]) - float(obj["top"])
    )


def recognise_page(page) -> list[Glyph] | None:
    """Where OCR plugs in: the glyphs of a page that is a scanned image.

    An OCR engine would render `page` (page.to_image) and return its recognised characters
    as Glyphs in PDF points. None means not recognised: OCR is not supported yet.
    """
    return None


def _check_text_layer(pages: list[_Page], counts: _LayerCounts, settings: PdfSettings) -> list[str]:
    """Raise when the text layer cannot be read; notes on pages that could not be."""
    scanned = [p.number for p in pages if p.scanned]
    if counts.total == 0:
        if scanned:
            raise SourceError("no text layer: the PDF is scanned images; OCR is not supported yet")
        raise SourceError("no text layer: the PDF holds no text and no page images")
    if counts.total >= settings.garbled_min_glyphs:
        cid = counts.cid / counts.total
        bad = (counts.cid + counts.garbage) / counts.total
        if cid >= settings.garbled_share:
            raise SourceError(
                f"garbled text layer: {cid:.0%} of characters are (cid:N) glyphs "
                "(the fonts carry no Unicode mapping)"
            )
        if bad >= settings.garbled_share:
            sample = "".join(counts.samples)
            raise SourceError(
                f"garbled text layer: {bad:.0%} of characters are neither Chinese, Latin "
                f"nor punctuation (e.g. {sample!r}); the fonts map glyphs to wrong characters"
            )
    if scanned:
        listed = ", ".join(str(n) for n in scanned)
        return [f"page(s) {listed} are scanned images without text; OCR is not supported yet"]
    return []


def _order(pages: list[_Page], settings: PdfSettings) -> list[Line | PageGrid]:
    """Lines and grids in reading order, page furniture dropped, continued tables stitched."""
    furniture = find_furniture([p.lines for p in pages], [p.height for p in pages], settings.text)
    items: list[Line | PageGrid] = []
    for page in pages:
        on_page: list[tuple[float, Line | PageGrid]] = [
            (line.top, line) for line in page.lines if (line.page, line.top) not in furniture
        ]
        on_page += [(g.bbox[1], g) for g in page.grids]
        on_page.sort(key=lambda t: t[0])
        for k, (_, item) in enumerate(on_page):
            prev = items[-1] if items else None
            if (
                k == 0
                and isinstance(item, PageGrid)
                and isinstance(prev, PageGrid)
                and continues(prev, item, settings.stitch)
            ):
                items[-1] = stitch(prev, item, settings.stitch)
            else:
                items.append(item)
    return items


def _blocks(items: list[Line | PageGrid], settings: PdfSettings) -> list[Block]:
    margins = body_margins([i for i in items if isinstance(i, Line)])
    blocks: list[Block] = []
    para: list[Line] = []
    n_tables = 0

    def close() -> None:
        if para:
            first = [x for x in para if x.page == para[0].page]
            bbox = (
                min(x.x0 for x in first),
                min(x.top for x in first),
                max(x.x1 for x in first),
                max(x.bottom for x in first),
            )
            text = join_lines([x.text for x in para])
            blocks.append(Block(text=text, where=Where("pdf", page=para[0].page, bbox=bbox)))
            para.clear()

    for item in items:
        if isinstance(item, PageGrid):
            close()
            table = _table(item, n_tables)
            blocks.append(Block(table=table, where=table.where))
            n_tables += 1
        elif para and line_continues(para[-1], item, margins, settings.text):
            para.append(item)
        else:
            close()
            para.append(item)
    close()
    return blocks


def _table(grid: PageGrid, index: int) -> Table:
    rows: list[list[Cell]] = [[] for _ in range(grid.n_rows)]
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        where = Where("pdf", table=index, row=c.row, col=c.col, page=c.page, bbox=_round(c.bbox))
        rows[c.row].append(Cell(c.text, c.row, c.col, c.rowspan, c.colspan, where))
    where = Where("pdf", table=index, page=grid.page, bbox=_round(grid.bbox))
    return Table(index, tuple(tuple(r) for r in rows), where)


def _round(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(bbox[0], 2), round(bbox[1], 2), round(bbox[2], 2), round(bbox[3], 2))
