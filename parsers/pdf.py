"""PDF to a Document (placeholder until the PDF reader lands)."""

from __future__ import annotations

from parsers.document import Document
from parsers.errors import SourceError


def read_pdf(data: bytes) -> Document:
    """Read a PDF report into blocks and grids."""
    raise SourceError("PDF reports are not supported yet")
