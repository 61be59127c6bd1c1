"""Cross-report rules, stored as rows of `checks` whose scope names both reports.

- `requests.carry_continuity`: carried_over of year N = carried_forward of year N−1, per
  applicant column, same agency (by `report_agencies.agency_key`).
- `proactive.in_force_continuity` (format 2021, from 2022 on): in_force of N = in_force of
  N−1 + issued of N − repealed of N, per row (`rules`, `normative_docs`).

Both are warnings (`severity = 'warning'`): agencies merge and split. A row's `report_id`
is the year-N report, `other_report_id` the year-N−1 one, and `scope` is
`<column or row>:<other_report_id>:<report_id>`. Where the year-N−1 report is absent, one
row with scope `*:-:<report_id>` says so (`not_evaluable`). Blank and dash count as zero, as
in every sum of templates.md; a missing operand makes the instance `not_evaluable`. The
cells are read from `key_figures` (the copy of these cells of `facts`).

`recheck_reports` recomputes the instances that storing some reports may change (theirs, the
next year's of their agencies, and those that named one of them); the loader calls it inside
the load transaction. `recheck_all` recomputes every instance.
"""

from __future__ import annotations

import duckdb

CARRY = "requests.carry_continuity"
IN_FORCE = "proactive.in_force_continuity"
RULES = (CARRY, IN_FORCE)
SEVERITY = "warning"
IN_FORCE_FROM = 2022  # the first year whose previous year is also format 2021

# Each report rechecked (year N, in _continuity_targets) beside its agency's report of year
# N−1: one per agency and year (a parsed one first, then by id, when an agency has two
# reports for one year).
_PAIRS = """
CREATE OR REPLACE TEMP TABLE _continuity_pairs AS
WITH rep AS (
    SELECT ra.report_id, ra.agency_key, r.year, r.format, r.status
    FROM report_agencies ra JOIN reports r USING (report_id)
    WHERE ra.agency_key IS NOT NULL AND r.year IS NOT NULL AND r.format IN ('2019', '2021')
),
cur AS (SELECT * FROM rep WHERE report_id IN (SELECT report_id FROM _continuity_targets)),
wanted AS (SELECT DISTINCT agency_key, year - 1 AS year FROM cur),
prev AS (
    SELECT rep.* FROM rep JOIN wanted USING (agency_key, year)
    QUALIFY row_number() OVER (PARTITION BY agency_key, year
                               ORDER BY status = 'parsed' DESC, report_id) = 1
)
SELECT cur.report_id, cur.agency_key, cur.year, cur.format,
       p.report_id AS other_report_id, p.format AS other_format
FROM cur LEFT JOIN prev p ON p.agency_key = cur.agency_key AND p.year = cur.year - 1
"""

_PAIRS_CTE = """
    pairs AS (SELECT * FROM _continuity_pairs),
    sides AS (
        SELECT report_id FROM pairs
        UNION SELECT other_report_id FROM pairs WHERE other_report_id IS NOT NULL
    )"""

