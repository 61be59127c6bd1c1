"""One generated report: its plan, its model, its bytes and its gold."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from synth import cells as cellmod
from synth import codes, damage, flat, gold, identity, noise, prose, relayout, tables, values
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
    META_PLACES,
    QUIRKS,
    REVIEW_DAMAGES,
    IdentityRules,
    NoiseRates,
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
    variants = plan_variants(rng, profile, html, kinds, odds)
    if "flat" in variants:
        quirks = [q for q in quirks if q in FLAT_QUIRKS]
    quirks = [q for q in QUIRKS if q in quirks]
    return Plan(fmt, year, html, opencc, profile, quirks, kinds, variants)


# Quirks a flattened page keeps (the others print cells a flattened row cannot carry).
FLAT_QUIRKS = frozenset({"heading_wording", "section6_absent", "normative_swap", "inconsistent"})


def plan_variants(
    rng: random.Random, profile: str, html: bool, kinds: list[str], odds: Odds
) -> list[str]:
    """Issue #9 variation of one report (label noise is drawn when labels are printed)."""
    out: list[str] = []
    if chance(rng, odds.header_words):
        out.append("header_words")
    standard_reviews = bool(set(kinds) & set(REVIEW_DAMAGES)) or "skeleton" in kinds
    layout = "row15" if standard_reviews else choose(rng, odds.review_layouts)
    if layout != "row15":
        out.append(f"reviews_{layout}")
    if not standard_reviews and layout != "rows15" and chance(rng, odds.review_partial_header):
        out.append("reviews_partial_header")
    place = choose(rng, odds.meta_places)
    if place != "full":
        out.append(f"meta_{place}")
    if chance(rng, odds.narrative_opener):
        out.append("narrative_opener")
    if not html and not kinds and profile != "bad" and chance(rng, odds.flat):
        out.append("flat")
    return out


def review_layout(plan: Plan) -> str:
    """Section 四's layout: row15 unless a reviews_* variant says otherwise."""
    for layout in ("rows3", "cols3", "rows15"):
        if f"reviews_{layout}" in plan.variants:
            return layout
    return "row15"


def meta_place(plan: Plan) -> str:
    """Where the agency is named: full, title, signature or preface."""
    for place in META_PLACES:
        if f"meta_{place}" in plan.variants:
            return place
    return "full"


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


def build_report(rng: random.Random, plan: Plan, lex: Lexicon, odds: Odds) -> Built:
    """The report model of a plan, with damage applied."""
    quirks = set(plan.quirks)
    agency = prose.draw_agency(rng, lex)
    place = meta_place(plan)
    title = prose.draw_title(rng, lex, agency.name, plan.year, place in ("full", "title"))
    ymd = prose.draw_date(rng, plan.year) if chance(rng, odds.published_known) else None
    # Only a fully named report says who published it next to the date.
    source = agency.name if place == "full" else odds.anonymous_source
    line = prose.date_line(rng, lex, ymd, source) if ymd else None
    closing: list[Para] = []
    if place == "signature" or (place == "full" and chance(rng, odds.signature)):
        closing = prose.signature(lex, agency.name, ymd or (plan.year + 1, 1, 20))
    figures = values.draw_figures(rng, plan.fmt, plan.hybrid, odds)
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
            words, cells, titles.get("reviews", ""), review_layout(plan)
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
    verdicts, built.labels = print_labels(rng, built_tables, lex, quiet, odds.identity)
    overrides: dict[Key, gold.Override] = {}
    _doubt_review_labels(built.labels, overrides)
    if built.labels or any(verdicts.values()):
        plan.variants.append("label_noise")
    if "reviews_partial_header" in plan.variants:
        _partial_review_header(rng, built_tables["reviews"], words, cells, overrides)
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


def _doubt_review_labels(labels: list[dict[str, Any]], overrides: dict[Key, gold.Override]) -> None:
    """Section 四 rows whose label no longer clearly names them: every row is printed in the
    template's order, so the values stand, but a reader may leave them missing."""
    for entry in labels:
        if entry["table_id"] == "reviews" and entry.get("verdict", "clear") != "clear":
            for name in entry.get("keys", []):
                table, row, col = name.split(".")
                overrides.setdefault((table, row, col), gold.Override()).accept_missing = True


def _request_header(rng: random.Random, plan: Plan) -> str:
    """Section 三 header shape: the template's, or one that puts canonical words first."""
    if "header_words" not in plan.variants:
        return "template"
    # A text file may instead print the whole grid, spans as empty cells (TextStyle.grid).
    shapes = ("bottom", "one_row", "two_rows") + (() if plan.html else ("grid",))
    plan.header_shape = rng.choice(shapes)
    return "template" if plan.header_shape == "grid" else plan.header_shape


def _partial_review_header(
    rng: random.Random,
    table: Table,
    words: Wording,
    cells: dict[Key, cellmod.Cell],
    overrides: dict[Key, gold.Override],
) -> None:
    """Section 四 under a partial header: its values are placed by order (repaired)."""
    if table.width == 15:
        relayout.shorten_review_header(rng, table, words)
    else:
        table.rows = [r for r in table.rows if r.kind != "header"]
    for key in codes.review_keys():
        if cells[key].status == "ok":
            overrides.setdefault(key, gold.Override()).status = "repaired"


def print_labels(
    rng: random.Random,
    built_tables: dict[str, Table],
    lex: Lexicon,
    rates: NoiseRates,
    rules: IdentityRules,
) -> tuple[dict[str, dict[str, identity.Verdict]], list[dict[str, Any]]]:
    """Label noise on every table; the verdict on each row label it changed, and the gold's
    record of the changed labels."""
    process = noise.LabelNoise(rng, rates)
    edits = noise.apply(process, built_tables, frozenset())
    vocab = identity.Vocabulary(lex)
    verdicts: dict[str, dict[str, identity.Verdict]] = {"proactive": {}, "requests": {}}
    record: list[dict[str, Any]] = []
    for e in edits:
        entry: dict[str, Any] = {"table_id": e.table, "printed": e.after, "kinds": e.kinds}
        if e.row_id:
            entry["row_id"] = e.row_id
        changed = identity.label_key(e.after) != identity.label_key(e.before)
        if e.row_id and changed and e.table in verdicts:
            v = vocab.judge(e.table, e.row_id, e.after, rules)
            verdicts[e.table][e.row_id] = v
        elif e.row_id and changed and e.table == "reviews" and e.keys:
            # Section 四 with labelled rows: a row names a group (3 rows) or a result.
            names_col = len(e.keys) == 1 or len({k[1] for k in e.keys}) > 1
            vocab_id, code = (
                ("reviews_cols", e.keys[0][2]) if names_col else ("reviews_rows", e.row_id)
            )
            v = vocab.judge(vocab_id, code, e.after, rules)
            entry["keys"] = [".".join(k) for k in e.keys]
        else:
            v = None
        if v is not None:
            entry |= {"verdict": v.verdict, "own": v.own, "rival": v.rival}
            if v.rival_of:
                entry["rival_of"] = v.rival_of
        record.append(entry)
    return verdicts, record


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
