"""Page chrome around a report: header, navigation, breadcrumbs, related links and footer.

Chrome never holds a table, a numbered heading or a pipe, so that nothing in it looks like
report content.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

from synth.prose import Agency
from synth.script import Converter
from synth.wording import Lexicon


@dataclass(frozen=True)
class Chrome:
    """The HTML fragments placed around the article."""

    site: str  # site name, also used in <title>
    header: str
    crumbs: str
    related: str
    footer: str


def _text(conv: Converter, text: str) -> str:
    """Chrome text in the document's script, escaped for HTML."""
    return html.escape(conv(text), quote=False)


def _link(conv: Converter, text: str, href: str) -> str:
    """An <a> element."""
    return f'<a href="{href}">{_text(conv, text)}</a>'


def draw_chrome(
    rng: random.Random, lex: Lexicon, agency: Agency, year: int, conv: Converter
) -> Chrome:
    """Chrome of one page."""
    ch = lex.prose["chrome"]
    city = agency.city.removesuffix("市")
    site = rng.choice(ch["site_patterns"]).format(city=city, agency=agency.name)
    nav_items = [item.format(place=agency.place) for item in ch["nav"]]
    nav = "".join(f"<li>{_link(conv, t, f'/col/col{i}/')}</li>" for i, t in enumerate(nav_items))
    header = (
        f'<div class="header"><div class="logo">{_text(conv, site)}</div>'
        f'<ul class="nav">{nav}</ul></div>'
    )
    trail = rng.choice(ch["breadcrumbs"])
    sep = rng.choice(ch["crumb_separators"])
    links = [_link(conv, t, f"/{'xxgk/' * i}") for i, t in enumerate(trail)]
    crumbs = (
        f'<div class="crumb">{_text(conv, rng.choice(ch["crumb_leads"]))}{sep.join(links)}</div>'
    )
    ctx = {"agency": agency.name, "prev": year - 1, "year": year + 1, "site": site}
    ctx["place"] = agency.place
    titles = rng.sample(ch["related_titles"], rng.randint(3, len(ch["related_titles"])))
    items = ""
    for i, t in enumerate(titles):
        href = f"/art/{year + 1}/{i + 1}/art_{rng.randint(1000, 9999)}.html"
        day = f"{year + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        items += f"<li>{_link(conv, t.format(**ctx), href)}<span>{day}</span></li>"
    head = _text(conv, rng.choice(ch["related_heads"]))
    tools = " ".join(f"<span>{_text(conv, t)}</span>" for t in ch["toolbar"] if rng.random() < 0.6)
    related = (
        f'<div class="tools">{tools}</div>'
        f'<div class="related"><h4>{head}</h4><ul>{items}</ul></div>'
    )
    sponsor = agency.name if rng.random() < 0.5 else f"{agency.city}人民政府办公室"
    fill = {
        "sponsor": sponsor,
        "site_code": f"{rng.randint(1000, 6599)}{rng.randint(0, 999999):06d}",
        "icp": rng.choice(ch["icp_prefixes"]),
        "icp_no": f"{rng.randint(5000000, 19999999):08d}",
        "police_no": f"{rng.randint(10000000000000, 99999999999999)}",
    }
    lines = [line.format(**fill) for line in ch["footer_lines"] if rng.random() < 0.75]
    footer_links = " ".join(_link(conv, t, "#") for t in ch["footer_links"] if rng.random() < 0.7)
    paras = "".join(f"<p>{_text(conv, line)}</p>" for line in lines)
    footer = f'<div class="footer"><p>{footer_links}</p>{paras}</div>'
    return Chrome(site, header, crumbs, related, footer)
