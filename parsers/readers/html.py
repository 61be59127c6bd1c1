"""HTML to a Document: body located inside page chrome, tables expanded into grids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from parsers.document import Block, Cell, Document, Table
from parsers.errors import SourceError
from parsers.model import Where
from parsers.readers.decode import declared_charset, decode


@dataclass(frozen=True)
class HtmlSettings:
    """Limits and vocabularies of the HTML reader."""

    max_colspan: int = 64
    max_rowspan: int = 400
    # Grid cells (rows × columns) one table may span: report tables have hundreds; a
    # table of thousands of spanning cells would otherwise cost gigabytes downstream.
    max_grid_cells: int = 100_000
    # A report has hundreds of paragraphs; a page with this many is something else, and
    # reading it all would only cost time and memory.
    max_blocks: int = 20000
    skip_tags: frozenset[str] = frozenset(
        {
            "script",
            "style",
            "noscript",
            "head",
            "nav",
            "header",
            "footer",
            "aside",
            "select",
            "button",
            "iframe",
            "object",
            "template",
            "svg",
        }
    )
    block_tags: frozenset[str] = frozenset(
        {
            "p",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "li",
            "ul",
            "ol",
            "section",
            "article",
            "blockquote",
            "pre",
            "center",
            "dd",
            "dt",
            "dl",
            "form",
            "tr",
            "td",
            "th",
            "table",
            "tbody",
            "thead",
            "tfoot",
            "caption",
            "main",
            "hr",
            "title",
            "body",
        }
    )
    # class/id words of page chrome, applied to elements that hold no report table
    chrome_pattern: str = (
        r"(^|[\s_-])(nav|navbar|menu|footer|foot|header|top|topbar|breadcrumb|crumbs?|"
        r"position|location|related|relate|share|sidebar|side|links?|copyright|bottom|banner|"
        r"search|login|toolbar)($|[\s_-])"
    )


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)
_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b]+")


def read_html(data: bytes, settings: HtmlSettings | None = None) -> Document:
    """Parse HTML bytes into blocks (paragraphs and tables) in reading order."""
    settings = settings or HtmlSettings()
    decoded = decode(data, declared=declared_charset(data))
    text = decoded.text
    if "<" not in text[:20000]:
        raise SourceError("not an HTML document: no markup found")
    # lxml refuses str input carrying an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        # Plain etree elements: lxml.html's element-class lookup costs a third of the parse.
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise SourceError(f"HTML could not be parsed: {exc}") from exc
    _refuse_cut_tree(_PARSER.error_log)
    if root is None:
        raise SourceError("HTML could not be parsed: no document element")
    title_el = root.find(".//title")
    title = _clean("".join(title_el.itertext())) if title_el is not None else None
    body = root.find("body")
    if body is None:
        body = root
    walker = _Walker(settings)
    walker.walk(body)
    walker.flush()
    return Document(
        kind="html",
        blocks=tuple(walker.blocks),
        title_hint=title or None,
        images_in_body=walker.images,
        notes=(decoded.note,) if decoded.note else (),
    )


def _refuse_cut_tree(errors: etree._ListErrorLog) -> None:
    """libxml2 stops building the tree at elements nested deeper than 256 and returns what
    it had: a page cut short must fail as such, not as "no report". (Its other resource
    limit, a single text or attribute of many megabytes, only drops that value: an inline
    image, typically.)"""
    for error in errors:
        if error.type_name == "ERR_RESOURCE_LIMIT" and "depth" in error.message.lower():
            limit = error.message.split(",")[0].rsplit(":", 1)[-1].strip()
            raise SourceError(
                f"the page cannot be read whole: elements nested deeper than {limit} levels "
                f"at line {error.line} (the HTML parser's limit)"
            )


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Walker:
    """One pass over the tree: inline text gathers into paragraphs, tables become grids."""

    def __init__(self, settings: HtmlSettings) -> None:
        self.s = settings
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.images = 0
        self.n_tables = 0
        self.n_paras = 0
        self._chrome = re.compile(settings.chrome_pattern, re.I)

    def flush(self) -> None:
        text = _clean("".join(self.parts))
        self.parts.clear()
        if text:
            self.n_paras += 1
            if self.n_paras > self.s.max_blocks:
                raise SourceError(
                    f"not a single report: the page has more than {self.s.max_blocks} paragraphs"
                )
            self.blocks.append(Block(text=text, where=Where("html", row=self.n_paras)))

    def walk(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in self.s.skip_tags or self._is_chrome(el):
            return
        if tag == "img":
            self.images += 1
        if tag == "table" and not _has_nested_table(el) and _is_data_table(el):
            self.flush()
            self.blocks.append(
                Block(table=self._grid(el), where=Where("html", table=self.n_tables))
            )
            return
        block = tag in self.s.block_tags
        if block or tag == "br":
            self.flush()
        if el.text and tag:
            self.parts.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.parts.append(child.tail)
        if block:
            self.flush()

    def _is_chrome(self, el: etree._Element) -> bool:
        names = (el.get("class") or "") + " " + (el.get("id") or "")
        if not names.strip() or not self._chrome.search(names):
            return False
        # A chrome-like name on an element that holds the report is a false alarm.
        return el.find(".//table") is None and len("".join(el.itertext())) < 3000

    def _grid(self, table: etree._Element) -> Table:
        """Expand rowspan/colspan: each source cell placed once at its origin.

        Spans are kept as intervals (the rows and columns a cell reaches), never expanded
        cell by cell, and the table's grid area is capped (`max_grid_cells`).
        """
        index = self.n_tables
        self.n_tables += 1
        trs = _rows(table)
        # Cells from rows above still reaching down: (first row below them, from col, to col).
        spans: list[tuple[int, int, int]] = []
        rows: list[tuple[Cell, ...]] = []
        max_rs, max_cs = self.s.max_rowspan, self.s.max_colspan
        width = 0
        for r, tr in enumerate(trs):
            spans = [span for span in spans if span[0] > r]
            busy = sorted((start, end) for _, start, end in spans)
            at = 0  # next busy interval that may hold column c
            c = 0
            out: list[Cell] = []
            for td in tr:
                if td.tag not in _CELL_TAGS:
                    continue
                while at < len(busy) and busy[at][0] <= c:
                    c = max(c, busy[at][1])
                    at += 1
                rs, cs = td.get("rowspan"), td.get("colspan")
                rs = 1 if rs is None else _span(rs, max_rs)
                cs = 1 if cs is None else _span(cs, max_cs)
                if rs > 1:
                    spans.append((min(r + rs, len(trs)), c, c + cs))
                out.append(Cell(_cell_text(td), r, c, rs, cs, _cell_where(index, r, c)))
                c += cs
            width = max(width, c)
            if len(trs) * width > self.s.max_grid_cells:
                raise SourceError(
                    f"table {index + 1} spans a grid of {len(trs)} rows × {width} columns or "
                    f"more, over the {self.s.max_grid_cells} cells a report table can have"
                )
            rows.append(tuple(out))
        return Table(index, tuple(rows), Where("html", table=index))


_CELL_TAGS = frozenset(("td", "th"))


@lru_cache(maxsize=16384)
def _cell_where(table: int, row: int, col: int) -> Where:
    """A cell's place. Where is immutable and every report's tables have much the same
    shape, so one object serves each place (building one costs more than the cell's text)."""
    return Where("html", table, row, col)


def _rows(table: etree._Element) -> list[etree._Element]:
    out = []
    for child in table:
        if child.tag == "tr":
            out.append(child)
        elif child.tag in ("tbody", "thead", "tfoot"):
            out.extend(x for x in child if x.tag == "tr")
    return out


def _has_nested_table(table: etree._Element) -> bool:
    return any(True for _ in table.iterdescendants("table"))


def _is_data_table(table: etree._Element) -> bool:
    """A table with at least two columns somewhere; one-column tables only lay out text."""
    return any(sum(1 for td in tr if td.tag in ("td", "th")) >= 2 for tr in _rows(table))


def _span(value: str, cap: int) -> int:
    try:
        n = int(value.strip())
    except ValueError:
        return 1
    return min(max(n, 1), cap)


# A subtree's text in one call into libxml2 (as itertext() joined, twice as fast); plain str.
_STRING = etree.XPath("string()", smart_strings=False)


def _cell_text(td: etree._Element) -> str:
    """A cell's text; line breaks (<br>, paragraphs) kept as newlines, spaces folded."""
    breaks = td.iter("br", "p", "div")
    first = next(breaks, None)
    if first is None or (first.tag != "br" and next(breaks, None) is None):
        return _clean(_STRING(td))
    parts: list[str] = []

    def collect(el: etree._Element) -> None:
        if el.tag == "br":
            parts.append("\n")
        elif el.tag in ("p", "div") and parts:
            parts.append("\n")
        if el.text and isinstance(el.tag, str) and el.tag not in ("script", "style"):
            parts.append(el.text)
        for ch in el:
            collect(ch)
            if ch.tail:
                parts.append(ch.tail)

    collect(td)
    lines = (_clean(x) for x in "".join(parts).split("\n"))
    return "\n".join(x for x in lines if x)
