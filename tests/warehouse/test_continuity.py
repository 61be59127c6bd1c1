"""Cross-report rules are rows of `checks`: planted breaks caught, clean pairs pass,
recomputed when either side is added or re-parsed."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from parsers import parse
from tests.conftest import load_folder
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

RULES = ("requests.carry_continuity", "proactive.in_force_continuity")


def _by_source(con) -> dict[str, tuple[str, int]]:
    return dict(
        (rid, (src, year))
        for rid, src, year in con.execute(
            "SELECT r.report_id, d.source, r.year FROM reports r JOIN documents d USING (doc_id)"
        ).fetchall()
    )


def test_planted_breaks_fail_and_clean_pairs_pass(series) -> None:
    db, manifest, _ = series
    con = connect(db, read_only=True)
    files = {f: a["index"] for a in manifest["agencies"] for f in a["files"]}
    reports = _by_source(con)
    got = {}
    for rid, rule, scope, status, other in con.execute(
        "SELECT report_id, rule_id, scope, status, other_report_id FROM checks "
        "WHERE rule_id IN (SELECT unnest(?)) AND other_report_id IS NOT NULL",
        [list(RULES)],
    ).fetchall():
        src, year = reports[rid]
        assert reports[other][1] == year - 1 and files[reports[other][0]] == files[src]
        assert scope.endswith(f":{other}:{rid}")
        got[(files[src], year, rule, scope.split(":")[0])] = status
    want = {(c["agency_index"], c["year"], c["rule"], c["scope"]): c["status"]
            for c in manifest["continuity"]}  # fmt: skip
    assert got == want
    assert sum(s == "fail" for s in want.values()) >= 4
    (severity,) = con.execute(
        "SELECT DISTINCT severity FROM checks WHERE rule_id IN (SELECT unnest(?))", [list(RULES)]
    ).fetchone()
    assert severity == "warning"


def test_a_missing_previous_year_is_not_evaluable_with_the_reason(series) -> None:
    con = connect(series[0], read_only=True)
    rows = con.execute(
        "SELECT r.year, c.rule_id, c.status, c.message FROM checks c JOIN reports r "
        "USING (report_id) WHERE c.scope LIKE '*:%' ORDER BY 1, 2"
    ).fetchall()
    # Every agency's 2019 (no 2018 report) and the year after the left-out 2022.
    assert [(y, rule) for y, rule, *_ in rows if y == 2023] == [
        (2023, "proactive.in_force_continuity"),
        (2023, "requests.carry_continuity"),
    ]
    assert all(s == "not_evaluable" and "no report of this agency for" in m
               for _, _, s, m in rows)  # fmt: skip


def test_adding_the_missing_year_recomputes_its_neighbour(series, tmp_path) -> None:
    _, manifest, outputs = series
    db = tmp_path / "w.duckdb"
    agency = manifest["agencies"][0]
    held_back = next(o for o in outputs if o.name == agency["files"][2])
    load_folder(db, [o for o in outputs if o is not held_back])
    con = connect(db)
    sql = (
        "SELECT count(*) FILTER (WHERE scope LIKE '*:%'), count(*) FROM checks c "
        "JOIN reports r USING (report_id) JOIN documents d USING (doc_id) "
        "WHERE c.rule_id = 'requests.carry_continuity' AND d.source = ?"
    )
    following = agency["files"][3]
    assert con.execute(sql, [following]).fetchone() == (1, 1)
    con.close()
    load_folder(db, [held_back])
    con = connect(db)
    assert con.execute(sql, [following]).fetchone() == (0, 7)
    assert con.execute(sql, [held_back.name]).fetchone() == (0, 7)


def test_reparsing_a_side_replaces_its_rows_without_duplicates(series_copy, series) -> None:
    _, manifest, outputs = series
    con = connect(series_copy)
    before = con.execute(
        "SELECT rule_id, scope, status FROM checks WHERE rule_id IN (SELECT unnest(?)) "
        "ORDER BY ALL",
        [list(RULES)],
    ).fetchall()
    broken = {c["agency_index"] for c in manifest["continuity"] if c["status"] == "fail"}
    clean = next(a for a in manifest["agencies"] if a["index"] not in broken)
    out = next(o for o in outputs if o.name == clean["files"][1])
    doc = DocumentRecord(hashlib.sha256(out.data).hexdigest(), out.name)
    report = parse(out.data, out.name)
    # A newer parser reads carried_forward differently: the next year's rows follow.
    facts = tuple(
        replace(f, value=(f.value if f.value is not None else 0) + 100, status="ok")
        if f.table_id == "requests"
        and f.row_id == "carried_forward"
        and f.col_id == "natural_person"
        else f
        for f in report.facts
    )
    assert load_reports(con, [(doc, replace(report, facts=facts))], "2") == ["replaced"]
    after = con.execute(
        "SELECT rule_id, scope, status FROM checks WHERE rule_id IN (SELECT unnest(?)) "
        "ORDER BY ALL",
        [list(RULES)],
    ).fetchall()
    assert len(after) == len(before)
    changed = set(after) - set(before)
    assert changed and all(s == "fail" and sc.startswith("natural_person:")
                           for _, sc, s in changed)  # fmt: skip
