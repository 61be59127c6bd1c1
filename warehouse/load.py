"""Store report objects: one transaction per document; loading the same bytes twice is a no-op."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import duckdb
import pyarrow as pa

from parsers.model import Fact, Report
from warehouse.derive import derive_reports
from warehouse.doc_ids import DocumentRecord, assign_doc_ids
from warehouse.history import keep_old_facts, record_changes
from warehouse.key_figures import record_key_figures
from warehouse.narrative import figure_rows
from warehouse.reuse import keys_rows
from warehouse.transaction import rollback

_DEC = pa.decimal128(24, 6)
_Q = Decimal("0.000001")

FACT_SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("table_id", pa.string()),
        ("row_id", pa.string()),
        ("col_id", pa.string()),
        ("value", _DEC),
        ("unit", pa.string()),
        ("status", pa.string()),
        ("raw", pa.string()),
        ("note", pa.string()),
        ("src_kind", pa.string()),
        ("src_table", pa.int32()),
        ("src_row", pa.int32()),
        ("src_col", pa.int32()),
        ("src_line", pa.int32()),
        ("page", pa.int32()),
        ("x0", pa.float64()),
        ("top", pa.float64()),
        ("x1", pa.float64()),
        ("bottom", pa.float64()),
        ("confidence", pa.float64()),
    ]
)
CHECK_SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("rule_id", pa.string()),
        ("scope", pa.string()),
        ("status", pa.string()),
        ("lhs", _DEC),
        ("rhs", _DEC),
        ("diff", _DEC),
        ("message", pa.string()),
    ]
)


REPORT_SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("doc_id", pa.string()),
        ("title", pa.string()),
        ("agency", pa.string()),
        ("agency_raw", pa.string()),
        ("year", pa.int32()),
        ("format", pa.string()),
        ("script", pa.string()),
        ("published", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("parser_version", pa.string()),
    ]
)
SECTION_SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("section_no", pa.int32()),
        ("heading", pa.string()),
        ("present", pa.bool_()),
        ("text", pa.string()),
        ("text_simplified", pa.string()),
    ]
)
DIAGNOSIS_SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("seq", pa.int32()),
        ("table_id", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
    ]
)
# Every table holding rows of one report, emptied for that report before a re-parse.
REPORT_TABLES = (
    "facts",
    "derived",
    "checks",
    "sections",
    "diagnoses",
    "narrative_figures",
    "section_sentences",
    "text_reuse",
    "key_figures",
    "reports",
)
REPORT_COLUMNS = REPORT_SCHEMA.names
SECTION_COLUMNS = SECTION_SCHEMA.names
DIAGNOSIS_COLUMNS = DIAGNOSIS_SCHEMA.names


def fact_rows(items: Iterable[tuple[str, Sequence[Fact]]]) -> pa.Table:
    """The facts of several reports (report id, facts) as one Arrow table in the `facts`
    column order (one array per column for the whole group, not one per report)."""
    ids: list[str] = []
    facts: list[Fact] = []
    for report_id, some in items:
        ids += [report_id] * len(some)
        facts += some
    wheres = [f.where for f in facts]
    boxes = [w.bbox if w is not None and w.bbox else (None, None, None, None) for w in wheres]

    def where(attr: str) -> list:
        return [getattr(w, attr) if w is not None else None for w in wheres]

    columns = [
        ids,
        [f.table_id for f in facts],
        [f.row_id for f in facts],
        [f.col_id for f in facts],
        [None if f.value is None else f.value.quantize(_Q) for f in facts],
        [f.unit for f in facts],
        [f.status for f in facts],
        [f.raw for f in facts],
        [f.note for f in facts],
        where("kind"),
        where("table"),
        where("row"),
        where("col"),
        where("line"),
        where("page"),
        *([b[i] for b in boxes] for i in range(4)),
        where("confidence"),
    ]
    return pa.Table.from_arrays(
        [pa.array(c, type=t) for c, t in zip(columns, FACT_SCHEMA.types, strict=True)],
        schema=FACT_SCHEMA,
    )


def _q(v: Decimal | None) -> Decimal | None:
    return None if v is None else v.quantize(_Q)


def check_rows(items: Iterable[tuple[str, Report]]) -> pa.Table:
    """The checks of several reports (report id, report) as one Arrow table in the `checks`
    column order."""
    cols: list[list] = [[] for _ in CHECK_SCHEMA.names]
    for report_id, report in items:
        for c in report.checks:
            row = (report_id, c.rule_id, c.scope, c.status, _q(c.lhs), _q(c.rhs), _q(c.diff),
                   c.message)  # fmt: skip
            for column, v in zip(cols, row, strict=True):
                column.append(v)
    return pa.Table.from_arrays(
        [pa.array(c, type=t) for c, t in zip(cols, CHECK_SCHEMA.types, strict=True)],
        schema=CHECK_SCHEMA,
    )


def record_documents(con: duckdb.DuckDBPyConnection, docs: list[DocumentRecord]) -> None:
    """Insert the rows of documents whose bytes are not recorded yet (ids assigned by
    `warehouse.doc_ids.assign_doc_ids`)."""
    rows = pa.table(
        {
            "doc_id": [d.doc_id for d in docs],
            "source": [d.source for d in docs],
            "sha256": [d.sha256 for d in docs],
            "media_type": [d.media_type for d in docs],
            "size": pa.array([d.size for d in docs], type=pa.int64()),
            "kind": [d.kind for d in docs],
        }
    )
    con.register("_docs", rows)
    try:
        con.execute(
            "INSERT INTO documents (doc_id, source, sha256, media_type, size, kind) "
            "SELECT DISTINCT ON (doc_id) * FROM _docs "
            "WHERE sha256 NOT IN (SELECT sha256 FROM documents)"
        )
        con.execute(
            "INSERT INTO sources (doc_id, source) SELECT DISTINCT doc_id, source FROM _docs "
            "ON CONFLICT DO NOTHING"
        )
    finally:
        con.unregister("_docs")


def load_report(
    con: duckdb.DuckDBPyConnection, doc: DocumentRecord, report: Report, parser_version: str
) -> str:
    """Store one document's report atomically: `inserted`, `replaced` or `unchanged`."""
    return load_reports(con, [(doc, report)], parser_version)[0]


