"""Format readers: document bytes to the format-neutral `Document` (blocks and grids of cells).

Each reader does only that; nothing here knows the report formats' codes, and nothing here
imports the reading stage (`parsers.reading`).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from parsers.readers.office import legacy_error, sniff_office

if TYPE_CHECKING:
    from parsers.document import Document
    from parsers.settings import ParseSettings

# The readers there are, by the kind `sniff` names. `doc` and `xls` (legacy binary Word,
# WPS and Excel) are named so that the pipeline converts them (to docx, xlsx) first.
KINDS = ("html", "text", "pdf", "docx", "xlsx", "doc", "xls")


def sniff(data: bytes, name: str) -> str:
    """The reader for a document: office files by their bytes, else by its name's extension,
    else by its first bytes."""
    ext = PurePath(name).suffix.lower()
    office = sniff_office(data, ext)
    if office:
        return office
    head = data[:1024].lstrip().lower()
    if ext == ".pdf" or head.startswith(b"%pdf-"):
        return "pdf"
    if ext in (".html", ".htm", ".shtml", ".xhtml"):
        return "html"
    if ext == ".txt":
        return "text"
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<meta", b"<div")):
        return "html"
    return "text"


def read_document(data: bytes, kind: str, settings: ParseSettings) -> Document:
    """Run the reader of this `kind` (as `sniff` named it) over the document's bytes."""
    if kind == "pdf":
        from parsers.readers.pdf.read import read_pdf

        return read_pdf(data, settings.pdf)
    if kind == "html":
        from parsers.readers.html import read_html

        return read_html(data, settings.html)
    if kind == "docx":
        from parsers.readers.docx import read_docx

        return read_docx(data, settings.docx)
    if kind == "xlsx":
        from parsers.readers.xlsx import read_xlsx

        return read_xlsx(data, settings.xlsx)
    if kind in ("doc", "xls"):
        raise legacy_error(kind)
    from parsers.readers.text import read_text

    return read_text(data)
