"""Score a warehouse against gold files: accuracy, fabricated values, missing-flag recall.

Gold semantics (tools/synth/README.md, shared/corpus/real/README.md):

- a fact's `value` and `status` are what the source prints (or `missing`);
- `accept_missing: true` marks a doubtful cell: the printed value or `missing` are both right,
  and neither counts as fabricated;
- `recoverable` (damaged documents) says whether a careful parser can give the value back;
- a number read as `blank` or `dash` is counted apart (`false_empty`): not a number, but a
  claim that the cell is empty, which sums and checks take as zero;
- `agency_accept` lists every right string for `reports.agency`; `title_accept` likewise;
- metadata is agency, year, format and title; titles are compared in Simplified script with
  widths folded and spaces removed, since reports print them in either script and wrap them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import opencc

from parsers.templates import FORMATS, load_format

METADATA = ("format", "year", "agency", "title")
# Gold keys whose values name the variation a document carries (for --by variant).
VARIANT_KEYS = ("quirks", "damage", "variants")


@dataclass
class Score:
    """Totals over a corpus; `mismatches` lists each cell that differs from its gold."""

    documents: int = 0
    documents_unmatched: list[str] = field(default_factory=list)
    cells: int = 0
    correct: int = 0
    fabricated: int = 0
    false_empty: int = 0  # read blank or dash where the source prints a number
    gold_missing: int = 0
    flagged_missing: int = 0
    recoverable: int = 0
    recovered: int = 0
    doubtful: int = 0
    doubtful_read: int = 0
    meta_checked: int = 0
    meta_correct: int = 0
    meta_fields: dict[str, list[int]] = field(default_factory=dict)  # key -> [right, checked]
    meta_documents: int = 0
    meta_documents_right: int = 0
    status_checked: int = 0
    status_correct: int = 0
    fails_expected: int = 0
    fails_found: int = 0
    fails_reported: int = 0
    fails_unexpected: int = 0
    mismatches: list[dict] = field(default_factory=list)
    fabrications: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Rates and counts, for printing."""
        return {
            "documents": self.documents,
            "documents_unmatched": len(self.documents_unmatched),
            "cells": self.cells,
            "cell_accuracy": _rate(self.correct, self.cells),
            "fabricated_values": self.fabricated,
            "false_empty": self.false_empty,
            "missing_flag_recall": _rate(self.flagged_missing, self.gold_missing),
            "recoverable_recovered": _rate(self.recovered, self.recoverable),
            "doubtful_cells": self.doubtful,
            "doubtful_read": self.doubtful_read,
            "metadata_accuracy": _rate(self.meta_correct, self.meta_checked),
            "metadata_documents_right": _rate(self.meta_documents_right, self.meta_documents),
            "metadata_by_field": {
                k: _rate(right, checked) for k, (right, checked) in sorted(self.meta_fields.items())
            },
            "report_status_accuracy": _rate(self.status_correct, self.status_checked),
            "failed_check_recall": _rate(self.fails_found, self.fails_expected),
            "failed_check_precision": _rate(
                self.fails_reported - self.fails_unexpected, self.fails_reported
            ),
            "mismatches": len(self.mismatches),
        }


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 6) if b else None


def _same_status(gold: str, got: str) -> bool:
    # A repaired gold cell may be read plainly when the damage left its label intact.
    return (
        gold == got or (gold == "repaired" and got == "ok") or (gold == "ok" and got == "repaired")
    )


class TitleKey:
    """Titles folded for comparison: Simplified script, NFKC widths, no whitespace."""

    def __init__(self) -> None:
        self._converters = [opencc.OpenCC(c).convert for c in ("tw2sp", "t2s")]

    def keys(self, text: str) -> set[str]:
        """Every folded form of a title (two Traditional-to-Simplified conversions)."""
        flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
        return {flat, *(conv(flat) for conv in self._converters)}

    def same(self, gold: Iterable[str], got: str | None) -> bool:
        """Whether a title read matches any right title."""
        if not got:
            return False
        mine = self.keys(got)
        return any(mine & self.keys(g) for g in gold)


@dataclass(frozen=True)
class Report:
    """What the warehouse holds about one report."""

    report_id: str
    status: str
    fmt: str | None
    year: int | None
    agency: str | None
    title: str | None
    error: str | None


@dataclass
class Reports:
    """The reports of a warehouse by every path they were read from and by file name: the
    folders of one corpus (scans of the same PDFs, say) hold files of the same name."""

    by_path: dict[str, Report] = field(default_factory=dict)
    by_name: dict[str, list[Report]] = field(default_factory=dict)

    def add(self, source: str, report: Report) -> None:
        if "://" not in source:
            self.by_path[str(Path(source).resolve())] = report
        named = self.by_name.setdefault(Path(source).name, [])
        if report not in named:
            named.append(report)

    def of(self, document: Path) -> Report | None:
        """The report read from `document`: from its path, else the one report of its file
        name (none where several share the name and none is at that path)."""
        report = self.by_path.get(str(document.resolve()))
        if report is not None:
            return report
        named = self.by_name.get(document.name, [])
        return named[0] if len(named) == 1 else None


def _load(con: duckdb.DuckDBPyConnection) -> tuple[Reports, dict, dict]:
    rows = con.execute(
        "SELECT s.source, r.report_id, r.status, r.format, r.year, r.agency, r.title, r.error "
        "FROM reports r JOIN sources s USING (doc_id)"
    ).fetchall()
    reports = Reports()
    for src, *row in rows:
        reports.add(src, Report(*row))
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
    return reports, facts, fails


