"""HTML rendition: a government site page with the report as its article."""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

from synth.chrome import Chrome
from synth.encoding import EncodingPlan, declaration
from synth.grid import Heading, ImageBlock, Para, Report, Table, TableBlock, TCell
from synth.script import Converter

# How value and label cells wrap their text: Shanghai's <p align>, bare text, <span>, styled <p>.
CELL_MARKUPS = ("p_align", "plain", "span", "p_style")
BLANKS = ("&nbsp;", "", " ", "　", "<br>")
BREAKS = ("<br />", "<br>", "<br/>")
TABLE_ATTRS = (
    'align="center" border="1" cellspacing="1"',
    'class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
    'style="border-collapse:collapse"',
    'width="100%" border="1" cellspacing="0"',
    'border="1"',
)
ARTICLE_CLASSES = ("article", "TRS_Editor", "zoom", "content", "view TRS_UEDITOR trs_paper_default")
PARA_OPENERS = ("<p>", '<p style="text-indent: 2em;">', '<p class="MsoNormal">')


@dataclass(frozen=True)
class HtmlStyle:
    """A page's markup habits."""

    cell: str = "p_align"
    blank: str = "&nbsp;"
    br: str = "<br />"
    table_attrs: str = TABLE_ATTRS[0]
    article_class: str = "article"
    para: str = "<p>"
    heading: str = "p"  # p, strong, p_strong, h2, h3 or cell
    layout_table: bool = False  # the whole article sits in one cell of a layout table
    div_in_td: bool = False  # each data table sits in a <div> in a layout table's cell
    title_in_h1: bool = False
    site_in_title: bool = False


def draw_html_style(rng: random.Random, quirks: set[str]) -> HtmlStyle:
    """Markup habits of one page; heading and nesting quirks override the plain choices."""
    heading = "p"
    if "heading_strong" in quirks:
        heading = rng.choice(("strong", "p_strong"))
    elif "heading_h" in quirks:
        heading = rng.choice(("h2", "h3"))
    elif "heading_in_cell" in quirks:
        heading = "cell"
    return HtmlStyle(
        cell=rng.choice(CELL_MARKUPS),
        blank=rng.choice(BLANKS),
        br=rng.choice(BREAKS),
        table_attrs=rng.choice(TABLE_ATTRS),
        article_class=rng.choice(ARTICLE_CLASSES),
        para=rng.choice(PARA_OPENERS),
        heading=heading,
        layout_table="layout_table" in quirks,
        div_in_td="table_in_div_in_td" in quirks,
        title_in_h1=rng.random() < 0.5,
        site_in_title=rng.random() < 0.5,
    )


class HtmlWriter:
    """Writes one report as HTML in one script and style."""

    def __init__(self, conv: Converter, style: HtmlStyle) -> None:
        self.conv = conv
        self.style = style

    def text(self, text: str) -> str:
        """Text node: converted, escaped, line breaks as <br>."""
        escaped = html.escape(self.conv(text), quote=False)
        return escaped.replace("\n", self.style.br)

    def para(self, text: str) -> str:
        """A paragraph."""
        return f"{self.style.para}{self.text(text)}</p>"

    def heading(self, h: Heading) -> str:
        """A section heading in the page's heading markup."""
        t = self.text(h.text)
        how = self.style.heading
        if how == "strong":
            return f"<strong>{t}</strong><br />"
        if how == "p_strong":
            return f"<p><strong>{t}</strong></p>"
        if how in ("h2", "h3"):
            return f"<{how}>{t}</{how}>"
        if how == "cell":
            return f'<table width="100%"><tr><td><strong>{t}</strong></td></tr></table>'
        return f"<p>{t}</p>"

    def cell(self, c: TCell) -> str:
        """One <td> in the page's cell markup."""
        attrs = ' nowrap="nowrap"' if self.style.cell == "p_align" else ""
        if c.rowspan > 1:
            attrs += f' rowspan="{c.rowspan}"'
        if c.colspan > 1:
            attrs += f' colspan="{c.colspan}"'
        body = self.text(c.text) if c.text else self.style.blank
        centred = c.kind != "label"
        how = self.style.cell
        if how == "p_align":
            align = ' align="center"' if centred else ""
            body = f"<p{align}>{body}</p>"
        elif how == "span":
            body = f'<span style="font-size: 12pt">{body}</span>'
        elif how == "p_style":
            align = "center" if centred else "left"
            body = f'<p style="text-align: {align}; margin: 0">{body}</p>'
        return f"<td{attrs}>{body}</td>"

    def table(self, t: Table) -> str:
        """A data table, wrapped in a layout table's cell if the page does that."""
        rows = "\n".join("<tr>" + "".join(self.cell(c) for c in r.cells) + "</tr>" for r in t.rows)
        out = f"<table {self.style.table_attrs}><tbody>\n{rows}\n</tbody></table>"
        if self.style.div_in_td:
            out = f'<table width="100%"><tr><td><div class="tb">{out}</div></td></tr></table>'
        return out

    def image(self, b: ImageBlock) -> str:
        """A table printed as a picture."""
        return f'<p style="text-align:center"><img src="{b.src}" alt="{self.text(b.alt)}" /></p>'

    def article(self, report: Report) -> str:
        """The report itself: title, date line, intro and sections."""
        title = self.text(report.title)
        parts = [
            f'<h1 class="title">{title}</h1>'
            if self.style.title_in_h1
            else f'<p style="text-align: center;font-weight: bold;">{title}</p>'
        ]
        if report.date_line:
            parts.append(f'<p style="text-align: center">{self.text(report.date_line)}</p>')
        parts += [self.para(p.text) for p in report.intro]
        for section in report.sections:
            for block in section.blocks:
                if isinstance(block, Heading):
                    parts.append(self.heading(block))
                elif isinstance(block, TableBlock):
                    parts.append(self.table(block.table))
                elif isinstance(block, ImageBlock):
                    parts.append(self.image(block))
                elif isinstance(block, Para):
                    parts.append(self.para(block.text))
        for para in report.closing:
            parts.append(f'<p style="text-align: right">{self.text(para.text)}</p>')
        body = "\n".join(parts)
        if self.style.layout_table:
            body = f'<table width="100%" border="0"><tr><td>\n{body}\n</td></tr></table>'
        return f'<div class="{self.style.article_class}">\n{body}\n</div>'


def page(
    articles: list[str], title: str, chrome: Chrome, plan: EncodingPlan, writer: HtmlWriter
) -> str:
    """A whole page around one or more articles."""
    head_title = writer.text(title)
    if writer.style.site_in_title:
        head_title += " - " + writer.text(chrome.site)
    meta = declaration(plan)
    body = "\n".join(articles)
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        + (meta + "\n" if meta else "")
        + f"<title>{head_title}</title>\n</head>\n<body>\n"
        + f"{chrome.header}\n{chrome.crumbs}\n{body}\n{chrome.related}\n{chrome.footer}\n"
        + "</body>\n</html>\n"
    )
