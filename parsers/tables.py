"""Find the canonical tables among a document's grids and map their cells to codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache

from parsers.document import Cell, Table
from parsers.facts import cell_fact, missing
from parsers.model import Diagnosis, Fact
from parsers.repair import place_unlabelled
from parsers.script import label_key, simplified_readings
from parsers.templates import Format, RowSpec, TableSpec, load_format
from parsers.values import is_value_text, read_value


@dataclass(frozen=True)
class TableSettings:
    """Thresholds of table finding and mapping."""

    min_keyword_hits: int = 2
    # Variants shorter than this match only exactly, never as a prefix ("其他", "总计").
    min_prefix_len: int = 4
    # A table with no printed number and fewer identified rows than this share is a skeleton.
    skeleton_row_share: float = 0.5
    # A row of this many labels and one empty cell after them is a header, not figures.
    header_min_labels: int = 4


DEFAULT = TableSettings()


@dataclass
class LabelIndex:
    """Normalised label text of a document's cells, converted once per document."""

    traditional: bool
    cache: dict[str, frozenset[str]] = field(default_factory=dict)

    def keys(self, text: str) -> frozenset[str]:
        """The label keys of a cell's text (one per Simplified reading); empty for no text."""
        k = self.cache.get(text)
        if k is None:
            readings = simplified_readings(text) if self.traditional else (text,)
            k = frozenset(x for x in map(label_key, readings) if x)
            self.cache[text] = k
        return k


@dataclass(frozen=True)
class Row:
    """One printed row split into its label cells (with the spanned group labels above it)."""

    table: Table
    index: int
    path: tuple[Cell, ...]
    values: tuple[Cell, ...]


def split_rows(table: Table) -> list[Row]:
    """Rows that carry values: leading label cells, then cells that all read as values."""
    out = []
    for i, own in enumerate(table.rows):
        n = 0
        while n < len(own) and (
            (own[n].text and not is_value_text(own[n].text))
            # an empty cell spanning rows holds a group label's place (one lost in print)
            or (not own[n].text and own[n].rowspan > 1)
        ):
            n += 1
        labels, values = own[:n], own[n:]
        if not values or not all(is_value_text(c.text) for c in values):
            continue
        if len(labels) >= DEFAULT.header_min_labels and len(values) == 1 and not values[0].text:
            continue  # a header row with an empty cell at its end, not a row of figures
        first = values[0].col
        above = tuple(c for c in table.covering(i) if c.col < first)
        out.append(Row(table, i, above + labels, values))
    return out


@dataclass(frozen=True)
class Vocabulary:
    """Label keys that vote for a canonical table: exact keys, and prefixes by length."""

    keys: frozenset[str]
    lengths: tuple[int, ...]

    def hits(self, key: str) -> bool:
        """Whether a cell's key is, or starts with, a word of this vocabulary."""
        return key in self.keys or any(key[:n] in self.keys for n in self.lengths)


@cache
def _vocabularies(format_ids: tuple[str, ...]) -> dict[str, Vocabulary]:
    out = {}
    for table_id in ("proactive", "requests", "reviews"):
        vocab: set[str] = set()
        for fmt in map(load_format, format_ids):
            spec = fmt.tables[table_id]
            vocab.update(spec.keywords)
            vocab.update(k for r in spec.rows for k in r.keys if len(k) >= 4)
        out[table_id] = Vocabulary(frozenset(vocab), tuple(sorted({len(v) for v in vocab})))
    return out


@lru_cache(maxsize=16384)
def _votes(format_ids: tuple[str, ...], key: str) -> tuple[str, ...]:
    """The canonical tables whose vocabulary a label key belongs to (labels recur: cached)."""
    return tuple(t for t, v in _vocabularies(format_ids).items() if v.hits(key))


def classify(table: Table, fmt_list: list[Format], labels: LabelIndex) -> str | None:
    """The canonical table id whose vocabulary this grid uses most, if clear enough."""
    keys = {k for r in table.rows for c in r if c.text for k in labels.keys(c.text)}
    format_ids = tuple(f.id for f in fmt_list)
    hits: dict[str, int] = {}
    for k in keys:
        for table_id in _votes(format_ids, k):
            hits[table_id] = hits.get(table_id, 0) + 1
    best, best_hits = None, 0
    for table_id in _vocabularies(format_ids):  # a tie goes to the earlier table, always
        if hits.get(table_id, 0) > best_hits:
            best, best_hits = table_id, hits[table_id]
    return best if best_hits >= DEFAULT.min_keyword_hits else None


def format_votes(tables: list[Table], fmt_list: list[Format], labels: LabelIndex) -> dict[str, int]:
    """How many marker labels of each format the grids print."""
    keys = {k for t in tables for r in t.rows for c in r if c.text for k in labels.keys(c.text)}
    return {f.id: sum(1 for m in f.markers if m in keys) for f in fmt_list}


