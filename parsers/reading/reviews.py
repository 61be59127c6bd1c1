"""Section 四: 15 numbers, in whichever layout the source prints them.

Readers, tried in turn, each taking the table only when it accounts for the figures:
1. by both axes (grids whose columns are positions): each value cell is named by the labels
   of its row and of the header above its column, whatever the orientation (one row of 15,
   15 labelled rows, 3 group rows × 5, 5 result rows × 3 groups);
2. one row of 15 values under a header (or a partial one), in the template's order;
3. transposed: rows each naming a group and a column, one value each;
4. flattened: a line of 15 numbers after the group words, in the template's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.document import Block
from parsers.model import Diagnosis, Fact, Where
from parsers.reading.cells import Grid, TypedCell
from parsers.reading.labels import LabelIndex, LabelSettings, nearest
from parsers.reading.mapping import TableRead, absent_table, missing, run_together
from parsers.reading.rows import DataRow, data_rows, header_rows
from parsers.templates import TableSpec, section_name
from parsers.values import is_value_text, read_value

_TOKENS = re.compile(r"\S+")
# The litigation groups, most specific first: 复议后起诉 also contains 复议.
_SUITS = ("suit_after_review", "suit_direct")


def map_reviews(
    spec: TableSpec, grids: list[Grid], blocks: list[Block], labels: LabelIndex
) -> TableRead:
    """The 3 × 5 review cells from whichever rendition the source uses."""
    by_axes = _by_axes(spec, grids)
    if by_axes is not None and not by_axes.diagnoses:
        return by_axes  # every cell named by its labels
    one_row = _one_row(spec, grids)
    if one_row is not None and (by_axes is None or _agree(one_row, by_axes)):
        return one_row
    for read in (by_axes, _by_rows(spec, grids), _transposed(spec, grids)):
        if read is not None:
            return read
    read = _flattened(spec, blocks, labels)
    if read is not None:
        return read
    if grids:
        return absent_table(spec, f"no row of {len(spec.cells())} values found in the table")
    return absent_table(
        spec,
        run_together(spec, blocks, labels) or f"section {section_name(spec.section)} table absent",
    )


@dataclass
class _Names:
    """Section 四's wordings of one template, and the names already found for label keys."""

    spec: TableSpec  # kept, so that its id names only it
    wordings: tuple[tuple[str, str], ...]
    found: dict[tuple[str, ...], str | None] = field(default_factory=dict)


_NAMES: dict[int, _Names] = {}
_MAX_FOUND = 4096


def _names(spec: TableSpec) -> _Names:
    known = _NAMES.get(id(spec))
    if known is not None and known.spec is spec:
        return known
    # Every group and column wording of section 四, by name (行政诉讼 names `litigation`).
    out = [(row, w) for row, words in spec.row_keys.items() for w in words]
    out += [("litigation", w) for w in spec.litigation]
    out += [(col, w) for col, words in spec.col_keys.items() for w in words]
    names = _NAMES[id(spec)] = _Names(spec, tuple(out))
    return names


def _name(spec: TableSpec, keys: frozenset[str]) -> str | None:
    """The group (review, suit_direct, suit_after_review, litigation) or column a label
    names, by edit distance with a margin (a character lost in print still names it)."""
    if not keys:
        return None
    names = _names(spec)
    key = tuple(sorted(keys))
    if key not in names.found:
        if len(names.found) >= _MAX_FOUND:
            names.found.clear()
        names.found[key] = nearest(list(key), names.wordings, LabelSettings()).row
    return names.found[key]


def _agree(a: TableRead, b: TableRead) -> bool:
    """Whether every figure one reading gives, the other gives at the same place."""
    got = {(f.row_id, f.col_id): (f.value, f.raw) for f in a.facts}
    return all(
        got.get((f.row_id, f.col_id)) == (f.value, f.raw) for f in b.facts if f.status != "missing"
    )


def _group(spec: TableSpec, keys: frozenset[str]) -> str | None:
    name = _name(spec, keys)
    return name if name in ("review", *_SUITS) else None


def _column(spec: TableSpec, keys: frozenset[str]) -> str | None:
    name = _name(spec, keys)
    return name if name in spec.col_keys else None


def _by_axes(spec: TableSpec, grids: list[Grid]) -> TableRead | None:
    """Each value cell named by its row's labels and its column's header cells.

    Taken when the labels name most of the fifteen cells and never one cell twice; a figure
    whose labels do not name one group and one column (a label too damaged to tell) is
    missing, never given the place of its neighbour.
    """
    order = {k: i for i, k in enumerate(spec.cells())}
    for grid in grids:
        found = _named_cells(spec, grid) if grid.positioned else None
        if found is None or len(found) < len(order) // 2 + 1:
            continue
        note = "its labels do not name one group and one result (damaged in print)"
        mixed = _mixed_runs(spec, found)
        facts = [
            Fact(spec.id, *k, None, "missing", note=_MIXED)
            if k in mixed
            else found[k].fact(spec.id, *k)
            if k in found
            else Fact(spec.id, *k, None, "missing", note=note)
            for k in order
        ]
        diagnoses = []
        if len(found) < len(order):
            diagnoses.append(
                Diagnosis(spec.id, "warning", f"{len(order) - len(found)} cell(s): {note}")
            )
        if mixed:
            diagnoses.append(Diagnosis(spec.id, "warning", f"{len(mixed)} cell(s): {_MIXED}"))
        return TableRead(facts, diagnoses)
    return None


