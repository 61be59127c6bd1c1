"""Reviewer decisions: imported with `nianbao audit --import`, kept across re-parses, stale when
the figure or the document changes, and offered to analysts as views."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb

from parsers import PARSER_VERSION, parse
from pipeline.review.site import SiteSettings, write_site
from tests.conftest import REAL
from tests.pipeline.test_cli import nianbao
from warehouse.decisions import FACTS_DIGEST_SQL
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

SHANGHAI = REAL / "shanghai-govoffice-2019.html"
CELL = "requests.new_received.total"


def _parsed(tmp_path: Path, db: Path) -> Path:
    path = tmp_path / "shanghai.html"
    shutil.copy(SHANGHAI, path)
    assert nianbao("parse", str(path), "--db", str(db), "--jobs", "1").returncode == 0
    return path


def _seen(db: Path) -> dict:
    """What the review site shows of the report: ids, a figure and the figures' digest."""
    con = duckdb.connect(str(db), read_only=True)
    ((rid, sha),) = con.execute(
        "SELECT report_id, sha256 FROM reports JOIN documents USING (doc_id)"
    ).fetchall()
    ((value, status),) = con.execute(
        "SELECT value, status FROM facts WHERE table_id || '.' || row_id || '.' || col_id = ?",
        [CELL],
    ).fetchall()
    ((digest,),) = con.execute(f"SELECT {FACTS_DIGEST_SQL} FROM facts").fetchall()
    con.close()
    return {"id": rid, "sha": sha, "value": value, "status": status, "digest": digest}


def _file(tmp_path: Path, decisions: list[dict], name: str = "decisions.json") -> Path:
    path = tmp_path / name
    payload = {"schema": "nianbao.reviewer_decisions", "version": 1, "decisions": decisions}
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def _decision(seen: dict, **kw) -> dict:
    d = {
        "reviewer": "审核员乙",
        "decided_at": "2026-12-01T08:00:00.000Z",
        "report_id": seen["id"],
        "document_sha256": seen["sha"],
        "cell": CELL,
        "decision": "confirmed",
        "comment": "",
        "corrected_value": None,
        "value": f"{seen['value'].normalize():f}",
        "value_status": seen["status"],
        "facts_digest": None,
    }
    d.update(kw)
    return d


def _states(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT coalesce(row_id, '*'), decision, state, stale_reason "
            "FROM reviewer_decision_state ORDER BY decided_at"
        ).fetchall()
    finally:
        con.close()


def _reparse(db: Path, change: dict[str, Decimal], version: str) -> None:
    """Load the report again as a newer parser would, with some figures changed."""
    report = parse(SHANGHAI.read_bytes(), SHANGHAI.name)
    facts = tuple(
        dataclasses.replace(f, value=change[k])
        if (k := f"{f.table_id}.{f.row_id}.{f.col_id}") in change
        else f
        for f in report.facts
    )
    report = dataclasses.replace(report, facts=facts)
    con = connect(db)
    ((sha, source),) = con.execute("SELECT sha256, source FROM documents").fetchall()
    assert load_reports(con, [(DocumentRecord(sha, source), report)], version) == ["replaced"]
    con.close()


def test_decisions_survive_a_reparse_and_go_stale_when_the_figure_changes(tmp_path, db) -> None:
    _parsed(tmp_path, db)
    seen = _seen(db)
    decisions = [
        _decision(seen),
        _decision(
            seen,
            cell="requests.granted.total",
            decision="wrong",
            value=None,
            value_status="blank",
            corrected_value="272",
            comment="总计未印出，应为 272",
            decided_at="2026-12-01T08:01:00Z",
        ),
        _decision(
            seen, cell=None, value=None, value_status=None, facts_digest=seen["digest"],
            decided_at="2026-12-01T08:02:00Z",
        ),
    ]  # fmt: skip
    r = nianbao("audit", "--db", str(db), "--import", str(_file(tmp_path, decisions)))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("decisions: 3 read, 3 imported, 0 already there, 0 left out")
    assert [s[2] for s in _states(db)] == ["current"] * 3

    # A newer parser reads the same figures: every decision stays attached.
    _reparse(db, {}, PARSER_VERSION + "+same")
    assert [s[2] for s in _states(db)] == ["current"] * 3
    con = duckdb.connect(str(db), read_only=True)
    # The whole report is confirmed, but for the figure marked wrong.
    assert con.execute("SELECT count(*) FROM confirmed_facts").fetchone()[0] == 197
    assert con.execute(
        "SELECT row_id, col_id, corrected_value, comment, reviewer FROM wrong_facts"
    ).fetchall() == [("granted", "total", Decimal("272"), "总计未印出，应为 272", "审核员乙")]
    con.close()

    # It reads the reviewed figure differently: that decision and the report's go stale.
    _reparse(db, {CELL: Decimal(860)}, PARSER_VERSION + "+changed")
    states = _states(db)
    assert [(s[0], s[2]) for s in states] == [
        ("new_received", "stale"),
        ("granted", "current"),
        ("*", "stale"),
    ]
    assert states[0][3] == "the figure changed: reviewed 859.000000 (ok), now 860.000000 (ok)"
    assert states[2][3] == "the report's figures changed since the review"
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM confirmed_facts").fetchone()[0] == 0
    con.close()


