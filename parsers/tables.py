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
        while n < len(own) and own[n].text and not is_value_text(own[n].text):
            n += 1
        labels, values = own[:n], own[n:]
        if not values or not all(is_value_text(c.text) for c in values):
            continue
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
        found = [
            r
            for r in spec.rows
            if any(
                len(v) >= DEFAULT.min_prefix_len and k.startswith(v) for v in r.keys for k in last
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


def map_label_table(spec: TableSpec, grids: list[Table], labels: LabelIndex) -> Mapped:
    """Map a table whose rows carry labels (proactive, requests): each row by its label."""
    rows = [row for g in grids for row in split_rows(g)]
    matches = _identify(spec, rows, labels)
    diagnoses: list[Diagnosis] = []
    found: dict[str, tuple[Row, str | None]] = {}
    for row, match in zip(rows, matches, strict=True):
        if match is None:
            continue
        if match.id in found:
            note = f"row {match.id} printed twice; first one kept"
            diagnoses.append(Diagnosis(spec.id, "warning", note))
            continue
        found[match.id] = (row, None)

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
    replaced = {x for r in spec.rows if r.optional and r.id in found for x in r.replaces}
    for spec_row in spec.rows:
        hit = found.get(spec_row.id)
        if spec_row.optional and hit is None:
            continue
        cells = [(spec_row.id, c) for c in spec_row.cols]
        if hit is None:
            if spec_row.id in replaced:
                note = "not printed: the table prints （六）其他处理 as one row"
            else:
                note = unplaced.get(spec_row.id, "row not found in the table")
                if spec_row.id not in unplaced:
                    diagnoses.append(Diagnosis(spec.id, "warning", f"{spec_row.id}: {note}"))
            out.facts += missing(spec.id, cells, note)
            continue
        row, how = hit
        if len(row.values) == len(spec_row.cols):
            out.facts += [
                cell_fact(spec.id, spec_row.id, col, cell, spec_row.unit, how)
                for col, cell in zip(spec_row.cols, row.values, strict=True)
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
