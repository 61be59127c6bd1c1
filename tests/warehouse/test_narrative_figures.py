"""Narrative figures stored with their place; the soft check against the table."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from parsers import parse
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect


def test_figures_point_back_into_their_section(series) -> None:
    con = connect(series[0], read_only=True)
    n, wrong = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE printed <> phrase) FROM narrative_sentences"
    ).fetchone()
    assert n > 100 and wrong == 0


def test_stated_received_counts_agree_with_the_table(series) -> None:
    con = connect(series[0], read_only=True)
    rows = con.execute(
        "SELECT status, severity, count(*) FROM checks "
        "WHERE rule_id = 'narrative.requests_received' GROUP BY ALL"
    ).fetchall()
    assert rows and {(s, sev) for s, sev, _ in rows} <= {("pass", "warning")}


def test_stated_handled_counts_of_a_real_report(tmp_path) -> None:
    from tests.conftest import REAL

    data = (REAL / "huaian-city-2024.pdf").read_bytes()
    con = connect(tmp_path / "w.duckdb")
    doc = DocumentRecord(hashlib.sha256(data).hexdigest(), "huaian.pdf")
    load_reports(con, [(doc, parse(data, "huaian.pdf"))], "1")
    rows = dict(
        con.execute(
            "SELECT rule_id, status FROM checks WHERE rule_id LIKE 'narrative.%'"
        ).fetchall()
    )
    # 受理…申请3119件 and 答复3050件: the table says what it says; each is judged.
    assert set(rows) == {"narrative.requests_received", "narrative.requests_handled"}
    assert set(rows.values()) <= {"pass", "fail"}


def test_a_narrative_that_disagrees_is_a_warning(series, tmp_path) -> None:
    _, _, outputs = series
    out = next(
        o for o in outputs
        if any(f.subject == "requests_received" for f in parse(o.data, o.name).narrative)
    )  # fmt: skip
    report = parse(out.data, out.name)
    narrative = tuple(
        replace(f, value=f.value + 7) if f.subject == "requests_received" else f
        for f in report.narrative
    )
    con = connect(tmp_path / "w.duckdb")
    doc = DocumentRecord(hashlib.sha256(out.data).hexdigest(), out.name)
    load_reports(con, [(doc, replace(report, narrative=narrative))], "1")
    (status, severity, message) = con.execute(
        "SELECT status, severity, message FROM checks "
        "WHERE rule_id = 'narrative.requests_received' LIMIT 1"
    ).fetchone()
    assert (status, severity) == ("fail", "warning")
    assert "narrative says" in message
