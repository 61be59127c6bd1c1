"""Write the offline dashboard: read the warehouse once, draw the charts, write the pages.

site/index.html                coverage and parse quality
site/indicators/index.html     every indicator; one page each (definition, distribution,
                               NULL reasons, outliers) and one ranking page per year
site/agencies/index.html       every agency; one page each with its trends and evidence
site/outliers.html             outliers within peer groups
site/charts/*.svg              charts (matplotlib), beside their tables
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.dashboard import charts
from pipeline.dashboard.agency_pages import AgencyTask, write_agency_pages
from pipeline.dashboard.data import DashboardError, SiteData, read_site
from pipeline.dashboard.markup import STYLE, file_id
from pipeline.dashboard.pages import (
    agencies_index,
    index_page,
    indicator_page,
    indicators_index,
    outliers_page,
    ranking_page,
)
from pipeline.pool import PoolSettings, TaskFailure, run_pool


@dataclass(frozen=True)
class DashboardSettings:
    """Worker processes for the agency pages and how many agencies each task writes."""

    jobs: int = 1
    chunk: int = 100
    task_timeout_s: float = 600.0

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {self.jobs}")
        if self.chunk < 1:
            raise ValueError(f"chunk must be at least 1, got {self.chunk}")


@dataclass(frozen=True)
class DashboardSummary:
    """What was written, and how long reading and writing took."""

    index: Path
    pages: int
    charts: int
    agencies: int
    read_s: float
    write_s: float


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _overview_charts(data: SiteData, folder: Path) -> dict[str, str]:
    years = data.years
    status: dict[str, list[int]] = {s: [0] * len(years) for s in ("parsed", "partial", "failed")}
    formats: dict[str, list[int]] = {}
    for year, fmt, st, n in data.coverage:
        if year is None:
            continue
        i = years.index(year)
        status.setdefault(st, [0] * len(years))[i] += n
        formats.setdefault(fmt, [0] * len(years))[i] += n
    quality = {y: q for y, *q in data.quality if y is not None}
    shares: dict[str, list[float | None]] = {"missing": [], "repaired": [], "derived": []}
    for y in years:
        _, ok, blank, dash, repaired, derived, missing, _ = quality.get(y, (0,) * 8)
        cells = ok + blank + dash + repaired + missing
        shares["missing"].append(missing / cells if cells else None)
        shares["repaired"].append(repaired / cells if cells else None)
        shares["derived"].append(derived / cells if cells else None)
    drawn = {
        "status": charts.stacked_bars(years, status, "reports"),
        "format": charts.stacked_bars(years, formats, "reports"),
        "quality": charts.lines(years, shares, "share of cells", share=True),
    }
    out = {}
    for name, svg in drawn.items():
        _write(folder / f"{name}.svg", svg)
        out[name] = f"charts/{name}.svg"
    return out


def build_dashboard(
    con: duckdb.DuckDBPyConnection, out: str | Path, settings: DashboardSettings
) -> DashboardSummary:
    """Write the site into `out` from the warehouse behind `con` (read-only is enough)."""
    started = time.perf_counter()
    data = read_site(con)
    read_s = time.perf_counter() - started
    root = Path(out)
    for sub in ("", "charts", "indicators", "agencies"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    _write(root / "style.css", STYLE)
    pages = n_charts = 0
    _write(root / "index.html", index_page(data, _overview_charts(data, root / "charts")))
    n_charts += 3
    if data.years:
        _write(root / "charts" / "trend-axes.svg", charts.trend_axes(data.years))
        n_charts += 1
    _write(root / "indicators" / "index.html", indicators_index(data))
    for d in data.definitions:
        values = [data.distribution.get((d.id, y), []) for y in data.years]
        nulls = [
            sum(n for s, n in data.statuses.get((d.id, y), {}).items()
                if s not in ("ok", "repaired", "derived"))
            for y in data.years
        ]  # fmt: skip
        svg = f"{file_id(d.id)}.svg"
        _write(root / "charts" / svg, charts.distribution(data.years, values, nulls, d.share))
        _write(
            root / "indicators" / f"{file_id(d.id)}.html",
            indicator_page(data, d, f"../charts/{svg}"),
        )
        for y in data.years:
            _write(root / "indicators" / f"{file_id(d.id)}-{y}.html", ranking_page(data, d, y))
            pages += 1
        pages += 1
        n_charts += 1
    _write(root / "outliers.html", outliers_page(data))
    _write(root / "agencies" / "index.html", agencies_index(data))
    pages += 4
    agencies = list(data.agencies.values())
    tasks = [
        AgencyTask(
            str(root),
            tuple(data.years),
            tuple(data.definitions),
            tuple(agencies[i : i + settings.chunk]),
        )
        for i in range(0, len(agencies), settings.chunk)
    ]
    if settings.jobs == 1 or len(tasks) == 1:
        written = sum(write_agency_pages(t) for t in tasks)
    else:
        written = 0
        pool = PoolSettings(jobs=settings.jobs, timeout_s=settings.task_timeout_s, memory_mb=0)
        for task, result in run_pool(write_agency_pages, tasks, pool):
            if isinstance(result, TaskFailure):
                raise DashboardError(
                    f"agency pages of {task.agencies[0].key} … could not be written: "
                    f"{result.reason}"
                )
            written += result
    pages += written
    n_charts += written
    return DashboardSummary(
        root / "index.html",
        pages,
        n_charts,
        written,
        read_s,
        time.perf_counter() - started - read_s,
    )
