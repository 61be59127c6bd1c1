"""The dashboard's overview pages: coverage, indicators with their distributions, peer
rankings, outliers and the list of agencies (each agency's own page: `agency_pages`)."""

from __future__ import annotations

from pipeline.dashboard.data import Definition, SiteData
from pipeline.dashboard.markup import (
    agency_file,
    chart,
    definition_block,
    esc,
    file_id,
    number,
    page,
    plain,
    table,
)

NULL_STATUSES = ("missing", "not_printed", "failed_check", "zero_denominator", "not_applicable")
VALUE_STATUSES = ("ok", "repaired", "derived")


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    xs = sorted(values)

    def q(p: float) -> float:
        pos = (len(xs) - 1) * p
        lo = int(pos)
        hi = min(lo + 1, len(xs) - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)

    return q(0.25), q(0.5), q(0.75)


def index_page(data: SiteData, charts: dict[str, str]) -> str:
    """Coverage: reports per year, format and status; parse quality; the indicators."""
    by_year: dict[tuple, dict[str, int]] = {}
    for year, fmt, status, n in data.coverage:
        by_year.setdefault((year, fmt), {})[status] = n
    rows = [
        f'<tr><td class="l">{esc(year if year is not None else "unknown")}</td>'
        f'<td class="l">{esc(fmt)}</td>'
        + "".join(f"<td>{c.get(s, 0)}</td>" for s in ("parsed", "partial", "failed"))
        + f"<td>{sum(c.values())}</td></tr>"
        for (year, fmt), c in by_year.items()
    ]
    coverage = table(["year", "format", "parsed", "partial", "failed", "reports"], rows, 2)
    qrows = []
    for year, reports, ok, blank, dash, repaired, derived, missing, failed in data.quality:
        cells = ok + blank + dash + repaired + missing
        qrows.append(
            f'<tr><td class="l">{esc(year if year is not None else "unknown")}</td>'
            f"<td>{reports}</td><td>{cells}</td><td>{missing}</td><td>{repaired}</td>"
            f"<td>{derived}</td><td>{blank + dash}</td><td>{failed}</td>"
            f"<td>{_pct(missing, cells)}</td></tr>"
        )
    quality = table(
        ["year", "reports", "cells", "missing", "repaired", "derived", "blank or dash",
         "failed checks", "missing share"],
        qrows,
    )  # fmt: skip
    total = sum(n for *_, n in data.coverage)
    body = (
        f"<h1>政府信息公开年度报告 · dashboard</h1><p>{total} reports, "
        f"{len(data.agencies)} agencies, years {esc(_span(data.years))}. Every indicator is "
        "computed only from figures the reports print; a value that cannot be computed is "
        "shown as a gap with its reason, never as zero.</p>"
        "<h2>Coverage: reports per year, format and status</h2>"
        f"{chart(charts['status'], 'reports per year by status')}"
        f"{chart(charts['format'], 'reports per year by format')}{coverage}"
        "<h2>Parse quality: cells missing, repaired, derived; failed checks</h2>"
        f"{chart(charts['quality'], 'cells missing, repaired and derived per year')}{quality}"
        f'<h2>Indicators</h2><p><a href="indicators/index.html">'
        f"{len(data.definitions)} indicators</a>, their distributions per year and the peer "
        'rankings; <a href="outliers.html">outliers</a> within peer groups; '
        f'<a href="agencies/index.html">{len(data.agencies)} agencies</a>, one page each.</p>'
    )
    return page("nianbao dashboard", body)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else ""


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if years else "none"


def indicators_index(data: SiteData) -> str:
    """Every indicator with its counts of computed and NULL values."""
    rows = []
    for d in data.definitions:
        counts: dict[str, int] = {}
        for y in data.years:
            for s, n in data.statuses.get((d.id, y), {}).items():
                counts[s] = counts.get(s, 0) + n
        computed = sum(counts.get(s, 0) for s in VALUE_STATUSES)
        rows.append(
            f'<tr><td class="l"><a href="{file_id(d.id)}.html">{esc(d.id)}</a></td>'
            f'<td class="l">{esc(d.name_zh)}</td><td class="l">{esc(d.unit)}</td>'
            f'<td class="l">{esc(", ".join(d.formats))}</td><td>{computed}</td>'
            + "".join(f"<td>{counts.get(s, 0)}</td>" for s in NULL_STATUSES)
            + "</tr>"
        )
    head = ["indicator", "name", "unit", "formats", "computed", *NULL_STATUSES]
    body = (
        "<h1>Indicators</h1><p>Counts over all reports; a NULL value has the status that "
        "says why (missing part, blank that is not a figure, failing check, zero "
        f"denominator, other format).</p>{table(head, rows, 4)}"
    )
    return page("indicators", body, 1)


