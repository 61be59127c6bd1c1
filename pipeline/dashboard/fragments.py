"""The dashboard's big tables, built as HTML fragments inside DuckDB.

A 10,000-report warehouse gives some 300,000 peer-rank rows and 400,000 evidence cells;
formatting them row by row in Python takes minutes, in DuckDB seconds. The fragments are
table rows and cells; `pipeline.dashboard.markup` wraps them in pages. The macros mirror
markup's Python helpers (`esc`, `number`, `plain`, `agency_file`), and a test holds them
equal: every value is escaped the same way in both.
"""

from __future__ import annotations

import duckdb

MACROS = [
    # html.escape(x, quote=True)
    """CREATE OR REPLACE TEMP MACRO h(x) AS
       replace(replace(replace(replace(replace(coalesce(CAST(x AS VARCHAR), ''),
           '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#x27;')""",
    # markup.number: 12.3% for a share, 1,234 for a whole number, 24,252.31 otherwise
    """CREATE OR REPLACE TEMP MACRO num(v, unit) AS
       CASE WHEN v IS NULL THEN ''
            WHEN unit = 'share' THEN format('{:.1f}%', v * 100)
            WHEN v = trunc(v) THEN format('{:,}', CAST(v AS HUGEINT))
            ELSE format('{:,.2f}', v) END""",
    # markup.plain: a count or amount without unit
    """CREATE OR REPLACE TEMP MACRO plain(v) AS
       CASE WHEN v IS NULL THEN ''
            WHEN v = trunc(v) THEN format('{:,}', CAST(v AS HUGEINT))
            ELSE rtrim(format('{:,.4f}', v), '0') END""",
    # markup.agency_file
    """CREATE OR REPLACE TEMP MACRO afile(key) AS 'a-' || left(sha1(key), 16) || '.html'""",
    # A value, or a gap with its status and reason (never a zero).
    """CREATE OR REPLACE TEMP MACRO value_cell(value, unit, status, reason) AS
       CASE WHEN status IS NULL THEN '<td class="gap">no report</td>'
            WHEN value IS NULL
                 THEN '<td class="gap">— ' || h(status) || '<span class="why">' || h(reason)
                      || '</span></td>'
            WHEN status IN ('derived', 'repaired')
                 THEN '<td class="' || status || '" title="' || h(reason) || '">'
                      || h(num(value, unit)) || '<span class="why">' || status
                      || '</span></td>'
            ELSE '<td' || coalesce(' title="' || h(reason) || '"', '') || '>'
                 || h(num(value, unit)) || '</td>' END""",
    # A change from the year before (shares in points), or a gap with the reason.
    """CREATE OR REPLACE TEMP MACRO change_cell(change, unit, status, reason) AS
       CASE WHEN status IS NULL THEN '<td class="gap">no report</td>'
            WHEN change IS NULL
                 THEN '<td class="gap">— ' || h(status) || '<span class="why">' || h(reason)
                      || '</span></td>'
            WHEN unit = 'share' THEN '<td>' || format('{:+.1f}', change * 100) || ' pts</td>'
            ELSE '<td>' || CASE WHEN change > 0 THEN '+' ELSE '' END || h(num(change, unit))
                 || '</td>' END""",
    """CREATE OR REPLACE TEMP MACRO where_text(kind, tab, r, c, line, page, x0, top, x1, bottom)
       AS CASE WHEN page IS NOT NULL
                    THEN 'pdf page ' || page || ', box ('
                         || concat_ws(', ', format('{:.1f}', x0), format('{:.1f}', top),
                                      format('{:.1f}', x1), format('{:.1f}', bottom)) || ')'
               WHEN line IS NOT NULL THEN 'text line ' || line || ', cell ' || c
               WHEN tab IS NOT NULL
                    THEN kind || ' table ' || tab || ', row ' || r || ', column ' || c
               ELSE 'not in the source' END""",
]

