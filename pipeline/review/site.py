"""Write the review site: an index of every report and one page per report, offline.

The warehouse is read in bulk; each report's source evidence is gathered in worker processes
under a time and memory budget (a document that cannot be read again is shown as
unavailable, with the reason); pages are rendered from templates with every inserted value
escaped, and carry a Content-Security-Policy that lets them load only the site's own files.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb
import jinja2

from parsers.templates import FORMATS
from pipeline.pool import PoolSettings, TaskFailure, run_pool
from pipeline.review.evidence import EvidenceSettings, EvidenceTask, gather_evidence
from pipeline.review.markup import check_rows, printed_table, source_table
from pipeline.review.page import build_page, review_state
from pipeline.review.records import (
    Decisions,
    ReportRecord,
    list_reports,
    load_records,
    paragraph_keys,
    sources_by_doc,
)
from pipeline.review.source import candidate_places

log = logging.getLogger(__name__)

_HERE = Path(__file__).parent
# Only the site's own files: its scripts, its style sheet and its page images.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)
ASSETS = ("site.css", "review.js", "index.js", "report.js")
_HEX = re.compile(r"^[0-9a-f]{1,64}$")


@dataclass(frozen=True)
class SiteSettings:
    """Where sources are found again, and how the site is made."""

    # The raw store of crawled documents (`<db>.raw`); None when there is none.
    raw_root: Path | None = None
    # The folder relative paths of parsed files are resolved against.
    cwd: Path | None = None
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout_s: float = 120.0
    # A scanned page read again by OCR at 300 dpi needs about 1.7 GB (as `nianbao parse`).
    memory_mb: int = 3072
    # Reports whose warehouse rows are read and pages written together.
    chunk: int = 500
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)

    def __post_init__(self) -> None:
        if self.jobs < 1 or self.chunk < 1:
            raise ValueError("jobs and chunk must be at least 1")


@dataclass
class SiteSummary:
    """What was written: pages, images and bytes, and how long it took."""

    index: Path
    reports: int = 0
    page_bytes: int = 0
    largest_page: int = 0
    images: int = 0
    image_bytes: int = 0
    evidence_unavailable: int = 0
    seconds: float = 0.0


@cache
def words() -> dict:
    """The interface words (`words.toml`)."""
    return tomllib.loads((_HERE / "words.toml").read_text(encoding="utf-8"))


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # `tojson` escapes < > & ' for a script block; keep Chinese readable and order stable.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    env.globals.update(
        words=words(),
        csp=CSP,
        printed_table=printed_table,
        source_table=source_table,
        check_rows=check_rows,
    )
    return env


def page_file(report_id: str) -> str:
    """The file name of a report's page (report ids are hex; anything else is hashed)."""
    if not _HEX.match(report_id):
        report_id = hashlib.sha256(report_id.encode()).hexdigest()[:16]
    return f"report-{report_id}.html"


@dataclass(frozen=True)
class PageTask:
    """One report page to write: its warehouse record, its evidence task, its neighbours."""

    record: ReportRecord
    evidence: EvidenceTask | None
    folder: str
    file: str
    neighbours: tuple[str | None, str | None]


@dataclass(frozen=True)
class PageResult:
    """What writing one page produced."""

    report_id: str
    size: int
    review: str
    images: tuple[str, ...] = ()
    unavailable: bool = False


def write_page(task: PageTask) -> PageResult:
    """Gather the evidence, render the page and write it (runs in a worker process)."""
    evidence = gather_evidence(task.evidence) if task.evidence is not None else None
    html = _report_html(task.record, evidence, task.neighbours).encode("utf-8")
    (Path(task.folder) / task.file).write_bytes(html)
    return PageResult(
        task.record.report_id,
        len(html),
        review_state(task.record),
        tuple(p["src"] for p in (evidence or {}).get("pages", [])),
        evidence is not None and not evidence.get("available"),
    )


