"""Every threshold of parsing, in one object a caller can change (`parse(..., settings=...)`).

Each step keeps its own settings dataclass (pdfplumber's `TableSettings` pattern); this
object only gathers the readers' and the reading stage's, so one value travels through the
whole parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.readers.docx import DocxSettings
from parsers.readers.html import HtmlSettings
from parsers.readers.pdf.settings import PdfSettings
from parsers.readers.xlsx import XlsxSettings
from parsers.reading.settings import ReadingSettings


@dataclass(frozen=True)
class ParseSettings:
    """The settings of every reader and of the reading stage."""

    html: HtmlSettings = field(default_factory=HtmlSettings)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    docx: DocxSettings = field(default_factory=DocxSettings)
    xlsx: XlsxSettings = field(default_factory=XlsxSettings)
    reading: ReadingSettings = field(default_factory=ReadingSettings)
    # Larger documents are refused before any reader runs.
    max_bytes: int = 64 * 1024 * 1024
