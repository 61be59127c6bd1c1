"""Views with self-explaining names over `facts`: one wide row per report and row code.

The codes and the official Chinese wording come from the templates
(`parsers.templates.load_format`); `template_labels` holds that wording so that SQL can join
it. Every view here is generated from the same lists the data dictionary documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.templates import FORMATS, load_format

WIDE_TABLES = ("proactive", "requests", "reviews")
# Rows whose meaning is not the same in both formats: the 2019 single row （六）其他处理 and
# the three 2021 rows it was split into. Everything else in `requests` and `reviews` means
# the same in both formats; section 二 (`proactive`) changed its columns and is not lined up.
OTHER_2019 = "other_handling"
OTHER_2021 = ("other_no_correction", "other_unpaid_fee", "other_misc")


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class WideView:
    """A wide view of one canonical table: its name and value columns in order."""

    table_id: str
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.table_id}_wide"


def wide_views() -> list[WideView]:
    """One wide view per canonical table; columns are the union over both formats."""
    out = []
    for table_id in WIDE_TABLES:
        cols: list[str] = []
        for fmt in FORMATS:
            for row in load_format(fmt).tables[table_id].rows:
                cols += [c for c in row.cols if c not in cols]
        out.append(WideView(table_id, tuple(cols)))
    return out


def label_rows() -> list[tuple[str, str, str, str, int, str, str | None]]:
    """(format, table_id, kind, code, position, label, group label) of every row and column."""
    rows = []
    for fmt in FORMATS:
        for table_id, spec in load_format(fmt).tables.items():
            for i, r in enumerate(spec.rows):
                # The innermost printed group spanning the row: （三）不予公开 before 三、办理结果.
                spans = sorted(
                    (len(rows), g) for g, rows in spec.group_rows.items() if r.id in rows
                )
                group = spec.printed_groups.get(spans[0][1]) if spans else None
                rows.append((fmt, table_id, "row", r.id, i + 1, r.printed, group))
            for i, (col, label) in enumerate(spec.printed_columns.items()):
                rows.append((fmt, table_id, "column", col, i + 1, label, None))
    return rows


def _label_ddl() -> list[str]:
    values = ",\n".join(
        "(" + ", ".join("NULL" if v is None else _q(str(v)) if isinstance(v, str) else str(v)
                        for v in row) + ")"
        for row in label_rows()
    )  # fmt: skip
    return [
        """CREATE TABLE template_labels (
            format VARCHAR NOT NULL,
            table_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL CHECK (kind IN ('row', 'column')),
            code VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            label VARCHAR NOT NULL,
            group_label VARCHAR,
            PRIMARY KEY (format, table_id, kind, code)
        )""",
        f"INSERT INTO template_labels VALUES {values}",
    ]


def _wide_sql(view: WideView) -> str:
    values = ",\n".join(
        f"max(f.value) FILTER (WHERE f.col_id = '{c}') AS {c}" for c in view.columns
    )
    statuses = ",\n".join(
        f"max(f.status) FILTER (WHERE f.col_id = '{c}') AS {c}_status" for c in view.columns
    )
    unit = ",\n max(f.unit) AS unit" if view.table_id == "proactive" else ""
    return f"""CREATE VIEW {view.name} AS
        SELECT f.report_id, r.agency, r.year, r.format, f.row_id,
               any_value(l.position) AS row_position,
               any_value(l.label) AS row_label, any_value(l.group_label) AS group_label,
               {values},
               {statuses}{unit}
        FROM facts f
        JOIN reports r USING (report_id)
        LEFT JOIN template_labels l
          ON l.format = r.format AND l.table_id = f.table_id AND l.kind = 'row'
         AND l.code = f.row_id
        WHERE f.table_id = '{view.table_id}'
        GROUP BY f.report_id, r.agency, r.year, r.format, f.row_id"""


SUMMARY_SQL = """CREATE VIEW report_summary AS
    WITH cells AS (
        SELECT report_id,
               count(*) FILTER (WHERE status = 'ok') AS ok,
               count(*) FILTER (WHERE status = 'blank') AS blank,
               count(*) FILTER (WHERE status = 'dash') AS dash,
               count(*) FILTER (WHERE status = 'repaired') AS repaired,
               count(*) FILTER (WHERE status = 'missing') AS missing
        FROM facts GROUP BY report_id
    ), der AS (
        SELECT report_id, count(*) AS derived FROM derived GROUP BY report_id
    ), chk AS (
        SELECT report_id,
               count(*) FILTER (WHERE status = 'fail' AND severity = 'error') AS failed_checks,
               count(*) FILTER (WHERE status = 'fail' AND severity = 'warning') AS warnings,
               count(*) FILTER (WHERE status = 'not_evaluable') AS not_evaluable
        FROM checks GROUP BY report_id
    )
    SELECT r.report_id, r.agency, ra.agency_key, r.year, r.format, r.status, r.script,
           d.source, r.parser_version,
           coalesce(cells.ok, 0) AS ok, coalesce(cells.blank, 0) AS blank,
           coalesce(cells.dash, 0) AS dash, coalesce(cells.repaired, 0) AS repaired,
           coalesce(der.derived, 0) AS derived, coalesce(cells.missing, 0) AS missing,
           coalesce(chk.failed_checks, 0) AS failed_checks,
           coalesce(chk.warnings, 0) AS warnings,
           coalesce(chk.not_evaluable, 0) AS not_evaluable,
           r.error
    FROM reports r
    JOIN documents d USING (doc_id)
    LEFT JOIN report_agencies ra USING (report_id)
    LEFT JOIN cells USING (report_id)
    LEFT JOIN der USING (report_id)
    LEFT JOIN chk USING (report_id)"""


def _across_sql() -> str:
    subrows = ", ".join(_q(r) for r in OTHER_2021)
    return f"""CREATE VIEW requests_across_formats AS
    WITH base AS (
        SELECT f.report_id, r.year, r.format, f.table_id, f.row_id, f.col_id, f.value, f.status
        FROM facts f JOIN reports r USING (report_id)
        WHERE f.table_id IN ('requests', 'reviews') AND r.format IN ('2019', '2021')
    ), printed_other AS (
        SELECT DISTINCT report_id FROM base
        WHERE row_id = '{OTHER_2019}' AND status <> 'missing'
    )
    SELECT report_id, year, format, table_id, row_id, col_id, value, status,
           false AS summed, NULL AS note
    FROM base
    WHERE row_id NOT IN ({subrows})
      AND NOT (row_id = '{OTHER_2019}' AND report_id NOT IN (SELECT report_id FROM printed_other))
    UNION ALL
    SELECT report_id, year, format, 'requests', '{OTHER_2019}', col_id,
           CASE WHEN count(*) FILTER (WHERE status = 'missing') > 0 OR count(*) < 3 THEN NULL
                WHEN count(*) FILTER (WHERE status IN ('ok', 'repaired', 'derived')) = 0
                     THEN NULL
                ELSE sum(value) END,
           CASE WHEN count(*) FILTER (WHERE status = 'missing') > 0 OR count(*) < 3
                     THEN 'missing'
                WHEN count(*) FILTER (WHERE status IN ('ok', 'repaired', 'derived')) = 0
                     THEN 'blank'
                ELSE 'derived' END,
           true,
           CASE WHEN count(*) FILTER (WHERE status = 'missing') > 0 OR count(*) < 3
                     THEN 'a 2021 sub-row of （六）其他处理 is missing: no sum'
                WHEN count(*) FILTER (WHERE status IN ('ok', 'repaired', 'derived')) = 0
                     THEN 'all three 2021 sub-rows of （六）其他处理 are blank or dash'
                ELSE 'sum of the 2021 rows {", ".join(OTHER_2021)}' END
    FROM base
    WHERE row_id IN ({subrows}) AND report_id NOT IN (SELECT report_id FROM printed_other)
    GROUP BY report_id, year, format, col_id"""


def ddl() -> list[str]:
    """template_labels and every view of this module."""
    return [
        *_label_ddl(),
        *(_wide_sql(v) for v in wide_views()),
        SUMMARY_SQL,
        _across_sql(),
    ]
