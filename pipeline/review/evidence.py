"""Source evidence for one report: the grids its reader read, and PDF pages as images.

What the review site shows beside the extracted figures comes from the reader itself: the
document is read again with `parsers.read`, so every source cell carries
the same position (`Where`) as the facts loaded from it. Only its text goes to the site,
never the source's markup. For a PDF, each page holding a table is rendered once (pypdfium2),
cropped to the region around its tables, and referenced by a relative path.

`gather_evidence` runs in a worker process with a time and memory budget (see `site`); what
it read is kept in the site folder (`.evidence/`), so writing the site again re-reads only
documents it has not read before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from parsers import PARSER_VERSION, read
from parsers.document import Document
from parsers.errors import SourceError
from parsers.readers import sniff
from parsers.settings import ParseSettings
from pipeline.convert import TARGETS, ConversionError, ConvertSettings, convert_legacy
from pipeline.review.source import find_source


@dataclass(frozen=True)
class EvidenceSettings:
    """How page images are made and how much of a source is read."""

    dpi: int = 150
    # Points of page kept around the tables of a page image.
    margin_pt: float = 24.0
    max_bytes: int = ParseSettings().max_bytes

    def __post_init__(self) -> None:
        if not 36 <= self.dpi <= 600:
            raise ValueError(f"dpi must be between 36 and 600, not {self.dpi}")
        if self.margin_pt < 0:
            raise ValueError("margin_pt cannot be negative")


@dataclass(frozen=True)
class EvidenceTask:
    """One report's document: where its bytes may be, and where page images go."""

    report_id: str
    sha256: str
    name: str
    places: tuple[str, ...]
    image_dir: str
    # Paragraph positions facts point at outside any grid ("p:<n>" HTML, "l:<n>" text).
    paragraphs: tuple[str, ...] = ()
    settings: EvidenceSettings = field(default_factory=EvidenceSettings)
    # Where what was read is kept between runs (None: nowhere); see `cache_name`.
    cache_dir: str | None = None

    @property
    def cache_name(self) -> str:
        """The file of this document's evidence: same bytes, reader, settings and request."""
        key = json.dumps(
            [self.sha256, PARSER_VERSION, self.name.rsplit(".", 1)[-1].lower(),
             sorted(self.paragraphs), self.settings.dpi, self.settings.margin_pt]
        )  # fmt: skip
        return f"{self.sha256[:16]}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def gather_evidence(task: EvidenceTask) -> dict:
    """The report's source evidence as plain data (JSON-ready); `available` false with why.

    The bytes are found and checked against the sha256 every time (a moved or changed file
    is unavailable); reading them again and rendering pages is skipped when an earlier run
    kept what it read for the same bytes, reader version and settings.
    """
    found = find_source(task.places, task.sha256, task.settings.max_bytes)
    if found.data is None:
        reasons = "; ".join(found.reasons) or "no stored copy and no local path"
        return {"available": False, "reason": f"original document not found: {reasons}"}
    cached = _cached(task)
    if cached is not None:
        return {**cached, "place": found.place}
    try:
        data, name = _readable(found.data, task.name)
        doc = read(data, name)
    except ConversionError as exc:
        return {"available": False, "reason": exc.reason}
    except SourceError as exc:
        return {"available": False, "reason": f"the reader refused the document: {exc.reason}"}
    out = {
        "available": True,
        "kind": doc.kind,
        "place": found.place,
        "tables": _tables(doc),
        "paragraphs": _paragraphs(doc, set(task.paragraphs)),
    }
    if doc.kind == "pdf":
        out["pages"] = render_pages(found.data, out["tables"], task)
    _keep(task, out)
    return out


def _readable(data: bytes, name: str) -> tuple[bytes, str]:
    """Legacy Word, WPS and Excel bytes converted by LibreOffice, as `nianbao parse` does."""
    kind = sniff(data, name)
    if kind not in TARGETS:
        return data, name
    return convert_legacy(data, kind, name, ConvertSettings()), f"{name}.{TARGETS[kind][0]}"