_MIXED = (
    "the group labels' extent contradicts the results printed under them (结果维持 … 总计 "
    "named by two groups, or one group's results in two runs): which group each figure "
    "belongs to is uncertain"
)


def _mixed_runs(spec: TableSpec, found: dict[tuple[str, str], TypedCell]) -> set[tuple[str, str]]:
    """Cells of runs that two groups claim.

    Read along the axis the results run on (across a row, or down a column), one group's
    results follow the template (结果维持 … 总计); where the order starts again a new group
    begins. A run whose cells are named by more than one group, or a group whose results
    come in two runs, shows labels whose extent was misjudged (a vertical group label in a
    table without rulings): none of those cells is placed.
    """
    across = _mixed(spec, sorted(found.items(), key=lambda kv: (kv[1].row, kv[1].col)))
    down = _mixed(spec, sorted(found.items(), key=lambda kv: (kv[1].col, kv[1].row)))
    return across if len(across) <= len(down) else down


def _mixed(
    spec: TableSpec, ordered: list[tuple[tuple[str, str], TypedCell]]
) -> set[tuple[str, str]]:
    results = list(spec.row(spec.rows[0].id).cols)
    runs: list[list[tuple[str, str]]] = []
    previous = len(results)
    for key, _ in ordered:
        at = results.index(key[1])
        if at > previous:
            runs[-1].append(key)
        else:
            runs.append([key])
        previous = at
    mixed = {k for run in runs if len({g for g, _ in run}) > 1 for k in run}
    runs_of: dict[str, int] = {}
    for run in runs:
        for group in {g for g, _ in run}:
            runs_of[group] = runs_of.get(group, 0) + 1
    return mixed | {k for run in runs for k in run if runs_of[k[0]] > 1}


def _named_cells(spec: TableSpec, grid: Grid) -> dict[tuple[str, str], TypedCell] | None:
    """(group, column) of every value cell its labels name; None when two figures are named
    alike (the layout is not understood)."""
    found: dict[tuple[str, str], TypedCell] = {}
    for row in data_rows(grid):
        for cell in row.values:
            names = [*row.spanning, *row.own, *_above(grid, row.index, cell)]
            groups = {g for g in (_group(spec, c.keys) for c in names) if g}
            cols = {c for c in (_column(spec, x.keys) for x in names) if c}
            if len(groups) != 1 or len(cols) != 1:
                continue
            key = (groups.pop(), cols.pop())
            if key in found:
                return None
            found[key] = cell
    return found


def _above(grid: Grid, row: int, cell: TypedCell) -> list[TypedCell]:
    """Header cells above `cell` whose columns cover it."""
    lo, hi = cell.col, cell.col + cell.colspan
    return [
        c for r in grid.rows[:row] for c in r if c.keys and c.col < hi and lo < c.col + c.colspan
    ]


def _one_row(spec: TableSpec, grids: list[Grid]) -> TableRead | None:
    """The national layout: header rows, then one row of 15 values."""
    n = len(spec.cells())
    col_keys = {k for keys in spec.col_keys.values() for k in keys}
    for g in grids:
        # Every column holds values: words after a value are a value, unreadable.
        for row in map(_unterminated, data_rows(g, values_from=0)):
            if len(row.values) != n:
                continue
            named = sum(1 for r in g.rows[: row.index] for c in r if c.keys & col_keys)
            header = header_rows(g, row.index)
            groups, against = _group_order(spec, header, g.positioned)
            if against is not None:
                note = (
                    f"the header orders the columns otherwise than the template ({against}); "
                    "which value is which is uncertain"
                )
                return TableRead(
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
                cell.fact(spec.id, row_id, col_id, repair=how)
                for (row_id, col_id), cell in zip(cells, row.values, strict=True)
            ]
            return TableRead(facts, [Diagnosis(spec.id, "info", how)] if how else [])
    return None


