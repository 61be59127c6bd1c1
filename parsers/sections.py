"""Split a document's blocks into the six numbered sections by their headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.document import Block
from parsers.script import fold, label_key, to_simplified
from parsers.templates import SECTION_NUMERALS, load_common

_HEADING = re.compile(r"^\s*(?:第)?([一二三四五六])\s*(?:[、.．,，:：]|部分)\s*(.*)$", re.S)


@dataclass(frozen=True)
class SectionSettings:
    """How long a heading line may be."""

    max_heading_len: int = 48
    # Characters a heading may carry after its keyword (情况, 的事项) and still be whole.
    max_heading_tail: int = 6
    # A heading printed without its numeral (总体情况) is at most this long.
    max_bare_heading_len: int = 16


DEFAULT = SectionSettings()


@dataclass(frozen=True)
class Heading:
    """A recognised section heading: section number, its text, and the text after it."""

    no: int
    text: str
    rest: str


_MAY_OPEN = re.compile(r"\s*第?\s*[一二三四五六]")


def match_heading(text: str, traditional: bool) -> Heading | None:
    """The section heading that opens `text`, if it opens with one."""
    if len(text) > DEFAULT.max_bare_heading_len and not _MAY_OPEN.match(text):
        return None  # cheap test first: most blocks are paragraphs
    simple = fold(to_simplified(text) if traditional else text).strip()
    m = _HEADING.match(simple)
    if m:
        no = SECTION_NUMERALS.index(m.group(1)) + 1
        body = m.group(2)
        spec = load_common().sections[no - 1]
        key = label_key(body[: DEFAULT.max_heading_len])
        for kw in spec.keywords:
            pos = key.find(kw)
            if pos != -1 and pos <= 12:
                tail = key[pos + len(kw) :]
                if len(tail) <= DEFAULT.max_heading_tail and len(simple) <= DEFAULT.max_heading_len:
                    return Heading(no, text.strip(), "")
                # A heading run into its first paragraph: split after the keyword.
                cut = _cut_after(
                    text, kw + ("情况" if tail.startswith("情况") else ""), traditional
                )
                if cut is not None:
                    return Heading(no, text[:cut].strip(), text[cut:].lstrip("。，,.：: \t"))
        return None
    if len(simple) <= DEFAULT.max_bare_heading_len:
        key = label_key(simple)
        for spec in load_common().sections:
            if key == label_key(spec.heading):
                return Heading(spec.no, text.strip(), "")
    return None


def _cut_after(text: str, keyword: str, traditional: bool) -> int | None:
    """Index in `text` just after the characters that spell `keyword`."""
    chars = iter(keyword)
    want = next(chars, None)
    for i, ch in enumerate(text):
        c = label_key(to_simplified(ch) if traditional else ch)
        if c and want is not None and c == want:
            want = next(chars, None)
            if want is None:
                return i + 1
    return None


@dataclass(frozen=True)
class Split:
    """Blocks grouped by section: `owner[i]` is the section number of block i (0 = preamble)."""

    headings: dict[int, Heading]
    owner: tuple[int, ...]
    texts: dict[int, list[str]]
    restarts: int


def split_sections(blocks: tuple[Block, ...], traditional: bool) -> Split:
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
        h = match_heading(text, traditional) if text else None
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