def _cached(task: EvidenceTask) -> dict | None:
    if task.cache_dir is None:
        return None
    try:
        data = json.loads((Path(task.cache_dir) / task.cache_name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    images = Path(task.image_dir)
    if not all((images / Path(p["src"]).name).exists() for p in data.get("pages", [])):
        return None
    return data


def _keep(task: EvidenceTask, evidence: dict) -> None:
    if task.cache_dir is None:
        return
    target = Path(task.cache_dir) / task.cache_name
    tmp = target.with_suffix(".part")
    tmp.write_text(json.dumps(evidence, ensure_ascii=False), encoding="utf-8")
    tmp.replace(target)


def _tables(doc: Document) -> list[dict]:
    out = []
    for block in doc.blocks:
        t = block.table
        if t is None:
            continue
        cells = []
        for row in t.rows:
            for c in row:
                cell = {"r": c.row, "c": c.col, "t": c.text}
                if c.rowspan > 1:
                    cell["rs"] = c.rowspan
                if c.colspan > 1:
                    cell["cs"] = c.colspan
                w = c.where
                if w is not None and w.line is not None:
                    cell["ln"] = w.line
                if w is not None and w.page is not None and w.bbox is not None:
                    cell["pg"] = w.page
                    cell["b"] = list(w.bbox)
                if w is not None and w.kind == "ocr":  # read by OCR from a scanned page
                    cell["cf"] = w.confidence
                cells.append(cell)
        out.append({"i": t.index, "rows": len(t.rows), "cols": t.width, "cells": cells})
    return out


def _paragraphs(doc: Document, wanted: set[str]) -> dict[str, str]:
    out = {}
    for block in doc.blocks:
        w = block.where
        if block.table is not None or w is None:
            continue
        for key in (f"p:{w.row}", f"l:{w.line}"):
            if key in wanted:
                out[key] = block.text
    return out


def render_pages(data: bytes, tables: list[dict], task: EvidenceTask) -> list[dict]:
    """Render each page holding table cells once, cropped around them; the images' records."""
    import pypdfium2

    boxes: dict[int, list[list[float]]] = {}
    for t in tables:
        for c in t["cells"]:
            if "pg" in c:
                boxes.setdefault(c["pg"], []).append(c["b"])
    s = task.settings
    pdf = pypdfium2.PdfDocument(data)
    out = []
    try:
        for number in sorted(boxes):
            if not 1 <= number <= len(pdf):
                continue
            page = pdf[number - 1]
            try:
                out.append(_render(page, number, boxes[number], task, s))
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def _render(page, number: int, boxes: list[list[float]], task: EvidenceTask, s) -> dict:
    width, height = page.get_size()
    # Cell boxes are measured from the top left of the media box; pdfium renders the crop box.
    ml, _mb, _mr, mt = page.get_mediabox()
    cl, _cb, _cr, ct = page.get_cropbox()
    dx, dy = cl - ml, mt - ct
    x0 = max(0.0, min(b[0] for b in boxes) - dx - s.margin_pt)
    top = max(0.0, min(b[1] for b in boxes) - dy - s.margin_pt)
    x1 = min(width, max(b[2] for b in boxes) - dx + s.margin_pt)
    bottom = min(height, max(b[3] for b in boxes) - dy + s.margin_pt)
    crop = [round(x0 + dx, 2), round(top + dy, 2), round(x1 + dx, 2), round(bottom + dy, 2)]
    tag = hashlib.sha256(f"{s.dpi}:{crop}:{page.get_rotation()}".encode()).hexdigest()[:8]
    name = f"{task.sha256[:16]}-p{number}-{tag}.png"
    target = Path(task.image_dir) / name
    if target.exists():  # written once: the same page, region and resolution
        from PIL import Image

        with Image.open(target) as img:
            size = img.size
    else:
        bitmap = page.render(
            scale=s.dpi / 72, crop=(x0, height - bottom, width - x1, top), grayscale=True
        )
        img = bitmap.to_pil().convert("L")
        tmp = target.with_suffix(".part")
        img.save(tmp, "PNG", compress_level=3)  # a third faster than the default, 10% larger
        tmp.replace(target)
        size = img.size
    return {
        "n": number,
        "src": f"img/{name}",
        "crop": crop,
        "px": list(size),
        "rotated": bool(page.get_rotation()),
    }
