"""Indicators computed only from figures the report prints: tables and views, generated from
the indicator book (`indicators.toml`) and the templates' consistency rules.

- `indicator_definitions`: one row per indicator (names, formula, unit, formats, treatment).
- `indicator_terms`: one row per indicator, format and cell it uses.
- `rule_cells`: one row per cell each in-report rule instance covers (from the templates), so
  that a failing check can be traced to the cells it involves.
- `indicator_cells` (view, the evidence): one row per report, indicator and cell used, with
  the cell's value, status, raw text and provenance, what the indicator counts for it, and
  the problem that stops it (missing, not_printed, failed_check).
- `indicators` (view): one row per report and indicator: value, numerator, denominator,
  status and reason.

Statuses of an indicator: ok, repaired or derived (computed; a part was repaired or derived),
and NULL values: missing (a cell is missing), not_printed (a blank or dash cell that is not a
figure here, or a blank total whose parts are not all known), failed_check (a failing
in-report check involves a cell), zero_denominator, not_applicable (the indicator is not
defined for the report's format).
"""

from __future__ import annotations

from parsers.templates import FORMATS, load_format
from warehouse.indicator_specs import MONEY_UNITS, Indicator, IndicatorBook, load_indicators

# Statuses an indicator can have; the first five carry no value.
NULL_STATUSES = ("missing", "not_printed", "failed_check", "zero_denominator", "not_applicable")
VALUE_STATUSES = ("ok", "repaired", "derived")
NUMBER = "DECIMAL(38, 10)"


def _q(text: str | None) -> str:
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"


def treatment(book: IndicatorBook, ind: Indicator) -> str:
    """How the indicator treats blank, dash, missing, derived and repaired cells, in words."""
    zero = [t.code for _, t in ind.terms() if book.empty_is_zero(t)]
    not_zero = [t.code for _, t in ind.terms() if not book.empty_is_zero(t)]
    parts = []
    if zero and not not_zero:
        parts.append("blank or dash cell: counts as zero (a part of a templates.md sum)")
    elif not_zero and not zero:
        parts.append("blank or dash cell: not a figure here, the value is NULL (not_printed)")
    else:
        parts.append(
            f"blank or dash counts as zero in {', '.join(zero)}; elsewhere NULL (not_printed)"
        )
    parts += [
        "a blank total whose parts are not all known: NULL (not_printed)",
        "missing cell: NULL (missing)",
        "blank printed total computed from its printed parts (table derived): used, status derived",
        "repaired cell: used, status repaired",
        "a failing in-report check (severity error) over a cell: NULL (failed_check)",
    ]
    if ind.denominator:
        parts.append("zero denominator: NULL (zero_denominator)")
    if ind.unit in MONEY_UNITS:
        parts.append(f"a cell printed in another unit is converted to {ind.unit} (reason says)")
    return "; ".join(parts) + "."


def _definitions_rows(book: IndicatorBook) -> list[str]:
    rows = []
    for ind in book.indicators:
        by_text: dict[str, list[str]] = {}
        for fmt in ind.formats:
            by_text.setdefault(ind.formula_printed(fmt), []).append(fmt)
        printed = " | ".join(f"{', '.join(fmts)}: {text}" for text, fmts in by_text.items())
        formats = "[" + ", ".join(_q(f) for f in ind.formats) + "]"
        rows.append(
            "("
            + ", ".join(
                [
                    _q(ind.id),
                    str(ind.position),
                    _q(ind.name_zh),
                    _q(ind.name_en),
                    _q(ind.kind),
                    _q(ind.unit),
                    formats,
                    _q(ind.formula()),
                    _q(printed),
                    _q(treatment(book, ind)),
                    _q(ind.notes or None),
                    _q(ind.format_note or None),
                    _q(ind.references or None),
                ]
            )
            + ")"
        )
    return rows


def _term_rows(book: IndicatorBook) -> list[str]:
    rows = []
    for ind in book.indicators:
        money = ind.unit if ind.unit in MONEY_UNITS else None
        for fmt in ind.formats:
            for pos, (role, t) in enumerate(ind.terms()):
                rows.append(
                    f"({_q(ind.id)}, {_q(fmt)}, {_q(role)}, {pos + 1}, {t.sign}, "
                    f"{_q(t.table_id)}, {_q(t.row_id)}, {_q(t.col_id)}, "
                    f"{'true' if book.empty_is_zero(t) else 'false'}, {_q(money)})"
                )
    return rows


