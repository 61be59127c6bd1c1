"""Score a warehouse against gold files: accuracy, fabricated values, missing-flag recall."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb


@dataclass
class Score:
    """Totals over a corpus; `mismatches` lists each cell that differs from its gold."""

    documents: int = 0
    documents_unmatched: list[str] = field(default_factory=list)
    cells: int = 0
    correct: int = 0
    fabricated: int = 0
    gold_missing: int = 0
    flagged_missing: int = 0
    recoverable: int = 0
    recovered: int = 0
    meta_checked: int = 0
    meta_correct: int = 0
    status_checked: int = 0
    status_correct: int = 0
    fails_expected: int = 0
    fails_found: int = 0
    fails_reported: int = 0
    fails_unexpected: int = 0
    mismatches: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Rates and counts, for printing."""

        def rate(a: int, b: int) -> float | None:
            return round(a / b, 6) if b else None

        return {
            "documents": self.documents,
            "documents_unmatched": len(self.documents_unmatched),
            "cells": self.cells,
            "cell_accuracy": rate(self.correct, self.cells),
            "fabricated_values": self.fabricated,
            "missing_flag_recall": rate(self.flagged_missing, self.gold_missing),
            "recoverable_recovered": rate(self.recovered, self.recoverable),
            "metadata_accuracy": rate(self.meta_correct, self.meta_checked),
            "report_status_accuracy": rate(self.status_correct, self.status_checked),
            "failed_check_recall": rate(self.fails_found, self.fails_expected),
            "failed_check_precision": rate(
                self.fails_reported - self.fails_unexpected, self.fails_reported
            ),
            "mismatches": len(self.mismatches),
        }


def _same_status(gold: str, got: str) -> bool:
    # A repaired gold cell may be read plainly when the damage left its label intact.
    return (
        gold == got or (gold == "repaired" and got == "ok") or (gold == "ok" and got == "repaired")
    )


def score(con: duckdb.DuckDBPyConnection, gold_dir: str | Path) -> Score:
    """Compare every gold file in `gold_dir` with the report loaded from the same file name."""
    rows = con.execute(
        "SELECT s.source, r.report_id, r.status, r.format, r.year, r.agency, r.error "
        "FROM reports r JOIN sources s USING (doc_id)"
    ).fetchall()
    by_name = {Path(src).name: row for src, *row in rows}
    facts: dict[str, dict] = {}
    for rid, t, r, c, v, s in con.execute(
        "SELECT report_id, table_id, row_id, col_id, value, status FROM facts"
    ).fetchall():
        facts.setdefault(rid, {})[(t, r, c)] = (v, s)
    fails: dict[str, set] = {}
    for rid, rule, scope in con.execute(
        # In-report rules only: cross-report and narrative warnings are not in the gold.
        "SELECT report_id, rule_id, scope FROM checks WHERE status = 'fail' AND severity = 'error'"
    ).fetchall():
        fails.setdefault(rid, set()).add((rule, scope))
    out = Score()
    for path in sorted(Path(gold_dir).glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        row = by_name.get(gold["file"])
        if row is None:
            out.documents_unmatched.append(gold["file"])
            continue
        out.documents += 1
        rid, status, fmt, year, agency, error = row
        if "expect_status" in gold:
            out.status_checked += 1
            ok = status == gold["expect_status"] and (
                gold.get("reason_contains", "").lower() in (error or "").lower()
            )
            out.status_correct += ok
            if not ok:
                out.mismatches.append(
                    {
                        "file": gold["file"],
                        "status": status,
                        "error": error,
                        "expected": gold["expect_status"],
                    }
                )
            continue
        for key, got in (("format", fmt), ("year", year), ("agency", agency)):
            if key in gold:
                out.meta_checked += 1
                out.meta_correct += gold[key] == got
                if gold[key] != got:
                    out.mismatches.append({"file": gold["file"], key: got, "gold": gold[key]})
        _score_facts(out, gold, facts.get(rid, {}))
        if "checks_expected_fail" in gold:
            expected = {tuple(x) for x in gold["checks_expected_fail"]}
            found = fails.get(rid, set())
            out.fails_expected += len(expected)
            out.fails_found += len(expected & found)
            out.fails_reported += len(found)
            out.fails_unexpected += len(found - expected)
            if found != expected:
                out.mismatches.append(
                    {
                        "file": gold["file"],
                        "failed_checks": sorted(found),
                        "expected": sorted(expected),
                    }
                )
    return out


def _score_facts(out: Score, gold: dict, got_facts: dict) -> None:
    for g in gold.get("facts", []):
        key = (g["table_id"], g["row_id"], g["col_id"])
        out.cells += 1
        gv = None if g["value"] is None else Decimal(str(g["value"]))
        v, s = got_facts.get(key, (None, "absent"))
        good = _same_status(g["status"], s) and (v == gv if gv is not None else v is None)
        out.correct += good
        if v is not None and (gv is None or v != gv):
            out.fabricated += 1
        if g["status"] == "missing":
            out.gold_missing += 1
            out.flagged_missing += s == "missing"
        if g.get("recoverable") and g["status"] != "missing":
            out.recoverable += 1
            out.recovered += good
        if not good:
            out.mismatches.append(
                {
                    "file": gold["file"],
                    "cell": ".".join(key),
                    "gold": [g["value"], g["status"]],
                    "got": [None if v is None else str(v), s],
                }
            )