def groups_of(gold: dict, by: str | None) -> list[str]:
    """The groups a gold document counts in: all, its profile, or each variation it carries."""
    if by is None:
        return ["all"]
    if by == "profile":
        return [str(gold.get("profile", "real"))]
    if by == "rendition":
        return [str(gold.get("rendition") or Path(gold["file"]).suffix.lstrip("."))]
    names = sorted({v for k in VARIANT_KEYS for v in gold.get(k, []) or []})
    return names or ["(none)"]


def score(con: duckdb.DuckDBPyConnection, gold_dir: str | Path) -> Score:
    """Compare every gold file in `gold_dir` with the report read from its document: the
    same path, else the one report of the same file name."""
    return score_groups(con, gold_dir, None)["all"]


def score_groups(
    con: duckdb.DuckDBPyConnection, gold_dir: str | Path, by: str | None
) -> dict[str, Score]:
    """Scores per group (`by`: None, "profile", "rendition" or "variant")."""
    reports, facts, fails = _load(con)
    titles = TitleKey()
    out: dict[str, Score] = {}
    for path in sorted(Path(gold_dir).rglob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        targets = [out.setdefault(g, Score()) for g in groups_of(gold, by)]
        report = reports.of(path.parent / gold["file"])
        for s in targets:
            _score_document(s, gold, report, facts, fails, titles)
    return out or {"all": Score()}


def _score_document(
    out: Score, gold: dict, report: Report | None, facts: dict, fails: dict, titles: TitleKey
) -> None:
    if report is None:
        out.documents_unmatched.append(gold["file"])
        return
    out.documents += 1
    if "expect_status" in gold:
        out.status_checked += 1
        ok = report.status == gold["expect_status"] and (
            gold.get("reason_contains", "").lower() in (report.error or "").lower()
        )
        out.status_correct += ok
        if not ok:
            out.mismatches.append(
                {
                    "file": gold["file"],
                    "status": report.status,
                    "error": report.error,
                    "expected": gold["expect_status"],
                }
            )
        return
    _score_metadata(out, gold, report, titles)
    _score_facts(out, gold, facts.get(report.report_id, {}))
    if "checks_expected_fail" in gold:
        expected = {tuple(x) for x in gold["checks_expected_fail"]}
        found = fails.get(report.report_id, set())
        out.fails_expected += len(expected)
        out.fails_found += len(expected & found)
        out.fails_reported += len(found)
        out.fails_unexpected += len(found - expected)
        if found != expected:
            out.mismatches.append(
                {"file": gold["file"], "failed_checks": sorted(found), "expected": sorted(expected)}
            )


def _score_metadata(out: Score, gold: dict, report: Report, titles: TitleKey) -> None:
    judges: dict[str, Callable[[object], bool]] = {
        "format": lambda got: got == gold["format"],
        "year": lambda got: got == gold["year"],
        "agency": lambda got: got in (gold.get("agency_accept") or [gold["agency"]]),
        "title": lambda got: titles.same(gold.get("title_accept") or [gold["title"]], got),
    }
    got_of = {
        "format": report.fmt,
        "year": report.year,
        "agency": report.agency,
        "title": report.title,
    }
    all_right = True
    checked = False
    for key in METADATA:
        if key not in gold:
            continue
        checked = True
        right = judges[key](got_of[key])
        tally = out.meta_fields.setdefault(key, [0, 0])
        tally[0] += right
        tally[1] += 1
        out.meta_checked += 1
        out.meta_correct += right
        if not right:
            all_right = False
            out.mismatches.append({"file": gold["file"], key: got_of[key], "gold": gold[key]})
    if checked:
        out.meta_documents += 1
        out.meta_documents_right += all_right


# Rows of a format that only some reports print (the hybrid （六）其他处理 of format 2021).
OPTIONAL_ROWS = frozenset(
    r.id for f in FORMATS for t in load_format(f).tables.values() for r in t.rows if r.optional
)


def _score_facts(out: Score, gold: dict, got_facts: dict) -> None:
    for g in gold.get("facts", []):
        key = (g["table_id"], g["row_id"], g["col_id"])
        out.cells += 1
        gv = None if g["value"] is None else Decimal(str(g["value"]))
        v, s = got_facts.get(key, (None, "absent"))
        if s == "absent" and g["row_id"] in OPTIONAL_ROWS:
            # A row that exists only in some layouts of the format (2021's hybrid （六）): a
            # report that does not print its table cannot say it had one, so it has no such
            # cell rather than a missing one.
            s = "missing"
        as_printed = _same_status(g["status"], s) and (v == gv if gv is not None else v is None)
        doubtful = bool(g.get("accept_missing"))
        good = as_printed or (doubtful and s == "missing")
        out.correct += good
        if doubtful:
            out.doubtful += 1
            out.doubtful_read += as_printed
        if v is not None and (gv is None or v != gv):
            out.fabricated += 1
            out.fabrications.append(
                {
                    "file": gold["file"],
                    "cell": ".".join(key),
                    "gold": [g["value"], g["status"]],
                    "got": [str(v), s],
                }
            )
        if gv is not None and s in ("blank", "dash"):
            # Not a number, but a claim that the cell is empty: sums take it as zero.
            out.false_empty += 1
            out.fabrications.append(
                {
                    "file": gold["file"],
                    "cell": ".".join(key),
                    "gold": [g["value"], g["status"]],
                    "got": [None, s],
                    "kind": "false_empty",
                }
            )
        if g["status"] == "missing":
            out.gold_missing += 1
            out.flagged_missing += s == "missing"
        if g.get("recoverable") and g["status"] != "missing" and not doubtful:
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
