"""Year-over-year text reuse: how much of each section repeats the same agency's last report.

Each section's sentences are reduced to keys when the report is stored (`section_sentences`):
split at 。！？；, digits, whitespace and punctuation dropped (so that last year's sentence
with this year's numbers still counts as repeated), Traditional already folded in
`sections.text_simplified`, then hashed to 64 bits; sentences shorter than 8 characters
after that (headings, 无) are not counted. `text_reuse` has one row per report, section and
previous report; `text_reuse_ranking` ranks reports by the share of their sentences
repeated. The comparison runs in DuckDB, inside the load transaction.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from itertools import pairwise

import duckdb
import numpy as np
import pyarrow as pa

MIN_CHARS = 8
SEPARATORS = "。！？；;!?\n"
_SPLIT = re.compile(f"[{re.escape(SEPARATORS)}]+")
KEYS_SCHEMA = pa.schema(
    [("report_id", pa.string()), ("section_no", pa.int32()), ("keys", pa.list_(pa.int64()))]
)
# The characters a key drops: whitespace, punctuation, decimal digits (of any script), _.
_DROP = re.compile(r"[\W\d_]")
_BMP = 0x10000


def _kept(ch: str) -> bool:
    """Whether a sentence key keeps this character (or splits there: a separator)."""
    return ch in SEPARATORS or not _DROP.match(ch)


@lru_cache(maxsize=1)
def _kept_bmp() -> np.ndarray:
    """`_kept` of every code point of the Basic Multilingual Plane, looked up by number."""
    table = np.ones(_BMP, dtype=bool)
    table[[m.start() for m in _DROP.finditer("".join(map(chr, range(_BMP))))]] = False
    table[[ord(c) for c in SEPARATORS]] = True
    return table


def sentence_keys(text: str | None) -> list[str]:
    """The comparable form of each sentence long enough to count."""
    return sentence_keys_of([text or ""])[0]


def sentence_keys_of(texts: list[str]) -> list[list[str]]:
    """`sentence_keys` of each text, the characters of all of them judged at once (no large
    temporary array: fresh memory is slow to come by on the machines we share)."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    keep = np.take(_kept_bmp(), codes, mode="clip")
    for i in np.flatnonzero(codes >= _BMP):
        keep[i] = _kept(chr(codes[i]))
    # Where each text starts and ends among the characters kept.
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    counts = np.zeros(len(texts), dtype=np.int64)
    filled = lengths > 0
    if filled.any():
        starts = np.cumsum(lengths) - lengths
        counts[filled] = np.add.reduceat(keep, starts[filled], dtype=np.int64)
    bounds = [0, *np.cumsum(counts).tolist()]
    flat = str(memoryview(codes[keep]), "utf-32-le", "surrogatepass")
    return [
        [k for k in _SPLIT.split(flat[a:b]) if len(k) >= MIN_CHARS] for a, b in pairwise(bounds)
    ]


def _hash(key: str) -> bytes:
    return hashlib.blake2b(key.encode(), digest_size=8).digest()


def hashed_keys(text: str | None) -> list[int]:
    """Each counted sentence's key as a signed 64-bit hash (stable across runs)."""
    return [int.from_bytes(_hash(k), "big", signed=True) for k in sentence_keys(text)]


def keys_rows(sections: pa.Table) -> pa.Table:
    """`section_sentences` rows for a table of sections (report_id, section_no, present,
    text_simplified): `hashed_keys` of each present section, a sentence repeated in the group
    hashed once."""
    texts = sections.column("text_simplified").to_pylist()
    present = sections.column("present").to_pylist()
    keys = sentence_keys_of([t or "" if p else "" for t, p in zip(texts, present, strict=True)])
    memo: dict[str, bytes] = {}
    for ks in keys:
        for k in ks:
            if k not in memo:
                memo[k] = _hash(k)
    digests = [memo[k] for ks in keys for k in ks]
    values = np.frombuffer(b"".join(digests), dtype=">i8").astype(np.int64)
    offsets = np.concatenate(([0], np.cumsum([len(ks) for ks in keys], dtype=np.int64)))
    return pa.table(
        {
            "report_id": sections.column("report_id"),
            "section_no": sections.column("section_no"),
            "keys": pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(values)),
        },
        schema=KEYS_SCHEMA,
    )