_CARRY_SQL = f"""
INSERT INTO checks (report_id, rule_id, scope, status, lhs, rhs, diff, message, severity,
                    other_report_id)
WITH {_PAIRS_CTE},
cells AS (
    SELECT report_id, row_id, col_id, value, status FROM key_figures
    WHERE table_id = 'requests' AND row_id IN ('carried_over', 'carried_forward')
      AND report_id IN (SELECT report_id FROM sides)
),
inst AS (
    SELECT p.report_id, p.other_report_id, p.year, c.col_id,
           c.value AS lhs_value, c.status AS lhs_status,
           o.value AS rhs_value, o.status AS rhs_status
    FROM pairs p
    JOIN cells c ON c.report_id = p.report_id AND c.row_id = 'carried_over'
    LEFT JOIN cells o ON o.report_id = p.other_report_id AND o.row_id = 'carried_forward'
                     AND o.col_id = c.col_id
    WHERE p.other_report_id IS NOT NULL
)
SELECT report_id, '{CARRY}', col_id || ':' || other_report_id || ':' || report_id,
       CASE WHEN lhs_status = 'missing' OR rhs_status IS NULL OR rhs_status = 'missing'
                 THEN 'not_evaluable'
            WHEN coalesce(lhs_value, 0) = coalesce(rhs_value, 0) THEN 'pass'
            ELSE 'fail' END,
       CASE WHEN lhs_status <> 'missing' THEN coalesce(lhs_value, 0) END,
       CASE WHEN rhs_status <> 'missing' THEN coalesce(rhs_value, 0) END,
       CASE WHEN lhs_status <> 'missing' AND rhs_status <> 'missing'
            THEN coalesce(lhs_value, 0) - coalesce(rhs_value, 0) END,
       CASE WHEN lhs_status = 'missing'
                 THEN 'carried_over of ' || year || ' is missing in this report'
            WHEN rhs_status IS NULL OR rhs_status = 'missing'
                 THEN 'carried_forward of ' || (year - 1) || ' is missing in report '
                      || other_report_id
            ELSE 'carried over in ' || year || ': ' || coalesce(lhs_value, 0)::BIGINT
                 || CASE WHEN coalesce(lhs_value, 0) = coalesce(rhs_value, 0) THEN ' = '
                         ELSE ' ≠ ' END
                 || 'carried forward in ' || (year - 1) || ': '
                 || coalesce(rhs_value, 0)::BIGINT || ' (report ' || other_report_id || ')'
       END,
       '{SEVERITY}', other_report_id
FROM inst
UNION ALL
SELECT report_id, '{CARRY}', '*:-:' || report_id, 'not_evaluable', NULL, NULL, NULL,
       'no report of this agency for ' || (year - 1) || ' in the warehouse',
       '{SEVERITY}', NULL
FROM pairs WHERE other_report_id IS NULL
"""

_IN_FORCE_SQL = f"""
INSERT INTO checks (report_id, rule_id, scope, status, lhs, rhs, diff, message, severity,
                    other_report_id)
WITH {_PAIRS_CTE},
cells AS (
    SELECT report_id, row_id, col_id, value, status FROM key_figures
    WHERE table_id = 'proactive' AND row_id IN ('rules', 'normative_docs')
      AND col_id IN ('issued', 'repealed', 'in_force')
      AND report_id IN (SELECT report_id FROM sides)
),
wide AS (
    SELECT report_id, row_id,
           any_value(value) FILTER (WHERE col_id = 'in_force') AS in_force,
           any_value(status) FILTER (WHERE col_id = 'in_force') AS in_force_status,
           any_value(value) FILTER (WHERE col_id = 'issued') AS issued,
           any_value(status) FILTER (WHERE col_id = 'issued') AS issued_status,
           any_value(value) FILTER (WHERE col_id = 'repealed') AS repealed,
           any_value(status) FILTER (WHERE col_id = 'repealed') AS repealed_status
    FROM cells GROUP BY report_id, row_id
),
cur AS (SELECT * FROM pairs WHERE format = '2021' AND year >= {IN_FORCE_FROM}),
inst AS (
    SELECT c.report_id, c.other_report_id, c.other_format, c.year, w.row_id,
           w.in_force, w.in_force_status, w.issued, w.issued_status,
           w.repealed, w.repealed_status,
           o.in_force AS before, o.in_force_status AS before_status
    FROM cur c
    JOIN wide w ON w.report_id = c.report_id
    LEFT JOIN wide o ON o.report_id = c.other_report_id AND o.row_id = w.row_id
    WHERE c.other_report_id IS NOT NULL
),
judged AS (
    SELECT *,
           'missing' IN (in_force_status, issued_status, repealed_status)
             OR before_status IS NULL OR before_status = 'missing' AS unknown,
           coalesce(before, 0) + coalesce(issued, 0) - coalesce(repealed, 0) AS expected
    FROM inst
)
SELECT report_id, '{IN_FORCE}', row_id || ':' || other_report_id || ':' || report_id,
       CASE WHEN unknown THEN 'not_evaluable'
            WHEN coalesce(in_force, 0) = expected THEN 'pass' ELSE 'fail' END,
       CASE WHEN NOT unknown THEN coalesce(in_force, 0) END,
       CASE WHEN NOT unknown THEN expected END,
       CASE WHEN NOT unknown THEN coalesce(in_force, 0) - expected END,
       CASE WHEN other_format <> '2021'
                 THEN 'report ' || other_report_id || ' of ' || (year - 1)
                      || ' is format ' || other_format || ': no in-force count'
            WHEN before_status IS NULL OR before_status = 'missing'
                 THEN 'in_force of ' || (year - 1) || ' is missing in report ' || other_report_id
            WHEN unknown THEN 'in_force, issued or repealed of ' || year || ' is missing'
            ELSE 'in force ' || year || ': ' || coalesce(in_force, 0)::BIGINT
                 || CASE WHEN coalesce(in_force, 0) = expected THEN ' = ' ELSE ' ≠ ' END
                 || (year - 1) || ' in force ' || coalesce(before, 0)::BIGINT
                 || ' + issued ' || coalesce(issued, 0)::BIGINT
                 || ' − repealed ' || coalesce(repealed, 0)::BIGINT
                 || ' = ' || expected::BIGINT || ' (report ' || other_report_id || ')'
       END,
       '{SEVERITY}', other_report_id
FROM judged
UNION ALL
SELECT report_id, '{IN_FORCE}', '*:-:' || report_id, 'not_evaluable', NULL, NULL, NULL,
       'no report of this agency for ' || (year - 1) || ' in the warehouse',
       '{SEVERITY}', NULL
FROM cur WHERE other_report_id IS NULL
"""


