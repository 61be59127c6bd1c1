"""Split a document's blocks into the six numbered sections by their headings."""

from __future__ import annotations

from dataclasses import dataclass

from parsers.document import Block
from parsers.headings import Heading, HeadingSettings, match_heading


@dataclass(frozen=True)
class Split:
    """Blocks grouped by section: `owner[i]` is the section number of block i (0 = preamble)."""

    headings: dict[int, Heading]
    owner: tuple[int, ...]
    texts: dict[int, list[str]]
    restarts: int


def split_sections(
    blocks: tuple[Block, ...], traditional: bool, settings: HeadingSettings
) -> Split:
    """Assign each block to a section; headings must appear in increasing order."""
    headings: dict[int, Heading] = {}
    owner: list[int] = []
    texts: dict[int, list[str]] = {}
    current = 0
    restarts = 0
    for block in blocks:
        text = block.text
        if block.table is not None:
            text = _title_row(block)
        h = match_heading(text, traditional, settings) if text else None
        if h is not None and h.no <= current and h.no == 1 and current >= 3:
            restarts += 1  # a second report starts in the same document
        if h is not None and h.no > current:
            current = h.no
            headings[h.no] = h
            if h.rest:
                texts.setdefault(current, []).append(h.rest)
        elif block.table is None:
            texts.setdefault(current, []).append(block.text)
        owner.append(current)
    return Split(headings, tuple(owner), texts, restarts)


def _title_row(block: Block) -> str:
    """A table's first row when it is one cell (a title or heading printed inside the table)."""
    assert block.table is not None
    rows = block.table.rows
    if rows and len(rows[0]) == 1:
        return rows[0][0].text
    return ""
