"""The `nianbao` command line: thin wrappers that parse options, call the stages and print."""

from __future__ import annotations

import json
import logging
import os
import sys
from importlib import metadata
from pathlib import Path

import click
import duckdb

from parsers import PARSER_VERSION
from parsers.errors import NianbaoError, SourceError
from pipeline.batch import BatchSettings, BatchSummary, find_files, load_stream, parse_all
from pipeline.errors import ConfigError
from pipeline.output import FORMATS, render_rows
from pipeline.store import WarehouseLockedError
from pipeline.terminal import terminal_safe
from warehouse import queries
from warehouse.access import (
    AccessSettings,
    Warehouse,
    WarehouseInUseError,
    WarehouseUnwritableError,
)
from warehouse.schema import connect


def _wait_option(f):
    return click.option("--wait", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
                        help="How long to wait for a warehouse file another process holds "
                        "(default: 30 s to read, 600 s to write); then exit 2.")(f)  # fmt: skip


def _access(wait: float | None) -> AccessSettings:
    if wait is None:
        return AccessSettings()
    return AccessSettings(reader_wait=wait, writer_wait=wait)


def _access_settings() -> AccessSettings:
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj["access"] if obj else AccessSettings()


def _open(db: str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection for the command. Readers wait briefly while a run or parse writes (they
    write in short sessions); a file held longer is 'in use' (exit 2)."""
    if read_only and not Path(db).exists():
        raise click.UsageError(f"no warehouse at {db}")
    try:
        return Warehouse(db, _access_settings()).open_reader() if read_only else connect(db)
    except duckdb.Error as exc:
        raise click.UsageError(f"cannot open the warehouse {db}: {exc}") from exc


def _writer(db: str) -> Warehouse:
    """The warehouse for a writing command, created and migrated now (errors say so early)."""
    warehouse = Warehouse(db, _access_settings())
    try:
        with warehouse.writing():
            pass
    except duckdb.Error as exc:
        raise click.UsageError(f"cannot open the warehouse {db}: {exc}") from exc
    return warehouse


def _package_version() -> str:
    try:
        return metadata.version("nianbao")
    except metadata.PackageNotFoundError:  # run from a checkout without installing
        return "unknown"


class _Nianbao(click.Group):
    """The command group; errors a person can act on become messages and exit codes here,
    once: configuration errors and a warehouse in use exit 2, a warehouse that refused its
    writes 1, an interrupted run 130."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (WarehouseLockedError, WarehouseInUseError) as exc:  # another run or reader
            click.echo(f"in use: {exc.reason}", err=True)
            raise click.exceptions.Exit(2) from exc
        except WarehouseUnwritableError as exc:
            click.echo(f"stopped: {exc.reason}", err=True)
            raise click.exceptions.Exit(1) from exc
        except ConfigError as exc:
            click.echo(f"configuration error: {exc.reason}", err=True)
            raise click.exceptions.Exit(2) from exc
        except NianbaoError as exc:  # an interrupted crawl; its run row says so
            click.echo(f"stopped: {exc.reason}", err=True)
            raise click.exceptions.Exit(130) from exc


@click.group(cls=_Nianbao)
@click.version_option(
    _package_version(),
    prog_name="nianbao",
    message=f"%(prog)s %(version)s (parser {PARSER_VERSION})",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; warnings only on stderr.")
@_wait_option
@click.pass_context
def main(ctx: click.Context, quiet: bool, wait: float | None) -> None:
    """nianbao: 政府信息公开工作年度报告 into a DuckDB warehouse you can audit."""
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # pdfminer warns once per bad operator in a damaged PDF; the reason we record suffices.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    # httpx logs every request at INFO; the crawl's summary and fetch_errors say what matters.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    ctx.obj = {"quiet": quiet, "access": _access(wait)}


def _print_summary(s: BatchSummary) -> None:
    r, c, k = s.reports, s.cells, s.checks
    click.echo(
        f"reports: {r['parsed']} parsed, {r['partial']} partial, {r['failed']} failed"
        f" ({s.outcomes['inserted']} new, {s.outcomes['replaced']} re-parsed,"
        f" {s.outcomes['unchanged']} unchanged)"
    )
    click.echo(
        f"cells: {c['ok']} ok, {c['blank']} blank, {c['dash']} dash, {c['repaired']} repaired,"
        f" {c['derived']} derived, {c['missing']} missing"
    )
    click.echo(f"checks: {k['pass']} pass, {k['fail']} failed, {k['not_evaluable']} not evaluable")
    if s.internal_errors:
        click.echo(f"internal errors: {s.internal_errors} (tracebacks on stderr)")
    for source, error in s.failures[:20]:
        click.echo(terminal_safe(f"failed: {source}: {error}"))
    if len(s.failures) > 20:
        click.echo(f"... and {len(s.failures) - 20} more failures (see `nianbao audit`)")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", required=True, help="Warehouse file (created if absent).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=120,
    show_default=True,
    help="Seconds one document may take before it is recorded as failed.",
)
@click.pass_context
def parse(
    ctx: click.Context, paths: tuple[str, ...], db: str, jobs: int | None, timeout: float
) -> None:
    """Parse local report files (.html .htm .txt .pdf .docx .doc .wps .xlsx .xls; folders
    recursively) into the warehouse.

    Example: nianbao parse reports/ --db warehouse.duckdb --jobs 2
    """
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    files = find_files(paths)
    settings = BatchSettings(jobs=jobs or os.cpu_count() or 1, timeout_s=timeout)
    warehouse = _writer(db)
    show = not ctx.obj["quiet"] and sys.stderr.isatty()
    with click.progressbar(
        length=len(files), label="parsing", file=sys.stderr, hidden=not show
    ) as bar:
        summary = load_stream(
            warehouse, parse_all(files, settings), settings, lambda _: bar.update(1)
        )
    _print_summary(summary)
    ctx.exit(1 if summary.reports["failed"] else 0)


def _summary_option(f):
    return click.option("--summary-json", default=None, metavar="FILE",
                        help="Also write the run's summary as JSON to FILE.")(f)  # fmt: skip


def _print_run_report(result) -> None:
    """The sources flagged, what changed, and how the run ended if not well."""
    from pipeline.summary import change_lines, health_lines, status_word

    for line in health_lines(result) + change_lines(result):
        click.echo(line)
    if result.unwritable:
        click.echo(f"run {result.crawl.run_id} stopped: {status_word(result)}")
        if result.crawl.unsaved_rows:
            click.echo(
                f"{result.crawl.unsaved_rows} rows not saved: the next run fetches those URLs again"
            )


def _run_exit(result) -> int:
    """0 all went well; 1 some URL or document failed, or the warehouse refused writes."""
    failed_docs = bool(result.parsed and result.parsed.reports["failed"])
    return 1 if result.unwritable or result.crawl.failures or failed_docs else 0


def _crawl_options(f):
    f = click.option("--db", required=True, help="Warehouse file (created if absent).")(f)
    return click.option("--config", "config_path", required=True,
                        help="Sources config (TOML).")(f)  # fmt: skip


def _crawl_progress(ctx: click.Context):
    """A one-line progress display on a terminal; nothing under cron or with --quiet."""
    if ctx.obj["quiet"] or not sys.stderr.isatty():
        return None

    def show(p) -> None:
        line = f"{p.done} URLs, {p.pending} pending, {p.new_documents} new, {p.failed} failed"
        click.echo(f"\r{line}  {p.url[-60:]:<60}", nl=False, err=True)

    return show


def _print_crawl(summary) -> None:
    c = summary.counts
    click.echo(
        f"crawl run {summary.run_id} {summary.status}: {c.requests} requests, {c.fetched} fetched, "
        f"{c.not_modified} unchanged, {c.new_documents} new documents, {c.failed_urls} failed URLs"
        f" ({summary.elapsed:.1f} s)"
    )
    for url, reason in summary.failures[:20]:
        click.echo(f"failed: {url}: {reason}")
    if len(summary.failures) > 20:
        click.echo(f"... and {len(summary.failures) - 20} more (table fetch_errors)")


@main.command("crawl")
@_crawl_options
@click.pass_context
def crawl_cmd(ctx: click.Context, config_path: str, db: str) -> None:
    """Fetch what the sources config names and store the raw documents; no parsing.

    Polite by default: robots.txt obeyed, at most 1 request/s and 2 connections per host;
    unchanged pages cost a conditional request. Raw bytes go to DB.raw/ next to the warehouse.

    Example: nianbao crawl --config sources.toml --db warehouse.duckdb
    """
    from pipeline.config import load_config
    from pipeline.run import run_once

    progress = _crawl_progress(ctx)
    result = run_once(
        load_config(config_path),
        db,
        BatchSettings(),
        parse=False,
        progress=progress,
        access=ctx.obj["access"],
    )
    if progress:
        click.echo(err=True)
    _print_crawl(result.crawl)
    _print_run_report(result)
    ctx.exit(_run_exit(result))


@main.command("run")
@_crawl_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for parsing (default: all cores).")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(min=1), default=120, show_default=True,
              help="Seconds one document may take before it is recorded as failed.")  # fmt: skip
