"""`nianbao status`: the last runs, the sources flagged as unhealthy, the raw store's size.

A few lines an operator reads over coffee; `status_lines` reads them from a warehouse
connection and the raw store, and returns them.
"""

from __future__ import annotations

import os

import duckdb

from pipeline.store import WarehouseLock
from warehouse.health import flagged_sources, raw_store_usage

MONITORING = 40  # the migration that added source health and run changes
RUNS_SHOWN = 5
SOURCES_SHOWN = 3  # largest sources named on the raw store line


def monitored(con: duckdb.DuckDBPyConnection) -> bool:
    """True if the warehouse has the run-monitoring tables (migration MONITORING)."""
    (n,) = con.execute(
        "SELECT count(*) FROM schema_migrations WHERE version = ?", [MONITORING]
    ).fetchone()
    return n > 0


def status_lines(
    con: duckdb.DuckDBPyConnection, lock: WarehouseLock, runs: int = RUNS_SHOWN
) -> list[str]:
    """The lines of `nianbao status`."""
    lines = ["last runs:"]
    rows = con.execute(
        """SELECT r.run_id, r.started_at, r.ended_at, r.status, r.pid, r.requests,
                  r.new_documents, r.failed_urls, r.error,
                  count(*) FILTER (WHERE c.change = 'republished') AS republished,
                  count(*) FILTER (WHERE c.change = 'gone') AS gone,
                  count(*) FILTER (WHERE c.change = 'figure') AS figures
           FROM runs r LEFT JOIN run_changes c USING (run_id)
           GROUP BY ALL ORDER BY r.run_id DESC LIMIT ?""",
        [runs],
    ).fetchall()
    if not rows:
        lines.append("  none yet")
    owner = lock.owner() if lock.path.exists() else None
    for rid, started, ended, status, pid, requests, new, failed, error, rep, gone, figs in rows:
        when = started.strftime("%Y-%m-%d %H:%M") if started else "?"
        if status == "running":
            alive = owner is not None and owner == pid and _alive(pid)
            state = "running" if alive else f"running? (pid {pid} holds no lock: it died)"
            lines.append(f"  run {rid}  {when}  {state}")
            continue
        took = _duration((ended - started).total_seconds()) if started and ended else "?"
        line = (
            f"  run {rid}  {when}  {status}  {took}  {requests} requests, {new} new documents, "
            f"{rep} republished ({figs} figures changed), {gone} gone, {failed} failed URLs"
        )
        lines.append(line)
        if error and status != "done":
            lines.append(f"    {error}")
    flagged = flagged_sources(con)
    (total,) = con.execute("SELECT count(*) FROM source_health").fetchone()
    lines.append(f"flagged sources: {len(flagged)} of {total}")
    for source, run_id, reasons in flagged:
        lines += [f"  {source} (run {run_id}): {reason}" for reason in reasons]
    usage = raw_store_usage(con)
    if usage:
        docs = sum(r[2] for r in usage)
        pages = sum(r[4] for r in usage)
        files = sum(r[1] + r[3] for r in usage)
        largest = ", ".join(f"{r[0]} {size_text(r[5])}" for r in usage[:SOURCES_SHOWN])
        unknown = sum(r[6] for r in usage)
        line = (
            f"raw store: {size_text(docs + pages)} in {files} files (report documents "
            f"{size_text(docs)}, other pages {size_text(pages)}); largest: {largest}"
        )
        if unknown:
            line += f"; {unknown} files stored before sizes were recorded not counted"
        lines.append(line)
    return lines


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def size_text(n: int | float) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