def rule_cells() -> list[tuple[str, str, str, str, str, str, bool]]:
    """(format, rule_id, scope, table_id, row_id, col_id, is_total) of every cell each
    in-report rule instance covers; is_total marks the lone printed total of the instance
    (the cell a blank-total judgement is about)."""
    out = []
    for fmt in FORMATS:
        spec = load_format(fmt)
        for rule in spec.rules:
            table = spec.tables[rule.table]
            operands = [*rule.lhs, *rule.rhs, *(c for alt in rule.rhs_one_of for c in alt)]
            lone = rule.lhs[0] if len(rule.lhs) == 1 and rule.lhs[0] in rule.totals else None
            if rule.per == "row":
                for row in table.rows:
                    if not set(rule.lhs) <= set(row.cols):
                        continue
                    for col in operands:
                        out.append((fmt, rule.id, row.id, rule.table, row.id, col, col == lone))
            else:
                cols: list[str] = []
                for row in table.rows:
                    cols += [c for c in row.cols if c not in cols]
                for col in cols:
                    for row_id in operands:
                        if col in table.row(row_id).cols:
                            out.append((fmt, rule.id, col, rule.table, row_id, col, row_id == lone))
    return out


def _rule_cell_rows() -> list[str]:
    return [
        f"({_q(f)}, {_q(r)}, {_q(s)}, {_q(t)}, {_q(row)}, {_q(col)}, {'true' if tot else 'false'})"
        for f, r, s, t, row, col, tot in rule_cells()
    ]


def number_text(expr: str) -> str:
    """SQL turning a number into text: 12 for a whole number, 0.25 otherwise."""
    return (
        f"CASE WHEN {expr} = trunc({expr}) THEN CAST(CAST({expr} AS HUGEINT) AS VARCHAR) "
        f"ELSE CAST(CAST({expr} AS DOUBLE) AS VARCHAR) END"
    )


_DIFF = number_text("c.diff")
_FACTORS = " ".join(
    f"WHEN {_q(printed)} THEN {factor}"
    for units in MONEY_UNITS.values()
    for printed, factor in units.items()
)


def _carried(carry: tuple[str, ...]) -> str:
    """The condition that every carried column of `reports r` is known."""
    return " AND ".join(f"r.{c} IS NOT NULL" for c in carry)


