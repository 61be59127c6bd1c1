"""Table markup from plain values: every text and attribute value escaped, names fixed.

The big tables of a page (the printed tables, the source grids, the checks) are written
here rather than in template loops, which are several times slower per cell. Safe by
construction: tags and attribute names come from fixed sets, and every text and attribute
value goes through `escape`; the result is handed to the templates as `Markup`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from markupsafe import Markup

TAGS = frozenset({"table", "caption", "tr", "td", "th"})
ATTRIBUTES = frozenset(
    {"class", "title", "colspan", "rowspan", "tabindex", "data-k", "data-i", "data-table",
     "data-check", "data-first"}
)  # fmt: skip


_SPECIAL = re.compile(r"[&<>\"']")


def escape(value: object) -> str:
    """Text safe inside an element or a quoted attribute value (& < > " ' escaped)."""
    text = str(value)
    return html.escape(text, quote=True) if _SPECIAL.search(text) else text


def element(tag: str, text: object = "", attrs: Iterable[tuple[str, object]] = ()) -> str:
    """`<tag attrs>text</tag>`, text and values escaped; empty or None values left out."""
    return open_tag(tag, attrs) + escape(text) + f"</{tag}>"


def open_tag(tag: str, attrs: Iterable[tuple[str, object]] = ()) -> str:
    """`<tag attrs>` with each value escaped; a value of None or "" is left out."""
    if tag not in TAGS:
        raise ValueError(f"tag {tag!r} is not one the review site writes")
    out = [f"<{tag}"]
    for name, value in attrs:
        if value is None or value == "":
            continue
        if name not in ATTRIBUTES:
            raise ValueError(f"attribute {name!r} is not one the review site writes")
        out.append(f' {name}="{escape(value)}"')
    out.append(">")
    return "".join(out)


def _span(n: int) -> int | None:
    return n if n > 1 else None


def printed_table(table: dict) -> Markup:
    """A printed table (`page.ReportPage.tables`) as a table element."""
    out = [open_tag("table", [("class", "official"), ("data-table", table["id"])])]
    for row in table["rows"]:
        out.append("<tr>")
        for c in row:
            attrs = [
                ("class", c["cls"]),
                ("data-k", c["k"]),
                ("tabindex", "-1" if c["k"] else None),
                ("title", c["title"]),
                ("colspan", _span(c["colspan"])),
                ("rowspan", _span(c["rowspan"])),
            ]
            out.append(element(c["tag"], c["text"], attrs))
        out.append("</tr>")
    out.append("</table>")
    return Markup("".join(out))


def source_table(table: dict, line_word: str, caption: str) -> Markup:
    """A source grid as its reader read it: only the cells' text, never the source's markup."""
    out = [open_tag("table", [("class", "src"), ("data-i", table["index"])])]
    out.append(element("caption", caption))
    for row in table["rows"]:
        out.append("<tr>")
        for c in row:
            attrs = [
                ("data-k", c["k"]),
                ("class", c["cls"]),
                ("rowspan", _span(c["rowspan"])),
                ("colspan", _span(c["colspan"])),
                ("title", f"{line_word} {c['line']}" if c["line"] else None),
            ]
            out.append(element("td", c["t"], attrs))
        out.append("</tr>")
    out.append("</table>")
    return Markup("".join(out))


def check_rows(checks: list[dict], status_words: dict[str, str]) -> Markup:
    """The rows of the checks table, failing first, each pointing at its first cell."""
    out = []
    for i, c in enumerate(checks):
        out.append(
            open_tag(
                "tr",
                [("class", f"check {c['status']}"), ("data-check", i), ("data-first", c["first"])],
            )
        )
        out.append(element("td", status_words.get(c["status"], c["status"])))
        out.append(element("td", c["rule"], [("class", "label mono")]))
        out.append(element("td", c["scope"], [("class", "label mono")]))
        out.extend(element("td", c[k]) for k in ("lhs", "rhs", "diff"))
        out.append(element("td", c["message"], [("class", "label")]))
        out.append("</tr>")
    return Markup("".join(out))
