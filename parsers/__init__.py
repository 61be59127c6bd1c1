"""Documents in, structured reports out: pure functions, no network, no database.

    from parsers import parse
    report = parse(open("report.pdf", "rb").read(), "report.pdf")
    report.fact("requests", "new_received", "total")

`parse` sniffs the document once, runs its format reader (`parsers.readers`) and then the
reading stage (`parsers.reading`); a document that is no report comes back `failed` with
the reason, never as an exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parsers.document import Document
    from parsers.model import Report
    from parsers.settings import ParseSettings

# Bumped whenever parsing can change a stored figure; a newer version re-parses reports.
PARSER_VERSION = "0.2.0"

__all__ = ["PARSER_VERSION", "parse", "read"]


def parse(data: bytes, name: str = "", settings: ParseSettings | None = None) -> Report:
    """Parse one document's bytes (`name` is its file name or URL, for its extension)."""
    # Imported here so that `import parsers` (the CLI wants PARSER_VERSION) stays light.
    from parsers.errors import SourceError
    from parsers.model import Report
    from parsers.readers import read_document, sniff
    from parsers.reading.report import build_report
    from parsers.settings import ParseSettings

    settings = settings or ParseSettings()
    kind = sniff(data, name)
    try:
        if len(data) > settings.max_bytes:
            raise SourceError(
                f"document too large: {len(data) / 2**20:.1f} MB "
                f"(limit {settings.max_bytes // 2**20} MB)"
            )
        return build_report(read_document(data, kind, settings), settings.reading)
    except SourceError as exc:
        return Report(status="failed", error=exc.reason, reader=kind)


def read(data: bytes, name: str = "", settings: ParseSettings | None = None) -> Document:
    """Only the format reader's part: the document's text blocks and grids of source cells,
    with their provenance (what a reviewer compares the figures with). Raises SourceError
    when the document cannot be read."""
    from parsers.readers import read_document, sniff
    from parsers.settings import ParseSettings

    return read_document(data, sniff(data, name), settings or ParseSettings())