def cells_select(carry: tuple[str, ...] = ()) -> str:
    """The SELECT of the `indicator_cells` view. `carry` names columns of `reports` carried
    to the end of each row, for the reports where they are known: `agency_indicators`
    carries the year, so that a filter on it reaches the reports before any cell is
    looked up."""
    kept = "".join(f", {c}" for c in carry)
    from_reports = "".join(f", r.{c}" for c in carry)
    from_terms = "".join(f", t.{c}" for c in carry)
    known = f"\n    WHERE {_carried(carry)}" if carry else ""
    # A carried column is matched on both sides of the look-up, so that a filter on it
    # narrows the cells looked up too.
    printed_known = (
        f"\n    JOIN reports r ON r.report_id = f.report_id AND {_carried(carry)}" if carry else ""
    )
    same_carried = "".join(f" AND f.{c} = t.{c}" for c in carry)
    return f"""WITH terms AS (
    SELECT r.report_id, r.doc_id{from_reports}, t.*
    FROM reports r JOIN indicator_terms t ON t.format = r.format{known}
),
-- The cells some term uses, looked up by code first (once per term that uses it), so that a
-- filter on the indicator narrows the scan of facts to its few codes.
printed AS (
    SELECT t.indicator_id, t.format, t.position, f.report_id, f.value, f.unit, f.status,
           f.raw, f.note, f.src_kind, f.src_table, f.src_row, f.src_col, f.src_line, f.page,
           f.x0, f.top, f.x1, f.bottom{from_reports}
    FROM indicator_terms t
    JOIN facts_with_derived f
      ON f.table_id = t.table_id AND f.row_id = t.row_id AND f.col_id = t.col_id{printed_known}
),
-- A failing in-report check names every cell it involves (rule_cells).
failing AS (
    SELECT c.report_id, rc.table_id, rc.row_id, rc.col_id,
           list(c.rule_id || ' fails in ' || c.scope
                || coalesce(' (printed figures differ by ' || {_DIFF} || ')', '')
                ORDER BY c.rule_id, c.scope) AS failing_checks
    FROM checks c
    JOIN reports r USING (report_id)
    JOIN rule_cells rc ON rc.format = r.format AND rc.rule_id = c.rule_id AND rc.scope = c.scope
    WHERE c.status = 'fail' AND c.severity = 'error'
    GROUP BY ALL
),
-- A blank total is zero only when its own rule instance could be evaluated (its parts
-- sum to zero too); otherwise its value is unknown unless `derived` computed it.
unknown_totals AS (
    SELECT c.report_id, rc.table_id, rc.row_id, rc.col_id,
           string_agg(c.rule_id || ': ' || c.message, '; ' ORDER BY c.rule_id) AS why
    FROM checks c
    JOIN reports r USING (report_id)
    JOIN rule_cells rc ON rc.format = r.format AND rc.rule_id = c.rule_id AND rc.scope = c.scope
                      AND rc.is_total
    WHERE c.status = 'not_evaluable' AND c.severity = 'error'
    GROUP BY ALL
),
cells AS (
    SELECT t.report_id{from_terms}, t.indicator_id, t.role, t.position, t.sign,
           t.table_id, t.row_id, t.col_id,
           t.table_id || '.' || t.row_id || '.' || t.col_id AS code,
           t.empty_is_zero, t.money_unit,
           f.value, f.unit, coalesce(f.status, 'missing') AS status, f.raw,
           coalesce(f.note, CASE WHEN f.status IS NULL THEN 'no such cell in facts' END) AS note,
           fl.failing_checks, u.why AS unknown_why,
           d.source, f.src_kind, f.src_table, f.src_row, f.src_col, f.src_line, f.page,
           f.x0, f.top, f.x1, f.bottom
    FROM terms t
    JOIN documents d ON d.doc_id = t.doc_id
    LEFT JOIN printed f
      ON f.report_id = t.report_id AND f.indicator_id = t.indicator_id AND f.format = t.format
     AND f.position = t.position{same_carried}
    LEFT JOIN failing fl
      ON fl.report_id = t.report_id AND fl.table_id = t.table_id AND fl.row_id = t.row_id
     AND fl.col_id = t.col_id
    LEFT JOIN unknown_totals u
      ON u.report_id = t.report_id AND u.table_id = t.table_id AND u.row_id = t.row_id
     AND u.col_id = t.col_id
),
judged AS (
    SELECT *,
           CASE WHEN status = 'missing' THEN 'missing'
                WHEN status IN ('blank', 'dash') AND NOT empty_is_zero THEN 'not_printed'
                WHEN status IN ('blank', 'dash') AND unknown_why IS NOT NULL THEN 'not_printed'
                WHEN failing_checks IS NOT NULL THEN 'failed_check'
           END AS problem,
           CASE WHEN status = 'missing' THEN 'missing' || coalesce(' (' || note || ')', '')
                WHEN status IN ('blank', 'dash') AND NOT empty_is_zero
                     THEN 'is ' || status
                          || ', not a figure here (no sum of templates.md counts it as zero)'
                WHEN status IN ('blank', 'dash') AND unknown_why IS NOT NULL
                     THEN 'is ' || status || ' and its parts are not all known ('
                          || unknown_why || ')'
           END AS detail,
           CASE WHEN money_unit IS NOT NULL AND unit IS NOT NULL AND unit <> money_unit
                THEN CASE unit {_FACTORS} END
                ELSE 1 END AS unit_factor
    FROM cells
)
SELECT report_id, indicator_id, role, position, sign, table_id, row_id, col_id, code,
       value, unit, status, raw, note,
       CASE WHEN problem IS NOT NULL THEN NULL
            WHEN status IN ('ok', 'repaired', 'derived')
                 THEN CAST(value * unit_factor AS {NUMBER})
            WHEN status IN ('blank', 'dash') THEN CAST(0 AS {NUMBER})
       END AS counted,
       problem, detail,
       CASE WHEN detail IS NOT NULL THEN role || ': ' || code || ' ' || detail
            WHEN problem = 'failed_check' THEN array_to_string(failing_checks, '; ')
       END AS problem_reason,
       CASE WHEN unit_factor <> 1 AND problem IS NULL
            THEN code || ' printed in ' || unit || ', converted to ' || money_unit END
           AS conversion,
       failing_checks, source, src_kind, src_table, src_row, src_col, src_line, page,
       x0, top, x1, bottom{kept}
FROM judged"""


