"""Comparing a republished report's figures with its previous version, in the warehouse."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from parsers import PARSER_VERSION, parse
from parsers.model import Report
from tests.sites.column import correct_one_figure, report_files
from warehouse.changes import compare_figures, run_changes
from warehouse.crawl import ChangeRow, save_batch
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

NOW = datetime(2026, 12, 1, 2, 15)


def document(data: bytes) -> DocumentRecord:
    return DocumentRecord(hashlib.sha256(data).hexdigest(), "http://x/r.html", "text/html")


def republished(old: DocumentRecord, new: DocumentRecord, url: str = "http://x/r.html"):
    return ChangeRow(1, "x", url, "republished", "report_page", old.doc_id, new.doc_id, 200,
                     None, NOW)  # fmt: skip


def test_each_changed_figure_once_and_only_once_both_versions_loaded(db: Path) -> None:
    before = report_files(1)[0].read_bytes()
    after, fix = correct_one_figure(before)
    old, new = document(before), document(after)
    con = connect(db)
    con.execute("INSERT INTO runs (run_id, started_at, status) VALUES (1, ?, 'done')", [NOW])
    load_reports(con, [(old, parse(before, "r.html"))], PARSER_VERSION)
    save_batch(con, [], [], [], [republished(old, new)])
    assert compare_figures(con, NOW) == 0  # the new version is not loaded yet: later
    load_reports(con, [(new, parse(after, "r.html"))], PARSER_VERSION)
    assert compare_figures(con, NOW) == 1
    assert compare_figures(con, NOW) == 0  # compared once
    (change,) = run_changes(con, 1)
    assert change.figures_compared and change.note is None
    (figure,) = change.figures
    assert (figure.table_id, figure.row_id, figure.col_id) == (fix.table_id, fix.row_id, fix.col_id)
    assert (figure.old_value, figure.new_value) == (Decimal(fix.old), Decimal(fix.new))


def test_a_version_that_failed_to_parse_is_not_compared_cell_by_cell(db: Path) -> None:
    before = report_files(1)[0].read_bytes()
    broken = before[: len(before) // 3]
    old, new = document(before), document(broken)
    con = connect(db)
    con.execute("INSERT INTO runs (run_id, started_at, status) VALUES (1, ?, 'done')", [NOW])
    failed = Report(status="failed", error="not a report: truncated")
    load_reports(con, [(old, parse(before, "r.html")), (new, failed)], PARSER_VERSION)
    save_batch(con, [], [], [], [republished(old, new)])
    assert compare_figures(con, NOW) == 0
    (change,) = run_changes(con, 1)
    assert change.figures == () and change.figures_compared
    assert change.note == (
        "figures not compared: the new version failed to parse: not a report: truncated"
    )
