"""The format-neutral document every reader produces: text blocks and grids of raw cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from parsers.model import Where


@dataclass(frozen=True, slots=True)
class Cell:
    """One source cell: its text as printed and the grid area it covers."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    where: Where | None = None


@dataclass(frozen=True)
class Table:
    """A grid of source cells. `rows[i]` holds the cells whose origin is row i, left to right.

    A spanned cell is one source cell: it appears once, in its origin row, and rows below
    it see it only through `covering(i)`.
    """

    index: int
    rows: tuple[tuple[Cell, ...], ...]
    where: Where | None = None
    # False when cell boundaries were inferred from text positions (a PDF table without
    # ruling lines), not drawn or marked up: then a value's column is less certain.
    ruled: bool = True
    # False when a cell's column is only its count on its line (a text table whose lines
    # have different numbers of cells), not its place across the table.
    positioned: bool = True

    def covering(self, row: int) -> tuple[Cell, ...]:
        """Cells from earlier rows whose rowspan reaches down into `row`, left to right."""
        return self._covering[row] if row < len(self._covering) else ()

    @cached_property
    def _covering(self) -> tuple[tuple[Cell, ...], ...]:
        # One sweep down the rows over the spans still open (each an interval of rows),
        # rather than one step per row per spanning cell.
        opening: list[list[Cell]] = [[] for _ in self.rows]
        for r in self.rows:
            for c in r:
                if c.rowspan > 1 and c.row + 1 < len(self.rows):
                    opening[c.row + 1].append(c)
        out: list[tuple[Cell, ...]] = []
        open_: list[Cell] = []
        for i, starting in enumerate(opening):
            open_ = [c for c in open_ if c.row + c.rowspan > i] + starting
            out.append(tuple(sorted(open_, key=lambda c: c.col)) if open_ else ())
        return tuple(out)

    @property
    def width(self) -> int:
        """Number of grid columns."""
        return max((c.col + c.colspan for r in self.rows for c in r), default=0)


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of text or a table, in reading order."""

    text: str = ""
    table: Table | None = None
    where: Where | None = None


@dataclass(frozen=True)
class Document:
    """What a format reader hands on: blocks in reading order plus page-level hints."""

    kind: str  # html | text | pdf
    blocks: tuple[Block, ...]
    title_hint: str | None = None
    images_in_body: int = 0
    notes: tuple[str, ...] = field(default=())