def _match_row(spec: TableSpec, path: list[frozenset[str]], group: str | None) -> RowSpec | None:
    """The canonical row named by the last label of a row's label path, if exactly one."""
    if not path:
        return None
    last = path[-1]
    found = [r for r in spec.rows if last & set(r.keys)]
    if not found:
        # A longer printed label that opens with a canonical one (部分公开（区分处理的…）),
        # unless what follows names another row: 行政处罚、行政强制 is two rows merged.
        others = {v for r in spec.rows for v in r.keys}
        found = [
            r
            for r in spec.rows
            if any(
                len(v) >= DEFAULT.min_prefix_len
                and k.startswith(v)
                and not any(o in k[len(v) :] for o in others if len(o) >= DEFAULT.min_prefix_len)
                for v in r.keys
                for k in last
            )
        ]
    if len(found) > 1:
        found = [r for r in found if r.group == group]
    if len(found) != 1:
        return None
    return found[0]


def _group_of(spec: TableSpec, keys: frozenset[str]) -> str | None:
    for g, group_keys in spec.groups.items():
        if keys & set(group_keys):
            return g
    return None


@dataclass
class Mapped:
    """Facts of the canonical tables, what an auditor should know, and rows left to repair."""

    facts: list[Fact]
    diagnoses: list[Diagnosis]
    shifted: list[tuple[RowSpec, Row, str | None]] = field(default_factory=list)
    # (table_id, row_id) of rows identified by position, not by a printed label
    placed: set[tuple[str, str]] = field(default_factory=set)


def _identify(spec: TableSpec, rows: list[Row], labels: LabelIndex) -> list[RowSpec | None]:
    """Each value row's canonical row by its labels, None when no label names one."""
    out: list[RowSpec | None] = []
    group: str | None = None
    for row in rows:
        for cell in row.path:
            group = _group_of(spec, labels.keys(cell.text)) or group
        # The row's own label: a cell of this row that spans no rows below (a spanning cell
        # labels a group, even when the row's own label was lost).
        items = [c for c in row.path if c.row == row.index and c.rowspan == 1]
        path = [k for k in (labels.keys(c.text) for c in items) if k]
        match = _match_row(spec, path, group)
        if match is None and len(path) >= 2:
            # A label broken over two cells (1.属于国家 | 秘密).
            joined = frozenset(a + b for a in path[-2] for b in path[-1])
            match = _match_row(spec, [*path[:-2], joined], group)
        out.append(match)
    return out


def trim_terminators(rows: list[Row], widths: list[int | None]) -> list[Row]:
    """Drop a closing empty token from the rows of text tables written `cell | cell |`.

    A line ending in a separator may end in an empty cell or in a terminator. Per table, the
    labelled rows decide: when more of them have one empty value too many than have the
    expected count, the separator closes every line of that table.
    """
    votes: dict[int, int] = {}
    for row, width in zip(rows, widths, strict=True):
        if width is None or row.table.where is None or row.table.where.kind != "text":
            continue
        extra = len(row.values) == width + 1 and not row.values[-1].text
        votes[row.table.index] = votes.get(row.table.index, 0) + (
            1 if extra else -1 if len(row.values) == width else 0
        )
    closed = {t for t, v in votes.items() if v > 0}
    return [
        Row(r.table, r.index, r.path, r.values[:-1])
        if r.table.index in closed and r.values and not r.values[-1].text
        else r
        for r in rows
    ]


def _foreign_header(spec: TableSpec, grid: Table, labels: LabelIndex) -> str | None:
    """A header row naming none of the template's columns: another table (2017年 | 2018年)."""
    vocab = {k for keys in spec.col_keys.values() for k in keys} | set(spec.keywords)
    for row in grid.rows:
        texts = [c.text for c in row]
        if len(texts) < 2 or not all(texts) or any(is_value_text(t) for t in texts):
            continue
        keys = {k for t in texts for k in labels.keys(t)}
        if not any(k in vocab or any(k.startswith(v) for v in vocab) for k in keys):
            return " | ".join(texts)
        return None  # the first header row decides
    return None