DDL: list[str] = [
    """CREATE TABLE section_sentences (
        report_id VARCHAR NOT NULL,
        section_no INTEGER NOT NULL,
        keys BIGINT[] NOT NULL
    )""",
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

# The reports whose rows storing the reports $ids may change: those of their agencies and
# years and of the year after (whose previous report may be one of them), and those whose
# rows named one of them as the previous report (it may have moved to another agency or year).
_TARGETS = """
CREATE OR REPLACE TEMP TABLE _reuse_pairs AS
WITH placed AS (
    SELECT ra.report_id, ra.agency_key, r.year
    FROM report_agencies ra JOIN reports r USING (report_id)
    WHERE ra.agency_key IS NOT NULL AND r.year IS NOT NULL
), b AS (
    SELECT DISTINCT agency_key, year FROM placed WHERE report_id IN (SELECT unnest($ids))
), named AS (
    SELECT DISTINCT agency_key, year FROM placed
    WHERE report_id IN (SELECT report_id FROM text_reuse
                        WHERE previous_report_id IN (SELECT unnest($ids)))
), years AS (
    SELECT agency_key, year FROM b UNION SELECT agency_key, year + 1 FROM b
    UNION SELECT agency_key, year FROM named
), rep AS (
    SELECT ra.report_id, ra.agency_key, r.year, r.status
    FROM report_agencies ra JOIN reports r USING (report_id)
    WHERE ra.agency_key IN (SELECT agency_key FROM years)
), prev AS (
    SELECT * FROM rep
    QUALIFY row_number() OVER (PARTITION BY agency_key, year
                               ORDER BY status = 'parsed' DESC, report_id) = 1
)
SELECT cur.report_id, p.report_id AS previous_report_id, cur.agency_key, cur.year
FROM rep cur
JOIN years y ON y.agency_key = cur.agency_key AND y.year = cur.year
LEFT JOIN prev p ON p.agency_key = cur.agency_key AND p.year = cur.year - 1
"""

_INSERT = """
INSERT INTO text_reuse
WITH cur AS (
    SELECT p.report_id, p.previous_report_id, p.agency_key, p.year, s.section_no, s.keys AS ks
    FROM _reuse_pairs p JOIN section_sentences s ON s.report_id = p.report_id
    WHERE p.previous_report_id IS NOT NULL
), before AS (
    SELECT s.report_id, s.section_no, s.keys AS ks
    FROM section_sentences s
    WHERE s.report_id IN (SELECT previous_report_id FROM _reuse_pairs)
), judged AS (
    SELECT c.*, len(list_filter(c.ks, lambda k: list_contains(coalesce(b.ks, []), k)))
               AS repeated
    FROM cur c LEFT JOIN before b
      ON b.report_id = c.previous_report_id AND b.section_no = c.section_no
)
SELECT report_id, previous_report_id, agency_key, year, section_no, len(ks), repeated,
       repeated / len(ks)
FROM judged WHERE len(ks) > 0
"""


def recompute_reuse(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Replace the text_reuse rows of these reports and of their agencies' next-year reports
    (whose previous report may be one of them)."""
    if not report_ids:
        return
    con.execute(_TARGETS, {"ids": report_ids})
    try:
        con.execute(
            "DELETE FROM text_reuse WHERE report_id IN (SELECT report_id FROM _reuse_pairs)"
        )
        con.execute(_INSERT)
    finally:
        con.execute("DROP TABLE IF EXISTS _reuse_pairs")
