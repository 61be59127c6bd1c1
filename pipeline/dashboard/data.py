"""What the dashboard shows, read from the warehouse's views into plain Python values.

Every figure comes from the SQL of the views `indicator_cells`, `indicators`,
`agency_indicators`, `indicator_peer_ranks` and `indicator_changes` (warehouse.indicators,
warehouse.comparisons), each run once into a temporary table of the read-only connection
and the next one run over it; nothing here computes an indicator. The big tables arrive as HTML
fragments built in DuckDB (`pipeline.dashboard.fragments`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from parsers.errors import NianbaoError
from pipeline.dashboard.fragments import AGENCY_ROWS, EVIDENCE, RANKINGS, define_macros
from warehouse.comparisons import agency_select, changes_select, ranks_select
from warehouse.indicator_specs import load_indicators
from warehouse.indicators import indicators_select

NEEDED = ("indicators", "indicator_definitions", "indicator_peer_ranks", "indicator_changes")


class DashboardError(NianbaoError):
    """The warehouse cannot be shown (too old a schema) or the site cannot be written."""


@dataclass(frozen=True)
class Definition:
    """One row of indicator_definitions."""

    id: str
    position: int
    name_zh: str
    name_en: str
    kind: str
    unit: str
    formats: tuple[str, ...]
    formula: str
    formula_printed: str
    treatment: str
    notes: str | None
    format_note: str | None
    references: str | None

    @property
    def share(self) -> bool:
        return self.kind == "share"


@dataclass
class Agency:
    """One agency key with everything its page shows."""

    key: str
    names: set[str] = field(default_factory=set)
    places: tuple = ()
    # year -> (report_id, format, source, report status)
    reports: dict[int, tuple] = field(default_factory=dict)
    # share indicator -> year -> value (None where NULL), for the trend chart
    shares: dict[str, dict[int, float | None]] = field(default_factory=dict)
    # indicator -> HTML cells of its rows, one per year: (values, changes, ranks)
    rows: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # report_id -> (cells, HTML rows of the cells behind its indicators)
    evidence: dict[str, tuple[int, str]] = field(default_factory=dict)


@dataclass
class SiteData:
    """Everything the site shows."""

    definitions: list[Definition]
    years: list[int]
    coverage: list[tuple]  # (year, format, status, reports)
    quality: list[tuple]  # (year, reports, ok, blank, dash, repaired, derived, missing, failed)
    # (indicator, year) -> computed values; (indicator, year) -> {status: count}
    distribution: dict[tuple[str, int], list[float]]
    statuses: dict[tuple[str, int], dict[str, int]]
    reasons: dict[str, list[tuple]]  # indicator -> [(status, reason, reports)] most frequent
    rankings: dict[tuple[str, int], tuple[int, str]]  # (indicator, year) -> (groups, HTML)
    outliers: list[tuple]
    agencies: dict[str, Agency]


def _require(con: duckdb.DuckDBPyConnection) -> None:
    have = {
        n
        for (n,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    }
    lacking = [n for n in NEEDED if n not in have]
    if lacking:
        raise DashboardError(
            f"the warehouse has no {', '.join(lacking)}: it predates the indicators; open it "
            "once with a writing command (e.g. nianbao recheck --db FILE) to migrate it"
        )


def _definitions(con: duckdb.DuckDBPyConnection) -> list[Definition]:
    rows = con.execute(
        """SELECT indicator_id, position, name_zh, name_en, kind, unit, formats, formula,
                  formula_printed, treatment, notes, format_note, "references"
           FROM indicator_definitions ORDER BY position"""
    ).fetchall()
    return [Definition(*r[:6], tuple(r[6]), *r[7:]) for r in rows]


def read_site(con: duckdb.DuckDBPyConnection) -> SiteData:
    """Read everything the dashboard shows; each view is computed once, into a temporary
    table of this (read-only) connection."""
    _require(con)
    define_macros(con)
    definitions = _definitions(con)
    comparison = load_indicators().comparison
    for name, sql in (
        ("_cells", "SELECT * FROM indicator_cells"),
        ("_indicators", indicators_select("_cells")),
        ("_ind", "SELECT i.*, r.year FROM _indicators i JOIN reports r USING (report_id)"),
        ("_agency", agency_select("_indicators")),
        ("_ranks", ranks_select(comparison, "_agency")),
        ("_changes", changes_select("_agency")),
    ):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    coverage = con.execute(
        "SELECT year, coalesce(format, '?'), status, count(*) FROM reports "
        "GROUP BY ALL ORDER BY ALL NULLS LAST"
    ).fetchall()
    quality = con.execute(
        """SELECT year, count(*), sum(ok), sum(blank), sum(dash), sum(repaired), sum(derived),
                  sum(missing), sum(failed_checks)
           FROM report_summary GROUP BY year ORDER BY year NULLS LAST"""
    ).fetchall()
    years = sorted({y for y, *_ in coverage if y is not None})
    distribution: dict[tuple[str, int], list[float]] = defaultdict(list)
    statuses: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for ind, year, status, n, values in con.execute(
        """SELECT indicator_id, year, status, count(*), list(value) FILTER (value IS NOT NULL)
           FROM _ind WHERE year IS NOT NULL GROUP BY ALL"""
    ).fetchall():
        statuses[ind, year][status] = n
        distribution[ind, year] += values or []
    reasons: dict[str, list[tuple]] = defaultdict(list)
    for ind, status, reason, n in con.execute(
        """SELECT indicator_id, status, reason, count(*) AS n FROM _ind
           WHERE value IS NULL
           GROUP BY indicator_id, status, reason
           QUALIFY row_number() OVER (PARTITION BY indicator_id ORDER BY n DESC, reason) <= 12
           ORDER BY indicator_id, n DESC, reason"""
    ).fetchall():
        reasons[ind].append((status, reason, n))
    rankings = {
        (ind, year): (groups, html) for ind, year, groups, html in con.execute(RANKINGS).fetchall()
    }
    outliers = con.execute(
        """SELECT indicator_id, year, peer_scope, peer_group, agency_key, agency, value,
                  numerator, denominator, status, reason, rank, group_size, group_agencies,
                  q1, median, q3, lower_fence, upper_fence, outlier
           FROM _ranks WHERE outlier IS NOT NULL
           ORDER BY indicator_id, year, peer_scope, peer_group, rank"""
    ).fetchall()
    return SiteData(
        definitions, years, coverage, quality, dict(distribution), dict(statuses),
        dict(reasons), rankings, outliers, _agencies(con),
    )  # fmt: skip


def _agencies(con: duckdb.DuckDBPyConnection) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for (
        key,
        agency,
        province,
        city,
        county,
        level,
        body,
        year,
        fmt,
        rid,
        source,
        rstatus,
    ) in con.execute(
        """SELECT DISTINCT a.agency_key, a.agency, a.province, a.city, a.county, a.level,
                      a.body, a.year, a.format, a.report_id, d.source, r.status
               FROM _agency a JOIN reports r USING (report_id) JOIN documents d USING (doc_id)
               ORDER BY a.agency_key, a.year"""
    ).fetchall():
        a = agencies.setdefault(key, Agency(key))
        a.names.add(agency)
        a.places = (province, city, county, level, body)
        a.reports[year] = (rid, fmt, source, rstatus)
    for key, ind, years, values in con.execute(
        """SELECT agency_key, indicator_id, list(year ORDER BY year), list(value ORDER BY year)
           FROM _agency WHERE unit = 'share' GROUP BY agency_key, indicator_id"""
    ).fetchall():
        agencies[key].shares[ind] = dict(zip(years, values, strict=True))
    for key, ind, *cells in con.execute(AGENCY_ROWS).fetchall():
        agencies[key].rows[ind] = tuple(cells)
    by_report = {rid: key for key, a in agencies.items() for rid, *_ in a.reports.values()}
    for rid, n, html in con.execute(EVIDENCE).fetchall():
        agencies[by_report[rid]].evidence[rid] = (n, html)
    return agencies