def map_label_table(spec: TableSpec, grids: list[Table], labels: LabelIndex) -> Mapped:
    """Map a table whose rows carry labels (proactive, requests): each row by its label."""
    diagnoses: list[Diagnosis] = []
    kept = []
    for g in grids:
        foreign = _foreign_header(spec, g, labels)
        if foreign is None:
            kept.append(g)
        else:
            note = f"a table in the section with other columns ({foreign}) is not read"
            diagnoses.append(Diagnosis(spec.id, "info", note))
    grids = kept
    rows = [row for g in grids for row in split_rows(g)]
    matches = _identify(spec, rows, labels)
    rows = trim_terminators(rows, [len(m.cols) if m else None for m in matches])
    found: dict[str, tuple[Row, str | None]] = {}
    conflicts: dict[str, str] = {}
    for row, match in zip(rows, matches, strict=True):
        if match is None:
            continue
        if match.id in found:
            first = found[match.id][0]
            if [c.text for c in first.values] != [c.text for c in row.values]:
                # Which printing is the report's? Neither can be taken.
                conflicts[match.id] = (
                    f"row printed twice with different figures (table {first.table.index} "
                    f"row {first.index}, table {row.table.index} row {row.index})"
                )
            continue
        found[match.id] = (row, None)
    for row_id, note in conflicts.items():
        del found[row_id]
        diagnoses.append(Diagnosis(spec.id, "warning", f"{row_id}: {note}"))

    numbers = sum(
        1 for g in grids for r in g.rows for c in r if c.text and read_value(c.text).status == "ok"
    )
    canonical = [r for r in spec.rows if not r.optional]
    if numbers == 0 and len(found) < DEFAULT.skeleton_row_share * len(canonical):
        n_rows = sum(len(g.rows) for g in grids)
        note = (
            f"table present as a skeleton of {n_rows} rows; 0 of {len(spec.cells())} values "
            f"printed; {len(found)} row label(s) survive"
        )
        return Mapped(missing(spec.id, spec.cells(), note), [Diagnosis(spec.id, "error", note)])

    unplaced: dict[str, str] = {}
    if spec.groups:
        placed = place_unlabelled(spec, rows, matches, set(found))
        diagnoses += placed.diagnoses
        unplaced = placed.unplaced
        for row_id, (row, how) in placed.rows.items():
            found.setdefault(row_id, (row, how))

    out = Mapped([], diagnoses)
    orders: dict = {}  # header order per (table, header rows, columns): rows share headers
    replaced = {x: r.id for r in spec.rows if r.optional and r.id in found for x in r.replaces}
    for spec_row in spec.rows:
        hit = found.get(spec_row.id)
        if spec_row.optional and hit is None:
            continue
        cells = [(spec_row.id, c) for c in spec_row.cols]
        if hit is None:
            if spec_row.id in replaced:
                note = f"not printed: the table prints these rows as one ({replaced[spec_row.id]})"
            elif spec_row.id in conflicts:
                note = conflicts[spec_row.id]
            else:
                note = unplaced.get(spec_row.id, "row not found in the table")
                if spec_row.id not in unplaced:
                    diagnoses.append(Diagnosis(spec.id, "warning", f"{spec_row.id}: {note}"))
            out.facts += missing(spec.id, cells, note)
            continue
        row, how = hit
        if how is not None:
            out.placed.add((spec.id, spec_row.id))
        cols, withheld = _columns(spec, spec_row, row, labels, orders)
        if withheld and len(row.values) == len(spec_row.cols):
            out.facts += missing(spec.id, cells, withheld)
            diagnoses.append(Diagnosis(spec.id, "warning", f"{spec_row.id}: {withheld}"))
        elif len(row.values) == len(spec_row.cols):
            out.facts += [
                cell_fact(spec.id, spec_row.id, col, cell, spec_row.unit, how)
                for col, cell in zip(cols, row.values, strict=True)
            ]
        elif len(row.values) == len(spec_row.cols) - 1 and spec.groups:
            out.shifted.append((spec_row, row, how))
        else:
            note = (
                f"row printed {len(row.values)} value cells where {len(spec_row.cols)} "
                "are expected; position of each value uncertain"
            )
            out.facts += missing(spec.id, cells, note)
            diagnoses.append(Diagnosis(spec.id, "warning", f"{spec_row.id}: {note}"))
    return out


def _columns(
    spec: TableSpec, spec_row: RowSpec, row: Row, labels: LabelIndex, cache: dict
) -> tuple[tuple[str, ...], str | None]:
    """The columns of a row's values in printed order, or why they cannot be trusted."""
    from parsers.columns import header_rows, read_order

    every = cache.get(row.table.index)
    if every is None:
        every = cache[row.table.index] = header_rows(row.table, len(row.table.rows))
    rows = [r for r in every if r and r[0].row < row.index]
    if not spec.groups:
        rows = rows[-1:]  # a block table: the header right above its rows
    key = (row.table.index, tuple(r[0].row for r in rows if r), spec_row.cols)
    order = cache.get(key)
    if order is None:
        positioned = row.table.where is None or row.table.where.kind != "text"
        order = read_order(rows, spec.col_keys, spec_row.cols, labels, positioned=positioned)
        cache[key] = order
    if order.order is not None:
        return order.order, None
    if order.contradiction is not None:
        return spec_row.cols, (
            f"the header names the columns in another order than the template "
            f"({order.contradiction}); which value is which is uncertain"
        )
    return spec_row.cols, None
