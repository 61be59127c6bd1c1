"""Indicators of the real Pingtan series (seven years of one body) as the README lists them;
each README value was checked by hand against the printed tables of the pages."""

from __future__ import annotations

import hashlib

import pytest

from parsers import parse
from tests.conftest import REAL
from warehouse.documentation import README
from warehouse.indicator_docs import BEGIN, END, indicators_table
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

PINGTAN_BEGIN = "<!-- pingtan:begin (tests/warehouse/test_indicators_real.py checks it) -->"
PINGTAN_END = "<!-- pingtan:end -->"
YEARS = range(2019, 2026)


def _value(value, numerator, denominator, status, unit) -> str:
    if value is None:
        return f"— {status}"
    if unit == "share":
        return f"{numerator:g}/{denominator:g} = {100 * value:.1f}%"
    return f"{value:g}" if float(value).is_integer() else f"{value:f}".rstrip("0")


def pingtan_table(con) -> str:
    """The README table: one row per indicator, one column per year."""
    rows = con.execute(
        """SELECT i.indicator_id, r.year, i.value, i.numerator, i.denominator, i.status, i.unit
           FROM indicators i JOIN reports r USING (report_id)
           JOIN indicator_definitions d USING (indicator_id)
           WHERE r.year IS NOT NULL ORDER BY d.position, r.year"""
    ).fetchall()
    cells: dict[str, dict[int, str]] = {}
    for ind, year, *value in rows:
        cells.setdefault(ind, {})[year] = _value(*value)
    lines = ["| indicator | " + " | ".join(map(str, YEARS)) + " |", "|---" * 8 + "|"]
    for ind, by_year in cells.items():
        lines.append(f"| `{ind}` | " + " | ".join(by_year.get(y, "") for y in YEARS) + " |")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def pingtan(tmp_path_factory):
    db = tmp_path_factory.mktemp("pingtan") / "pingtan.duckdb"
    items = []
    paths = sorted((REAL / "pingtan").glob("pingtan-zone-20??.html"))
    assert len(paths) == 7, f"the Pingtan series is not at {REAL / 'pingtan'}"
    for path in paths:
        data = path.read_bytes()
        items.append((DocumentRecord(hashlib.sha256(data).hexdigest(), path.name),
                      parse(data, path.name)))  # fmt: skip
    con = connect(db)
    load_reports(con, items, "1")
    return con


def test_readme_lists_the_pingtan_indicators(pingtan) -> None:
    text = README.read_text(encoding="utf-8")
    block = text.partition(PINGTAN_BEGIN)[2].partition(PINGTAN_END)[0].strip()
    want = pingtan_table(pingtan)
    assert block == want, f"README's Pingtan table differs; the warehouse gives:\n{want}"


def test_pingtan_hand_checked_values(pingtan) -> None:
    """A few values worked out by hand from the printed tables."""
    got = {
        (year, ind): (value, status)
        for year, ind, value, status in pingtan.execute(
            "SELECT r.year, i.indicator_id, i.value, i.status FROM indicators i "
            "JOIN reports r USING (report_id)"
        ).fetchall()
    }
    # 2019: (（一）7 + （二）1) / （七）23
    assert got[2019, "substantive_disclosure_rate"][0] == pytest.approx(8 / 23)
    # 2020 prints （七）总计 21 beside rows that sum to 27: nothing over handled is computed.
    assert got[2020, "refusal_rate"] == (None, "failed_check")
    assert got[2020, "new_requests"] == (21, "ok")
    # 2024 复议后起诉: 维持 13, 纠正 2, 其他 4 → 2 / 19
    assert got[2024, "litigation_correction_rate_after_review"][0] == pytest.approx(2 / 19)
    # 2023 行政规范性文件: 制发 77 − 废止 132
    assert got[2023, "normative_docs_net_change"] == (-55, "ok")
    # 2025: (复议 36 + 直接起诉 6) / 新收 154
    assert got[2025, "dispute_conversion_rate"][0] == pytest.approx(42 / 154)
    assert got[2025, "fee_amount"][0] == pytest.approx(4166.241619)


def test_readme_lists_every_indicator() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.partition(BEGIN)[2].partition(END)[0].strip()
    assert block == indicators_table(), "README is stale: run python -m pipeline.docs"
