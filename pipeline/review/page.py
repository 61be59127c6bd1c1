"""One report page's content as plain data: the printed tables filled with the report's
figures, each figure's checks and source, each source cell's fate, and the decisions.

Nothing here writes markup: the templates do, with every value escaped. The `data` part goes
to the page's scripts as JSON (escaped for a script block by the template engine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from parsers import PARSER_VERSION
from parsers.templates import FORMATS, load_format
from parsers.values import is_value_text
from pipeline.review.layout import PrintedTable, printed_tables
from pipeline.review.records import ReportRecord

CHECK_ORDER = {"fail": 0, "not_evaluable": 1, "pass": 2}
_IMAGE = re.compile(r"^img/[0-9a-f]{16}-p[0-9]+-[0-9a-f]{8}\.png$")


@dataclass(frozen=True)
class ReportPage:
    """Everything a report page prints, plus the JSON its scripts read.

    `tables` are the printed tables as rows of cells (tag, class, text, title, spans, key);
    `checks` the rule instances, failing first; `source_tables` the source grids as read,
    `pages` and `boxes` the PDF page images and the source cells' boxes on them.
    """

    record: ReportRecord
    tables: list[dict]
    checks: list[dict]
    source_tables: list[dict]
    pages: list[dict]
    boxes: list[dict]
    data: dict


def number(value: Decimal | None) -> str | None:
    """A decimal as printed: no exponent, no trailing zeros."""
    if value is None:
        return None
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def build_page(
    record: ReportRecord, evidence: dict | None, neighbours: tuple[str | None, str | None]
) -> ReportPage:
    """The page of one report; `evidence` is what `gather_evidence` returned (or None)."""
    row = record.row
    fmt_id = row["format"]
    facts = {_key(f): f for f in record.facts}
    found = frozenset(f["row_id"] for f in record.facts if f["table_id"] == "requests")
    printed = printed_tables(fmt_id, found) if fmt_id in FORMATS else []
    derived = {_key(d): d for d in record.derived}
    checks, involved = _checks(record, fmt_id, facts)
    source = _source(evidence, facts, row)
    labels = _labels(fmt_id) if fmt_id in FORMATS else {}
    notes: dict[str, int] = {}
    cells = {}
    for key, f in facts.items():
        cell = _cell(f, derived.get(key), involved.get(key, []), source["pages"])
        cell["label"] = labels.get(key, key)
        if f["note"]:
            cell["n"] = notes.setdefault(f["note"], len(notes))
        cells[key] = cell
    data = {
        "report": {
            "id": row["report_id"],
            "sha256": row["sha256"],
            "digest": record.digest,
            "prev": neighbours[0],
            "next": neighbours[1],
        },
        "cells": cells,
        "notes": list(notes),
        "source": source["data"],
        "decisions": _decisions(record),
    }
    tables = [_printed(t, facts, derived) for t in printed]
    return ReportPage(
        record, tables, checks, source["tables"], source["pages"], source["boxes"], data
    )


def _printed(table: PrintedTable, facts: dict, derived: dict) -> dict:
    """A printed table as rows of ready cells: the figure, its status class, its code."""
    rows = []
    for slots in table.rows:
        out = []
        for s in slots:
            cell = {
                "tag": "th" if s.kind == "head" else "td",
                "cls": "" if s.kind == "head" else s.kind,
                "text": s.text,
                "title": s.code,
                "colspan": s.colspan,
                "rowspan": s.rowspan,
                "k": "",
            }
            if s.kind == "value":
                f = facts.get(s.code)
                d = derived.get(s.code)
                cell["k"] = s.code
                cell["cls"] = "value absent" if f is None else f"value {f['status']}"
                if d is not None:
                    cell["cls"] += " derived"
                cell["text"] = "" if f is None else _shown(f, d)
            out.append(cell)
        rows.append(out)
    return {"id": table.table_id, "heading": table.heading, "rows": rows}


@cache
def _labels(format_id: str) -> dict[str, str]:
    """Each canonical cell's printed row and column wording, for the side panel."""
    out = {}
    for table_id, spec in load_format(format_id).tables.items():
        for r in spec.rows:
            for c in r.cols:
                column = spec.printed_columns.get(c, c)
                out[f"{table_id}.{r.id}.{c}"] = f"{r.printed or r.id} · {column}"
    return out