def load_reports(
    con: duckdb.DuckDBPyConnection,
    items: list[tuple[DocumentRecord, Report]],
    parser_version: str,
) -> list[str]:
    """Store several documents in one transaction (group commit); all or none of them land.

    Each outcome is `inserted`, `replaced` (an older parser's rows swapped out) or
    `unchanged` (same bytes, same parser: nothing to do).
    """
    if not items:
        return []
    con.execute("BEGIN TRANSACTION")
    try:
        assigned = assign_doc_ids(con, [doc.sha256 for doc, _ in items])
        items = [(replace(doc, doc_id=assigned[doc.sha256]), report) for doc, report in items]
        ids = [doc.doc_id for doc, _ in items]
        known = dict(
            con.execute(
                "SELECT report_id, parser_version FROM reports WHERE report_id IN "
                "(SELECT unnest(?))",
                [ids],
            ).fetchall()
        )
        outcomes, fresh, seen = [], [], set()
        for doc, report in items:
            old = known.get(doc.doc_id)
            if old == parser_version or doc.doc_id in seen:
                outcomes.append("unchanged")
                continue
            seen.add(doc.doc_id)
            outcomes.append("inserted" if old is None else "replaced")
            fresh.append((doc, report))
        record_documents(con, [doc for doc, _ in items])
        stale = [doc.doc_id for doc, _ in fresh if doc.doc_id in known]
        if stale:
            keep_old_facts(con, stale)
            for table in REPORT_TABLES:
                con.execute(f"DELETE FROM {table} WHERE report_id IN (SELECT unnest(?))", [stale])
        if fresh:
            store_tables(con, report_tables(fresh, parser_version))
        if stale:
            record_changes(con, stale)
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    return outcomes


@dataclass(frozen=True)
class ReportTables:
    """A group of reports as Arrow tables in the warehouse's column order."""

    reports: pa.Table
    sections: pa.Table
    diagnoses: pa.Table
    facts: pa.Table
    derived: pa.Table
    checks: pa.Table
    narrative: pa.Table


def report_tables(items: list[tuple[DocumentRecord, Report]], version: str) -> ReportTables:
    """The rows of these reports, ready to append."""
    reports: dict[str, list] = {k: [] for k in REPORT_COLUMNS}
    sections: dict[str, list] = {k: [] for k in SECTION_COLUMNS}
    diagnoses: dict[str, list] = {k: [] for k in DIAGNOSIS_COLUMNS}
    for doc, r in items:
        rid = doc.doc_id
        for k, v in zip(
            REPORT_COLUMNS,
            (
                rid,
                doc.doc_id,
                r.title,
                r.agency,
                r.agency_raw,
                r.year,
                r.format,
                r.script,
                r.published,
                r.status,
                r.error,
                version,
            ),
            strict=True,
        ):
            reports[k].append(v)
        for x in r.sections:
            row = (rid, x.no, x.heading, x.present, x.text, x.text_simplified)
            for k, v in zip(SECTION_COLUMNS, row, strict=True):
                sections[k].append(v)
        for i, d in enumerate(r.diagnoses):
            for k, v in zip(
                DIAGNOSIS_COLUMNS, (rid, i, d.table_id, d.severity, d.message), strict=True
            ):
                diagnoses[k].append(v)
    return ReportTables(
        reports=pa.table(reports, schema=REPORT_SCHEMA),
        sections=pa.table(sections, schema=SECTION_SCHEMA),
        diagnoses=pa.table(diagnoses, schema=DIAGNOSIS_SCHEMA),
        facts=fact_rows((doc.doc_id, r.facts) for doc, r in items),
        derived=fact_rows((doc.doc_id, r.derived) for doc, r in items),
        checks=check_rows((doc.doc_id, r) for doc, r in items),
        narrative=figure_rows([(doc.doc_id, r) for doc, r in items]),
    )


def store_tables(con: duckdb.DuckDBPyConnection, t: ReportTables) -> None:
    """Append new reports' rows and derive what depends on them (inside the caller's
    transaction; the reports must not be in the warehouse yet)."""
    append_tables(con, t)
    derive_reports(con, t.reports.column("report_id").to_pylist())


def append_tables(con: duckdb.DuckDBPyConnection, t: ReportTables) -> None:
    """Append new reports' rows, their sentence keys and key figures (no derived step)."""
    _append(con, "reports", t.reports)
    _append(con, "sections", t.sections)
    _append(con, "diagnoses", t.diagnoses)
    _append(con, "facts", t.facts)
    _append(con, "derived", t.derived)
    _append(con, "checks", t.checks)
    _append(con, "narrative_figures", t.narrative)
    _append(con, "section_sentences", keys_rows(t.sections))
    record_key_figures(con, t.facts)


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """Bulk-insert an Arrow table whose columns are in the target table's order."""
    if rows.num_rows == 0:
        return
    con.register("_incoming", rows)
    try:
        names = ", ".join(rows.schema.names)
        con.execute(f"INSERT INTO {table} ({names}) SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")
