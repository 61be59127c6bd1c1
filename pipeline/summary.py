"""What a run tells its operator: the lines `nianbao run` prints and the JSON it can write.

`run_summary(result)` is the machine-readable summary (`nianbao run --summary-json FILE`),
for a cron mailer or a monitoring system: the run's status and counts, each source's health
with its flags, and what changed (reports new, republished with the figures that moved, and
gone). `health_lines` and `change_lines` are the same for people. Nothing here does I/O but
`write_summary`.
"""

from __future__ import annotations

import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.run import RunResult
from warehouse.changes import DocumentChange

SUMMARY_VERSION = 1
# Changes listed one by one in the printed summary (all of them are in the JSON).
LISTED = 10


def run_status(result: RunResult) -> str:
    """done, interrupted, failed, or warehouse_not_writable."""
    if result.unwritable:
        return "warehouse_not_writable"
    return result.crawl.status


def run_summary(result: RunResult, exit_code: int) -> dict[str, Any]:
    """The run as one JSON-ready dict (schema `SUMMARY_VERSION`)."""
    c = result.crawl
    parsed = result.parsed
    return {
        "summary_version": SUMMARY_VERSION,
        "run_id": c.run_id,
        "status": run_status(result),
        "error": result.error or c.error,
        "exit_code": exit_code,
        "elapsed_s": round(c.elapsed, 3),
        "crawl": {
            "requests": c.counts.requests,
            "fetched": c.counts.fetched,
            "not_modified": c.counts.not_modified,
            "new_documents": c.counts.new_documents,
            "failed_urls": c.counts.failed_urls,
            "skipped_urls": c.counts.skipped_urls,
            "bytes": c.counts.bytes,
            "internal_errors": c.internal_errors,
            "unsaved_rows": c.unsaved_rows,
        },
        "parse": None
        if parsed is None
        else {
            "reports": dict(parsed.reports),
            "outcomes": dict(parsed.outcomes),
            "cells": dict(parsed.cells),
            "checks": dict(parsed.checks),
            "internal_errors": parsed.internal_errors,
            "failures": [{"source": s, "reason": r} for s, r in parsed.failures],
            "from_earlier_runs": result.backlog,
        },
        "flagged": [
            {"source": s.name, "flags": list(s.verdict.flags), "reasons": list(s.verdict.reasons)}
            for s in c.flagged
        ],
        "sources": [s.as_dict() for s in c.sources],
        "changes": _changes(result.changes),
        "raw_store": [
            {
                "source": source,
                "document_files": doc_files,
                "document_bytes": doc_bytes,
                "page_files": page_files,
                "page_bytes": page_bytes,
                "bytes": total,
            }
            for source, doc_files, doc_bytes, page_files, page_bytes, total, _ in result.raw_store
        ],
        "failures": [{"url": u, "reason": r} for u, r in c.failures],
    }


def write_summary(path: str | Path, summary: dict[str, Any]) -> None:
    """Write the summary as UTF-8 JSON, atomically (a reader never sees half of it)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, ensure_ascii=False, indent=1, default=_json_value)
            handle.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def health_lines(result: RunResult) -> list[str]:
    """The sources line and one line per flag raised."""
    c = result.crawl
    if not c.sources:
        return []
    lines = [f"sources: {len(c.sources)} crawled, {len(c.flagged)} flagged"]
    for s in c.flagged:
        lines += [f"flagged: {s.name}: {reason}" for reason in s.verdict.reasons]
    return lines


def change_lines(result: RunResult) -> list[str]:
    """What changed: counts, then the first few changes one per line."""
    by_kind: dict[str, list[DocumentChange]] = {"new": [], "republished": [], "gone": []}
    for change in result.changes:
        by_kind.setdefault(change.change, []).append(change)
    figures = sum(len(c.figures) for c in by_kind["republished"])
    lines = [
        f"changes: {len(by_kind['new'])} new reports, {len(by_kind['republished'])} "
        f"republished ({figures} figures changed), {len(by_kind['gone'])} gone"
    ]
    listed = by_kind["republished"] + by_kind["gone"]
    for change in listed[:LISTED]:
        if change.change == "gone":
            lines.append(f"gone: {change.url} ({change.note})")
            continue
        lines.append(
            f"republished: {change.url} ({change.old_doc_id} -> {change.new_doc_id}, "
            f"{_compared(change)})"
        )
        for f in change.figures[:LISTED]:
            lines.append(
                f"  {f.table_id}.{f.row_id}.{f.col_id}: {_figure(f.old_value, f.old_status)}"
                f" -> {_figure(f.new_value, f.new_status)}"
            )
        if len(change.figures) > LISTED:
            lines.append(f"  ... and {len(change.figures) - LISTED} more (table run_changes)")
    if len(listed) > LISTED:
        lines.append(f"... and {len(listed) - LISTED} more (table run_changes)")
    return lines


def status_word(result: RunResult) -> str:
    """The run's ending in words, for the last line a person reads."""
    status = run_status(result)
    if status == "warehouse_not_writable":
        return result.error or result.crawl.error or "warehouse not writable"
    return status


def _compared(change: DocumentChange) -> str:
    if change.note:
        return change.note
    if change.figures_compared:
        n = len(change.figures)
        return f"{n} figure{'s' if n != 1 else ''} changed"
    return "figures not compared: not both versions are parsed reports"


def _figure(value: Decimal | None, status: str | None) -> str:
    if status is None:
        return "(absent)"
    if value is None:
        return status
    text = _decimal(value)
    return text if status == "ok" else f"{text} ({status})"


def _decimal(value: Decimal) -> str:
    """12.500000 -> '12.5', 10.000000 -> '10': exact, without exponent or trailing zeros."""
    return format(value.normalize(), "f")


def _changes(changes: tuple[DocumentChange, ...]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"new": [], "republished": [], "gone": []}
    for c in changes:
        item: dict[str, Any] = {"source": c.source, "url": c.url, "kind": c.kind}
        if c.change == "new":
            item["doc_id"] = c.new_doc_id
        elif c.change == "gone":
            item |= {"doc_id": c.old_doc_id, "http_status": c.http_status}
        else:
            item |= {
                "old_doc_id": c.old_doc_id,
                "new_doc_id": c.new_doc_id,
                "figures_compared": bool(c.figures_compared),
                "note": c.note,
                "figures": [
                    {
                        "table_id": f.table_id,
                        "row_id": f.row_id,
                        "col_id": f.col_id,
                        "old_value": f.old_value,
                        "new_value": f.new_value,
                        "old_status": f.old_status,
                        "new_status": f.new_status,
                        "old_raw": f.old_raw,
                        "new_raw": f.new_raw,
                    }
                    for f in c.figures
                ],
            }
        out.setdefault(c.change, []).append(item)
    return out


def _json_value(value: object) -> object:
    """Figures as exact decimal strings; anything else JSON lacks as its text."""
    if isinstance(value, Decimal):
        return _decimal(value)
    return str(value)
