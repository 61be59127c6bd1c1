"""Section 四: 15 numbers, printed as one row, transposed into 15 rows, or as a bare line."""

from __future__ import annotations

import re

from parsers.columns import header_rows
from parsers.document import Block, Table
from parsers.facts import cell_fact, missing
from parsers.model import Diagnosis, Fact, Where
from parsers.tables import LabelIndex, Mapped, Row, split_rows
from parsers.templates import TableSpec, section_name
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
        note = f"section {section_name(spec.section)} table absent"
    return Mapped(missing(spec.id, spec.cells(), note), [Diagnosis(spec.id, "error", note)])


def _one_row(spec: TableSpec, grids: list[Table], labels: LabelIndex) -> Mapped | None:
    """The national layout: header rows, then one row of 15 values."""
    n = len(spec.cells())
    col_keys = {k for keys in spec.col_keys.values() for k in keys}
    for g in grids:
        for row in map(_unterminated, split_rows(g)):
            if len(row.values) != n:
                continue
            named = sum(1 for r in g.rows[: row.index] for c in r if labels.keys(c.text) & col_keys)
            header = header_rows(g, row.index)
            groups, against = _group_order(spec, header, labels, g.where.kind != "text")
            if against is not None:
                note = (
                    f"the header orders the columns otherwise than the template ({against}); "
                    "which value is which is uncertain"
                )
                return Mapped(
                    missing(spec.id, spec.cells(), note), [Diagnosis(spec.id, "warning", note)]
                )
            how = None
            if named < n:
                how = (
                    f"column fixed by template order: the header names {named} of {n} "
                    "columns above a row of 15 values"
                )
            cells = [(r, c) for r in groups for c in spec.row(r).cols]
            facts = [
                cell_fact(spec.id, row_id, col_id, cell, repair=how)
                for (row_id, col_id), cell in zip(cells, row.values, strict=True)
            ]
            diagnoses = [Diagnosis(spec.id, "info", how)] if how else []
            return Mapped(facts, diagnoses)
    return None


def _group_order(
    spec: TableSpec, header: list, labels: LabelIndex, positioned: bool
) -> tuple[list[str], str | None]:
    """The printed order of the three groups, and any header order the values cannot follow.

    行政复议 and 行政诉讼 (with 未经复议直接起诉 and 复议后起诉 below it) may be printed in
    either order; the columns inside a group must follow the template.
    """
    rows = [r.id for r in spec.rows]
    suits = ["suit_direct", "suit_after_review"]
    review_first, direct_first = True, True
    against = None
    for row in header:
        found = []  # (position, name) of group labels in this row
        cols_in_row = []
        for i, cell in enumerate(row):
            keys = labels.keys(cell.text)
            pos = cell.col if positioned else i
            name = next((r for r in rows if keys & set(spec.row_keys.get(r, ()))), None)
            if name is None and keys & set(spec.litigation):
                name = "litigation"
            if name is not None:
                found.append((pos, name))
            col = next((c for c, ks in spec.col_keys.items() if keys & set(ks)), None)
            if col is not None:
                cols_in_row.append(col)
        names = [x for _, x in sorted(found)]
        if "review" in names and ("litigation" in names or set(suits) & set(names)):
            other = "litigation" if "litigation" in names else next(x for x in names if x in suits)
            review_first = names.index("review") < names.index(other)
        if set(suits) <= set(names):
            direct_first = names.index("suit_direct") < names.index("suit_after_review")
        # Judge only whole groups: wrapped labels (结果 / 维持) name columns partly.
        template = list(spec.row(rows[0]).cols)
        if cols_in_row and len(cols_in_row) % len(template) == 0:
            for k in range(0, len(cols_in_row), len(template)):
                chunk = cols_in_row[k : k + len(template)]
                if chunk != template and against is None:
                    against = " | ".join(chunk)
    order = suits if direct_first else suits[::-1]
    return (["review", *order] if review_first else [*order, "review"]), against


def _transposed(spec: TableSpec, grids: list[Table], labels: LabelIndex) -> Mapped | None:
    """Fifteen rows, each naming its group and column: read each value by its labels."""
    found: dict[tuple[str, str], Fact] = {}
    row_id: str | None = None
    for g in grids:
        for row in map(_unterminated, split_rows(g)):
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


def _unterminated(row: Row) -> Row:
    """A text row written `cell | cell |`: its closing separator is not a cell.

    Section 四 rows have 15 values (or 1, transposed): one empty token beyond that can only
    be a terminator.
    """
    if (
        row.table.where is not None
        and row.table.where.kind == "text"
        and len(row.values) in (2, 16)
        and not row.values[-1].text
    ):
        return Row(row.table, row.index, row.path, row.values[:-1])
    return row


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
