"""Scanned pages in the review site: each OCR'd page as an image with every cell's box on it.

For a report with cells read by OCR, each such page is rendered (pypdfium2) from the
document's bytes, found at its source path or in the raw store beside the warehouse, and
written as a PNG with an HTML page that draws each cell's box over it: its codes, what was
read, the status, the recognition confidence and the note on hover; withheld cells in red.
"""

from __future__ import annotations

import hashlib
from html import escape
from pathlib import Path

import duckdb

from pipeline.store import default_raw_root

DPI = 100
STYLE = (
    "body{font-family:sans-serif;margin:1em} .page{position:relative;display:inline-block}"
    " .box{position:absolute;border:1px solid #2a7;background:rgba(40,170,120,.08)}"
    " .box.missing{border:2px solid #c00;background:rgba(255,0,0,.15)}"
    " .box:target{outline:3px solid #06f}"
)


def document_bytes(con: duckdb.DuckDBPyConnection, doc_id: str) -> bytes | None:
    """The bytes of a document: at its source path, or in the warehouse's raw store."""
    row = con.execute("SELECT source, sha256 FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    if row is None:
        return None
    source, sha = row
    candidates = [Path(source)]
    db = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if db and db[0]:
        candidates.append(default_raw_root(db[0]) / sha[:2] / sha)
    for path in candidates:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == sha:
            return data
    return None


def write_ocr_pages(folder: Path, report_id: str, data: bytes, facts: list[dict]) -> list[str]:
    """One image and one page view per OCR'd page; the links to the page views."""
    import pypdfium2 as pdfium

    by_page: dict[int, list[dict]] = {}
    for f in facts:
        if f.get("src_kind") == "ocr" and f["page"] is not None and f["x0"] is not None:
            by_page.setdefault(int(f["page"]), []).append(f)
    links = []
    pdf = pdfium.PdfDocument(data)
    try:
        for number, cells in sorted(by_page.items()):
            page = pdf[number - 1]
            image = page.render(scale=DPI / 72).to_pil()
            page.close()
            stem = f"scan-{report_id}-p{number}"
            image.save(folder / f"{stem}.png")
            boxes = "".join(_box(f, DPI / 72) for f in cells)
            html = (
                f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{stem}'
                f'</title><style>{STYLE}</style></head><body><p><a href="report-{report_id}.html">'
                f"back to the report</a> · page {number}, as scanned (boxes after deskewing)</p>"
                f'<div class="page"><img src="{stem}.png">{boxes}</div></body></html>'
            )
            (folder / f"{stem}.html").write_text(html, encoding="utf-8")
            links.append(f'<a href="{stem}.html">page {number}</a>')
    finally:
        pdf.close()
    return links


def _box(f: dict, k: float) -> str:
    """A cell's box over the page image (`k` pixels per point)."""
    left, top = f["x0"] * k, f["top"] * k
    width, height = (f["x1"] - f["x0"]) * k, (f["bottom"] - f["top"]) * k
    return (
        f'<a class="box {escape(f["status"])}" id="{_anchor(f)}" style="left:{left:.0f}px;'
        f'top:{top:.0f}px;width:{width:.0f}px;height:{height:.0f}px" '
        f'title="{escape(_tip(f))}"></a>'
    )


def _anchor(f: dict) -> str:
    return f"{f['table_id']}.{f['row_id']}.{f['col_id']}"


def _tip(f: dict) -> str:
    value = "" if f["value"] is None else f"{f['value'].normalize():f}"
    conf = f"{f['confidence']:.2f}" if f.get("confidence") is not None else "?"
    note = f"; {f['note']}" if f["note"] else ""
    return f"{_anchor(f)}: {value or f['status']} (read {f['raw']!r}, confidence {conf}){note}"
