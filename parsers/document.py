"""The format-neutral document every reader produces: text blocks and grids of raw cells."""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def covering(self, row: int) -> tuple[Cell, ...]:
        """Cells from earlier rows whose rowspan reaches down into `row`, left to right."""
        out = [
            c
            for r in self.rows[max(0, row - 200) : row]
            for c in r
            if c.row < row < c.row + c.rowspan
        ]
        return tuple(sorted(out, key=lambda c: c.col))

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
