"""One document, parsed without a warehouse, shown step by step (`nianbao show`).

What a developer or an auditor looks at first when a figure looks wrong: the metadata, the
sections found, each grid as the reader read it (every cell with its source coordinates and
the canonical table it was taken for), every decision the reading stage made (its
diagnoses), and the canonical facts with status and source. `--json` gives the same as one
object, described by `show.schema.json` next to this module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from parsers import PARSER_VERSION, parse, read
from parsers.document import Document, Table
from parsers.errors import SourceError
from parsers.model import Where, plain
from parsers.reading.report import grid_tables
from parsers.settings import ParseSettings
from parsers.templates import section_name

SCHEMA = Path(__file__).with_name("show.schema.json")


def show(data: bytes, name: str, table: str | None = None) -> dict[str, Any]:
    """Everything `nianbao show` prints about one document, as JSON-ready values; `table`
    keeps only one canonical table's grids and facts."""
    settings = ParseSettings()
    report = parse(data, name, settings)
    grids: list[dict[str, Any]] = []
    try:
        doc: Document | None = read(data, name, settings)
    except SourceError:
        doc = None  # the report says why
    if doc is not None:
        kinds = grid_tables(doc, settings.reading)
        for block in doc.blocks:
            if block.table is not None:
                table_id = kinds.get(block.table.index)
                if table is None or table_id == table:
                    grids.append(_grid(block.table, table_id))
    out = report.to_dict()
    if table is not None:
        for key in ("facts", "derived", "diagnoses"):
            out[key] = [x for x in out[key] if x["table_id"] in (table, "*")]
        out["checks"] = [c for c in out["checks"] if c["rule_id"].startswith(table + ".")]
    return {
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "parser_version": PARSER_VERSION,
        "report": out,
        "grids": grids,
    }


def _grid(table: Table, table_id: str | None) -> dict[str, Any]:
    return {
        "index": table.index,
        "table_id": table_id,
        "ruled": table.ruled,
        "positioned": table.positioned,
        "where": _where(table.where),
        "rows": [
            [
                {
                    "text": c.text,
                    "row": c.row,
                    "col": c.col,
                    "rowspan": c.rowspan,
                    "colspan": c.colspan,
                    "where": _where(c.where),
                }
                for c in row
            ]
            for row in table.rows
        ],
    }


def _where(where: Where | None) -> dict[str, Any] | None:
    if where is None:
        return None
    return {k: v for k, v in plain(where).items() if v is not None}


def text_lines(shown: dict[str, Any]) -> Iterator[str]:
    """The view as lines a person reads."""
    r = shown["report"]
    yield f"{shown['file']}  sha256 {shown['sha256'][:16]}  parser {shown['parser_version']}"
    yield f"status: {r['status']}" + (f" ({r['error']})" if r["error"] else "")
    yield (
        f"read as {r['reader']}; title {r['title']!r}; agency {r['agency']!r}; year {r['year']}; "
        f"format {r['format']}; script {r['script']}; published {r['published']}"
    )
    found = [s for s in r["sections"] if s["present"]]
    yield "sections: " + (
        ", ".join(f"{section_name(s['no'])} {s['heading']!r}" for s in found) or "none found"
    )
    for g in shown["grids"]:
        taken = g["table_id"] or "no canonical table"
        ruled = "" if g["ruled"] else ", no ruling lines"
        counted = "" if g["positioned"] else ", cells counted on their line"
        yield f"grid {g['index']} ({_place(g['where'])}{ruled}{counted}) read as {taken}:"
        for i, row in enumerate(g["rows"]):
            cells = "  ".join(_cell(c) for c in row)
            yield f"  r{i}: {cells}"
    if r["diagnoses"]:
        yield "decisions and findings:"
        for d in r["diagnoses"]:
            yield f"  {d['severity']}: {d['table_id']}: {d['message']}"
    yield "facts:"
    for f in r["facts"]:
        yield "  " + _fact(f)
    for f in r["derived"]:
        yield "  derived " + _fact(f)
    checks = sorted(r["checks"], key=lambda c: ("fail", "not_evaluable", "pass").index(c["status"]))
    failing = [c for c in checks if c["status"] != "pass"]
    yield f"checks: {len(checks) - len(failing)} pass, {len(failing)} fail or not evaluable:"
    for c in failing:
        yield f"  {c['status']}: {c['rule_id']} [{c['scope']}]: {c['message']}"


def _cell(c: dict[str, Any]) -> str:
    span = ""
    if c["rowspan"] > 1 or c["colspan"] > 1:
        span = f" {c['rowspan']}×{c['colspan']}"
    text = c["text"].replace("\n", "/")
    return f"[c{c['col']}{span} {text!r}]"


def _place(where: dict[str, Any] | None) -> str:
    if not where:
        return "?"
    if "page" in where:
        return f"page {where['page']}"
    if "line" in where:
        return f"line {where['line']}"
    return f"table {where.get('table')}"


def _fact(f: dict[str, Any]) -> str:
    code = f"{f['table_id']}.{f['row_id']}.{f['col_id']}"
    value = f["value"] if f["value"] is not None else "-"
    raw = f" raw {f['raw']!r}" if f["raw"] is not None else ""
    unit = f" {f['unit']}" if f["unit"] else ""
    source = ""
    w = f["where"]
    if w:
        at = [
            f"{k} {w[k]}" for k in ("table", "row", "col", "line", "page") if w.get(k) is not None
        ]
        if w.get("bbox"):
            at.append("box " + ",".join(f"{x:g}" for x in w["bbox"]))
        source = " ← " + " ".join(at)
    note = f"  ({f['note']})" if f["note"] else ""
    return f"{code} = {value}{unit} {f['status']}{raw}{source}{note}"