@_summary_option
@click.pass_context
def run_cmd(
    ctx: click.Context,
    config_path: str,
    db: str,
    jobs: int | None,
    timeout: float,
    summary_json: str | None,
) -> None:
    """Crawl the sources, then parse and load whatever is new or changed.

    Meant for cron: quiet with --quiet, exit 0 when all went well, 1 when some URL or
    document failed (each recorded in the warehouse with its reason) or the warehouse
    refused the writes. Prints the sources flagged as unhealthy and what changed (reports
    new, republished with the figures that moved, gone); --summary-json writes the same
    for a mailer or a monitoring system. Queries, audits and exports are answered
    while it runs.

    Example: nianbao --quiet run --config sources.toml --db warehouse.duckdb
    --summary-json last-run.json
    """
    from pipeline.config import load_config
    from pipeline.run import run_once

    settings = BatchSettings(jobs=jobs or os.cpu_count() or 1, timeout_s=timeout)
    progress = _crawl_progress(ctx)
    result = run_once(
        load_config(config_path), db, settings, progress=progress, access=ctx.obj["access"]
    )
    if progress:
        click.echo(err=True)
    _print_crawl(result.crawl)
    if result.parsed is not None:
        _print_summary(result.parsed)
    if result.not_parsed:
        kinds = sorted({d.media_type for d in result.not_parsed if d.kind != "pointer"})
        if kinds:
            click.echo(f"stored but not parsed: {', '.join(kinds)}")
    _print_run_report(result)
    code = _run_exit(result)
    if summary_json:
        from pipeline.summary import run_summary, write_summary

        write_summary(summary_json, run_summary(result, code))
    ctx.exit(code)