def indicator_page(data: SiteData, d: Definition, chart_src: str) -> str:
    """One indicator: definition, distribution per year, NULL reasons, rankings, outliers."""
    rows = []
    for y in data.years:
        values = data.distribution.get((d.id, y), [])
        counts = data.statuses.get((d.id, y), {})
        q = _quantiles(values) if values else (None, None, None)
        stats = [min(values) if values else None, *q, max(values) if values else None]
        rows.append(
            f'<tr><td class="l"><a href="{file_id(d.id)}-{y}.html">{y}</a></td>'
            f"<td>{len(values)}</td>"
            + "".join(f"<td>{counts.get(s, 0)}</td>" for s in NULL_STATUSES)
            + "".join(f"<td>{esc(number(v, d.unit))}</td>" for v in stats)
            + "</tr>"
        )
    head = ["year (ranking)", "computed", *NULL_STATUSES, "min", "q1", "median", "q3", "max"]
    reasons = [
        f'<tr><td class="l">{esc(s)}</td><td class="l">{esc(r)}</td><td>{n}</td></tr>'
        for s, r, n in data.reasons.get(d.id, [])
    ]
    outliers = [o for o in data.outliers if o[0] == d.id]
    body = (
        f"<h1>{esc(d.name_zh)} <span class='small'>{esc(d.name_en)}</span></h1>"
        f"{definition_block(d)}<h2>Distribution per year</h2>"
        f"{chart(chart_src, f'distribution of {d.id} per year')}"
        "<p class='small'>Box plots of the computed values of every report; n = computed, "
        "null = reports whose value is NULL (not drawn, never counted as zero).</p>"
        f"{table(head, rows)}<h2>Why values are NULL (most frequent reasons)</h2>"
        f"{table(['status', 'reason', 'reports'], reasons, 2) if reasons else '<p>none</p>'}"
        f"<h2>Outliers within peer groups ({len(outliers)})</h2>"
        f"{outlier_table(outliers, {d.id: d}, 1)}"
    )
    return page(d.id, body, 1)


def ranking_page(data: SiteData, d: Definition, year: int) -> str:
    """Every peer group's ranking of one indicator in one year, with the group's figures."""
    _, groups = data.rankings.get((d.id, year), (0, ""))
    link = file_id(d.id) + ".html"
    body = (
        f"<h1>{esc(d.name_zh)} · {year} · peer rankings</h1>{definition_block(d, link)}"
        "<p class='small'>Rank 1 = highest value among the group's agencies with a value; "
        "agencies whose value is NULL are listed without a rank, with the reason.</p>"
        + (groups or "<p>No agency of this year has a known place and level.</p>")
    )
    return page(f"{d.id} {year}", body, 1)


def outlier_table(rows: list[tuple], definitions: dict[str, Definition], depth: int) -> str:
    """Outlier rows of indicator_peer_ranks with the figures behind them."""
    if not rows:
        return "<p>none</p>"
    up = "../" * depth
    lines = []
    for row in rows:
        ind, year, _, group, key, _, value, num, den, *_ = row
        q1, med, q3, lo, hi, flag = row[14:20]
        size = row[12]
        d = definitions[ind]
        lines.append(
            f'<tr class="{esc(flag)}"><td class="l">{esc(ind)}</td><td class="l">{year}</td>'
            f'<td class="l">{esc(group)}</td><td class="l"><a href="{up}agencies/'
            f'{agency_file(key)}">{esc(key)}</a></td><td>{esc(number(value, d.unit))}</td>'
            f"<td>{esc(plain(num))}</td><td>{esc(plain(den))}</td>"
            f"<td>{esc(number(q1, d.unit))}</td><td>{esc(number(med, d.unit))}</td>"
            f"<td>{esc(number(q3, d.unit))}</td><td>{esc(number(lo, d.unit))} – "
            f"{esc(number(hi, d.unit))}</td><td>{size}</td><td class='l'>{esc(flag)}</td></tr>"
        )
    head = ["indicator", "year", "peer group", "agency", "value", "numerator", "denominator",
            "q1", "median", "q3", "fences", "group size", "outlier"]  # fmt: skip
    return table(head, lines, 4)


def outliers_page(data: SiteData) -> str:
    """Every outlier of every indicator."""
    defs = {d.id: d for d in data.definitions}
    body = (
        f"<h1>Outliers within peer groups ({len(data.outliers)})</h1><p>Values beyond the "
        "group's interquartile fences (q1 − 1.5·IQR, q3 + 1.5·IQR) in groups of at least four "
        "agencies with a value (indicators.toml sets both).</p>"
        + outlier_table(data.outliers, defs, 0)
    )
    return page("outliers", body)


def agencies_index(data: SiteData) -> str:
    """Every agency with its places and years, linking to its page."""
    rows = []
    for key in sorted(data.agencies):
        a = data.agencies[key]
        province, city, county, level, body = a.places
        rows.append(
            f'<tr><td class="l"><a href="{agency_file(key)}">{esc(key)}</a></td>'
            f'<td class="l">{esc(level)}</td><td class="l">{esc(body)}</td>'
            f'<td class="l">{esc(province)}</td><td class="l">{esc(city)}</td>'
            f'<td class="l">{esc(county)}</td><td class="l">{esc(_span(sorted(a.reports)))}</td>'
            f"<td>{len(a.reports)}</td></tr>"
        )
    head = ["agency", "level", "body", "province", "city", "county", "years", "reports"]
    body = f"<h1>Agencies ({len(data.agencies)})</h1>{table(head, rows, 7)}"
    return page("agencies", body, 1)
