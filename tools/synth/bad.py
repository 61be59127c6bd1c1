"""Inputs that are not (readable) reports: what the parser must refuse or flag.

Gold of a bad input: expect_status "failed" (nothing to load: not a report, empty, binary, two
reports in one page) or "partial" (a report whose tables are pictures: its metadata and sections
are readable, every fact is missing), and a reason_contains keyword for the recorded reason.
"""

from __future__ import annotations

import html
import random
from typing import Any

from synth import document, gold, prose
from synth.chrome import draw_chrome
from synth.encoding import EncodingPlan, encode
from synth.grid import ImageBlock, TableBlock
from synth.html import HtmlStyle, HtmlWriter, draw_html_style, page
from synth.script import Scripts, keep
from synth.settings import Odds
from synth.wording import Lexicon

# Kind -> (expected status, keyword the parser's reason should contain).
EXPECT = {
    "news_page": ("failed", "not a report"),
    "index_page": ("failed", "not a report"),
    "empty": ("failed", "empty"),
    "binary": ("failed", "binary"),
    "two_reports": ("failed", "two reports"),
    "image_tables": ("partial", "no tables"),
}
# Leading bytes of files that end up saved as .html.
MAGIC = (
    b"",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"PK\x03\x04\x14\x00\x06\x00",
    b"\xd0\xcf\x11\xe0",
)


def _head(kind: str, name: str) -> dict[str, Any]:
    """Gold fields every bad input has."""
    status, reason = EXPECT[kind]
    return {
        "file": name,
        "profile": "bad",
        "bad_kind": kind,
        "expect_status": status,
        "reason_contains": reason,
    }


def _plain_page(
    rng: random.Random, lex: Lexicon, agency: prose.Agency, paras: list[str], title: str
) -> bytes:
    """A UTF-8 page with chrome around a few paragraphs."""
    writer = HtmlWriter(keep, HtmlStyle())
    chrome = draw_chrome(rng, lex, agency, 2022, writer.conv)
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    article = f'<div class="article"><h1>{html.escape(title)}</h1>\n{body}\n</div>'
    plan = EncodingPlan("utf-8", "utf-8", "meta")
    return page([article], title, chrome, plan, writer).encode("utf-8")


def _news(rng: random.Random, lex: Lexicon) -> bytes:
    """A news item about open-government work: no sections, no tables."""
    bad = lex.prose["bad"]
    agency = prose.draw_agency(rng, lex)
    year = rng.randint(2020, 2025)
    ctx = {"agency": agency.name, "place": agency.place, "year": year, "prev": year - 1}
    title = rng.choice(bad["news_titles"]).format(**ctx)
    paras = [html.escape(s.format(**ctx)) for s in bad["news_sentences"]]
    return _plain_page(rng, lex, agency, paras, title)


def _index(rng: random.Random, lex: Lexicon) -> bytes:
    """A list page linking to reports of several years."""
    bad = lex.prose["bad"]
    agency = prose.draw_agency(rng, lex)
    items = []
    for year in range(2025, rng.randint(2012, 2019), -1):
        title = bad["index_entry"].format(agency=agency.name, year=year)
        href = f"/xxgk/ndbg/{year}/t{year + 1}0131_{rng.randint(100000, 999999)}.html"
        items.append(
            f'<a href="{href}">{html.escape(title)}</a> {year + 1}-01-{rng.randint(10, 31)}'
        )
    pager = " ".join(p.format(pages=rng.randint(1, 3)) for p in bad["pager"])
    return _plain_page(rng, lex, agency, [*items, html.escape(pager)], bad["index_title"])


def make_bad(
    rng: random.Random, index: int, kind: str, lex: Lexicon, scripts: Scripts, odds: Odds
) -> document.Output:
    """One bad input and its gold."""
    name = f"{index:04d}-bad-{kind.replace('_', '-')}.html"
    head = _head(kind, name)
    if kind == "empty":
        return document.Output(name, b"", head)
    if kind == "binary":
        data = rng.choice(MAGIC) + rng.randbytes(rng.randint(2000, 12000))
        return document.Output(name, data, head)
    if kind == "news_page":
        return document.Output(name, _news(rng, lex), head)
    if kind == "index_page":
        return document.Output(name, _index(rng, lex), head)
    if kind == "two_reports":
        return _two_reports(rng, name, head, lex, scripts, odds)
    return _image_tables(rng, name, head, lex, scripts, odds)


def _two_reports(
    rng: random.Random,
    name: str,
    head: dict[str, Any],
    lex: Lexicon,
    scripts: Scripts,
    odds: Odds,
) -> document.Output:
    """Two complete reports in one page body."""
    built = []
    for _ in range(2):
        plan = document.plan_report(rng, "clean", odds)
        plan.opencc, plan.html, plan.quirks = None, True, []
        built.append(document.build_report(rng, plan, lex, odds))
    writer = HtmlWriter(scripts.converter(None), draw_html_style(rng, set()))
    chrome = draw_chrome(rng, lex, built[0].agency, built[0].plan.year, writer.conv)
    plan_enc = EncodingPlan("utf-8", "utf-8", "meta")
    text = page([writer.article(b.report) for b in built], built[0].title, chrome, plan_enc, writer)
    head["reports"] = [
        {"title": b.title, "agency": b.agency.name, "year": b.plan.year, "format": b.plan.fmt}
        for b in built
    ]
    return document.Output(name, text.encode("utf-8"), head)


def _image_tables(
    rng: random.Random,
    name: str,
    head: dict[str, Any],
    lex: Lexicon,
    scripts: Scripts,
    odds: Odds,
) -> document.Output:
    """A report whose three tables are <img> pictures: metadata readable, every fact missing."""
    plan = document.plan_report(rng, "clean", odds)
    plan.html, plan.quirks, plan.profile = True, [], "bad"
    built = document.build_report(rng, plan, lex, odds)
    image_names: list[str] = lex.prose["bad"]["image_names"]
    alts: list[str] = lex.labels["extras"]["image_alt"]
    n = 0
    for section in built.report.sections:
        for i, block in enumerate(section.blocks):
            if isinstance(block, TableBlock):
                n += 1
                src = "/xxgk/images/" + rng.choice(image_names).format(
                    n=n, year=plan.year, code=rng.randint(20000, 29999)
                )
                section.blocks[i] = ImageBlock(src, rng.choice(alts))
    built.cells = {}
    text, enc = document.render(rng, built, lex, scripts, odds)
    data, enc = encode(text, enc, True)
    facts = gold.build_facts(plan.fmt, False, {}, scripts.converter(plan.opencc), {})
    report = gold.report_gold(document.gold_meta(built, name, enc), facts)
    return document.Output(name, data, {**head, **report})
