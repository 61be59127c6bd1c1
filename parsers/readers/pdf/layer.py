"""The PDF file and its text layer: opening it, and whether its text can be read at all.

Broken files are the document's fault and raise SourceError with a reason a person can act
on: encrypted, malformed (truncated, not a PDF), a garbled text layer ((cid:N) glyphs from
fonts without a Unicode map, or mojibake from a wrong one), or scanned page images when OCR
is turned off. OCR plugs in at `recognise_page` (`readers.pdf.ocr`).
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zlib
from typing import TYPE_CHECKING

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSEOF, PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from parsers.errors import SourceError
from parsers.readers.pdf.lines import Glyph, is_cjk
from parsers.readers.pdf.settings import LayerSettings

if TYPE_CHECKING:
    from parsers.readers.pdf.ocr.scan import RecognisedPage, ScanReader

# What pdfminer and pdfplumber raise on a damaged file, inside their own code: all of it the
# document's fault. (Broken objects surface as plain ValueError, KeyError, IndexError, ...; only
# library calls run under these handlers, never our own code.)
MALFORMED = (
    PdfminerException,
    MalformedPDFException,
    PSException,
    PDFSyntaxError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    OverflowError,
    RecursionError,
    zlib.error,
    struct.error,
)


def open_pdf(data: bytes) -> pdfplumber.PDF:
    """The parsed file; SourceError when it is no PDF, damaged or needs a password."""
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise SourceError("malformed PDF: the file does not start with a %PDF- header")
    try:
        return pdfplumber.open(io.BytesIO(data))
    except (PdfminerException, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise SourceError(reason(exc)) from exc
    except MALFORMED as exc:
        raise SourceError(reason(exc)) from exc


def reason(exc: BaseException, page: int | None = None) -> str:
    """What a pdfminer failure means for the person reading the report."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    where = f" (page {page})" if page is not None else ""
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return "encrypted PDF: a password is needed to open it"
    if isinstance(cause, PSEOF):
        return f"malformed PDF: the file ends unexpectedly (truncated?){where}"
    text = str(cause).strip()
    name = type(cause).__name__
    return f"malformed PDF: {name}: {text}{where}" if text else f"malformed PDF: {name}{where}"


def close_pdf(pdf: pdfplumber.PDF) -> None:
    """Release the file; pdfplumber's close() walks the page tree, which may be the damage."""
    try:
        pdf.close()
    except MALFORMED:
        pdf.stream.close()


def pages_of(pdf: pdfplumber.PDF) -> list:
    """The document's pages; SourceError when the page tree cannot be read."""
    try:
        pages = pdf.pages
    except MALFORMED as exc:
        raise SourceError(reason(exc)) from exc
    if not pages:
        raise SourceError("malformed PDF: no pages")
    return pages


def info_title(pdf: pdfplumber.PDF) -> str | None:
    """The document information Title, decoded (WPS writes UTF-16 that pdfminer misreads)."""
    try:
        infos = pdf.doc.info
    except MALFORMED:
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


class LayerCounts:
    """What the glyphs of a document are: CJK, other readable, (cid:N), unreadable."""

    def __init__(self) -> None:
        self.cjk = 0
        self.readable = 0
        self.cid = 0
        self.garbage = 0
        self.samples: list[str] = []

    def add(self, glyphs: list[Glyph]) -> None:
        """Count a page's glyphs."""
        for g in glyphs:
            t = g.text
            if t.startswith("(cid:"):
                self.cid += 1
            elif t.isspace():
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
    return unicodedata.category(ch) == "Zs"


def recognise_page(
    page: pdfplumber.page.Page, scans: ScanReader | None = None, images: list[dict] = ()
) -> RecognisedPage | None:
    """Where OCR plugs in: the glyphs and ruling lines of a page that is a scanned image.

    `scans` (`readers.pdf.ocr.scan`) renders the page and returns what it recognises in PDF points.
    None means not recognised: OCR is turned off (or no reader was given).
    """
    if scans is None or not scans.settings.enabled:
        return None
    return scans.recognise(page.page_number, float(page.width), float(page.height), list(images))


def check_text_layer(counts: LayerCounts, scanned: list[int], settings: LayerSettings) -> list[str]:
    """Raise when the text layer cannot be read; notes on what was read with doubts."""
    if counts.total == 0:
        if scanned:
            raise SourceError("no text layer: the PDF is scanned images and OCR is turned off")
        raise SourceError("no text layer: the PDF holds no text and no page images")
    cid = counts.cid / counts.total
    bad = (counts.cid + counts.garbage) / counts.total
    if counts.total >= settings.garbled_min_glyphs:
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
    notes = []
    if bad >= settings.note_share:
        notes.append(f"text layer partly unreadable: {bad:.0%} of characters are garbled")
    if scanned:
        listed = ", ".join(str(n) for n in scanned)
        notes.append(f"page(s) {listed} are scanned images without text; OCR is turned off")
    return notes