def test_a_decision_goes_stale_when_the_document_changes(tmp_path, db) -> None:
    path = _parsed(tmp_path, db)
    seen = _seen(db)
    file = _file(tmp_path, [_decision(seen)])
    assert nianbao("audit", "--db", str(db), "--import", str(file)).returncode == 0
    # The file at the same path now holds other bytes (a corrected edition).
    path.write_text(SHANGHAI.read_text("utf-8").replace("<body", "<body data-edition=2"), "utf-8")
    assert nianbao("parse", str(path), "--db", str(db), "--jobs", "1").returncode == 0
    ((_, _, state, reason),) = _states(db)
    assert (state, reason) == ("stale", "the source now holds a newer document")


def test_a_later_decision_supersedes_an_earlier_one(tmp_path, db) -> None:
    _parsed(tmp_path, db)
    seen = _seen(db)
    later = _decision(seen, decision="wrong", decided_at="2026-12-02T08:00:00Z", comment="再核")
    file = _file(tmp_path, [_decision(seen), later])
    assert nianbao("audit", "--db", str(db), "--import", str(file)).returncode == 0
    assert [(s[1], s[2]) for s in _states(db)] == [
        ("confirmed", "superseded"),
        ("wrong", "current"),
    ]


def test_import_refuses_bad_files_and_leaves_out_unknown_cells(tmp_path, db) -> None:
    _parsed(tmp_path, db)
    seen = _seen(db)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = nianbao("audit", "--db", str(db), "--import", str(bad))
    assert r.returncode == 2 and "not a JSON file" in r.stderr
    wrong_kind = _file(tmp_path, [_decision(seen, decision="maybe")], "kind.json")
    r = nianbao("audit", "--db", str(db), "--import", str(wrong_kind))
    assert r.returncode == 2 and "decision 1: decision must be one of confirmed, wrong" in r.stderr
    odd = _file(tmp_path, [_decision(seen, corrected_value="12")], "odd.json")
    assert (
        "only for a figure marked wrong"
        in nianbao("audit", "--db", str(db), "--import", str(odd)).stderr
    )
    unknown = _file(
        tmp_path,
        [
            _decision(seen, cell="requests.no_such_row.total"),
            _decision(seen, report_id="0" * 16),
            _decision(seen, reviewer="\x1b[31m审核员\x1b]0;x\x07"),
        ],
        "unknown.json",
    )
    r = nianbao("audit", "--db", str(db), "--import", str(unknown))
    assert r.returncode == 1
    assert "1 imported, 0 already there, 2 left out" in r.stdout
    assert "the report has no such cell" in r.stdout and "no such report" in r.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT reviewer FROM reviewer_decisions").fetchall() == [
        ("[31m审核员]0;x",)
    ]
    con.close()


def test_decisions_reach_the_site_escaped(tmp_path, db) -> None:
    _parsed(tmp_path, db)
    seen = _seen(db)
    hostile = "</script><script>window.__pwned=1</script><img src=x onerror=alert(1)>"
    file = _file(tmp_path, [_decision(seen, decision="wrong", comment=hostile)])
    assert nianbao("audit", "--db", str(db), "--import", str(file)).returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    write_site(con, tmp_path / "site", SiteSettings(jobs=1, cwd=Path.cwd()))
    (page,) = (tmp_path / "site").glob("report-*.html")
    html = page.read_text("utf-8")
    block = re.search(r'id="page-data">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    assert "<" not in block
    assert json.loads(block)["decisions"][CELL]["comment"] == hostile
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert '"review": "wrong"' in index


def test_corrected_values_must_be_plain_decimals(tmp_path, db) -> None:
    _parsed(tmp_path, db)
    for value in ("1e400", "NaN", "12.1234567", "abc"):
        file = _file(tmp_path, [_decision(_seen(db), decision="wrong", corrected_value=value)])
        r = nianbao("audit", "--db", str(db), "--import", str(file))
        assert r.returncode == 2 and "corrected_value" in r.stderr, value