@main.command()
@click.argument("sql", required=False)
@click.option("--db", help="Warehouse file.")
@click.option("-f", "--file", "sql_file", type=click.Path(dir_okay=False),
              help="Read the SQL from this file.")  # fmt: skip
@click.option("--example", "example", help="Run a named example query (see --list-examples).")
@click.option("--list-examples", is_flag=True, help="List the example queries and exit.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
)
def query(
    sql: str | None,
    db: str | None,
    sql_file: str | None,
    example: str | None,
    list_examples: bool,
    fmt: str,
) -> None:
    """Run one read-only SQL statement against the warehouse and print the result.

    The SQL comes from the argument, a file (-f) or a named example (--example). It runs on
    a read-only connection without file, network or extension access and with settings
    locked: one statement per call; COPY, ATTACH, read_csv('/etc/...') and SET are refused
    (exit 2). Text is printed terminal-safe (control characters shown as escapes).

    Example: nianbao query --db warehouse.duckdb "SELECT agency, year, status FROM reports"
    """
    from warehouse.examples import load_examples
    from warehouse.sandbox import QueryError, open_for_query, run_one

    examples = load_examples()
    if list_examples:
        for e in examples.values():
            click.echo(f"{e.name}\n    {e.question}")
        return
    given = [x for x in (sql, sql_file, example) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of: SQL, -f FILE, --example NAME")
    if db is None:
        raise click.UsageError("--db is required")
    if example is not None:
        if example not in examples:
            raise click.UsageError(f"no example named {example!r}; known: {', '.join(examples)}")
        sql = examples[example].sql
    elif sql_file is not None:
        try:
            sql = Path(sql_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.UsageError(f"cannot read the SQL file {sql_file}: {exc}") from exc
    if not Path(db).exists():
        raise click.UsageError(f"no warehouse at {db}")
    try:
        con = open_for_query(db, Warehouse(db, _access_settings()))
    except duckdb.Error as exc:
        raise click.UsageError(f"cannot open the warehouse {db}: {exc}") from exc
    try:
        names, rows = run_one(con, sql or "")
    except QueryError as exc:
        raise click.UsageError(exc.reason) from exc
    finally:
        con.close()
    click.echo(render_rows(names, rows, fmt))


@main.command()
@click.option("--db", required=True, help="Warehouse file.")
@click.option("--html", "html_dir", default=None, help="Also write the review site into DIR.")
@click.option(
    "--import",
    "decisions_file",
    default=None,
    help="Load reviewer decisions downloaded from the review site (a JSON file).",
)
@click.pass_context
def audit(ctx: click.Context, db: str, html_dir: str | None, decisions_file: str | None) -> None:
    """List, per report, what failed checks, what is missing and why, what was repaired.

    With --html DIR, also write the review site: every report laid out as its national
    format, each figure beside its source (the PDF page with the cell's box, or the source
    table with the cell highlighted), checks and diagnoses; reviewers mark figures confirmed
    or wrong in the browser and download their decisions. It opens from disk, offline.

    With --import FILE, load those decisions into reviewer_decisions (nothing else is done).

    Example: nianbao audit --db warehouse.duckdb --html review/
    """
    if decisions_file:
        ctx.exit(_import_decisions(db, decisions_file))
    con = _open(db, read_only=True)
    if html_dir:
        _write_review_site(ctx, con, db, html_dir)
    for a in queries.audit_rows(con):
        if (
            a["status"] == "parsed"
            and not a["failed_checks"]
            and not a["repaired"]
            and not a["missing"]
        ):
            continue
        echo = _echo_document_text
        echo(
            f"== {a['source']}  [{a['status']}] {a['agency'] or '?'} {a['year'] or '?'}"
            f" format {a['format'] or '?'}"
        )
        if a["error"]:
            echo(f"   reason: {a['error']}")
        for table_id, severity, message in a["diagnoses"]:
            echo(f"   {severity}: {table_id}: {message}")
        for table_id, n, note in a["missing"]:
            echo(f"   missing: {table_id}: {n} cells ({note})")
        for cell, status, note in a["repaired"]:
            echo(f"   {status}: {cell}: {note}")
        for rule, scope, message in a["failed_checks"]:
            echo(f"   check failed: {rule} [{scope}]: {message}")


def _echo_document_text(line: str) -> None:
    """Print a line holding text from documents (titles, paths, reasons): no escape sequence
    or other control character reaches the terminal."""
    click.echo(terminal_safe(line))


def _write_review_site(ctx: click.Context, con, db: str, html_dir: str) -> None:
    from pipeline.review import SiteSettings, write_site
    from pipeline.store import default_raw_root

    settings = SiteSettings(raw_root=default_raw_root(db), cwd=Path.cwd())
    show = not ctx.obj["quiet"] and sys.stderr.isatty()
    with click.progressbar(
        length=con.execute("SELECT count(*) FROM reports").fetchone()[0],
        label="review site",
        file=sys.stderr,
        hidden=not show,
    ) as bar:
        s = write_site(con, html_dir, settings, bar.update)
    click.echo(
        f"review site: {s.index} ({s.reports} report pages, {s.page_bytes / 2**20:.1f} MB; "
        f"{s.images} page images, {s.image_bytes / 2**20:.1f} MB; {s.seconds:.1f} s)",
        err=True,
    )
    if s.evidence_unavailable:
        click.echo(
            f"source unavailable for {s.evidence_unavailable} reports (each page says why)",
            err=True,
        )


def _import_decisions(db: str, path: str) -> int:
    """Load a decisions file; exit status 0, or 1 when some decisions were left out."""
    from pipeline.review.decisions import DecisionFileError, import_decisions, read_decisions

    if not Path(db).exists():
        raise click.UsageError(f"no warehouse at {db}")
    try:
        rows = read_decisions(path)
    except DecisionFileError as exc:
        raise click.UsageError(f"cannot import decisions: {exc.reason}") from exc
    con = _open(db)
    try:
        summary = import_decisions(con, path, rows)
    finally:
        con.close()
    click.echo(
        f"decisions: {summary.read} read, {summary.added} imported, "
        f"{summary.read - summary.added - len(summary.rejected)} already there, "
        f"{len(summary.rejected)} left out"
    )
    for reason in summary.rejected[:20]:
        click.echo(terminal_safe(f"left out: {reason}"))
    if len(summary.rejected) > 20:
        click.echo(f"... and {len(summary.rejected) - 20} more")
    return 1 if summary.rejected else 0


@main.command("eval")
@click.option("--db", required=True, help="Warehouse holding the parsed corpus.")
@click.option("--gold", "gold_dir", required=True, help="Folder of *.gold.json files.")
@click.option("--show", type=int, default=10, show_default=True, help="Mismatches to list.")
@click.option(
    "--by",
    type=click.Choice(["profile", "rendition", "variant"]),
    default=None,
    help="Also score each group: per profile, rendition, or each quirk/damage/variant.",
)
def evaluate_cmd(db: str, gold_dir: str, show: int, by: str | None) -> None:
    """Score the warehouse against gold files: cell accuracy, fabricated values, recall.

    Every fabricated value (a number where the gold has none, or a different one) and every
    printed number read as blank or dash (false_empty) is listed on stderr. A gold cell marked
    accept_missing counts as right when read as printed or left missing. Each gold is scored
    against the report read from its document's path, else the one report of that file name
    (folders of one corpus may share file names: parsed into one warehouse, each scores its
    own).

    Example: nianbao parse corpus/ --db eval.duckdb && nianbao eval --db eval.duckdb --gold corpus/
    """
    from pipeline.evaluate import score_groups

    con = _open(db, read_only=True)
    s = score_groups(con, gold_dir, None)["all"]
    result = s.as_dict()
    if by:
        groups = score_groups(con, gold_dir, by)
        result["by_" + by] = {name: g.as_dict() for name, g in sorted(groups.items())}
    click.echo(json.dumps(result, indent=1, ensure_ascii=False))
    for f in s.fabrications:
        tag = "FALSE_EMPTY " if f.get("kind") == "false_empty" else "FABRICATED "
        click.echo(tag + json.dumps(f, ensure_ascii=False), err=True)
    for m in s.mismatches[:show]:
        click.echo(json.dumps(m, ensure_ascii=False), err=True)


@main.command()
@click.option("--db", required=True, help="Warehouse file.")
@click.option(
    "--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True
)
@click.option("--out", required=True, help="Folder to write the files into.")
def export(db: str, fmt: str, out: str) -> None:
    """Write the warehouse's tables and views to a folder as Parquet or CSV files.

    facts and checks are partitioned by report year (hive layout: facts/year=2023/...);
    every other table and view is one file. pandas, polars and DuckDB read them back.

    Example: nianbao export --db warehouse.duckdb --format parquet --out export/
    """
    from warehouse.export import export_warehouse

    con = _open(db, read_only=True)
    for name, target in export_warehouse(con, Path(out), fmt):
        click.echo(f"{name}: {target}")


@main.command("recheck")
@click.option("--db", required=True, help="Warehouse file.")
def recheck_cmd(db: str) -> None:
    """Recompute the cross-report checks and text reuse of every agency.

    Loading does this for the reports it stores and those they pair with; run it after
    editing agency_aliases (a renamed or merged body), so that continuity follows the new
    keys.

    Example: nianbao recheck --db warehouse.duckdb
    """
    from warehouse.derive import rederive_all

    checks, reuse = rederive_all(_open(db))
    click.echo(f"cross-report check rows: {checks}; text reuse rows: {reuse}")


@main.command()
@click.option("--out", default="demo", show_default=True, help="Folder for the demo warehouse.")
@click.pass_context
def demo(ctx: click.Context, out: str) -> None:
    """Serve a sample site on 127.0.0.1, crawl it, parse, load OUT/warehouse.duckdb, summarise.

    The site's reports are generated with gold values (some broken or bad on purpose: they
    are recorded as partial or failed with their reasons); the demo crawls twice to show
    that an unchanged site costs only conditional requests, then scores the warehouse.

    Example: nianbao demo --out demo
    """
    from pipeline.config import load_config
    from pipeline.demo import build_site, config_text, serve
    from pipeline.evaluate import score
    from pipeline.run import run_once

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "warehouse.duckdb"
    gold_dir = folder / "gold"
    pages = build_site(gold_dir=gold_dir)
    settings = BatchSettings(jobs=os.cpu_count() or 1)
    with serve(pages) as base:
        config = folder / "sources.toml"
        config.write_text(config_text(base), encoding="utf-8")
        click.echo(f"sample site: {base} ({len(pages)} URLs); sources: {config}")
        for attempt in ("first run", "second run (site unchanged)"):
            click.echo(f"-- {attempt}")
            result = run_once(load_config(config), db, settings)
            _print_crawl(result.crawl)
            if result.parsed is not None:
                _print_summary(result.parsed)
    s = score(_open(str(db), read_only=True), gold_dir).as_dict()
    click.echo(
        f"accuracy against gold: {s['cell_accuracy']} of {s['cells']} cells, "
        f"{s['fabricated_values']} fabricated values, report status {s['report_status_accuracy']}"
    )
    click.echo(f"warehouse: {db}")
    click.echo(f"audit report: nianbao audit --db {db}")


@main.command()
@click.option("--db", required=True, help="Warehouse file.")
@click.option("--runs", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many of the last runs to list.")  # fmt: skip
def status(db: str, runs: int) -> None:
    """The last runs, the sources flagged as unhealthy, and the raw store's size.

    A source is flagged when its list pages stop yielding report links (or far fewer than
    usual), a list page changes structure, robots.txt starts disallowing its reports, or it
    was down several runs in a row. Answered while a run is going.

    Example: nianbao status --db warehouse.duckdb
    """
    from pipeline.status import monitored, status_lines
    from pipeline.store import WarehouseLock

    con = _open(db, read_only=True)
    try:
        if not monitored(con):
            raise click.UsageError(
                f"{db} predates run monitoring; the next `nianbao run` or `parse` upgrades it"
            )
        for line in status_lines(con, WarehouseLock.for_db(db), runs):
            click.echo(line)
    finally:
        con.close()


@main.command()
@click.option("--db", required=True, help="Warehouse file.")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
def gc(db: str, dry_run: bool) -> None:
    """Prune the raw store (DB.raw/) of superseded copies of list and other pages.

    Every version of every report document is kept, and the current copy of every page.
    Refused while a run is going.

    Example: nianbao gc --db warehouse.duckdb --dry-run
    """
    from pipeline.retention import collect_garbage
    from pipeline.status import size_text

    if not Path(db).exists():
        raise click.UsageError(f"no warehouse at {db}")
    r = collect_garbage(db, dry_run=dry_run, warehouse=Warehouse(db, _access_settings()))
    verb = "would remove" if dry_run else "removed"
    click.echo(
        f"gc: {verb} {r.pruned} superseded page copies ({size_text(r.pruned_bytes)}) and "
        f"{r.leftovers} leftovers of interrupted writes ({size_text(r.leftover_bytes)})"
    )
    click.echo(
        f"kept: {r.kept_documents} report documents, every version "
        f"({size_text(r.kept_document_bytes)}); {r.kept_pages} current page copies "
        f"({size_text(r.kept_page_bytes)})"
    )


@main.command()
@click.option("--db", required=True, help="Warehouse file.")
@click.option("--out", required=True, help="Folder to write the site into.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for the agency pages (default: all cores).",
)
def dashboard(db: str, out: str, jobs: int | None) -> None:
    """Write the offline dashboard of indicators and comparisons into a folder.

    Static pages (no server, no network, no script): coverage and parse quality, every
    indicator's definition and distribution per year, peer rankings, outliers, and one page
    per agency with its trends and the cells behind every value. Charts are SVG files; a
    value that cannot be computed is a gap with its reason, never a zero.

    Example: nianbao dashboard --db warehouse.duckdb --out dashboard/
    """
    from pipeline.dashboard.data import DashboardError
    from pipeline.dashboard.site import DashboardSettings, build_dashboard

    con = _open(db, read_only=True)
    try:
        summary = build_dashboard(con, out, DashboardSettings(jobs=jobs or os.cpu_count() or 1))
    except DashboardError as exc:
        raise click.UsageError(exc.reason) from exc
    finally:
        con.close()
    click.echo(
        f"dashboard: {summary.index} ({summary.pages} pages, {summary.charts} charts, "
        f"{summary.agencies} agencies; read in {summary.read_s:.1f} s, written in "
        f"{summary.write_s:.1f} s)"
    )


@main.command("show")
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="One JSON object (show.schema.json).")
@click.option(
    "--table",
    type=click.Choice(["proactive", "requests", "reviews"]),
    default=None,
    help="Only this canonical table's grids, facts and checks.",
)
def show_cmd(file: str, as_json: bool, table: str | None) -> None:
    """Parse one file without a warehouse and show what was read, step by step.

    The metadata and where the agency was found, the sections, every grid as the reader
    read it (each cell with its source position, and the canonical table the grid was taken
    for), every decision and finding of the reading stage, and each canonical fact with its
    status, printed text and source cell. What to run first when a figure looks wrong.

    Example: nianbao show report.pdf --table requests
    """
    from parsers.settings import ParseSettings
    from pipeline.files import read_document_file
    from pipeline.show import show, text_lines

    try:
        data = read_document_file(file, ParseSettings().max_bytes)
    except (OSError, SourceError) as exc:
        raise click.UsageError(f"cannot read {file}: {getattr(exc, 'reason', exc)}") from exc
    shown = show(data, file, table)
    if as_json:
        click.echo(json.dumps(shown, ensure_ascii=False, indent=1))
    else:
        for line in text_lines(shown):
            click.echo(terminal_safe(line))


def run() -> None:
    """Entry point of the `nianbao` script."""
    main()
