"""Find the canonical tables among a document's grids and map their cells to codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from parsers.document import Cell, Table
from parsers.model import Diagnosis, Fact
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


def classify(table: Table, fmt_list: list[Format], labels: LabelIndex) -> str | None:
    """The canonical table id whose vocabulary this grid uses most, if clear enough."""
    keys = {k for r in table.rows for c in r if c.text for k in labels.keys(c.text)}
    best, best_hits = None, 0
    for table_id, vocab in _vocabularies(tuple(f.id for f in fmt_list)).items():
        hits = sum(1 for k in keys if vocab.hits(k))
        if hits > best_hits:
            best, best_hits = table_id, hits
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
    """Facts of one canonical table plus what an auditor should know about it."""

    facts: list[Fact]
    diagnoses: list[Diagnosis]


def _missing(table_id: str, cells: list[tuple[str, str]], note: str) -> list[Fact]:
    return [Fact(table_id, r, c, None, "missing", note=note) for r, c in cells]


def _row_facts(table_id: str, spec_row: RowSpec, cells: tuple[Cell, ...]) -> list[Fact]:
    out = []
    for col_id, cell in zip(spec_row.cols, cells, strict=True):
        rv = read_value(cell.text)
        unit = rv.unit or (spec_row.unit if rv.status == "ok" else None)
        out.append(
            Fact(
                table_id,
                spec_row.id,
                col_id,
                rv.value,
                rv.status,
                cell.text,
                unit,
                rv.note,
                cell.where,
            )
        )
    return out


def map_label_table(spec: TableSpec, grids: list[Table], labels: LabelIndex) -> Mapped:
    """Map a table whose rows carry labels (proactive, requests): each row by its label."""
    found: dict[str, Row] = {}
    diagnoses: list[Diagnosis] = []
    group: str | None = None
    rows = [row for g in grids for row in split_rows(g)]
    for row in rows:
        path = [k for k in (labels.keys(c.text) for c in row.path) if k]
        for keys in path:
            group = _group_of(spec, keys) or group
        spec_row = _match_row(spec, path, group)
        if spec_row is None:
            continue
        if spec_row.id in found:
            diagnoses.append(
                Diagnosis(spec.id, "warning", f"row {spec_row.id} printed twice; first one kept")
            )
            continue
        found[spec_row.id] = row

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
        return Mapped(_missing(spec.id, spec.cells(), note), [Diagnosis(spec.id, "error", note)])

    facts: list[Fact] = []
    replaced = {x for r in spec.rows if r.optional and r.id in found for x in r.replaces}
    for spec_row in spec.rows:
        row = found.get(spec_row.id)
        if spec_row.optional and row is None:
            continue
        if row is None:
            note = (
                f"not printed: the table prints {spec_row.id.replace('_', ' ')} as one row"
                if spec_row.id in replaced
                else "row not found in the table"
            )
            facts += _missing(spec.id, [(spec_row.id, c) for c in spec_row.cols], note)
            continue
        if len(row.values) != len(spec_row.cols):
            note = (
                f"row printed {len(row.values)} value cells where {len(spec_row.cols)} "
                "are expected; position of each value uncertain"
            )
            facts += _missing(spec.id, [(spec_row.id, c) for c in spec_row.cols], note)
            diagnoses.append(Diagnosis(spec.id, "warning", f"{spec_row.id}: {note}"))
            continue
        facts += _row_facts(spec.id, spec_row, row.values)
    return Mapped(facts, diagnoses)


def map_reviews(spec: TableSpec, grids: list[Table], labels: LabelIndex) -> Mapped:
    """Section 四: one printed row of 15 values, stored as 3 rows × 5 columns."""
    n = len(spec.cells())
    for g in grids:
        for row in split_rows(g):
            if len(row.values) == n:
                facts = []
                for (row_id, col_id), cell in zip(spec.cells(), row.values, strict=True):
                    rv = read_value(cell.text)
                    facts.append(
                        Fact(
                            spec.id,
                            row_id,
                            col_id,
                            rv.value,
                            rv.status,
                            cell.text,
                            rv.unit,
                            rv.note,
                            cell.where,
                        )
                    )
                return Mapped(facts, [])
    note = f"no row of {n} values found in the table"
    return Mapped(_missing(spec.id, spec.cells(), note), [Diagnosis(spec.id, "error", note)])


def map_tables(fmt: Format, grids_by_table: dict[str, list[Table]], labels: LabelIndex) -> Mapped:
    """Facts for every canonical cell of the format, found or not."""
    facts: list[Fact] = []
    diagnoses: list[Diagnosis] = []
    for table_id, spec in fmt.tables.items():
        grids = grids_by_table.get(table_id, [])
        if not grids:
            note = f"section {'一二三四五六'[spec.section - 1]} table absent"
            facts += _missing(table_id, spec.cells(), note)
            diagnoses.append(Diagnosis(table_id, "error", note))
            continue
        mapper = map_reviews if table_id == "reviews" else map_label_table
        m = mapper(spec, grids, labels)
        facts += m.facts
        diagnoses += m.diagnoses
    return Mapped(facts, diagnoses)
