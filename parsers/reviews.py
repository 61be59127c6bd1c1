"""Section 四: 15 numbers, printed as one row, transposed into 15 rows, or as a bare line."""

from __future__ import annotations

import re

from parsers.document import Block, Table
from parsers.facts import cell_fact, missing
from parsers.model import Diagnosis, Fact, Where
from parsers.tables import LabelIndex, Mapped, split_rows
from parsers.templates import TableSpec
from parsers.values import is_value_text, read_value

_TOKENS = re.compile(r"\S+")


def map_reviews(
    spec: TableSpec, grids: list[Table], blocks: list[Block], labels: LabelIndex
) -> Mapped:
    """The 3 × 5 review cells from whichever rendition the source uses."""
    n = len(spec.cells())
    for reader in (_one_row, _transposed):
        mapped = reader(spec, grids, labels)
        if mapped is not None:
            return mapped
    mapped = _flattened(spec, blocks, labels)
    if mapped is not None:
        return mapped
    if grids:
        note = f"no row of {n} values found in the table"
    else:
        note = f"section {'一二三四五六'[spec.section - 1]} table absent"
    return Mapped(missing(spec.id, spec.cells(), note), [Diagnosis(spec.id, "error", note)])


def _one_row(spec: TableSpec, grids: list[Table], labels: LabelIndex) -> Mapped | None:
    """The national layout: header rows, then one row of 15 values."""
    n = len(spec.cells())
    col_keys = {k for keys in spec.col_keys.values() for k in keys}
    for g in grids:
        for row in split_rows(g):
            if len(row.values) != n:
                continue
            named = sum(1 for r in g.rows[: row.index] for c in r if labels.keys(c.text) & col_keys)
            how = None
            if named < n:
                how = (
                    f"column fixed by template order: the header names {named} of {n} "
                    "columns above a row of 15 values"
                )
            facts = [
                cell_fact(spec.id, row_id, col_id, cell, repair=how)
                for (row_id, col_id), cell in zip(spec.cells(), row.values, strict=True)
            ]
            diagnoses = [Diagnosis(spec.id, "info", how)] if how else []
            return Mapped(facts, diagnoses)
    return None


def _transposed(spec: TableSpec, grids: list[Table], labels: LabelIndex) -> Mapped | None:
    """Fifteen rows, each naming its group and column: read each value by its labels."""
    found: dict[tuple[str, str], Fact] = {}
    row_id: str | None = None
    for g in grids:
        for row in split_rows(g):
            if len(row.values) != 1 or not row.path:
                continue
            path = [labels.keys(c.text) for c in row.path]
            col = next((c for c, keys in spec.col_keys.items() if path[-1] & set(keys)), None)
            # A group label is printed once, in its group's first row (or spans the group).
            named = next(
                (
                    r
                    for r in ("suit_after_review", "suit_direct", "review")
                    if any(p & set(spec.row_keys[r]) for p in path[:-1])
                ),
                None,
            )
            row_id = named or row_id
            if col and row_id and (row_id, col) not in found:
                found[row_id, col] = cell_fact(spec.id, row_id, col, row.values[0])
    if len(found) < 2:
        return None
    facts = [
        found.get((r, c)) or Fact(spec.id, r, c, None, "missing", note="cell not in the table")
        for r, c in spec.cells()
    ]
    return Mapped(facts, [])


def _flattened(spec: TableSpec, blocks: list[Block], labels: LabelIndex) -> Mapped | None:
    """A line of 15 numbers after the group words (行政复议 行政诉讼): placed in template order."""
    n = len(spec.cells())
    previous = ""
    for block in blocks:
        if block.table is not None or not block.text:
            continue
        tokens = _TOKENS.findall(block.text)
        values: list[str] = []
        while tokens and is_value_text(tokens[-1]) and read_value(tokens[-1]).status != "blank":
            values.insert(0, tokens.pop())
        lead = " ".join(tokens) or previous
        previous = block.text
        if len(values) != n or not any(
            k in key for key in labels.keys(lead) for k in spec.flat_lead
        ):
            continue
        how = (
            f"section 四 printed as one line of {n} numbers without column labels; "
            "values placed in template order"
        )
        facts = []
        for i, ((row_id, col_id), raw) in enumerate(zip(spec.cells(), values, strict=True)):
            w = block.where
            where = Where(w.kind, line=w.line, page=w.page, col=i, row=w.row) if w else None
            rv = read_value(raw)
            status = "repaired" if rv.status == "ok" else rv.status
            facts.append(Fact(spec.id, row_id, col_id, rv.value, status, raw, None, how, where))
        return Mapped(facts, [Diagnosis(spec.id, "warning", how)])
    return None
