"""One page per agency: its reports, the trend of its shares (chart and table), every
indicator per year with gaps and reasons, changes, peer ranks and the cells behind each value.

`write_agency_pages` runs in worker processes (the chart figures are reused within a task).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.dashboard.charts import PALETTE, TrendChart
from pipeline.dashboard.data import Agency, Definition
from pipeline.dashboard.markup import agency_file, esc, file_id, page, table

AXES = "../charts/trend-axes.svg"  # the shared background of the layered trend charts


@dataclass(frozen=True)
class AgencyTask:
    """A chunk of agencies to write into `out` (the site folder)."""

    out: str
    years: tuple[int, ...]
    definitions: tuple[Definition, ...]
    agencies: tuple[Agency, ...]


def _evidence(a: Agency) -> str:
    blocks = []
    head = ["cell", "status", "printed", "value", "where in the source", "problem", "note"]
    for year in sorted(a.reports):
        rid, fmt, source, _status = a.reports[year]
        n, rows = a.evidence.get(rid, (0, ""))
        blocks.append(
            f"<details><summary>{year} · report {esc(rid)} · format {esc(fmt)} · "
            f"{esc(source)} · {n} cells</summary>{table(head, [rows], 3)}</details>"
        )
    return "".join(blocks)


def _trend(a: Agency, svg: str, layered: bool, shares: list[Definition]) -> str:
    alt = esc(f"shares of {a.key} over the years")
    under = f'<img src="{AXES}" alt="">' if layered else ""
    img = f'<div class="trend">{under}<img src="{esc(svg)}" alt="{alt}"></div>'
    legend = "".join(
        f'<li><span class="sw c{i % len(PALETTE)}"></span>{esc(d.id)}: {esc(d.name_zh)} = '
        f"{esc(d.formula)}</li>"
        for i, d in enumerate(shares)
    )
    return (
        f"{img}<p class='small'>A line breaks where a value is NULL (no point is drawn); the "
        f"table below gives the reason.</p><ul class='small'>{legend}</ul>"
    )


def agency_page(a: Agency, defs: tuple[Definition, ...], svg: str, layered: bool) -> str:
    """The page of one agency (`svg`: its chart's file name, in the same folder)."""
    ys = sorted(a.reports)
    province, city, county, level, body = a.places
    reports = [
        f'<tr><td class="l">{y}</td><td class="l">{esc(rid)}</td><td class="l">{esc(fmt)}</td>'
        f'<td class="l">{esc(status)}</td><td class="l">{esc(source)}</td></tr>'
        for y, (rid, fmt, source, status) in sorted(a.reports.items())
    ]
    head = ["indicator", "unit", *map(str, ys)]
    empty = "<td></td>" * len(ys)

    def rows(part: int) -> list[str]:
        return [
            f'<tr><td class="l"><a href="../indicators/{file_id(d.id)}.html">{esc(d.id)}</a>'
            f'<span class="why">{esc(d.name_zh)}</span></td><td class="l">{esc(d.unit)}</td>'
            f"{a.rows[d.id][part] if d.id in a.rows else empty}</tr>"
            for d in defs
        ]

    body = (
        f"<h1>{esc(a.key)}</h1><p>{esc(' · '.join(x for x in (province, city, county) if x))}"
        f" · level {esc(level)} · {esc(body)}<br>printed as: {esc('、'.join(sorted(a.names)))}</p>"
        f"<h2>Reports</h2>{table(['year', 'report', 'format', 'status', 'source'], reports, 5)}"
        f"<h2>Trends of the shares</h2>{_trend(a, svg, layered, [d for d in defs if d.share])}"
        "<h2>Every indicator per year</h2><p class='small'>Values as the reports print them; "
        "a gap (—) with its status and reason where a value cannot be computed; derived or "
        "repaired cells marked (hover for the cells).</p>"
        f"{table(head, rows(0), 2)}<h2>Change from the year before</h2>"
        f"{table(head, rows(1), 2)}<h2>Rank within peer groups</h2>"
        "<p class='small'>rank/agencies with a value; city = same level and body in the same "
        "city, province = … in the same province (hover for the group).</p>"
        f"{table(head, rows(2), 2)}<h2>Evidence: the cells behind every value</h2>"
        f"{_evidence(a)}"
    )
    return page(a.key, body, 1)


def write_agency_pages(task: AgencyTask) -> int:
    """Write the chart and page of each agency of the task; return pages written."""
    folder = Path(task.out) / "agencies"
    shares = [d.id for d in task.definitions if d.share]
    trend = TrendChart(task.years, shares)
    for a in task.agencies:
        name = agency_file(a.key)
        svg = name.removesuffix(".html") + ".svg"
        drawn, layered = trend.draw(a.shares)
        (folder / svg).write_text(drawn, encoding="utf-8")
        (folder / name).write_text(agency_page(a, task.definitions, svg, layered), encoding="utf-8")
    return len(task.agencies)