def _group_order(
    spec: TableSpec, header: list[tuple[TypedCell, ...]], positioned: bool
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
            pos = cell.col if positioned else i
            name = next(
                (r for r in rows if not cell.keys.isdisjoint(spec.row_keys.get(r, ()))), None
            )
            if name is None and not cell.keys.isdisjoint(spec.litigation):
                name = "litigation"
            if name is not None:
                found.append((pos, name))
            col = _column(spec, cell.keys)
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


def _transposed(spec: TableSpec, grids: list[Grid]) -> TableRead | None:
    """Fifteen rows, each naming its column (and its group, or under its group's label): read
    each value by its labels.

    A group label printed once, in its group's first row, holds for the rows below that print
    nothing but their column's label; a row with any other label (one too damaged to name a
    group) starts a group nobody can name, and its figures stay missing.
    """
    found: dict[tuple[str, str], Fact] = {}
    group: str | None = None
    for g in grids:
        for row in map(_unterminated, data_rows(g)):
            path = [c for c in (*row.spanning, *row.own) if c.keys]
            if len(row.values) != 1 or not path:
                continue
            col = _column(spec, path[-1].keys)
            others = path[:-1]
            if others:
                named = {x for x in (_group(spec, c.keys) for c in others) if x}
                group = named.pop() if len(named) == 1 else None
            if col and group and (group, col) not in found:
                found[group, col] = row.values[0].fact(spec.id, group, col)
    if len(found) < 2:
        return None
    facts = [
        found.get((r, c)) or Fact(spec.id, r, c, None, "missing", note="cell not in the table")
        for r, c in spec.cells()
    ]
    return TableRead(facts)


def _by_rows(spec: TableSpec, grids: list[Grid]) -> TableRead | None:
    """A text table of three group rows (5 values each) or five result rows (3 values each),
    its cells counted, not placed: each row named by its label, the other axis by the order
    the header prints its words in (the template's, when the header names none)."""
    groups = [r.id for r in spec.rows]
    cols = list(spec.row(groups[0]).cols)
    for g in grids:
        if g.positioned:
            continue
        rows = [r for r in map(_unterminated, data_rows(g)) if r.own or r.spanning]
        if not rows:
            continue
        header = header_rows(g, rows[0].index)
        by_group = [r for r in rows if len(r.values) == len(cols)]
        by_col = [r for r in rows if len(r.values) == len(groups)]
        cells: dict[tuple[str, str], TypedCell] = {}
        if len(by_group) >= 2:
            order = _header_order(spec, header, _column, cols)
            for n, r in _row_names(spec, by_group, _group).items():
                cells.update(((n, c), v) for c, v in zip(order or (), r.values, strict=False))
        elif len(by_col) >= 2:
            order = _header_order(spec, header, _group, groups)
            for n, r in _row_names(spec, by_col, _column).items():
                cells.update(((gr, n), v) for gr, v in zip(order or (), r.values, strict=False))
        if not cells:
            continue
        facts = [
            cells[k].fact(spec.id, *k)
            if k in cells
            else Fact(spec.id, *k, None, "missing", note="its row's label names nothing certain")
            for k in spec.cells()
        ]
        return TableRead(facts)
    return None


def _row_names(spec: TableSpec, rows: list[DataRow], name) -> dict[str, DataRow]:
    """Each row by the one group or column its labels name (rows naming none or a name twice
    are left out)."""
    out: dict[str, DataRow] = {}
    seen: set[str] = set()
    for row in rows:
        names = {n for n in (name(spec, c.keys) for c in (*row.spanning, *row.own)) if n}
        if len(names) != 1:
            continue
        (n,) = names
        if n in seen:
            out.pop(n, None)
        else:
            out[n] = row
        seen.add(n)
    return out


def _header_order(
    spec: TableSpec, header: list[tuple[TypedCell, ...]], name, template: list[str]
) -> list[str] | None:
    """The other axis's order as the header rows print its words (行政复议 | 行政诉讼 over
    未经复议直接起诉 | 复议后起诉 reads as review, suit_direct, suit_after_review); the
    template's when the header names none; None when it names some, not as a whole."""
    printed: list[str] = []
    for row in header:
        for cell in row:
            n = name(spec, cell.keys)
            if n and n not in printed:
                printed.append(n)
    if not printed:
        return template
    if sorted(printed) == sorted(template):
        return printed
    if set(printed) <= set(template) and [t for t in template if t in printed] == printed:
        # A partial header that follows the template's order: the template fills the gaps.
        return template
    return None


def _unterminated(row: DataRow) -> DataRow:
    """A text row written `cell | cell |`: its closing separator is not a cell.

    Section 四 rows have 15 values (or 1, transposed): one empty token beyond that can only
    be a terminator.
    """
    if row.grid.kind == "text" and len(row.values) in (2, 16) and not row.values[-1].raw:
        return DataRow(row.grid, row.index, row.own, row.spanning, row.values[:-1])
    return row


def _flattened(spec: TableSpec, blocks: list[Block], labels: LabelIndex) -> TableRead | None:
    """A line of 15 numbers after the group words (行政复议 行政诉讼, on its line or in the
    section above it): placed in template order."""
    n = len(spec.cells())
    previous = ""  # the section's text so far: the group words may be lines above
    heading = section_name(spec.section) + "、"
    for block in blocks:
        if block.table is not None or not block.text or block.text.startswith(heading):
            continue  # the heading names 行政复议 too, and is no column header
        tokens = _TOKENS.findall(block.text)
        values: list[str] = []
        while tokens and is_value_text(tokens[-1]) and read_value(tokens[-1]).status != "blank":
            values.insert(0, tokens.pop())
        lead = " ".join(tokens) or previous
        previous += block.text
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
        return TableRead(facts, [Diagnosis(spec.id, "warning", how)])
    return None
