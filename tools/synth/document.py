"""One generated report: its plan, its model, its bytes and its gold."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from synth import cells as cellmod
from synth import codes, damage, gold, prose, tables, values
from synth.chrome import draw_chrome
from synth.codes import Key
from synth.compose import compose, section_numbers
from synth.draw import chance, choose
from synth.encoding import EncodingPlan, draw_html_plan, draw_text_plan, encode
from synth.grid import Report, Table
from synth.html import HtmlWriter, draw_html_style, page
from synth.script import Scripts
from synth.settings import CHARSET_QUIRKS, HEADING_MARKUP_QUIRKS, HTML_ONLY_QUIRKS, QUIRKS, Odds
from synth.text import TextWriter, draw_text_style
from synth.wording import Lexicon, Wording


@dataclass(frozen=True)
class Output:
    """A generated file and its gold."""

    name: str
    data: bytes
    gold: dict[str, Any]


@dataclass
class Plan:
    """The choices that shape one report document."""

    fmt: str
    year: int
    html: bool
    opencc: str | None  # None for Simplified script
    profile: str
    quirks: list[str]
    damage: list[str] = field(default_factory=list)

    @property
    def hybrid(self) -> bool:
        """A 2021 report printing （六）其他处理 as one row."""
        return "hybrid_other_handling" in self.quirks


@dataclass
class Built:
    """A report model with everything the gold needs."""

    plan: Plan
    agency: prose.Agency
    title: str
    published: str | None
    cells: dict[Key, cellmod.Cell]
    report: Report
    overrides: dict[Key, gold.Override]
    absent: list[str]
    notes: list[str]


def _applicable(quirk: str, fmt: str, html: bool) -> bool:
    """Whether a quirk can show in a document of this format and rendition."""
    if quirk in HTML_ONLY_QUIRKS and not html:
        return False
    if quirk in ("misaligned_colspans", "plus_sign"):
        return fmt == "2019"
    if quirk == "hybrid_other_handling":
        return fmt == "2021"
    return quirk != "inconsistent"


def plan_quirks(rng: random.Random, fmt: str, html: bool, odds: Odds) -> list[str]:
    """Quirks of one quirky document: a few applicable ones, no two of a clashing group."""
    pool = [q for q in QUIRKS if _applicable(q, fmt, html)]
    picked = rng.sample(pool, rng.randint(odds.quirks_least, odds.quirks_most))
    for group in (HEADING_MARKUP_QUIRKS, CHARSET_QUIRKS):
        inside = [q for q in picked if q in group]
        for q in inside[1:]:
            picked.remove(q)
    return [q for q in QUIRKS if q in picked]


def plan_report(
    rng: random.Random, profile: str, odds: Odds, damage_kind: str = "", quirk: str = ""
) -> Plan:
    """Format, year, rendition, script and quirks of one report; `quirk` is one it must have."""
    fmt = "2021" if chance(rng, odds.format_2021) else "2019"
    html = chance(rng, odds.html)
    # A wanted quirk pins the format or rendition it needs.
    if quirk in HTML_ONLY_QUIRKS:
        html = True
    if quirk in ("misaligned_colspans", "plus_sign"):
        fmt = "2019"
    elif quirk == "hybrid_other_handling":
        fmt = "2021"
    year = rng.choice(codes.YEARS[fmt])
    opencc = choose(rng, odds.opencc_configs) if chance(rng, odds.traditional) else None
    quirks = plan_quirks(rng, fmt, html, odds) if profile == "quirky" else []
    if quirk and quirk not in quirks:
        quirks = [q for q in quirks if q not in _clashing(quirk)] + [quirk]
    if profile in ("clean", "quirky") and chance(rng, odds.inconsistent):
        quirks.append("inconsistent")
    quirks = [q for q in QUIRKS if q in quirks]
    kinds = damage.plan_damage(rng, damage_kind, odds) if profile == "damaged" else []
    return Plan(fmt, year, html, opencc, profile, quirks, kinds)


def _clashing(quirk: str) -> tuple[str, ...]:
    """Quirks that cannot go with `quirk` (same markup or charset group)."""
    for group in (HEADING_MARKUP_QUIRKS, CHARSET_QUIRKS):
        if quirk in group:
            return group
    return ()


def _title_rows(rng: random.Random, quirks: set[str], words: Wording, odds: Odds) -> dict[str, str]:
    """Title rows printed as the first row of some tables (table_title_row quirk)."""
    if "table_title_row" not in quirks:
        return {}
    titles = words.extra("table_titles")
    out: dict[str, str] = {}
    for i, table in enumerate(codes.TABLES):
        if chance(rng, odds.title_row_each) or (table == "requests" and not out):
            out[table] = rng.choice([titles[i], *words.extra("unit_lines")])
    return out


def build_report(
    rng: random.Random,
    plan: Plan,
    lex: Lexicon,
    odds: Odds,
    *,
    agency: prose.Agency | None = None,
    figures: values.Figures | None = None,
) -> Built:
    """The report model of a plan, with damage applied; `agency` and `figures` when given
    (a series of one body's years) instead of drawn."""
    quirks = set(plan.quirks)
    agency = agency or prose.draw_agency(rng, lex)
    title = prose.draw_title(rng, lex, agency.name, plan.year)
    ymd = prose.draw_date(rng, plan.year) if chance(rng, odds.published_known) else None
    line = prose.date_line(rng, lex, ymd, agency.name) if ymd else None
    figures = figures or values.draw_figures(rng, plan.fmt, plan.hybrid, odds)
    truth = dict(figures.numbers)
    if "inconsistent" in quirks:
        values.perturb(rng, figures, plan.fmt)
    words = Wording(lex, plan.fmt, quirks, rng)
    forced = damage.forced_zero_style(plan.damage)
    style = cellmod.draw_style(rng, quirks, words, odds, forced)
    cells = cellmod.format_cells(rng, figures, plan.fmt, style, words, odds)
    misaligned = "misaligned_colspans" in quirks
    suffix = ""
    if plan.fmt == "2019" and figures.amount_unit_at == "header" and figures.amount_unit:
        suffix = words.amount_unit_suffix(figures.amount_unit)
    layout = tables.Layout(
        proactive_grid="five" if misaligned or chance(rng, odds.proactive_five_grid) else "four",
        misaligned=misaligned,
        wrap_heads=plan.html and chance(rng, odds.wrap_heads),
        amount_suffix=suffix,
    )
    titles = _title_rows(rng, quirks, words, odds)
    built_tables: dict[str, Table] = {
        "proactive": tables.build_proactive(
            plan.fmt, words, cells, layout, titles.get("proactive", "")
        ),
        "requests": tables.build_requests(
            plan.fmt, plan.hybrid, words, cells, layout, titles.get("requests", "")
        ),
        "reviews": tables.build_reviews(words, cells, titles.get("reviews", "")),
    }
    ctx = prose.context(rng, agency, plan.year, truth)
    report = compose(rng, lex, words, title, line, ctx, built_tables, quirks, odds)
    published = f"{ymd[0]}-{ymd[1]:02d}-{ymd[2]:02d}" if ymd else None
    built = Built(plan, agency, title, published, cells, report, {}, [], [])
    if plan.damage:
        result = damage.apply(rng, plan.damage, built_tables, report, cells, words, plan, odds)
        built.overrides, built.absent, built.notes = result.overrides, result.absent, result.notes
        plan.damage = result.applied
    return built


def render(
    rng: random.Random, built: Built, lex: Lexicon, scripts: Scripts, odds: Odds
) -> tuple[str, EncodingPlan]:
    """The document's text in its rendition, and how to encode it."""
    plan = built.plan
    conv = scripts.converter(plan.opencc)
    traditional = plan.opencc is not None
    if not plan.html:
        writer = TextWriter(conv, draw_text_style(rng, odds.crlf_text))
        return writer.document(built.report), draw_text_plan(rng, traditional)
    enc = draw_html_plan(rng, traditional, set(plan.quirks))
    hw = HtmlWriter(conv, draw_html_style(rng, set(plan.quirks)))
    chrome = draw_chrome(rng, lex, built.agency, plan.year, conv)
    return page([hw.article(built.report)], built.title, chrome, enc, hw), enc


def gold_meta(built: Built, name: str, enc: EncodingPlan) -> gold.Meta:
    """Document-level gold fields of a built report."""
    plan = built.plan
    return gold.Meta(
        file=name,
        fmt=plan.fmt,
        year=plan.year,
        agency=built.agency.name,
        title=built.title,
        script="traditional" if plan.opencc else "simplified",
        encoding=enc.encoding,
        declared=enc.declared,
        published=built.published,
        sections=section_numbers(built.report),
        profile=plan.profile,
        rendition="html" if plan.html else "txt",
        quirks=list(plan.quirks),
        opencc=plan.opencc,
        damage=list(plan.damage),
        absent_tables=list(built.absent),
        notes=list(built.notes),
    )


def make_report(
    rng: random.Random,
    index: int,
    profile: str,
    lex: Lexicon,
    scripts: Scripts,
    odds: Odds,
    damage_kind: str = "",
    quirk: str = "",
) -> Output:
    """Generate one report file and its gold."""
    plan = plan_report(rng, profile, odds, damage_kind, quirk)
    built = build_report(rng, plan, lex, odds)
    text, enc = render(rng, built, lex, scripts, odds)
    data, enc = encode(text, enc, plan.html)
    ext = ("htm" if chance(rng, odds.htm_extension) else "html") if plan.html else "txt"
    name = f"{index:04d}-{profile}-{plan.year}.{ext}"
    conv = scripts.converter(plan.opencc)
    facts = gold.build_facts(
        plan.fmt, plan.hybrid, built.cells, conv, built.overrides, profile == "damaged"
    )
    return Output(name, data, gold.report_gold(gold_meta(built, name, enc), facts))
