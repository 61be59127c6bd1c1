"""Office attachments: which kind a file is (`sniff_office`) and its media type.

Word (.docx) and Excel (.xlsx) are zip packages, read by `readers.docx` and `readers.xlsx`;
legacy Word, WPS and Excel files (.doc, .wps, .xls: OLE2 compound files) are binary formats
the pipeline converts with LibreOffice before parsing (`pipeline.convert`), so reaching a
reader with one is an error that says so (`legacy_error`).
"""

from __future__ import annotations

import io
import zipfile

from parsers.errors import SourceError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Kinds of office file, by extension; the bytes decide between a package and a binary file.
WORD_EXTENSIONS = (".docx", ".doc", ".wps", ".docm", ".dot", ".dotx", ".wpt")
EXCEL_EXTENSIONS = (".xlsx", ".xls", ".xlsm", ".et")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}


def sniff_office(data: bytes, ext: str) -> str | None:
    """'docx', 'xlsx', 'doc' (also .wps and RTF) or 'xls' for an office file, else None."""
    head = data[:8]
    if head == OLE2:
        if ext in EXCEL_EXTENSIONS:
            return "xls"
        return "doc"
    if head[:4] == b"PK\x03\x04":
        names = _names(data)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if ext in WORD_EXTENSIONS:
            return "docx"
        if ext in EXCEL_EXTENSIONS:
            return "xlsx"
    elif head[:5] == b"{\\rtf":
        # Rich Text, often saved with a .doc name: LibreOffice converts it like .doc.
        return "doc"
    # Anything else named .doc (an HTML page Word saved, a PDF) goes by its bytes.
    return None


def _names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def legacy_error(kind: str) -> SourceError:
    """Why a legacy binary office file (`doc`, `xls`) cannot be read as it is."""
    what = "Excel (.xls)" if kind == "xls" else "Word or WPS (.doc/.wps)"
    return SourceError(
        f"legacy {what} file, a binary format: convert it first "
        "(nianbao parse does, with LibreOffice: apt-get install libreoffice-writer-nogui "
        "libreoffice-calc-nogui)"
    )
