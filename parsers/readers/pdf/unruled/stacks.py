"""Cell blocks of an unruled table: the words of one cell, stacked over its lines.

A label line carries on the label above it when the gap between them is a line gap, not a
row gap (told apart by the table's own gaps), or, where the table does not show the two
apart, when the label above filled its cell. A value's unit wrapped under it joins it;
digits under digits stay pieces that are never read as one number.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from parsers.readers.pdf.lines import ENUMERATED, join_lines
from parsers.readers.pdf.settings import TextGridSettings
from parsers.readers.pdf.unruled.words import Seg, TextLine
from parsers.values import read_value


@dataclass
class Stack:
    """Words stacked in one cell, and where the grid puts it: columns [c0, c1), its row
    (`band`) and how many rows it spans; `group`: a label beside several rows."""

    segs: list[Seg]
    c0: int = 0
    c1: int = 0
    group: bool = False
    band: int = -1
    rowspan: int = 1
    # Extent of the words so far (kept up to date by `add`).
    x0: float = field(init=False)
    x1: float = field(init=False)
    bottom: float = field(init=False)

    def __post_init__(self) -> None:
        self.x0 = min(x.x0 for x in self.segs)
        self.x1 = max(x.x1 for x in self.segs)
        self.bottom = max(x.bottom for x in self.segs)

    def add(self, seg: Seg) -> None:
        """Stack a word under the block's words."""
        self.segs.append(seg)
        self.x0, self.x1 = min(self.x0, seg.x0), max(self.x1, seg.x1)
        self.bottom = max(self.bottom, seg.bottom)

    # The block is what its first word is: on its page, at its size, a value or a label.
    @property
    def page(self) -> int:
        return self.segs[0].page

    @property
    def top(self) -> float:
        return self.segs[0].top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        return self.segs[0].size

    @property
    def blank(self) -> bool:
        return self.segs[0].blank

    @property
    def numeric(self) -> bool:
        return self.segs[0].numeric

    @property
    def label(self) -> bool:
        return not self.blank and not self.numeric

    @property
    def text(self) -> str:
        """The cell's text: its lines joined (no break inside CJK text or a number)."""
        return "" if self.blank else join_lines([x.text for x in self.segs])


@dataclass
class Band:
    """One row of a part as found: its blocks (group labels beside it left out), its page and
    height, and its `lines`: the blocks of each line of figures it was joined from (one line
    unless figures printed off their label's line were joined to it)."""

    page: int
    top: float
    bottom: float
    blocks: list[Stack] = field(default_factory=list)
    lines: list[list[Stack]] = field(default_factory=list)

    def add(self, b: Stack) -> None:
        self.blocks.append(b)
        self.top, self.bottom = min(self.top, b.top), max(self.bottom, b.bottom)

    def values(self) -> list[Stack]:
        return [b for b in self.blocks if b.numeric]

    def columns(self) -> set[int]:
        """The value columns this row prints a figure in."""
        return {b.c0 for b in self.values()}


@dataclass
class Part:
    """Rows with one column layout (a banner, if any, above them): column `bounds`, the
    first `n_labels` of them label columns, and its rows as (page, top, bottom) `bands`."""

    banner: Stack | None
    blocks: list[Stack] = field(default_factory=list)
    bounds: list[float] = field(default_factory=list)
    n_labels: int = 0
    bands: list[tuple[int, float, float]] = field(default_factory=list)
    # Value column -> how many values the most crowded row puts in it (2 or more).
    crowded: dict[int, int] = field(default_factory=dict)
    # Only a header, over a row of empty cells: every word names a value column.
    empty_row: bool = False
    # Rows whose values may be another row's (on two lines, or beside values with no row
    # label): they get no value cells.
    mixed: set[int] = field(default_factory=set)


