"""The document model both renderers read: tables as rows of spanned cells, and text blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from synth.codes import Key


@dataclass
class TCell:
    """One printed table cell; '\\n' in text marks a line break inside the cell."""

    text: str
    kind: str = "value"  # value, label, header or title
    rowspan: int = 1
    colspan: int = 1
    key: Key | None = None  # the canonical cell a value cell prints


@dataclass
class TRow:
    """One printed table row."""

    cells: list[TCell]
    kind: str = "data"  # header, banner, data, title, note, unit or page
    row_id: str | None = None
    # The text rendition prints each line of each cell on its own line (a broken header).
    split_lines: bool = False


@dataclass
class Table:
    """One printed <table> (or block of pipe lines)."""

    table_id: str
    rows: list[TRow]
    width: int


@dataclass
class Para:
    """A paragraph; role says what it is (body, title, date, subhead, flat)."""

    text: str
    role: str = "body"


@dataclass
class Heading:
    """A section heading as printed."""

    no: int
    text: str


@dataclass
class TableBlock:
    """A table placed in the flow of a section."""

    table: Table


@dataclass
class ImageBlock:
    """A table printed as a picture."""

    src: str
    alt: str


Block = Para | Heading | TableBlock | ImageBlock


@dataclass
class Section:
    """A numbered section: its heading and what follows it."""

    no: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    """A composed report, ready for a renderer."""

    title: str
    date_line: str | None
    intro: list[Para]
    sections: list[Section]
    closing: list[Para] = field(default_factory=list)  # the signature (落款), if printed

    def tables(self) -> list[Table]:
        """Every table in document order."""
        return [b.table for s in self.sections for b in s.blocks if isinstance(b, TableBlock)]
