"""The page shell and the small pieces every dashboard page uses.

Safety: every value from the warehouse is escaped (`esc`), file names are made from hashes
or checked identifiers, each page carries a Content-Security-Policy that allows only the
site's own stylesheet and images (no script, no network), and links point inside the site.
"""

from __future__ import annotations

import hashlib
import re
from html import escape

from pipeline.dashboard.charts import PALETTE
from pipeline.dashboard.data import Definition

CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
STYLE = (
    """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:1.2em 2em;color:#222;
max-width:1200px}
nav{margin-bottom:1em;font-size:13px} nav a{margin-right:1.2em}
h1{font-size:22px} h2{font-size:18px;margin-top:1.6em} h3{font-size:15px}
table{border-collapse:collapse;margin:.4em 0 1.2em}
td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px;text-align:right;vertical-align:top}
th{background:#f0f0f0} td.l,th.l{text-align:left}
.gap{color:#a00;text-align:left} .why{display:block;color:#777;font-size:11px;max-width:28em;
text-align:left}
.derived{background:#e3f0ff} .repaired{background:#fff3c4} .high{background:#ffe0cc}
.low{background:#d9ecff} .small{color:#666;font-size:12px}
dl.def dt{font-weight:bold;margin-top:.4em} dl.def dd{margin-left:1.5em}
img.chart{display:block;max-width:100%;border:1px solid #eee;margin:.5em 0}
details{margin:.3em 0} summary{cursor:pointer}
.trend{position:relative;width:640px;max-width:100%;margin:.5em 0;border:1px solid #eee}
.trend img{display:block;width:100%;margin:0;border:0}
.trend img+img{position:absolute;left:0;top:0}
.sw{display:inline-block;width:1.6em;height:.35em;margin:0 .4em .15em 0;vertical-align:middle}
"""
    + "".join(f".c{i}{{background:{c}}}" for i, c in enumerate(PALETTE))
    + "\n"
)
_SAFE_ID = re.compile(r"^[a-z0-9_]{1,64}$")


def esc(value: object) -> str:
    """Text for HTML: escaped, None as empty."""
    return "" if value is None else escape(str(value), quote=True)


def file_id(text: str) -> str:
    """A file name part for an identifier: itself if plain, else a hash (never a path)."""
    if _SAFE_ID.match(text):
        return text
    return "h" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def agency_file(key: str) -> str:
    """The agency page's file name (in agencies/)."""
    return "a-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16] + ".html"


def number(value: float | None, unit: str) -> str:
    """A value as people read it: 12.3% for a share, 1,234 for a count, 24,252.31 万元."""
    if value is None:
        return ""
    if unit == "share":
        return f"{value * 100:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def plain(value: float | None) -> str:
    """A count or amount without unit; '' for None."""
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0")


def definition_block(d: Definition, link: str | None = None) -> str:
    """The indicator's definition, as the indicator_definitions table states it."""
    title = f'<a href="{esc(link)}">{esc(d.id)}</a>' if link else esc(d.id)
    parts = [
        ("name", f"{esc(d.name_zh)} · {esc(d.name_en)}"),
        ("formula", esc(d.formula)),
        ("as printed", esc(d.formula_printed)),
        ("unit", esc(d.unit) + (" (numerator / denominator, 0–1)" if d.share else "")),
        ("formats", esc(", ".join(d.formats))),
        ("blank, dash, missing, derived", esc(d.treatment)),
    ]
    for label, text in (("notes", d.notes), ("other formats", d.format_note),
                        ("references", d.references)):  # fmt: skip
        if text:
            parts.append((label, esc(text)))
    items = "".join(f"<dt>{label}</dt><dd>{text}</dd>" for label, text in parts)
    return f'<dl class="def"><dt>indicator</dt><dd>{title}</dd>{items}</dl>'


def chart(src: str, alt: str) -> str:
    """An SVG chart of the site (relative path)."""
    return f'<img class="chart" src="{esc(src)}" alt="{esc(alt)}">'


def table(head: list[str], rows: list[str], left: int = 1) -> str:
    """A table: header labels (escaped here) and ready rows; the first `left` columns
    align left."""
    cells = "".join(
        f'<th class="l">{esc(h)}</th>' if i < left else f"<th>{esc(h)}</th>"
        for i, h in enumerate(head)
    )
    return f"<table><tr>{cells}</tr>{''.join(rows)}</table>"


def page(title: str, body: str, depth: int = 0) -> str:
    """A whole page: CSP, stylesheet, navigation and body (`depth`: folders below the root)."""
    up = "../" * depth
    nav = (
        f'<nav><a href="{up}index.html">coverage</a><a href="{up}indicators/index.html">'
        f'indicators</a><a href="{up}agencies/index.html">agencies</a>'
        f'<a href="{up}outliers.html">outliers</a></nav>'
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        f'<title>{esc(title)}</title><link rel="stylesheet" href="{up}style.css"></head>'
        f"<body>{nav}{body}</body></html>"
    )