def cell_limits(lines: list[TextLine], starts: list[float], right: float) -> dict[int, float]:
    """Where each word's cell ends at the latest: the next word on its line, or the next
    column start after it, or the table's right edge."""
    out: dict[int, float] = {}
    for line in lines:
        words = sorted(line.segs, key=lambda w: w.x0)
        for w, nxt in itertools.zip_longest(words, words[1:]):
            ends = [x for x in starts if x > w.x1]
            limit = min(ends, default=right)
            if nxt is not None:
                limit = min(limit, nxt.x0)
            out[id(w)] = limit
    return out


@dataclass(frozen=True)
class Gaps:
    """The gaps (in font sizes) between lines of one cell: at most `line`; rows: `split` on.
    `size` is the words' usual font size (points), to turn them into points."""

    line: float
    split: float
    size: float


def line_gaps(words: list[Seg], s: TextGridSettings) -> Gaps | None:
    """The gap between the lines of one cell, told from the wider gap between rows.

    Lines of a cell are set at the font's line spacing; rows are further apart by the
    cells' padding. Gaps between words stacked in one column (labels, or figures) fall in
    two tight groups when the table has both. None when only one group shows, and for
    words read by OCR: the boxes detection draws vary by a third in height for one font,
    so gaps between them form two tight groups only by chance.
    """
    if any(w.ocr for w in words):
        return None
    words = sorted(words, key=lambda x: x.top)
    gaps = []
    for i, w in enumerate(words):
        below = next(
            (
                v
                for v in words[i + 1 :]
                if v.page == w.page and v.top > w.top and min(v.x1, w.x1) - max(v.x0, w.x0) > 0
            ),
            None,
        )
        if below is not None and 0 <= below.top - w.bottom <= s.row_gap * w.size:
            gaps.append((below.top - w.bottom) / w.size)
    groups: list[list[float]] = []
    for g in sorted(gaps):
        if groups and g - groups[-1][-1] <= s.gap_tolerance:
            groups[-1].append(g)
        else:
            groups.append([g])
    if (
        len(groups) < 2
        or len(groups[0]) < 2
        or groups[0][-1] > s.max_line_gap
        or groups[1][0] - groups[0][-1] < s.gap_contrast
    ):
        return None
    sizes = sorted(w.size for w in words)
    return Gaps(
        groups[0][-1] + s.gap_tolerance,
        (groups[0][-1] + groups[1][0]) / 2,
        sizes[len(sizes) // 2],
    )


def stack_blocks(segs: list[Seg], limits: dict[int, float], s: TextGridSettings) -> list[Stack]:
    """Words on consecutive lines of one cell joined into blocks.

    A line carries on the label above it when the gap between them is a line gap, not a
    row gap; where the table does not show the two apart, only when the label above filled
    its cell's width (text wraps only then). A line opening with an enumerator starts a new
    label, and a line that prints a value does not continue a label beside values too.

    A value's cell wraps too ('108' over '件'): a unit under a value joins it. Digits under
    a value, a line gap below, are kept with it as a block of pieces that is never read as
    one number (the row is then uncertain); without a line gap to go by they stay apart.
    """
    lines = _by_line(segs)
    valued = {id(x): any(y.numeric for y in line) for line in lines for x in line}
    line_of = {id(x): line for line in lines for x in line}
    gaps = line_gaps([x for x in segs if not x.blank and not x.numeric], s)
    figures = [x for x in segs if x.numeric]
    first_top: dict[int, float] = {}
    last_bottom: dict[int, float] = {}
    for x in segs:
        first_top[x.page] = min(first_top.get(x.page, x.top), x.top)
        if not x.blank and not x.numeric:
            last_bottom[x.page] = max(last_bottom.get(x.page, x.bottom), x.bottom)
    blocks: list[Stack] = []
    # Blocks a later word may still join: those ending near enough above, and those
    # ending their page's last line (a cell cut by the page break).
    reach = max(s.cell_line_gap, gaps.split if gaps is not None else 0.0)
    open_blocks: list[Stack] = []
    for seg in sorted(segs, key=lambda x: (x.page, x.top, x.x0)):
        host = None
        unit = is_unit(seg)
        open_blocks = [
            b
            for b in open_blocks
            if (b.page == seg.page and b.bottom >= seg.top - reach * seg.size)
            or b.segs[-1].bottom == last_bottom.get(b.segs[-1].page)
        ]
        for b in open_blocks:
            last = b.segs[-1]
            if min(b.x1, seg.x1) - max(b.x0, seg.x0) <= 0:
                continue
            if b.page != seg.page:
                # A label cut by the page break: the last line of one page, carried on by
                # the first of the next (which prints no value of its own).
                if (
                    b.label
                    and seg.page == last.page + 1
                    and seg.top == first_top[seg.page]
                    and last.bottom == last_bottom[last.page]
                    and not seg.blank
                    and not seg.numeric
                    and not valued[id(seg)]
                    and not ENUMERATED.match(seg.text)
                ):
                    host = b
                continue
            if seg.top <= last.top:
                continue
            gap = (seg.top - last.bottom) / seg.size
            if b.numeric:
                # A value's lines are a line gap apart, never more: values of the next
                # row are a row gap away however tall the rows are. Digits under digits
                # only at the labels' line gap in points (figures may be set larger than
                # labels, their rows then being closer than a label line gap in font sizes).
                if seg.numeric:
                    points = seg.top - last.bottom
                    joins = gaps is not None and 0 <= points <= gaps.line * gaps.size
                else:
                    line = gaps.line if gaps is not None else s.cell_line_gap
                    joins = unit and 0 <= gap <= line
                if joins:
                    host = b
                continue
            if gaps is not None:
                close = 0 <= gap < gaps.split
            else:
                close = 0 <= gap <= s.cell_line_gap
            if seg.blank or seg.numeric or ENUMERATED.match(seg.text) or not b.label:
                continue
            if gaps is None:
                close = close and (
                    limits.get(id(last), last.x1) - last.x1 <= s.wrap_slack * last.size
                    or _figures_across(last, seg, figures)
                )
            # A word over several words of the next line heads them; it does not wrap.
            under = [
                x for x in line_of[id(seg)] if not x.blank and min(b.x1, x.x1) > max(b.x0, x.x0)
            ]
            if close and len(under) < 2 and not (valued[id(seg)] and valued[id(last)]):
                host = b
        if host is not None:
            host.add(seg)
        else:
            blocks.append(Stack([seg]))
            open_blocks.append(blocks[-1])
    return blocks


def _figures_across(above: Seg, below: Seg, figures: list[Seg]) -> bool:
    """Whether figures right of two lines of text reach into both: a row's figures set
    in the middle of its label of two lines, which wrapped short of its cell's edge."""
    return any(
        f.page == below.page
        and f.x0 >= max(above.x1, below.x1)
        and f.top < above.bottom
        and f.bottom > below.top
        for f in figures
    )


def is_unit(seg: Seg) -> bool:
    """A word that is only a unit ('件', '万元'): the end of a value wrapped in its cell."""
    t = seg.text
    return (
        not seg.numeric
        and not seg.blank
        and not any(ch.isdigit() for ch in t)
        and read_value("1" + t).status == "ok"
    )


def value_pieces(b: Stack) -> list[Stack]:
    """A value block's values: itself, or each line of digits (with its unit) on its own."""
    out: list[Stack] = []
    for seg in b.segs:
        if seg.numeric or not out:
            out.append(Stack([seg]))
        else:
            out[-1].add(seg)
    return out if len(out) > 1 else [b]


def _by_line(segs: list[Seg]) -> list[list[Seg]]:
    """Words grouped by the line they are printed on (a word's middle within the line's
    height: words in fonts of different ascent do not share a top)."""
    lines: list[list[Seg]] = []
    band = (0, 0.0, 0.0)
    for x in sorted(segs, key=lambda x: (x.page, x.top)):
        middle = (x.top + x.bottom) / 2
        if lines and x.page == band[0] and band[1] <= middle <= band[2]:
            lines[-1].append(x)
            band = (x.page, band[1], max(band[2], x.bottom))
        else:
            lines.append([x])
            band = (x.page, x.top, x.bottom)
    return lines
