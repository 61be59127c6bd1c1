"""Each analyst view's rows equal the facts they come from."""

from __future__ import annotations

import pytest

from parsers.templates import load_format
from warehouse.schema import connect
from warehouse.wide import OTHER_2021, wide_views


@pytest.mark.parametrize("view", wide_views(), ids=lambda v: v.name)
def test_wide_views_hold_exactly_the_facts(series, view) -> None:
    con = connect(series[0], read_only=True)
    unpivot = " UNION ALL ".join(
        f"SELECT report_id, row_id, '{c}' AS col_id, {c} AS value, {c}_status AS status "
        f"FROM {view.name} WHERE {c}_status IS NOT NULL"
        for c in view.columns
    )
    from_view = con.execute(f"SELECT * FROM ({unpivot}) ORDER BY ALL").fetchall()
    from_facts = con.execute(
        "SELECT report_id, row_id, col_id, value, status FROM facts WHERE table_id = ? "
        "ORDER BY ALL",
        [view.table_id],
    ).fetchall()
    assert from_view == from_facts and len(from_facts) > 100
    (n,) = con.execute(
        f"SELECT count(*) - count(DISTINCT (report_id, row_id)) FROM {view.name}"
    ).fetchone()
    assert n == 0  # one row per report and row code


def test_row_labels_are_the_official_wording(series) -> None:
    con = connect(series[0], read_only=True)
    rows = con.execute(
        "SELECT DISTINCT format, row_id, row_label, group_label FROM requests_wide"
    ).fetchall()
    assert len(rows) > 40
    for fmt, row_id, label, _group in rows:
        assert label == load_format(fmt).tables["requests"].row(row_id).printed
    labels = {(f, r): (lab, g) for f, r, lab, g in rows}
    assert labels["2021", "denied_state_secret"] == ("1.属于国家秘密", "（三）不予公开")


def test_report_summary_counts_cells_and_checks(series) -> None:
    con = connect(series[0], read_only=True)
    summary = con.execute(
        "SELECT report_id, ok, blank, dash, repaired, missing, failed_checks, warnings "
        "FROM report_summary ORDER BY 1"
    ).fetchall()
    counted = con.execute(
        """SELECT r.report_id,
                  count(*) FILTER (WHERE f.status = 'ok'),
                  count(*) FILTER (WHERE f.status = 'blank'),
                  count(*) FILTER (WHERE f.status = 'dash'),
                  count(*) FILTER (WHERE f.status = 'repaired'),
                  count(*) FILTER (WHERE f.status = 'missing'),
                  (SELECT count(*) FROM checks c WHERE c.report_id = r.report_id
                     AND c.status = 'fail' AND c.severity = 'error'),
                  (SELECT count(*) FROM checks c WHERE c.report_id = r.report_id
                     AND c.status = 'fail' AND c.severity = 'warning')
           FROM reports r LEFT JOIN facts f USING (report_id) GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    assert summary == counted
    assert sum(row[7] for row in summary) >= 4  # the planted continuity breaks


def test_across_formats_lines_up_only_what_means_the_same(series) -> None:
    con = connect(series[0], read_only=True)
    assert con.execute(
        "SELECT count(*) FROM requests_across_formats WHERE row_id IN (SELECT unnest(?)) "
        "OR table_id NOT IN ('requests', 'reviews')",
        [list(OTHER_2021)],
    ).fetchone() == (0,)
    # 2021: other_handling is the sum of the three sub-rows, flagged as summed.
    rows = con.execute(
        """SELECT a.report_id, a.col_id, a.value, a.status, a.summed, sum(f.value),
                  count(*) FILTER (WHERE f.status IN ('ok', 'repaired'))
           FROM requests_across_formats a
           JOIN facts f ON f.report_id = a.report_id AND f.table_id = 'requests'
            AND f.col_id = a.col_id AND f.row_id IN (SELECT unnest(?))
           WHERE a.format = '2021' AND a.row_id = 'other_handling'
           GROUP BY ALL""",
        [list(OTHER_2021)],
    ).fetchall()
    assert rows
    for _, _, value, status, summed, total, printed in rows:
        assert summed
        if printed:
            assert (value, status) == (total, "derived")
        else:
            assert (value, status) == (None, "blank")
    # 2019: the printed row as it is; every other cell equals its fact.
    mismatched = con.execute(
        """SELECT count(*) FROM requests_across_formats a
           JOIN facts f USING (report_id, table_id, row_id, col_id)
           WHERE NOT a.summed AND (a.value IS DISTINCT FROM f.value OR a.status <> f.status)"""
    ).fetchone()
    assert mismatched == (0,)
    (n_2019,) = con.execute(
        "SELECT count(*) FROM requests_across_formats WHERE format = '2019' AND summed"
    ).fetchone()
    assert n_2019 == 0