def _key(f: dict) -> str:
    return f"{f['table_id']}.{f['row_id']}.{f['col_id']}"


def _shown(f: dict, derived: dict | None) -> str:
    if f["value"] is not None:
        return number(f["value"]) or ""
    if derived is not None:
        return f"({number(derived['value'])})"
    if f["status"] == "dash":
        return f["raw"] or "—"
    if f["status"] == "missing":
        return "?"
    return ""


def _cell(f: dict, derived: dict | None, checks: list[int], pages: list[dict]) -> dict:
    """A figure's data for the side panel; empty fields left out."""
    cell = {"v": number(f["value"]), "s": f["status"], "raw": f["raw"], "unit": f["unit"]}
    if checks:
        cell["checks"] = checks
    if f["src_table"] is not None and f["src_row"] is not None and f["src_col"] is not None:
        cell["src"] = f"{f['src_table']}:{f['src_row']}:{f['src_col']}"
    elif f["src_line"] is not None:
        cell["para"] = f"l:{f['src_line']}"
    elif f["src_row"] is not None:
        cell["para"] = f"p:{f['src_row']}"
    cell["line"] = f["src_line"]
    cell["page"] = f["page"]
    if f["page"] is not None and f["x0"] is not None:
        pdf_box = [f["x0"], f["top"], f["x1"], f["bottom"]]
        cell["pdf_box"] = [round(x, 2) for x in pdf_box]
        cell["box"] = _place(pages, f["page"], pdf_box)
    if f.get("src_kind") == "ocr":  # read by OCR from a scanned page (#13)
        cell["ocr"] = _confidence(f.get("confidence"))
    if derived is not None:
        cell["derived"] = {"v": number(derived["value"]), "note": derived["note"]}
    return {k: v for k, v in cell.items() if v is not None}


def _confidence(value: float | None) -> str:
    """An OCR recognition confidence as the site prints it."""
    return "?" if value is None else f"{value:.2f}"


def _place(pages: list[dict], page: int, box: list[float]) -> list[float] | None:
    """A box in PDF points as percentages of its page image: [image, left, top, w, h]."""
    for i, p in enumerate(pages):
        if p["n"] != page:
            continue
        x0, top, x1, bottom = p["crop"]
        w, h = x1 - x0, bottom - top
        if w <= 0 or h <= 0:
            return None
        return [
            i,
            round(100 * (box[0] - x0) / w, 3),
            round(100 * (box[1] - top) / h, 3),
            round(100 * (box[2] - box[0]) / w, 3),
            round(100 * (box[3] - box[1]) / h, 3),
        ]
    return None


def _checks(record: ReportRecord, fmt_id: str | None, facts: dict) -> tuple[list, dict]:
    """The checks, failing first, each with the cell it starts at; each cell's checks."""
    rules = {r.id: r for r in load_format(fmt_id).rules} if fmt_id in FORMATS else {}
    out: list[dict] = []
    involved: dict[str, list[int]] = {}
    ordered = sorted(record.checks, key=lambda c: (CHECK_ORDER.get(c["status"], 3), c["rule_id"]))
    for i, c in enumerate(ordered):
        rule = rules.get(c["rule_id"])
        keys: list[str] = []
        if rule is not None:
            codes = list(rule.lhs) + list(rule.rhs) + [x for alt in rule.rhs_one_of for x in alt]
            for code in dict.fromkeys(codes):
                r, col = (c["scope"], code) if rule.per == "row" else (code, c["scope"])
                key = f"{rule.table}.{r}.{col}"
                if key in facts:
                    keys.append(key)
                    involved.setdefault(key, []).append(i)
        out.append(
            {
                "rule": c["rule_id"],
                "scope": c["scope"],
                "status": c["status"],
                "lhs": number(c["lhs"]) or "",
                "rhs": number(c["rhs"]) or "",
                "diff": number(c["diff"]) or "",
                "message": c["message"] or "",
                "first": keys[0] if keys else "",
            }
        )
    return out, involved


