"""Whether a printed row label still names its row: the gold's own judgement, not a parser's.

A label is compared with every canonical label of its table (all variants, both formats) on a
normalised key: whitespace, enumerators, punctuation and width removed, Traditional folded to
Simplified. By character edit distance on that key:

- `lost`: another row's label is at least as close as the row's own (the label cannot name
  its row; only structure may place it);
- `doubtful`: its own label is closest, but not by a clear margin, or most of it is gone
  (the gold accepts the printed value or `missing`);
- `clear`: otherwise.

Thresholds are in settings.IdentityRules; nothing here knows how a parser matches labels.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import opencc
from rapidfuzz.distance import Levenshtein

from synth import codes, recovery, relayout
from synth.cells import Cell
from synth.codes import Key
from synth.gold import Override
from synth.grid import Table, TRow
from synth.settings import IdentityRules
from synth.wording import Lexicon

# Enumerators a label may open with: 一、 （一） (1) 1. 1、 1． ① …
_ENUMERATOR = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十\d]{1,3}\s*[、.．]"
    r"|[①-⑳])\s*"
)
_NOT_WORD = re.compile(r"[\W_]+")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def label_key(text: str) -> str:
    """The comparable core of a label: no spaces, enumerator, punctuation; Simplified."""
    flat = re.sub(r"\s+", "", text)
    flat = _ENUMERATOR.sub("", flat)
    flat = unicodedata.normalize("NFKC", flat)
    flat = _t2s().convert(flat)
    return _NOT_WORD.sub("", flat)


@dataclass(frozen=True)
class Verdict:
    """How well a printed label names its row."""

    verdict: str  # clear, doubtful or lost
    own: int  # edit distance to the row's closest own wording
    rival: int  # edit distance to the closest other label
    rival_of: str  # which row (or group) that closest other label belongs to


class Vocabulary:
    """Every canonical row label of each table, by row code (and group labels, as rivals)."""

    def __init__(self, lex: Lexicon) -> None:
        lab = lex.labels
        req = lab["requests"]
        requests: dict[str, set[str]] = {}
        for row, (_, text) in req["top"].items():
            requests[row] = {text}
        for group, (_, text) in req["groups"].items():
            # A one-row group's label names its row; a many-row group's label is a rival only.
            requests.setdefault(group, set()).add(text)
        requests["other_handling"] = {req["groups"]["other"][1]}
        for row, text in req["items"].items():
            requests[row] = {text, text.replace("“", '"').replace("”", '"')}
        requests["group:results"] = {req["results"]}
        proactive: dict[str, set[str]] = {}
        for row, texts in lab["proactive"]["rows"].items():
            code = row.removesuffix("_2019").removesuffix("_2021")
            proactive.setdefault(code, set()).update(texts)
        rev = lab["reviews"]
        # Section 四 printed with labelled rows: rows naming a group, or rows naming a result.
        review_rows = {row: {rev[row]} for row in codes.REVIEW_ROWS}
        review_rows["group:suit"] = {rev["suit"]}
        review_cols = {col: {text} for col, text in rev["cols"].items()}
        self.tables = {
            "requests": {row: {label_key(t) for t in ts} for row, ts in requests.items()},
            "proactive": {row: {label_key(t) for t in ts} for row, ts in proactive.items()},
            "reviews_rows": {row: {label_key(t) for t in ts} for row, ts in review_rows.items()},
            "reviews_cols": {col: {label_key(t) for t in ts} for col, ts in review_cols.items()},
        }

    def judge(self, table: str, row: str, printed: str, rules: IdentityRules) -> Verdict:
        """The verdict on a printed label for row `row` of `table`."""
        keys = self.tables[table]
        own_keys = keys[row]
        key = label_key(printed)
        own = min(Levenshtein.distance(key, k) for k in own_keys)
        rival, rival_of = len(key) + max(len(k) for k in own_keys), ""
        for other, other_keys in keys.items():
            if other == row:
                continue
            for k in other_keys - own_keys:
                d = Levenshtein.distance(key, k)
                if d < rival:
                    rival, rival_of = d, other
        if not key or own >= rival:
            return Verdict("lost", own, rival, rival_of)
        longest = max(len(k) for k in own_keys)
        margin = rival - own
        clear_margin = margin >= rules.margin_edits or margin / longest >= rules.margin_share
        if own > rules.damaged_share * longest or not clear_margin:
            return Verdict("doubtful", own, rival, rival_of)
        return Verdict("clear", own, rival, rival_of)


def canonical_orders(table: str, fmt: str, hybrid: bool) -> list[list[str]]:
    """Row orders a reader must consider: the true layout first, then the other layouts the
    format allows (a 2021 report may print （六） as one row or three)."""
    if table == "proactive":
        return [[row for _, rows in codes.PROACTIVE_BLOCKS[fmt] for row, _ in rows]]
    orders = [codes.printed_request_rows(fmt, hybrid)]
    if fmt == "2021":
        orders.append(codes.printed_request_rows(fmt, not hybrid))
    return orders


def _named(row: TRow) -> bool:
    """Whether a row still prints the label cell that names it (its last label cell)."""
    labels = [c for c in row.cells if c.kind == "label"]
    return bool(labels) and bool(labels[-1].text.strip())


def resolve_rows(
    table: Table,
    fmt: str,
    hybrid: bool,
    verdicts: Mapping[str, Verdict],
    cells: Mapping[Key, Cell],
    overrides: dict[Key, Override],
) -> tuple[int, int, int]:
    """Gold of the rows of one table from what names them: label verdicts and structure.

    A row is named by its label when the label survives and is not `lost`. Unnamed rows are
    placed by structure (recovery.placeable_rows), once with doubtful labels as anchors and
    once without: placed both ways, the row is `repaired`; one way only, or named by a label
    that points elsewhere, `repaired` with `accept_missing`; neither, `missing`. A doubtful
    row keeps its printed status with `accept_missing`. Returns (unnamed, unplaced, doubtful).
    """
    table_id = table.table_id
    present = [r for r in relayout.data_rows(table) if r.row_id]
    order = [r.row_id or "" for r in present]
    verdict = [verdicts.get(r.row_id or "") for r in present]
    named = [
        _named(r) and (v is None or v.verdict != "lost")
        for r, v in zip(present, verdict, strict=True)
    ]
    certain = [
        n and (v is None or v.verdict == "clear") for n, v in zip(named, verdict, strict=True)
    ]
    layouts = canonical_orders(table_id, fmt, hybrid)
    placed_loose = recovery.placeable_rows(order, named, fmt, layouts)
    placed_strict = recovery.placeable_rows(order, certain, fmt, layouts)
    unnamed = unplaced = doubtful = 0
    for row, is_named, v, loose, strict in zip(
        present, named, verdict, placed_loose, placed_strict, strict=True
    ):
        keys = [c.key for c in row.cells if c.key]
        if is_named and (v is None or v.verdict == "clear"):
            continue
        if is_named:  # doubtful: the printed value, or missing
            doubtful += 1
            for key in keys:
                ov = overrides.setdefault(key, Override())
                if ov.status != "missing":
                    ov.accept_missing = True
            continue
        unnamed += 1
        if not loose:
            unplaced += 1
            for key in keys:
                overrides[key] = Override(status="missing", recoverable=False)
            continue
        misleading = _named(row)  # a label is printed, but it names another row
        for key in keys:
            ov = overrides.get(key)
            if ov is None and cells[key].status == "ok":
                ov = overrides[key] = Override(status="repaired")
            if ov is not None and (misleading or not strict) and ov.status != "missing":
                ov.accept_missing = True
            elif ov is None and (misleading or not strict):
                overrides[key] = Override(accept_missing=True)
    return unnamed, unplaced, doubtful
