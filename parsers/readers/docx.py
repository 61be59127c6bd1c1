"""Word (.docx) to a Document: paragraphs and tables in body order, merges kept as spans.

python-docx opens the package; the body is then walked as WordprocessingML (lxml), since
merged cells are markup: `w:gridSpan` widens a cell, `w:vMerge` continues the cell above it
(kept once, at its origin, with a rowspan), `w:gridBefore` skips grid columns at a row's
start. Tracked changes are read as accepted (insertions kept, deletions and moved-away text
dropped) and comments are not read; either is said in a note. A table holding another table
only lays out the page: its cells' contents are read as body. Legacy Word (.doc) and WPS
(.wps) files are binary, not this format: the pipeline converts them to .docx first.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from parsers.document import Block, Cell, Document, Table
from parsers.errors import SourceError
from parsers.model import Where

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC, _SDT = (f"{{{W}}}{x}" for x in ("p", "tbl", "tr", "tc", "sdt"))
_T, _TAB, _BR, _CR = (f"{{{W}}}{x}" for x in ("t", "tab", "br", "cr"))
# Text under these is not in the document as it reads now (or is a duplicate rendering).
_DROPPED = frozenset({f"{{{W}}}del", f"{{{W}}}moveFrom", f"{{{MC}}}Fallback", f"{{{W}}}instrText"})
_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b]+")
# The signature of an OLE2 compound file: legacy .doc, .wps and .xls.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class DocxSettings:
    """Limits of the Word reader."""

    max_span: int = 64
    # A report has hundreds of paragraphs; far more is something else.
    max_blocks: int = 20000

    def __post_init__(self) -> None:
        if self.max_span < 1 or self.max_blocks < 1:
            raise ValueError("DocxSettings limits must be positive")


def read_docx(data: bytes, settings: DocxSettings | None = None) -> Document:
    """Read a .docx report into text blocks and table grids in reading order."""
    settings = settings or DocxSettings()
    if data[:8] == OLE2:
        raise SourceError(
            "legacy Word or WPS file (.doc/.wps, binary): convert it to .docx first "
            "(nianbao parse converts it with LibreOffice)"
        )
    try:
        import docx  # python-docx

        package = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise SourceError(f"malformed Word file: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and kin
        if type(exc).__module__.startswith("docx"):
            raise SourceError(f"malformed Word file: {exc}") from exc
        raise
    body = package.element.body
    walker = _Walker(settings)
    walker.walk(body)
    title = (package.core_properties.title or "").strip() or None
    return Document(
        kind="docx",
        blocks=tuple(walker.blocks),
        title_hint=title,
        images_in_body=walker.images,
        notes=tuple(walker.notes()),
    )


@dataclass
class _Walker:
    """One pass over the body: paragraphs become text blocks, data tables become grids."""

    settings: DocxSettings
    blocks: list[Block] = field(default_factory=list)
    images: int = 0
    insertions: int = 0
    deletions: int = 0
    comments: int = 0
    n_tables: int = 0
    n_paras: int = 0

    def walk(self, parent: etree._Element) -> None:
        for el in parent:
            if el.tag == _P:
                self.paragraph(el)
            elif el.tag == _TBL:
                self.table(el)
            elif el.tag == _SDT:
                content = el.find(f"{{{W}}}sdtContent")
                if content is not None:
                    self.walk(content)

    def paragraph(self, p: etree._Element) -> None:
        self.count(p)
        text = _clean(_text(p))
        if not text:
            return
        self.n_paras += 1
        if self.n_paras > self.settings.max_blocks:
            raise SourceError(
                f"not a single report: the document has more than "
                f"{self.settings.max_blocks} paragraphs"
            )
        self.blocks.append(Block(text=text, where=Where("docx", row=self.n_paras)))

    def table(self, tbl: etree._Element) -> None:
        rows = [tr for tr in _children(tbl, _TR)]
        if any(tc.find(f".//{_TBL}") is not None for tr in rows for tc in _children(tr, _TC)):
            # A layout table: read what its cells hold as body, in order.
            for tr in rows:
                for tc in _children(tr, _TC):
                    self.walk(tc)
            return
        grid = self.grid(rows)
        if max((len(r) for r in grid.rows), default=0) < 2 and grid.width < 2:
            # One column only lays out text.
            for r in grid.rows:
                for c in r:
                    if c.text:
                        self.n_paras += 1
                        self.blocks.append(
                            Block(text=_clean(c.text), where=Where("docx", row=self.n_paras))
                        )
            return
        self.blocks.append(Block(table=grid, where=grid.where))

    def grid(self, rows: list[etree._Element]) -> Table:
        """Cells placed on the grid; a vertically merged cell once, at its origin."""
        index = self.n_tables
        self.n_tables += 1
        cap = self.settings.max_span
        origins: list[list[dict]] = []
        # The origin cell whose vertical merge is open in each grid column.
        open_at: dict[int, dict] = {}
        for r, tr in enumerate(rows):
            self.count(tr)
            c = _int(_prop(tr, "trPr", "gridBefore"), 0, cap)
            out: list[dict] = []
            for tc in _children(tr, _TC):
                span = _int(_prop(tc, "tcPr", "gridSpan"), 1, cap)
                vmerge = tc.find(f"{{{W}}}tcPr/{{{W}}}vMerge")
                merge = None if vmerge is None else (vmerge.get(f"{{{W}}}val") or "continue")
                above = open_at.get(c)
                if merge == "continue" and above is not None and above["colspan"] == span:
                    above["rowspan"] = r - above["row"] + 1
                else:
                    cell = {"text": _cell_text(tc), "row": r, "col": c, "colspan": span}
                    cell["rowspan"] = 1
                    out.append(cell)
                    for k in range(c, c + span):
                        open_at.pop(k, None)
                    if merge == "restart":
                        open_at[c] = cell
                c += span
            # A column no cell of this row continued closes its merge.
            continued = {x["col"] for x in open_at.values() if x["row"] + x["rowspan"] > r}
            open_at = {k: v for k, v in open_at.items() if k in continued or v["row"] == r}
            origins.append(out)
        cells = tuple(
            tuple(
                Cell(
                    x["text"],
                    x["row"],
                    x["col"],
                    x["rowspan"],
                    x["colspan"],
                    Where("docx", table=index, row=x["row"], col=x["col"]),
                )
                for x in row
            )
            for row in origins
        )
        return Table(index, cells, Where("docx", table=index))

    def count(self, el: etree._Element) -> None:
        """Tracked changes, comments and pictures met (each said once, in a note)."""
        for x in el.iter(f"{{{W}}}ins", f"{{{W}}}del", f"{{{W}}}commentReference"):
            if x.tag.endswith("}ins"):
                self.insertions += 1
            elif x.tag.endswith("}del"):
                self.deletions += 1
            else:
                self.comments += 1
        if el.tag == _P:
            self.images += sum(1 for _ in el.iter(f"{{{W}}}drawing", f"{{{W}}}pict"))

    def notes(self) -> list[str]:
        out = []
        if self.insertions or self.deletions:
            out.append(
                f"tracked changes read as accepted: {self.insertions} insertion(s) kept, "
                f"{self.deletions} deletion(s) dropped"
            )
        if self.comments:
            out.append(f"{self.comments} comment(s) not read")
        return out


def _children(el: etree._Element, tag: str) -> list[etree._Element]:
    """Direct children with this tag, also inside content controls (w:sdt)."""
    out = []
    for x in el:
        if x.tag == tag:
            out.append(x)
        elif x.tag == _SDT:
            content = x.find(f"{{{W}}}sdtContent")
            if content is not None:
                out += _children(content, tag)
    return out


def _prop(el: etree._Element, group: str, name: str) -> str | None:
    found = el.find(f"{{{W}}}{group}/{{{W}}}{name}")
    return None if found is None else found.get(f"{{{W}}}val")


def _int(value: str | None, default: int, cap: int) -> int:
    try:
        n = int(value) if value is not None else default
    except ValueError:
        return default
    return min(max(n, 0 if default == 0 else 1), cap)


def _text(el: etree._Element) -> str:
    """The text of a paragraph as it reads now: runs, tabs and breaks, no deleted text."""
    parts: list[str] = []
    for x in el.iter(_T, _TAB, _BR, _CR):
        if _dropped(x, el):
            continue
        if x.tag == _T:
            parts.append(x.text or "")
        elif x.tag == _TAB:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _dropped(x: etree._Element, stop: etree._Element) -> bool:
    for anc in x.iterancestors():
        if anc is stop:
            return False
        if anc.tag in _DROPPED:
            return True
    return False


def _cell_text(tc: etree._Element) -> str:
    """A cell's text: its paragraphs (and line breaks) as lines, spaces folded."""
    lines: list[str] = []
    for p in tc.iter(_P):
        lines += (_clean(x) for x in _text(p).split("\n"))
    return "\n".join(x for x in lines if x)


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()