def indicators_select(cells: str = "indicator_cells", carry: tuple[str, ...] = ()) -> str:
    """The SELECT of the `indicators` view over an evidence table or view named `cells`
    (the dashboard runs it on a temporary copy of indicator_cells). `carry` names columns of
    `cells` and `reports` kept as keys beside report_id, at the end of each row, for the
    reports where they are known (see `cells_select`). The cells are read once (a
    materialised CTE)."""
    keys = "".join(f"{c}, " for c in carry)
    kept = "".join(f", {c}" for c in carry)
    from_reports = "".join(f", r.{c}" for c in carry)
    known = f" AND {_carried(carry)}" if carry else ""
    return f"""WITH cell_rows AS MATERIALIZED (
    SELECT report_id, {keys}indicator_id, role, position, sign, code, status, note, counted,
           problem, detail, failing_checks, conversion
    FROM {cells}
),
agg AS (
    SELECT report_id, {keys}indicator_id,
           sum(sign * counted) FILTER (WHERE role = 'numerator') AS num,
           sum(sign * counted) FILTER (WHERE role = 'denominator') AS den,
           count(*) FILTER (WHERE role = 'numerator' AND problem IS NOT NULL) AS num_problems,
           count(*) FILTER (WHERE role = 'denominator' AND problem IS NOT NULL)
               AS den_problems,
           bool_or(problem = 'missing') AS any_missing,
           bool_or(problem = 'not_printed') AS any_not_printed,
           bool_or(failing_checks IS NOT NULL) AS any_failed,
           bool_or(status = 'repaired' AND problem IS NULL) AS any_repaired,
           bool_or(status = 'derived' AND problem IS NULL) AS any_derived,
           list_sort(list_distinct(flatten(list(failing_checks)))) AS failing,
           string_agg(code || ' (' || status || coalesce(': ' || note, '') || ')', '; '
                      ORDER BY role DESC, position)
               FILTER (WHERE status IN ('repaired', 'derived') AND problem IS NULL) AS used,
           string_agg(code, ', ' ORDER BY role DESC, position)
               FILTER (WHERE status IN ('blank', 'dash') AND problem IS NULL) AS zeros,
           string_agg(conversion, '; ') AS conversions
    FROM cell_rows
    GROUP BY report_id, {keys}indicator_id
),
-- Cells with the same problem and detail named together: "denominator: a, b missing (…)".
problem_groups AS (
    SELECT report_id, {keys}indicator_id, role, detail, min(position) AS first,
           string_agg(code, ', ' ORDER BY position) AS codes
    FROM cell_rows WHERE detail IS NOT NULL
    GROUP BY report_id, {keys}indicator_id, role, detail
),
problems AS (
    SELECT report_id, {keys}indicator_id,
           string_agg(role || ': ' || codes || ' ' || detail, '; '
                      ORDER BY role DESC, first) AS cell_problems
    FROM problem_groups GROUP BY report_id, {keys}indicator_id
),
judged AS (
    SELECT a.*, p.cell_problems, d.kind, d.unit, d.position,
           CASE WHEN any_missing THEN 'missing'
                WHEN any_not_printed THEN 'not_printed'
                WHEN any_failed THEN 'failed_check'
                WHEN d.kind = 'share' AND den = 0 THEN 'zero_denominator'
                WHEN any_repaired THEN 'repaired'
                WHEN any_derived THEN 'derived'
                ELSE 'ok' END AS status
    FROM agg a
    JOIN indicator_definitions d USING (indicator_id)
    LEFT JOIN problems p USING (report_id, {keys}indicator_id)
)
SELECT report_id, indicator_id,
       CASE WHEN status IN {VALUE_STATUSES!r}
            THEN CAST(CASE WHEN kind = 'share' THEN num / den ELSE num END AS DOUBLE)
       END AS value,
       CAST(CASE WHEN num_problems = 0 THEN num END AS DOUBLE) AS numerator,
       CAST(CASE WHEN den_problems = 0 AND kind = 'share' THEN den END AS DOUBLE)
           AS denominator,
       status,
       CASE WHEN status IN ('missing', 'not_printed', 'failed_check')
                 THEN concat_ws('; ', cell_problems,
                                nullif(array_to_string(failing, '; '), ''))
            WHEN status = 'zero_denominator'
                 THEN 'denominator is 0: no rate (numerator ' || {number_text("num")} || ')'
            ELSE nullif(concat_ws('; ',
                     'uses ' || used,
                     'blank or dash counted as zero: ' || zeros,
                     conversions), '')
       END AS reason,
       unit{kept}
FROM judged
UNION ALL
SELECT r.report_id, d.indicator_id, NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE, 'not_applicable',
       CASE WHEN r.format IS NULL
                 THEN 'format unknown (report ' || r.status
                      || coalesce(': ' || r.error, '') || ')'
            WHEN r.format = 'legacy' THEN 'format legacy has no canonical tables'
            ELSE 'not defined for format ' || r.format || coalesce(': ' || d.format_note, '')
       END,
       d.unit{from_reports}
FROM reports r CROSS JOIN indicator_definitions d
WHERE (r.format IS NULL OR NOT list_contains(d.formats, r.format)){known}"""