def write_site(
    con: duckdb.DuckDBPyConnection,
    out: str | Path,
    settings: SiteSettings | None = None,
    progress: Callable[[int], None] | None = None,
) -> SiteSummary:
    """Write the review site into `out`; return what was written (the index page first).

    Reports are read from the warehouse a chunk at a time; their pages are written by
    worker processes, each page under the time and memory budget of `settings`.
    """
    started = time.perf_counter()
    s = settings or SiteSettings()
    folder = Path(out)
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "img").mkdir(exist_ok=True)
    (folder / ".evidence").mkdir(exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(_HERE / "assets" / name, folder / "assets" / name)
    rows = list_reports(con)
    files = [page_file(r["report_id"]) for r in rows]
    summary = SiteSummary(index=folder / "index.html")
    sources = sources_by_doc(con)
    decisions = Decisions(con)
    paragraphs = paragraph_keys(con)
    review: dict[str, str] = {}
    images: set[str] = set()
    kept: set[str] = set()
    for start in range(0, len(rows), s.chunk):
        chunk = rows[start : start + s.chunk]
        tasks = []
        for i, record in enumerate(load_records(con, chunk, sources, decisions), start):
            before = files[i - 1] if i else None
            after = files[i + 1] if i + 1 < len(files) else None
            evidence = _evidence_task(record.row, sources, paragraphs, folder, s)
            if evidence is not None:
                kept.add(evidence.cache_name)
            tasks.append(PageTask(record, evidence, str(folder), files[i], (before, after)))
        for task, result in _run(tasks, s):
            if isinstance(result, TaskFailure):
                result = _fallback(task, result.reason)
            summary.reports += 1
            summary.page_bytes += result.size
            summary.largest_page = max(summary.largest_page, result.size)
            summary.evidence_unavailable += result.unavailable
            review[result.report_id] = result.review
            images.update(result.images)
            if progress:
                progress(1)
    summary.images, summary.image_bytes = _prune_images(folder / "img", images)
    _prune(folder / ".evidence", kept)
    for stale in set(p.name for p in folder.glob("report-*.html")) - set(files):
        (folder / stale).unlink()  # a report no longer in the warehouse
    index = (
        _env()
        .get_template("index.html")
        .render(
            page_title=words()["ui"]["site_title"],
            script="index.js",
            body_class="index",
            count=len(rows),
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            entries=[
                _entry(r, files[i], review.get(r["report_id"], "none"), i)
                for i, r in enumerate(rows)
            ],
        )
    )
    summary.index.write_text(index, encoding="utf-8")
    summary.seconds = time.perf_counter() - started
    return summary


def _evidence_task(
    row: dict, sources: dict, paragraphs: dict, folder: Path, s: SiteSettings
) -> EvidenceTask | None:
    """What to read again for a report's evidence; None for a report without tables."""
    if row["status"] == "failed" or row["format"] not in FORMATS:
        return None
    return EvidenceTask(
        row["report_id"],
        row["sha256"],
        row["source"],
        candidate_places(row["sha256"], sources.get(row["doc_id"], []), s.raw_root, s.cwd),
        str((folder / "img").resolve()),
        tuple(paragraphs.get(row["report_id"], ())),
        s.evidence,
        str((folder / ".evidence").resolve()),
    )


def _run(tasks: list[PageTask], s: SiteSettings) -> Iterable[tuple[PageTask, object]]:
    """Each page written in a worker under the budget; in this process when jobs is 1."""
    if s.jobs == 1:
        return ((t, write_page(t)) for t in tasks)
    budget = PoolSettings(min(s.jobs, len(tasks)), s.timeout_s, s.memory_mb)
    return run_pool(write_page, tasks, budget)


def _fallback(task: PageTask, reason: str) -> PageResult:
    """The page without its evidence, when writing it failed (timed out, out of memory)."""
    log.warning("review page of %s: %s; written without source evidence", task.file, reason)
    evidence = {"available": False, "reason": f"reading the source failed: {reason}"}
    html = _report_html(task.record, evidence, task.neighbours).encode("utf-8")
    (Path(task.folder) / task.file).write_bytes(html)
    return PageResult(task.record.report_id, len(html), review_state(task.record), (), True)


def _report_html(record: ReportRecord, evidence: dict | None, neighbours: tuple) -> str:
    page = build_page(record, evidence, neighbours)
    row = record.row
    title = row["title"] or row["source"]
    return (
        _env()
        .get_template("report.html")
        .render(
            page=page,
            page_title=f"{title} · {words()['ui']['site_title']}",
            script="report.js",
            body_class="report",
        )
    )


def _entry(r: dict, file: str, review: str, order: int) -> dict:
    return {
        "id": r["report_id"],
        "file": file,
        "title": r["title"],
        "agency": r["agency"],
        "year": r["year"],
        "format": r["format"],
        "status": r["status"],
        "failed": r["failed_checks"],
        "missing": r["missing"],
        "repaired": r["repaired"],
        "review": review,
        "source": r["source"],
        "order": order,
    }


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove what earlier runs read of documents no page shows any more."""
    for path in folder.iterdir():
        if path.name not in keep and path.suffix in (".json", ".part"):
            path.unlink()


def _prune_images(folder: Path, keep: set[str]) -> tuple[int, int]:
    """Remove page images no page refers to any more; return the count and bytes kept."""
    count = size = 0
    for path in folder.iterdir():
        if f"img/{path.name}" in keep:
            count += 1
            size += path.stat().st_size
        elif path.suffix in (".png", ".part"):
            path.unlink()
    return count, size
