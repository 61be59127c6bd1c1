"""The review site (`nianbao audit --html DIR`): one page per report, every cell with its source.

Static HTML an auditor opens in a browser: a list of reports, most in need of a look first,
and per report the three tables as grids coloured by status, each cell's raw text, note and
provenance on hover, the failed checks and the diagnoses.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import duckdb

from parsers.templates import FORMATS, load_format

STYLE = """
body{font-family:sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #bbb;padding:2px 6px;font-size:13px;text-align:right} th{background:#eee}
td.label,th.label{text-align:left} .ok{background:#fff} .blank{background:#f4f4f4;color:#999}
.dash{background:#f4f4f4} .repaired{background:#fff3c4} .derived{background:#e3f0ff}
.missing{background:#ffd9d9;color:#a00} .fail{color:#a00;font-weight:bold}
.small{color:#666;font-size:12px}
"""
LEGEND = (
    '<p class="small">cells: <span class="ok">ok</span> · <span class="blank">blank</span> · '
    '<span class="dash">dash</span> · <span class="repaired">repaired</span> · '
    '<span class="missing">missing</span>; hover a cell for its raw text, note and source.</p>'
)


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )


def _where(row: dict) -> str:
    if row["page"] is not None:
        box = ", ".join(
            f"{row[k]:.1f}" for k in ("x0", "top", "x1", "bottom") if row[k] is not None
        )
        where = f"page {row['page']} box ({box})"
        if row.get("src_kind") == "ocr":
            conf = row.get("confidence")
            sure = f", confidence {conf:.2f}" if conf is not None else ""
            where = f"read by OCR from the scanned page image{sure}: {where}"
        return where
    if row["src_line"] is not None:
        return f"line {row['src_line']}, cell {row['src_col']}"
    if row["src_table"] is not None:
        return f"table {row['src_table']}, row {row['src_row']}, column {row['src_col']}"
    return "not in the source"


def _cell(f: dict | None) -> str:
    if f is None:
        return "<td></td>"
    shown = "" if f["value"] is None else f"{f['value'].normalize():f}"
    tip = f"status {f['status']}; raw {f['raw']!r}; {_where(f)}" + (
        f"; {f['note']}" if f["note"] else ""
    )
    text = shown or ("—" if f["status"] == "dash" else "?" if f["status"] == "missing" else "")
    return f'<td class="{f["status"]}" title="{escape(tip)}">{escape(text)}</td>'


def _tables(fmt_id: str | None, facts: list[dict]) -> str:
    if fmt_id not in FORMATS:
        return "<p>No canonical tables for this format.</p>"
    by_key = {(f["table_id"], f["row_id"], f["col_id"]): f for f in facts}
    out = []
    for table_id, spec in load_format(fmt_id).tables.items():
        rows = [r for r in spec.rows if not r.optional or (table_id, r.id, r.cols[0]) in by_key]
        cols: list[str] = []
        for r in rows:
            cols += [c for c in r.cols if c not in cols]
        head = "".join(f"<th>{escape(c)}</th>" for c in cols)
        body = "".join(
            f'<tr><td class="label">{escape(r.id)}</td>'
            + "".join(_cell(by_key.get((table_id, r.id, c))) for c in cols)
            + "</tr>"
            for r in rows
        )
        out.append(
            f'<h3>{table_id}</h3><table><tr><th class="label">row</th>{head}</tr>{body}</table>'
        )
    return "".join(out)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def write_site(con: duckdb.DuckDBPyConnection, out: str | Path) -> Path:
    """Write the review site into `out`; return the path of its index page."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    reports = _rows(
        con,
        """SELECT * FROM (
               SELECT r.*, d.source,
                      (SELECT count(*) FROM facts f WHERE f.report_id = r.report_id
                         AND f.status = 'missing') AS missing,
                      (SELECT count(*) FROM facts f WHERE f.report_id = r.report_id
                         AND f.status = 'repaired') AS repaired,
                      (SELECT count(*) FROM checks c WHERE c.report_id = r.report_id
                         AND c.status = 'fail') AS failed_checks
               FROM reports r JOIN documents d USING (doc_id))
           ORDER BY (status = 'parsed'), failed_checks = 0, missing = 0, source""",
        [],
    )
    lines = []
    for r in reports:
        link = f"report-{r['report_id']}.html"
        lines.append(
            f'<tr><td class="label"><a href="{link}">{escape(str(r["source"]))}</a></td>'
            f'<td class="label">{escape(r["agency"] or "?")}</td><td>{r["year"] or "?"}</td>'
            f'<td>{r["format"] or "?"}</td><td class="{r["status"]}">{r["status"]}</td>'
            f"<td>{r['missing']}</td><td>{r['repaired']}</td>"
            f'<td class="{"fail" if r["failed_checks"] else ""}">{r["failed_checks"]}</td>'
            f'<td class="label small">{escape(r["error"] or "")}</td></tr>'
        )
        _write_report(con, folder / link, r)
    index = folder / "index.html"
    head = (
        '<tr><th class="label">source</th><th class="label">agency</th><th>year</th>'
        "<th>format</th><th>status</th><th>missing</th><th>repaired</th><th>failed checks</th>"
        '<th class="label">reason</th></tr>'
    )
    index.write_text(
        _page(
            "nianbao review",
            f"<h1>Reports ({len(reports)})</h1><table>{head}{''.join(lines)}</table>",
        ),
        encoding="utf-8",
    )
    return index


def _write_report(con: duckdb.DuckDBPyConnection, path: Path, r: dict) -> None:
    rid = r["report_id"]
    facts = _rows(con, "SELECT * FROM facts WHERE report_id = ?", [rid])
    checks = _rows(
        con,
        "SELECT * FROM checks WHERE report_id = ? AND status <> 'pass' ORDER BY status, rule_id",
        [rid],
    )
    diagnoses = _rows(con, "SELECT * FROM diagnoses WHERE report_id = ? ORDER BY seq", [rid])
    meta = (
        f"<p>{escape(str(r['source']))}<br>agency {escape(r['agency'] or '?')} · year "
        f"{r['year'] or '?'} · format {r['format'] or '?'} · script {r['script'] or '?'} · "
        f"status <b>{r['status']}</b> · parser {escape(r['parser_version'])}</p>"
    )
    if r["error"]:
        meta += f'<p class="missing">{escape(r["error"])}</p>'
    diag = "".join(
        f"<li>{escape(d['severity'])}: {escape(d['table_id'])}: {escape(d['message'])}</li>"
        for d in diagnoses
    )
    check_rows = "".join(
        f'<tr><td class="label {c["status"]}">{c["status"]}</td><td class="label">'
        f'{escape(c["rule_id"])}</td><td class="label">{escape(c["scope"])}</td>'
        f'<td class="label">{escape(c["message"] or "")}</td></tr>'
        for c in checks
    )
    if any(f.get("src_kind") == "ocr" for f in facts):
        meta += _scanned_pages(con, path.parent, r, facts)
    body = (
        f'<p><a href="index.html">all reports</a></p><h1>{escape(r["title"] or "(no title)")}</h1>'
        f"{meta}<h2>Diagnoses</h2><ul>{diag or '<li>none</li>'}</ul><h2>Tables</h2>{LEGEND}"
        f"{_tables(r['format'], facts)}<h2>Checks not passing</h2>"
        f"<table>{check_rows or '<tr><td>all checks pass</td></tr>'}</table>"
    )
    path.write_text(_page(r["title"] or rid, body), encoding="utf-8")


def _scanned_pages(con: duckdb.DuckDBPyConnection, folder: Path, r: dict, facts: list) -> str:
    """Links to the OCR'd pages drawn with every cell's box (#13), or why there are none."""
    from pipeline.review_pages import document_bytes, write_ocr_pages

    data = document_bytes(con, r["doc_id"])
    if data is None:
        return '<p class="small">scanned pages: the document\'s bytes are not at hand</p>'
    links = write_ocr_pages(folder, r["report_id"], data, facts)
    return f"<p>scanned pages read by OCR, each cell's box drawn: {' · '.join(links)}</p>"
