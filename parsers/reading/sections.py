"""Split a document's blocks into the six numbered sections by their headings."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from parsers.document import Block
from parsers.headings import Heading, HeadingSettings, match_heading
from parsers.vocabulary import load_vocabulary

# Where a heading can open in the middle of a line: at its start, or after the end of a
# sentence or clause, or after a table's last figure and its unit (flattened text runs the
# whole article on one line: …行政事业性收费24252.311082三、收到和处理…, …6251000元三、…).
_VOCABULARY = load_vocabulary()
_UNIT_ENDS = "".join(sorted({u[-1] for u in _VOCABULARY.money_units + _VOCABULARY.count_units}))
_MID_LINE = re.compile(
    rf"(?:^|(?<=[。；;！!？?：:）)」”\s>0-9{_UNIT_ENDS}]))\s*第?[{_VOCABULARY.section_numerals}][、.．]"
)


def unflatten(
    blocks: tuple[Block, ...], traditional: bool, settings: HeadingSettings
) -> tuple[Block, ...]:
    """Text blocks cut where a section heading opens mid-line, in increasing order.

    A page flattened to a few long lines (an archive's text of an article) keeps its headings
    after sentence ends: 电话：0591-23165370。一、总体情况2021年，我区…. Each becomes a block of
    its own, so the sections are found as on any page.
    """
    out: list[Block] = []
    current = 0
    for block in blocks:
        if block.table is not None or len(block.text) <= settings.max_heading_len:
            out.append(block)
            h = match_heading(block.text, traditional, settings) if block.text else None
            current = max(current, h.no) if h else current
            continue
        text, pieces, start = block.text, [], 0
        for m in _MID_LINE.finditer(text):
            if m.start() == 0:
                continue
            h = match_heading(text[m.start() :], traditional, settings)
            if h is None or h.no <= current:
                continue
            pieces.append(text[start : m.start()])
            start, current = m.start(), h.no
        if not pieces and text == text.strip():
            out.append(block)  # nothing cut: most long lines are plain paragraphs
            continue
        pieces.append(text[start:])
        out += [replace(block, text=t.strip()) for t in pieces if t.strip()]
    return tuple(out)


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