# Per agency and indicator: the cells of its rows (values, changes, ranks), one per year it
# reported, in year order.
AGENCY_ROWS = """
WITH ranks AS (
    SELECT agency_key, indicator_id, year,
           string_agg('<span title="' || h(peer_group) || '">' || h(peer_scope) || ' '
                      || coalesce(CAST(rank AS VARCHAR), '—') || '/' || group_size
                      || coalesce(' ' || outlier, '') || '</span>', '<br>'
                      ORDER BY peer_scope) AS html,
           bool_or(outlier = 'high') AS high, bool_or(outlier = 'low') AS low
    FROM _ranks GROUP BY agency_key, indicator_id, year
)
SELECT a.agency_key, a.indicator_id,
       string_agg(value_cell(a.value, a.unit, a.status, a.reason), '' ORDER BY a.year),
       string_agg(change_cell(c.change, a.unit, c.status, c.reason), '' ORDER BY a.year),
       string_agg(coalesce('<td class="l' || CASE WHEN r.high THEN ' high' ELSE '' END
                           || CASE WHEN r.low THEN ' low' ELSE '' END || '">' || r.html
                           || '</td>', '<td></td>'), '' ORDER BY a.year)
FROM _agency a
LEFT JOIN _changes c USING (agency_key, indicator_id, year)
LEFT JOIN ranks r USING (agency_key, indicator_id, year)
GROUP BY a.agency_key, a.indicator_id"""

# Per indicator and year: every peer group's heading, figures and ranking table.
RANKINGS = """
WITH rows AS (
    SELECT r.*, d.unit,
           '<tr' || coalesce(' class="' || r.outlier || '"', '') || '><td>'
           || coalesce(CAST(r.rank AS VARCHAR), '—') || '</td><td class="l"><a href="../agencies/'
           || afile(r.agency_key) || '">' || h(r.agency_key) || '</a></td>'
           || value_cell(r.value, d.unit, r.status, r.reason) || '<td>' || plain(r.numerator)
           || '</td><td>' || plain(r.denominator) || '</td><td class="l">'
           || coalesce(r.outlier, '') || '</td></tr>' AS html
    FROM _ranks r JOIN indicator_definitions d USING (indicator_id)
),
groups AS (
    SELECT indicator_id, year, peer_scope, peer_group, any_value(unit) AS unit,
           any_value(group_size) AS size, any_value(group_agencies) AS agencies,
           any_value(q1) AS q1, any_value(median) AS median, any_value(q3) AS q3,
           any_value(lower_fence) AS lo, any_value(upper_fence) AS hi,
           string_agg(html, '' ORDER BY rank NULLS LAST, agency_key) AS rows_html
    FROM rows GROUP BY indicator_id, year, peer_scope, peer_group
)
SELECT indicator_id, year, count(*),
       string_agg('<h3>' || h(peer_group) || '</h3><p class="small">' || size || ' ranked of '
                  || agencies || ' agencies; '
                  || CASE WHEN q1 IS NULL THEN 'no value'
                          ELSE h('q1 ' || num(q1, unit) || ', median ' || num(median, unit)
                                 || ', q3 ' || num(q3, unit) || ', fences ' || num(lo, unit)
                                 || ' – ' || num(hi, unit)) END
                  || '</p><table><tr><th>rank</th><th class="l">agency</th><th>value</th>'
                  || '<th>numerator</th><th>denominator</th><th class="l">outlier</th></tr>'
                  || rows_html || '</table>', '' ORDER BY peer_scope, peer_group)
FROM groups GROUP BY indicator_id, year"""

# Per report: the cells its indicators use, with their provenance.
EVIDENCE = """
WITH cells AS (
    SELECT report_id, code, any_value(value) AS value, any_value(unit) AS unit,
           any_value(status) AS status, any_value(raw) AS raw, any_value(note) AS note,
           string_agg(DISTINCT problem, ', ') AS problem,
           any_value(where_text(src_kind, src_table, src_row, src_col, src_line, page,
                                x0, top, x1, bottom)) AS place
    FROM _cells
    WHERE report_id IN (SELECT report_id FROM _agency)
    GROUP BY report_id, code
)
SELECT report_id, count(*),
       string_agg('<tr><td class="l">' || h(code) || '</td><td class="l">' || h(status)
                  || '</td><td class="l">' || h(raw) || '</td><td>' || plain(value)
                  || coalesce(' ' || h(unit), '') || '</td><td class="l">' || h(place)
                  || '</td><td class="l">' || h(problem) || '</td><td class="l">' || h(note)
                  || '</td></tr>', '' ORDER BY code)
FROM cells GROUP BY report_id"""


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the macros on this connection (temporary: a read-only file is not touched)."""
    for sql in MACROS:
        con.execute(sql)
