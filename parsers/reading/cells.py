"""Typed cells: each source cell read once (value, status, label keys), reused by every step."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

from parsers.document import Cell, Table
from parsers.model import Fact, Where
from parsers.reading.labels import LabelIndex
from parsers.values import is_value_text, read_value


class TypedCell(NamedTuple):
    """A source cell as read: its text, what it says as a value, and its label keys.

    `is_value` says whether the cell takes a value's place in its row (a number, a blank, a
    dash, or figures that cannot be read); `keys` are its label keys when it is text, and
    `lines` each of its lines with their keys when it prints more than one.
    """

    raw: str
    value: Decimal | None
    status: str  # ok | blank | dash | missing (unreadable)
    unit: str | None
    note: str | None
    is_value: bool
    keys: frozenset[str]
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    where: Where | None = None
    lines: tuple[tuple[str, frozenset[str]], ...] = ()

    @property
    def numeric(self) -> bool:
        """Whether the cell prints a figure or a dash: evidence of a row of values."""
        return self.status in ("ok", "dash")

    def fact(
        self,
        table_id: str,
        row_id: str,
        col_id: str,
        unit: str | None = None,
        repair: str | None = None,
    ) -> Fact:
        """This cell as the fact of a canonical cell; `repair` says how its place was found."""
        status = "repaired" if repair and self.status == "ok" else self.status
        note = (f"{repair}; {self.note}" if self.note else repair) if repair else self.note or None
        return Fact(
            table_id,
            row_id,
            col_id,
            self.value,
            status,
            self.raw,
            self.unit or (unit if self.status == "ok" else None),
            note,
            self.where,
        )


_NO_KEYS: frozenset[str] = frozenset()


@lru_cache(maxsize=8192)
def _read(text: str) -> tuple[Decimal | None, str, str | None, str | None, bool]:
    """A cell text's value, status, unit, note, and whether it takes a value's place."""
    rv = read_value(text)
    return rv.value, rv.status, rv.unit, rv.note, is_value_text(text)


def type_cell(cell: Cell, labels: LabelIndex) -> TypedCell:
    """Read one source cell."""
    text = cell.text
    value, status, unit, note, is_value = _read(text)
    keys = _NO_KEYS if is_value else labels.keys(text)
    parts = [p for p in text.split("\n") if p.strip()] if keys else []
    lines = tuple((p, labels.keys(p)) for p in parts) if len(parts) > 1 else ()
    return TypedCell(
        text, value, status, unit, note, is_value, keys,
        cell.row, cell.col, cell.rowspan, cell.colspan, cell.where, lines,
    )  # fmt: skip


@dataclass(frozen=True)
class Grid:
    """A source table with every cell typed; `rows[i]` are the cells whose origin is row i."""

    index: int
    rows: tuple[tuple[TypedCell, ...], ...]
    kind: str  # html | text | pdf
    ruled: bool = True
    where: Where | None = None
    # Whether a cell's column is its place across the table (HTML, PDF, a text table written
    # out from a grid), not only its count on its line.
    positioned: bool = True

    def covering(self, row: int) -> tuple[TypedCell, ...]:
        """Cells from earlier rows whose rowspan reaches down into `row`, left to right."""
        return self._covering[row] if row < len(self._covering) else ()

    @cached_property
    def _covering(self) -> tuple[tuple[TypedCell, ...], ...]:
        below: list[list[TypedCell]] = [[] for _ in self.rows]
        for r in self.rows:
            for c in r:
                for i in range(c.row + 1, min(c.row + c.rowspan, len(self.rows))):
                    below[i].append(c)
        return tuple(tuple(sorted(x, key=lambda c: c.col)) for x in below)

    @cached_property
    def column_counts(self) -> tuple[dict[int, int], dict[int, int]]:
        """Per grid column: how many rows printing figures hold words there, and figures
        (read, never changed, by several steps)."""
        words: dict[int, int] = {}
        figures: dict[int, int] = {}
        for r in self.rows:
            if not any(c.numeric for c in r):
                continue
            for c in r:
                counts = words if c.raw and not c.is_value else figures if c.numeric else None
                if counts is not None:
                    for k in range(c.col, c.col + c.colspan):
                        counts[k] = counts.get(k, 0) + 1
        return words, figures

    @cached_property
    def numbers(self) -> int:
        """How many cells print a number."""
        return sum(1 for r in self.rows for c in r if c.status == "ok")


def type_grid(table: Table, kind: str, labels: LabelIndex) -> Grid:
    """Every cell of a source table read once."""
    rows = tuple(tuple(type_cell(c, labels) for c in r) for r in table.rows)
    return Grid(table.index, rows, kind, table.ruled, table.where, table.positioned)