# The reports whose cross-report rows may change when the reports in _continuity_ids are
# (re)stored: their own; the reports of the year after of their agencies (whose previous
# report may now be one of them); and those whose rows named one of them.
_TARGETS = f"""
CREATE OR REPLACE TEMP TABLE _continuity_targets AS
WITH stored AS (
    SELECT ra.agency_key, r.year
    FROM report_agencies ra JOIN reports r USING (report_id)
    WHERE ra.report_id IN (SELECT report_id FROM _continuity_ids)
      AND ra.agency_key IS NOT NULL AND r.year IS NOT NULL
)
SELECT report_id FROM _continuity_ids
UNION
SELECT ra.report_id
FROM report_agencies ra JOIN reports r USING (report_id)
JOIN (SELECT DISTINCT agency_key, year + 1 AS year FROM stored) n
  ON n.agency_key = ra.agency_key AND n.year = r.year
UNION
SELECT report_id FROM checks
WHERE rule_id IN {RULES!r} AND other_report_id IN (SELECT report_id FROM _continuity_ids)
"""


def recheck_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Replace the cross-report rows that (re)storing these reports may change: theirs, those
    of their agencies' reports of the year after, and those that named one of them."""
    if not report_ids:
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _continuity_ids AS SELECT unnest(?) AS report_id",
        [report_ids],
    )
    try:
        con.execute(_TARGETS)
        _recheck(con)
    finally:
        con.execute("DROP TABLE IF EXISTS _continuity_ids")


def recheck_all(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute every cross-report row (after editing `agency_aliases`); rows written."""
    con.execute(f"DELETE FROM checks WHERE rule_id IN {RULES!r}")
    con.execute("CREATE OR REPLACE TEMP TABLE _continuity_targets AS SELECT report_id FROM reports")
    _recheck(con)
    (n,) = con.execute(f"SELECT count(*) FROM checks WHERE rule_id IN {RULES!r}").fetchone()
    return int(n)


def _recheck(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the cross-report rows of the reports in _continuity_targets."""
    try:
        con.execute(
            f"DELETE FROM checks WHERE rule_id IN {RULES!r} "
            "AND report_id IN (SELECT report_id FROM _continuity_targets)"
        )
        con.execute(_PAIRS)
        con.execute(_CARRY_SQL)
        con.execute(_IN_FORCE_SQL)
    finally:
        con.execute("DROP TABLE IF EXISTS _continuity_pairs")
        con.execute("DROP TABLE IF EXISTS _continuity_targets")