def _source(evidence: dict | None, facts: dict, row: dict) -> dict:
    """The source grids with each cell's fate, PDF page images and boxes, and notes."""
    empty: dict = {"tables": [], "pages": [], "boxes": []}
    if evidence is None:
        return {"data": {"available": False, "reason": None}, **empty}
    if not evidence.get("available"):
        return {"data": {"available": False, "reason": evidence.get("reason")}, **empty}
    used: dict[str, list[str]] = {}
    for key, f in facts.items():
        if f["src_table"] is not None and f["src_row"] is not None and f["src_col"] is not None:
            used.setdefault(f"{f['src_table']}:{f['src_row']}:{f['src_col']}", []).append(key)
    used_tables = {k.split(":")[0] for k in used}
    # Only images this site wrote: `img/<sha16>-p<page>-<tag>.png`.
    pages = [p for p in evidence.get("pages", []) if _IMAGE.match(p["src"])]
    pdf = evidence["kind"] == "pdf"
    cells: dict[str, dict] = {}
    tables: list[dict] = []
    boxes: list[dict] = []
    mismatches = 0
    for t in evidence["tables"]:
        grid: list[list[dict]] = [[] for _ in range(t["rows"])]
        for c in t["cells"]:
            k = f"{t['i']}:{c['r']}:{c['c']}"
            # The text of an HTML or text source is in the printed source table already.
            info: dict = {"t": c["t"]} if pdf else {}
            if k in used:
                info["used"] = used[k]
                for key in used[k]:
                    raw = facts[key]["raw"]
                    if raw is not None and raw.strip() != c["t"].strip():
                        mismatches += 1
            else:
                info["why"] = _why(c["t"], str(t["i"]) in used_tables)
            if "ln" in c:
                info["ln"] = c["ln"]
            if "cf" in c:
                info["ocr"] = _confidence(c["cf"])
            if "pg" in c:
                info["pg"] = c["pg"]
                place = _place(pages, c["pg"], c["b"])
                if place is not None:
                    box = {"k": k, "at": place, "used": k in used}
                    if "cf" in c:
                        box["ocr"] = info["ocr"]
                    boxes.append(box)
            cells[k] = info
            if not pdf:
                grid[c["r"]].append(
                    {
                        "k": k,
                        "t": c["t"],
                        "cls": "used" if k in used else "unused",
                        "rowspan": c.get("rs", 1),
                        "colspan": c.get("cs", 1),
                        "line": c.get("ln", ""),
                    }
                )
        if not pdf:
            tables.append({"index": t["i"], "number": t["i"] + 1, "rows": grid})
    parser = row["parser_version"]
    data = {
        "available": True,
        "kind": evidence["kind"],
        "place": evidence.get("place"),
        "cells": cells,
        "paragraphs": evidence.get("paragraphs", {}),
        "pages": [{"n": p["n"], "rotated": p["rotated"]} for p in pages],
        "mismatches": mismatches,
        "parser": {"old": parser, "new": PARSER_VERSION} if parser != PARSER_VERSION else None,
    }
    return {"data": data, "tables": tables, "pages": pages, "boxes": boxes}


def _why(text: str, table_used: bool) -> str:
    if not table_used:
        return "table"
    if not text.strip():
        return "empty"
    if not is_value_text(text):
        return "label"
    return "unplaced"


def _decisions(record: ReportRecord) -> dict[str, dict]:
    out = {}
    for d in record.decisions:
        key = "*" if d["table_id"] is None else f"{d['table_id']}.{d['row_id']}.{d['col_id']}"
        out[key] = {
            "decision": d["decision"],
            "state": d["state"],
            "reason": d["stale_reason"],
            "reviewer": d["reviewer"],
            "at": d["decided_at"].isoformat() if d["decided_at"] else None,
            "comment": d["comment"],
            "corrected": number(d["corrected_value"]),
        }
    return out


def review_state(record: ReportRecord) -> str:
    """The report's review state for the index: none, confirmed, wrong, stale or partial."""
    latest = record.decisions
    if not latest:
        return "none"
    if any(d["state"] == "stale" for d in latest):
        return "stale"
    if any(d["decision"] == "wrong" for d in latest):
        return "wrong"
    if any(d["table_id"] is None and d["decision"] == "confirmed" for d in latest):
        return "confirmed"
    return "partial"