def ddl(book: IndicatorBook | None = None) -> list[str]:
    """Tables of definitions, terms and rule cells (re-filled), and the two views."""
    book = book or load_indicators()
    return [
        """CREATE OR REPLACE TABLE indicator_definitions (
            indicator_id VARCHAR PRIMARY KEY,
            position INTEGER NOT NULL,
            name_zh VARCHAR NOT NULL,
            name_en VARCHAR NOT NULL,
            kind VARCHAR NOT NULL CHECK (kind IN ('count', 'amount', 'share')),
            unit VARCHAR NOT NULL,
            formats VARCHAR[] NOT NULL,
            formula VARCHAR NOT NULL,
            formula_printed VARCHAR NOT NULL,
            treatment VARCHAR NOT NULL,
            notes VARCHAR,
            format_note VARCHAR,
            "references" VARCHAR
        )""",
        f"INSERT INTO indicator_definitions VALUES {', '.join(_definitions_rows(book))}",
        """CREATE OR REPLACE TABLE indicator_terms (
            indicator_id VARCHAR NOT NULL,
            format VARCHAR NOT NULL,
            role VARCHAR NOT NULL CHECK (role IN ('numerator', 'denominator')),
            position INTEGER NOT NULL,
            sign INTEGER NOT NULL CHECK (sign IN (-1, 1)),
            table_id VARCHAR NOT NULL,
            row_id VARCHAR NOT NULL,
            col_id VARCHAR NOT NULL,
            empty_is_zero BOOLEAN NOT NULL,
            money_unit VARCHAR,
            PRIMARY KEY (indicator_id, format, position)
        )""",
        f"INSERT INTO indicator_terms VALUES {', '.join(_term_rows(book))}",
        """CREATE OR REPLACE TABLE rule_cells (
            format VARCHAR NOT NULL,
            rule_id VARCHAR NOT NULL,
            scope VARCHAR NOT NULL,
            table_id VARCHAR NOT NULL,
            row_id VARCHAR NOT NULL,
            col_id VARCHAR NOT NULL,
            is_total BOOLEAN NOT NULL
        )""",
        f"INSERT INTO rule_cells VALUES {', '.join(_rule_cell_rows())}",
        f"CREATE OR REPLACE VIEW indicator_cells AS {cells_select()}",
        f"CREATE OR REPLACE VIEW indicators AS {indicators_select()}",
    ]
