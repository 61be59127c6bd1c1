"""Peer groups, ranks, fences and year-over-year changes equal a hand computation."""

from __future__ import annotations

import hashlib
import math

import pytest

from tests.warehouse.gold_indicators import FORMULAS, GoldReport
from warehouse.schema import connect

# synth.indicator_series.NAMES by index: the groups each agency belongs to.
GROUPS = {
    ("city", "江苏省淮安市", "county", "government"): {0, 1, 2, 3, 4},
    ("province", "江苏省", "county", "government"): {0, 1, 2, 3, 4, 6},
    ("city", "江苏省南京市", "county", "government"): {6},
    ("city", "江苏省淮安市", "county", "department"): {5},
    ("province", "江苏省", "county", "department"): {5},
    ("province", "江苏省", "city", "government"): {7},
}
FENCE, MIN_GROUP = 1.5, 4


def _quantile(values: list[float], p: float) -> float:
    """Linear interpolation between the closest ranks (as DuckDB quantile_cont)."""
    xs = sorted(values)
    pos = (len(xs) - 1) * p
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@pytest.fixture(scope="module")
def hand(indicator_series) -> dict[tuple[int, int, str], float | None]:
    """(agency index, year, indicator) -> value computed by hand from the gold."""
    _, _, outputs = indicator_series
    out = {}
    for o in outputs:
        g = GoldReport(o.gold)
        for name in FORMULAS:
            out[o.gold["series"]["agency_index"], o.gold["year"], name] = g.indicator(name).value
    return out


def test_peer_groups_ranks_and_fences(indicator_series, hand) -> None:
    db, _, outputs = indicator_series
    con = connect(db, read_only=True)
    index = {hashlib.sha256(o.data).hexdigest()[:16]: o.gold["series"]["agency_index"]
             for o in outputs}  # fmt: skip
    rows = con.execute(
        """SELECT peer_scope, peer_place, level, body, indicator_id, year, report_id, value,
                  rank, group_size, group_agencies, q1, median, q3, outlier
           FROM indicator_peer_ranks"""
    ).fetchall()
    seen_groups: dict[tuple, set[int]] = {}
    checked = outliers = 0
    for (
        scope,
        place,
        level,
        body,
        name,
        year,
        rid,
        value,
        rank,
        size,
        agencies,
        q1,
        med,
        q3,
        flag,
    ) in rows:
        group = (scope, place, level, body)
        a = index[rid]
        seen_groups.setdefault(group, set()).add(a)
        members = [m for m in GROUPS[group] if (m, year, name) in hand]
        values = [hand[m, year, name] for m in members if hand[m, year, name] is not None]
        assert (
            value == pytest.approx(hand[a, year, name])
            if value is not None
            else (hand[a, year, name] is None)
        )
        assert (size, agencies) == (len(values), len(members)), (group, name, year)
        if value is None:
            assert rank is None
            continue
        assert rank == 1 + sum(v > value + 1e-12 for v in values)
        want = [_quantile(values, p) for p in (0.25, 0.5, 0.75)]
        assert (q1, med, q3) == pytest.approx(want)
        iqr = want[2] - want[0]
        expect = None
        if len(values) >= MIN_GROUP and value > want[2] + FENCE * iqr + 1e-12:
            expect = "high"
        elif len(values) >= MIN_GROUP and value < want[0] - FENCE * iqr - 1e-12:
            expect = "low"
        assert flag == expect, (group, name, year, value, want)
        checked += 1
        outliers += flag is not None
    assert seen_groups == GROUPS
    assert checked > 500 and outliers > 0
    # The outlier view holds exactly the flagged rows, with the figures behind them.
    (n, bad) = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE value BETWEEN lower_fence AND upper_fence "
        "OR group_size < ?) FROM indicator_outliers",
        [MIN_GROUP],
    ).fetchone()
    assert n == outliers and bad == 0


def test_year_over_year_changes(indicator_series, hand) -> None:
    db, _, outputs = indicator_series
    con = connect(db, read_only=True)
    index = {hashlib.sha256(o.data).hexdigest()[:16]: o.gold["series"]["agency_index"]
             for o in outputs}  # fmt: skip
    rows = con.execute(
        "SELECT report_id, indicator_id, year, change, status, reason FROM indicator_changes"
    ).fetchall()
    assert len(rows) == len(outputs) * len(FORMULAS)
    for rid, name, year, change, status, reason in rows:
        a = index[rid]
        if (a, year - 1, name) not in hand:
            assert status == "no_previous" and change is None
            assert reason == f"no report of this agency for {year - 1}"
            continue
        cur, prev = hand[a, year, name], hand[a, year - 1, name]
        if cur is None or prev is None:
            assert change is None and status in ("value_null", "previous_null") and reason
        else:
            assert status == "ok" and change == pytest.approx(cur - prev)
    # The agency whose 2022 report is left out has no change for 2023.
    assert any(index[r] == 6 and y == 2023 and s == "no_previous" for r, _, y, _, s, _ in rows)
