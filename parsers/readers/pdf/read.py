"""PDF to a Document: text blocks in reading order and tables as grids, with page and bbox.

Per page: glyphs (fake-bold duplicates removed) → ruled grids (a full-width row holding a
section heading or prose is page layout: it goes back to the text) and the text lines
outside them → page furniture (headers, footers, page numbers) dropped. Across pages:
tables without ruling rebuilt from where their text sits (and marked unruled), tables cut
by a page break stitched back together, wrapped lines joined into paragraphs. A PDF that
cannot be read (encrypted, malformed, garbled text layer, scanned images) raises SourceError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pdfplumber

from parsers.document import Block, Cell, Document, Table
from parsers.errors import SourceError
from parsers.model import Where
from parsers.readers.pdf.layer import (
    MALFORMED,
    LayerCounts,
    check_text_layer,
    close_pdf,
    info_title,
    open_pdf,
    pages_of,
    reason,
    recognise_page,
)
from parsers.readers.pdf.layout import split_layout
from parsers.readers.pdf.lines import (
    Glyph,
    Line,
    body_margins,
    dedupe,
    find_furniture,
    group_lines,
    join_lines,
    make_line,
    paragraph_continues,
)
from parsers.readers.pdf.ruled import PageGrid, build_grid, find_cell_boxes, inside, visible_rules
from parsers.readers.pdf.settings import (
    PdfSettings,
)
from parsers.readers.pdf.stitch import stitch, table_continues
from parsers.readers.pdf.unruled.grid import build_text_grid
from parsers.readers.pdf.unruled.regions import (
    continuation,
    empty_row,
    find_regions,
    is_table,
    room_below,
)
from parsers.readers.pdf.unruled.words import TextLine, split_line

if TYPE_CHECKING:
    # OCR (OpenCV, ONNX Runtime) is imported only when a scanned page is met: a text PDF's
    # worker stays small and starts fast.
    from parsers.readers.pdf.ocr.scan import RecognisedPage, ScanReader


@dataclass
class _Page:
    """What one page yields: grids, text lines, and what its text layer is made of."""

    number: int
    height: float
    grids: list[PageGrid]
    lines: list[Line]
    glyph_lines: list[list[Glyph]]
    glyphs: int
    images: int
    scanned: bool
    ocr: RecognisedPage | None = None


def read_pdf(data: bytes, settings: PdfSettings | None = None) -> Document:
    """Read a PDF report into text blocks and table grids in reading order.

    A garbled text layer is set aside and every page read by OCR instead (when enabled).
    """
    settings = settings or PdfSettings()
    try:
        return _read(data, settings, force_ocr=False)
    except SourceError as exc:
        if not (exc.reason.startswith("garbled text layer") and settings.ocr.enabled):
            raise
        doc = _read(data, settings, force_ocr=True)
        return replace(doc, notes=(f"{exc.reason}: every page read by OCR instead", *doc.notes))


def _read(data: bytes, settings: PdfSettings, force_ocr: bool) -> Document:
    pdf = open_pdf(data)
    opened: list[ScanReader] = []

    def scans() -> ScanReader:
        if not opened:
            from parsers.readers.pdf.ocr.scan import ScanReader

            opened.append(ScanReader(data, settings.ocr))
        return opened[0]

    try:
        title_hint = info_title(pdf)
        pages = []
        counts = LayerCounts()
        for page in pages_of(pdf):
            pages.append(_read_page(page, counts, settings, scans, force_ocr))
            page.close()
    finally:
        close_pdf(pdf)
        for reader in opened:
            reader.close()
    notes = check_text_layer(counts, [p.number for p in pages if p.scanned], settings.layer)
    recognised = {p.number: p.ocr for p in pages if p.ocr}
    blocks = _blocks(_order(pages, settings), settings, frozenset(recognised))
    if recognised:
        from parsers.readers.pdf.ocr.cells import mark_ocr
        from parsers.readers.pdf.ocr.scan import ocr_notes

        notes += ocr_notes(list(recognised.values()))
        blocks = mark_ocr(blocks, recognised)
    return Document(
        kind="pdf",
        blocks=tuple(blocks),
        title_hint=title_hint,
        images_in_body=sum(p.images for p in pages),
        notes=tuple(notes),
    )


def _read_page(
    page: pdfplumber.page.Page,
    counts: LayerCounts,
    settings: PdfSettings,
    scans: Callable[[], ScanReader],
    force_ocr: bool = False,
) -> _Page:
    number = page.page_number
    try:
        objects = page.objects
        raw_chars = objects.get("char", [])
        shapes = objects.get("line", []) + objects.get("rect", []) + objects.get("curve", [])
        images = objects.get("image", [])
        height, width = float(page.height), float(page.width)
    except MALFORMED as exc:
        raise SourceError(reason(exc, number)) from exc
    glyphs = [
        Glyph(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], c["size"], c["fontname"])
        for c in raw_chars
    ]
    glyphs = dedupe(glyphs, settings.text.dedupe_tolerance)
    area = max(width * height, 1.0)
    big = [i for i in images if _area(i) >= settings.layer.image_min_area * area]
    scanned, ocr = False, None
    if force_ocr or (
        len(glyphs) <= settings.layer.scan_max_glyphs
        and any(_area(i) >= settings.layer.scan_area * area for i in images)
    ):
        ocr = recognise_page(page, scans(), images)
        scanned = ocr is None
        if ocr is not None:
            glyphs, shapes = ocr.glyphs, shapes + ocr.rules
    counts.add(glyphs)

    grids: list[PageGrid] = []
    rest = glyphs
    for boxes in find_cell_boxes(visible_rules(shapes, settings.grid), settings.grid):
        bbox = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        held = [g for g in rest if inside(g, bbox)]
        grid = build_grid(boxes, held, number, settings.text, settings.grid)
        if grid is not None:
            pieces, freed = split_layout(grid, settings.layout)
            grids += pieces
            rest = [g for g in rest if not inside(g, bbox) or any(inside(g, b) for b in freed)]
    lines, glyph_lines = [], []
    for group in _attach_spacers(group_lines(rest)):
        line = make_line(group, number, settings.text)
        if line is None and len(group) >= 2:
            # Spacer glyphs only: a table row of empty cells, never text.
            line = Line(number, group[0].x0, group[0].top, group[-1].x1, group[0].bottom, 0, "")
        if line is not None:
            lines.append(line)
            glyph_lines.append(group)
    return _Page(number, height, grids, lines, glyph_lines, len(glyphs), len(big), scanned, ocr)


def _attach_spacers(groups: list[list[Glyph]]) -> list[list[Glyph]]:
    """Spacer glyphs (no-break spaces in empty cells) joined to the line they overlap.

    Their boxes sit lower than the text's in some fonts, so they can fall out of the line
    they are printed on; a line of them alone, overlapping no text line, is a row of empty
    cells and stays on its own.
    """
    out: list[list[Glyph]] = []
    for i, group in enumerate(groups):
        if any(not g.text.isspace() for g in group):
            out.append(group)
            continue
        near = [x for x in (out[-1] if out else None, _next(groups, i)) if x is not None]
        best = max(near, key=lambda x: _overlap(group, x), default=None)
        if best is not None and _overlap(group, best) > 0:
            best += group
            best.sort(key=lambda g: g.x0)
        else:
            out.append(group)
    return out


def _overlap(a: list[Glyph], b: list[Glyph]) -> float:
    """How far two lines overlap vertically (negative: the gap between them)."""
    return min(max(g.bottom for g in a), max(g.bottom for g in b)) - max(
        min(g.top for g in a), min(g.top for g in b)
    )


def _next(groups: list[list[Glyph]], i: int) -> list[Glyph] | None:
    """The group after the i-th, if any."""
    return groups[i + 1] if i + 1 < len(groups) else None


def _area(obj: dict) -> float:
    return max(0.0, float(obj["x1"]) - float(obj["x0"])) * max(
        0.0, float(obj["bottom"]) - float(obj["top"])
    )


def _order(pages: list[_Page], settings: PdfSettings) -> list[Line | PageGrid]:
    """Lines and grids in reading order, page furniture dropped, continued tables stitched."""
    furniture = find_furniture(
        [[x for x in p.lines if x.text] for p in pages], [p.height for p in pages], settings.text
    )
    placed = _text_grids(pages, furniture, settings)
    items: list[Line | PageGrid] = []
    for page in pages:
        on_page: list[tuple[float, Line | PageGrid]] = [(g.bbox[1], g) for g in page.grids]
        on_page += [(g.bbox[1], g) for g in placed.grids.get(page.number, [])]
        on_page += [
            (line.top, line)
            for line in page.lines
            if line.text
            and (line.page, line.top) not in furniture
            and (line.page, line.top) not in placed.used
        ]
        on_page.sort(key=lambda t: t[0])
        for k, (_, item) in enumerate(on_page):
            prev = items[-1] if items else None
            if (
                k == 0
                and isinstance(item, PageGrid)
                and isinstance(prev, PageGrid)
                and table_continues(prev, item, settings.stitch)
            ):
                items[-1] = stitch(prev, item, settings.stitch)
            else:
                items.append(item)
    return items


@dataclass
class _Placed:
    """Unruled tables by the page they start on, and the lines they took."""

    grids: dict[int, list[PageGrid]] = field(default_factory=dict)
    used: set[tuple[int, float]] = field(default_factory=set)


def _text_grids(
    pages: list[_Page], furniture: set[tuple[int, float]], settings: PdfSettings
) -> _Placed:
    """Tables without ruling, found from text positions; one may run over several pages."""
    s = settings.textgrid
    placed = _Placed()
    chains: list[list[TextLine]] = []
    # Room below each chain's last line, for a header with an empty row under it.
    rooms: list[float | None] = []
    open_chain = False
    for page in pages:
        keep = [
            (line, glyphs)
            for line, glyphs in zip(page.lines, page.glyph_lines, strict=True)
            if (line.page, line.top) not in furniture
        ]
        tlines = [split_line(g, page.number, settings.text, s) for _, g in keep]
        regions = find_regions(tlines, s)
        first_grid = min((g.bbox[1] for g in page.grids), default=float("inf"))
        if open_chain and tlines and tlines[0].top < first_grid:
            n = continuation(tlines, chains[-1][-1].size, s)
            if regions and regions[0][0] == 0:
                n = max(n, regions[0][1])
                regions = regions[1:]
            regions = [r for r in regions if r[0] >= n]
            if n:
                chains[-1] += tlines[:n]
                rooms[-1] = room_below(tlines, n)
        open_chain = False
        for start, end in regions:
            chains.append(tlines[start:end])
            rooms.append(room_below(tlines, end))
        last_grid = max((g.bbox[3] for g in page.grids), default=float("-inf"))
        if chains and chains[-1][-1].page == page.number and tlines:
            open_chain = chains[-1][-1] is tlines[-1] and tlines[-1].bottom > last_grid
    for chain, room in zip(chains, rooms, strict=True):
        blank_row = empty_row(chain, room, s)
        if not is_table(chain, s) and not blank_row:
            continue
        grid = build_text_grid(chain, settings.text, s, blank_row)
        if grid is None:
            continue
        placed.grids.setdefault(grid.page, []).append(grid)
        placed.used.update((x.page, x.top) for x in chain)
    return placed


def _blocks(
    items: list[Line | PageGrid], settings: PdfSettings, scanned: frozenset[int] = frozenset()
) -> list[Block]:
    """Paragraphs and tables in reading order; a paragraph with a line on a `scanned` page
    is marked as read by OCR (whatever is taken from it, a line of figures, is too)."""
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
            kind = "ocr" if any(x.page in scanned for x in para) else "pdf"
            blocks.append(Block(text=text, where=Where(kind, page=para[0].page, bbox=bbox)))
            para.clear()

    for item in items:
        if isinstance(item, PageGrid):
            close()
            table = _table(item, n_tables)
            blocks.append(Block(table=table, where=table.where))
            n_tables += 1
        elif para and paragraph_continues(para[-1], item, margins, settings.text):
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
    return Table(index, tuple(tuple(r) for r in rows), where, ruled=grid.ruled)


def _round(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(bbox[0], 2), round(bbox[1], 2), round(bbox[2], 2), round(bbox[3], 2))
