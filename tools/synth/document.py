"""One generated report: its plan, its model, its bytes and its gold."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from synth import cells as cellmod
from synth import codes, damage, flat, gold, identity, labelgold, prose, tables, values, variation
from synth.chrome import draw_chrome
from synth.codes import Key
from synth.compose import compose, section_numbers
from synth.draw import chance, choose
from synth.encoding import EncodingPlan, draw_html_plan, draw_text_plan, encode
from synth.grid import Para, Report, Table
from synth.html import HtmlWriter, draw_html_style, page
from synth.script import Scripts
from synth.settings import (
    CHARSET_QUIRKS,
    FAMILIAR_ODDS,
    HEADING_MARKUP_QUIRKS,
    HTML_ONLY_QUIRKS,
    QUIRKS,
    Odds,
)
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
    variants: list[str] = field(default_factory=list)  # issue #9 variation (VARIANTS)
    header_shape: str = "template"  # section 三 header shape, or "grid" (text: every cell)

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
    labels: list[dict[str, Any]] = field(default_factory=list)  # labels changed by noise


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
    kinds = damage.plan_damage(rng, damage_kind, odds) if profile == "damaged" else []
    if profile in ("damaged", "noisy") and fmt == "2021" and chance(rng, odds.hybrid_unusual):
        quirks.append("hybrid_other_handling")
    variants = variation.plan_variants(rng, profile, html, kinds, odds)
    if "flat" in variants:
        quirks = [q for q in quirks if q in variation.FLAT_QUIRKS]
    quirks = [q for q in QUIRKS if q in quirks]
    return Plan(fmt, year, html, opencc, profile, quirks, kinds, variants)


def _request_header(rng: random.Random, plan: Plan) -> str:
    """Section 三 header shape for the tables; a text file's "grid" is the writer's."""
    plan.header_shape = variation.header_shape(rng, plan.variants, plan.html)
    return "template" if plan.header_shape == "grid" else plan.header_shape


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
    place = variation.meta_place(plan.variants)
    title = prose.draw_title(rng, lex, agency.name, plan.year, place in ("full", "title"))
    ymd = prose.draw_date(rng, plan.year) if chance(rng, odds.published_known) else None
    # Only a fully named report says who published it next to the date.
    source = agency.name if place == "full" else odds.anonymous_source
    line = prose.date_line(rng, lex, ymd, source) if ymd else None
    closing: list[Para] = []
    if place == "signature" or (place == "full" and chance(rng, odds.signature)):
        closing = prose.signature(lex, agency.name, ymd or (plan.year + 1, 1, 20))
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
        request_header=_request_header(rng, plan),
    )
    titles = _title_rows(rng, quirks, words, odds)
    built_tables: dict[str, Table] = {
        "proactive": tables.build_proactive(
            plan.fmt, words, cells, layout, titles.get("proactive", "")
        ),
        "requests": tables.build_requests(
            plan.fmt, plan.hybrid, words, cells, layout, titles.get("requests", "")
        ),
        "reviews": tables.build_reviews(
            words, cells, titles.get("reviews", ""), variation.review_layout(plan.variants)
        ),
    }
    ctx = prose.context(rng, agency, plan.year, truth)
    opener = "narrative_opener" in plan.variants
    report = compose(
        rng, lex, words, title, line, ctx, built_tables, quirks, odds, place, opener, closing
    )
    published = f"{ymd[0]}-{ymd[1]:02d}-{ymd[2]:02d}" if ymd else None
    built = Built(plan, agency, title, published, cells, report, {}, [], [])
    # A flattened page is its own hazard: its labels print as the template does.
    quiet = odds.label_noise if "flat" not in plan.variants else FAMILIAR_ODDS.label_noise
    verdicts, built.labels = labelgold.print_labels(rng, built_tables, lex, quiet, odds.identity)
    overrides: dict[Key, gold.Override] = {}
    labelgold.doubt_review_labels(built.labels, overrides)
    if built.labels or any(verdicts.values()):
        plan.variants.append("label_noise")
    if "reviews_partial_header" in plan.variants:
        variation.partial_review_header(rng, built_tables["reviews"], words, cells, overrides)
    identity.resolve_rows(
        built_tables["proactive"], plan.fmt, plan.hybrid, verdicts["proactive"], cells, overrides
    )
    if plan.damage:
        result = damage.apply(
            rng,
            plan.damage,
            built_tables,
            report,
            cells,
            words,
            plan,
            odds,
            verdicts["requests"],
            overrides,
        )
        built.overrides, built.absent, built.notes = result.overrides, result.absent, result.notes
        plan.damage = result.applied
    else:
        identity.resolve_rows(
            built_tables["requests"], plan.fmt, plan.hybrid, verdicts["requests"], cells, overrides
        )
        built.overrides = overrides
    return built


def render(
    rng: random.Random, built: Built, lex: Lexicon, scripts: Scripts, odds: Odds
) -> tuple[str, EncodingPlan]:
    """The document's text in its rendition, and how to encode it."""
    plan = built.plan
    conv = scripts.converter(plan.opencc)
    traditional = plan.opencc is not None
    if "flat" in plan.variants:
        writer = flat.FlatWriter(conv, flat.draw_flat_style(rng, odds), rng)
        crumbs = "".join(rng.choice(lex.prose["chrome"]["breadcrumbs"]))
        lead = rng.choice(lex.prose["chrome"]["crumb_leads"])
        text = writer.document(built.report, built.cells, conv(lead + crumbs), built.published)
        built.overrides.update(writer.overrides)
        return text, draw_text_plan(rng, traditional)
    if not plan.html:
        style = draw_text_style(rng, odds.crlf_text, grid=plan.header_shape == "grid")
        writer = TextWriter(conv, style)
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
        rendition="html" if plan.html else ("flat" if "flat" in plan.variants else "txt"),
        quirks=list(plan.quirks),
        opencc=plan.opencc,
        damage=list(plan.damage),
        absent_tables=list(built.absent),
        notes=list(built.notes),
        variants=list(plan.variants),
        labels=list(built.labels),
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
    facts = gold.build_facts(plan.fmt, plan.hybrid, built.cells, conv, built.overrides)
    return Output(name, data, gold.report_gold(gold_meta(built, name, enc), facts))
