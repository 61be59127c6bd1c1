"""Year-over-year text reuse: how much of each section repeats the same agency's last report.

Sentences are compared after normalisation (whitespace and punctuation dropped, Traditional
already folded to Simplified in `sections.text_simplified`, every run of digits read as one
placeholder so that last year's sentence with this year's numbers still counts as repeated).
Sentences shorter than `MIN_CHARS` after that (headings, 无) are not counted.
`text_reuse` has one row per report, section and previous report; `text_reuse_ranking`
ranks reports by the share of their sentences repeated.
"""

from __future__ import annotations

import re
from collections import defaultdict

import duckdb
import pyarrow as pa

MIN_CHARS = 8
_SPLIT = re.compile(r"[。！？；;!?\n]+")
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_DIGITS = re.compile(r"[0-9０-９]+(?:[.,，][0-9０-９]+)*")

DDL: list[str] = [
    """CREATE TABLE text_reuse (
        report_id VARCHAR NOT NULL,
        previous_report_id VARCHAR NOT NULL,
        agency_key VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        section_no INTEGER NOT NULL,
        sentences INTEGER NOT NULL,
        repeated INTEGER NOT NULL,
        share DOUBLE NOT NULL
    )""",
    """CREATE VIEW text_reuse_ranking AS
       SELECT t.report_id, t.previous_report_id, t.agency_key, t.year, t.year - 1 AS previous_year,
              sum(t.sentences)::INTEGER AS sentences, sum(t.repeated)::INTEGER AS repeated,
              sum(t.repeated) / nullif(sum(t.sentences), 0) AS share,
              rank() OVER (ORDER BY sum(t.repeated) / nullif(sum(t.sentences), 0) DESC NULLS LAST)
                AS copy_rank
       FROM text_reuse t
       GROUP BY t.report_id, t.previous_report_id, t.agency_key, t.year""",
]
SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("previous_report_id", pa.string()),
        ("agency_key", pa.string()),
        ("year", pa.int32()),
        ("section_no", pa.int32()),
        ("sentences", pa.int32()),
        ("repeated", pa.int32()),
        ("share", pa.float64()),
    ]
)


def sentence_keys(text: str) -> list[str]:
    """The comparable form of each sentence of a text long enough to count."""
    out = []
    for s in _SPLIT.split(text or ""):
        key = _DROP.sub("", _DIGITS.sub("0", s))
        if len(key) >= MIN_CHARS:
            out.append(key)
    return out


def reuse_share(current: str, previous: str) -> tuple[int, int]:
    """(sentences in `current`, how many of them appear in `previous`)."""
    now = sentence_keys(current)
    before = set(sentence_keys(previous))
    return len(now), sum(1 for s in now if s in before)


def recompute_reuse(con: duckdb.DuckDBPyConnection, keys: list[str]) -> None:
    """Replace the text_reuse rows of these agencies' reports."""
    if not keys:
        return
    rows = con.execute(
        """SELECT ra.report_id, ra.agency_key, r.year, r.status = 'parsed' AS parsed,
                  s.section_no, s.text_simplified
           FROM report_agencies ra
           JOIN reports r USING (report_id)
           JOIN sections s USING (report_id)
           WHERE ra.agency_key IN (SELECT unnest(?)) AND r.year IS NOT NULL AND s.present""",
        [keys],
    ).fetchall()
    texts: dict[str, dict[int, str]] = defaultdict(dict)
    meta: dict[str, tuple[str, int, bool]] = {}
    for rid, key, year, parsed, no, text in rows:
        texts[rid][no] = text or ""
        meta[rid] = (key, year, parsed)
    # The previous side: one report per agency and year, a parsed one first, then by id.
    chosen: dict[tuple[str, int], str] = {}
    for rid in sorted(meta, key=lambda r: (not meta[r][2], r)):
        chosen.setdefault(meta[rid][:2], rid)
    out: dict[str, list] = {n: [] for n in SCHEMA.names}
    for rid, (key, year, _) in meta.items():
        prev = chosen.get((key, year - 1))
        if prev is None:
            continue
        for no, text in sorted(texts[rid].items()):
            n, repeated = reuse_share(text, texts[prev].get(no, ""))
            if n == 0:
                continue
            for name, v in zip(
                SCHEMA.names, (rid, prev, key, year, no, n, repeated, repeated / n), strict=True
            ):
                out[name].append(v)
    con.execute(
        "DELETE FROM text_reuse WHERE report_id IN (SELECT report_id FROM report_agencies "
        "WHERE agency_key IN (SELECT unnest(?)))",
        [keys],
    )
    table = pa.table(out, schema=SCHEMA)
    if table.num_rows:
        con.register("_reuse", table)
        try:
            con.execute("INSERT INTO text_reuse SELECT * FROM _reuse")
        finally:
            con.unregister("_reuse")
