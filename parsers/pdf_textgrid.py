"""Tables printed without ruling lines: a grid rebuilt from where the text sits.

Steps, each over plain values: lines split into segments at wide gaps → table regions (runs
of lines with two or more segments, at one font size) → segments stacked into cell blocks →
columns (label columns by left edge, value columns by where numbers sit, a header adding a
column no number shows) → rows (bands of blocks side by side; a group label beside several
rows spans them) → a grid. Empty value cells become empty cells, so a row keeps its width;
a label column left empty under a group label is covered by that label, as a ruled table
would show it. A lone centred line inside a table (a banner) starts a part with its own
columns, as section 二's blocks do.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from parsers.pdf_grid import GridCell, PageGrid, boundaries
from parsers.pdf_regions import Seg, TextGridSettings, TextLine
from parsers.pdf_text import ENUMERATED, join_lines


@dataclass
class _Block:
    """Segments stacked in one cell."""

    segs: list[Seg]
    c0: int = 0
    c1: int = 0
    group: bool = False
    band: int = -1
    rowspan: int = 1

    @property
    def page(self) -> int:
        return self.segs[0].page

    @property
    def x0(self) -> float:
        return min(x.x0 for x in self.segs)

    @property
    def x1(self) -> float:
        return max(x.x1 for x in self.segs)

    @property
    def top(self) -> float:
        return self.segs[0].top

    @property
    def bottom(self) -> float:
        return max(x.bottom for x in self.segs)

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
        return "" if self.blank else join_lines([x.text for x in self.segs])


def _stack(segs: list[Seg], s: TextGridSettings) -> list[_Block]:
    """Segments on consecutive lines of one cell joined into blocks.

    A line that prints a value is a row of its own: its label does not continue the label of
    a row above that prints values too.
    """
    valued = {id(x): any(y.numeric for y in line) for line in _by_line(segs) for x in line}
    blocks: list[_Block] = []
    for seg in sorted(segs, key=lambda x: (x.page, x.top, x.x0)):
        host = None
        if not seg.blank and not seg.numeric and not ENUMERATED.match(seg.text):
            for b in blocks:
                last = b.segs[-1]
                if (
                    b.label
                    and b.page == seg.page
                    and min(b.x1, seg.x1) - max(b.x0, seg.x0) > 0
                    and 0 <= seg.top - last.bottom <= s.cell_line_gap * seg.size
                    and seg.top > last.top
                    and not (valued[id(seg)] and valued[id(last)])
                ):
                    host = b
        if host is not None:
            host.segs.append(seg)
        else:
            blocks.append(_Block([seg]))
    return blocks


def _by_line(segs: list[Seg]) -> list[list[Seg]]:
    lines: dict[tuple[int, float], list[Seg]] = {}
    for x in segs:
        lines.setdefault((x.page, x.top), []).append(x)
    return list(lines.values())


@dataclass
class _Part:
    """Rows between banners: one column layout."""

    banner: _Block | None
    blocks: list[_Block] = field(default_factory=list)
    bounds: list[float] = field(default_factory=list)
    n_labels: int = 0


def _columns(part: _Part, x0: float, x1: float, s: TextGridSettings) -> None:
    """Column bounds of a part: label columns by left edge, value columns by the numbers."""
    blocks = part.blocks
    size = min((b.size for b in blocks), default=10.0)
    values: list[list[float]] = []
    for b in sorted((b for b in blocks if not b.label), key=lambda b: b.x0):
        if values and b.x0 <= values[-1][1]:
            values[-1][1] = max(values[-1][1], b.x1)
        else:
            values.append([b.x0, b.x1])
    zone = values[0][0] - 0.5 * size if values else x1
    for b in sorted((b for b in blocks if b.label and b.x0 >= zone), key=lambda b: b.x1 - b.x0):
        if not any(min(b.x1, v[1]) - max(b.x0, v[0]) > 0 for v in values):
            values.append([b.x0, b.x1])
    values.sort()
    starts = boundaries(
        [b.x0 for b in blocks if b.label and b.x0 < zone], s.column_tolerance * size
    )
    if starts:
        starts[0] = min(starts[0], x0)
    bounds = list(starts)
    if values:
        bounds.append(zone if starts else min(zone, x0))
        bounds += [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(values)]
    bounds.append(max(x1, values[-1][1] if values else x1))
    part.bounds = bounds
    part.n_labels = len(starts)
    n = len(bounds) - 1
    for b in blocks:
        if b.label and b.x0 < zone:
            b.c0 = _col(bounds, b.x0 + 0.5 * size)
            b.c1 = max(b.c0 + 1, min(part.n_labels, _col(bounds, b.x1 - 0.5 * size) + 1))
        elif b.label:
            # A header spans the value columns whose middle it covers.
            cs = [
                c
                for c in range(part.n_labels, n)
                if b.x0 <= (bounds[c] + bounds[c + 1]) / 2 <= b.x1
            ]
            c = max(part.n_labels, _col(bounds, (b.x0 + b.x1) / 2))
            b.c0, b.c1 = (cs[0], cs[-1] + 1) if cs else (c, c + 1)
        else:
            c = max(part.n_labels, _col(bounds, (b.x0 + b.x1) / 2))
            b.c0, b.c1 = c, c + 1


def _col(bounds: list[float], x: float) -> int:
    n = len(bounds) - 1
    for c in range(n):
        if x < bounds[c + 1]:
            return c
    return n - 1


def _overlap(a: _Block, top: float, bottom: float) -> float:
    return min(a.bottom, bottom) - max(a.top, top)


def _bands(part: _Part) -> list[tuple[int, float, float]]:
    """Rows of a part as (page, top, bottom); group labels assigned to the rows they span."""
    labels = [b for b in part.blocks if b.label and b.c1 <= part.n_labels]
    for b in labels:
        b.group = any(
            c is not b and c.page == b.page and c.c0 >= b.c1 and _overlap(c, b.top, b.bottom) > 0
            for c in labels
        )
    bands: list[list] = []
    for b in sorted((b for b in part.blocks if not b.group), key=lambda b: (b.page, b.top)):
        if (
            bands
            and bands[-1][0] == b.page
            and _overlap(b, bands[-1][1], bands[-1][2]) > (0.3 * b.size)
        ):
            bands[-1][2] = max(bands[-1][2], b.bottom)
        else:
            bands.append([b.page, b.top, b.bottom])
        b.band = len(bands) - 1
    for b in part.blocks:
        if not b.group:
            continue
        hits = [
            i
            for i, (page, top, bottom) in enumerate(bands)
            if page == b.page and _overlap(b, top, bottom) > 0.3 * b.size
        ]
        if hits:
            b.band, b.rowspan = hits[0], hits[-1] - hits[0] + 1
        else:
            same = [i for i, band in enumerate(bands) if band[0] == b.page] or [0]
            b.band = min(same, key=lambda i: abs(bands[i][1] - b.top))
    return [(p, t, bt) for p, t, bt in bands]


def build_text_grid(lines: list[TextLine], s: TextGridSettings) -> PageGrid | None:
    """A grid from the lines of one unruled table (on one page or running over several)."""
    x0 = min(x.x0 for x in lines)
    x1 = max(x.x1 for x in lines)
    parts: list[_Part] = [_Part(None)]
    for line in lines:
        w = line.words
        if len(line.segs) == 1 and len(w) == 1 and _banner(w[0], x0, x1, s):
            parts.append(_Part(_Block([w[0]])))
        else:
            parts[-1].blocks += [_Block([seg]) for seg in line.segs]
    for part in parts:
        part.blocks = _stack([seg for b in part.blocks for seg in b.segs], s)
        _columns(part, x0, x1, s)
    size = min(x.size for x in lines)
    xs = boundaries([b for p in parts for b in p.bounds], 0.5 * size)
    if len(xs) < 3:
        return None
    return _emit(parts, xs, size)


def _banner(seg: Seg, x0: float, x1: float, s: TextGridSettings) -> bool:
    middle, width = (x0 + x1) / 2, x1 - x0
    if seg.numeric or seg.blank:
        return False
    return abs((seg.x0 + seg.x1) / 2 - middle) <= s.banner_center * width and (
        seg.x0 > x0 + 2 * seg.size
    )


def _emit(parts: list[_Part], xs: list[float], size: float) -> PageGrid | None:
    n_cols = len(xs) - 1

    def u(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    cells: list[GridCell] = []
    owner: dict[tuple[int, int], GridCell] = {}

    def place(cell: GridCell) -> None:
        cells.append(cell)
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner.setdefault((r, c), cell)

    def grow(cell: GridCell, row: int) -> None:
        cell.rowspan = row - cell.row + 1
        for c in range(cell.col, cell.col + cell.colspan):
            owner.setdefault((row, c), cell)

    row_labels: set[int] = set()
    row = 0
    for part in parts:
        if part.banner is not None:
            b = part.banner
            place(GridCell(b.text, row, 0, 1, n_cols, b.page, _bbox(b)))
            row += 1
        if not part.blocks:
            continue
        bands = _bands(part)
        ucol = [u(x) for x in part.bounds]
        label_end = ucol[part.n_labels]
        for i, (page, top, bottom) in enumerate(bands):
            r = row + i
            own = sorted((b for b in part.blocks if b.band == i), key=lambda b: b.c0)
            for b in own:
                if b.blank:
                    continue
                c0, c1 = _free(owner, r, ucol[b.c0], max(ucol[b.c1], ucol[b.c0] + 1))
                if c1 > c0:
                    place(GridCell(b.text, r, c0, b.rowspan, c1 - c0, b.page, _bbox(b)))
                else:  # its place is taken: keep the text with the cell there
                    taken = owner[(r, c0)]
                    taken.text = join_lines([taken.text, b.text])
            labels = [owner[(r, c)] for c in range(label_end) if (r, c) in owner]
            row_label = max((c for c in labels if c.row == r), key=lambda c: c.col, default=None)
            if row_label is not None:
                end = row_label.col + row_label.colspan
                if all((r, c) not in owner for c in range(end, label_end)) and end < label_end:
                    row_label.colspan = label_end - row_label.col
                    for c in range(end, label_end):
                        owner[(r, c)] = row_label
                row_labels.add(id(row_label))
                # A group label above spans down over the label columns this row leaves
                # empty; a row's own label never does.
                for c in range(row_label.col):
                    above = owner.get((r - 1, c))
                    if (
                        (r, c) not in owner
                        and above is not None
                        and id(above) not in row_labels
                        and above.col + above.colspan <= label_end
                    ):
                        grow(above, r)
            for k in range(part.n_labels, len(part.bounds) - 1):
                c0, c1 = ucol[k], ucol[k + 1]
                if c1 > c0 and all((r, c) not in owner for c in range(c0, c1)):
                    place(GridCell("", r, c0, 1, c1 - c0, page, (xs[c0], top, xs[c1], bottom)))
        row += len(bands)
    if not cells:
        return None
    first = [c for c in cells if c.page == cells[0].page]
    last_page = max(c.page for c in cells)
    last = [c for c in cells if c.page == last_page]
    return PageGrid(
        cells[0].page,
        _span(first),
        xs,
        row,
        cells,
        last_page,
        _span(last),
    )


def _free(owner: dict, r: int, c0: int, c1: int) -> tuple[int, int]:
    """The longest run of free slots of row r within [c0, c1), or (c0, c0) if none."""
    best = (c0, c0)
    start = None
    for c in range(c0, c1 + 1):
        if c < c1 and (r, c) not in owner:
            start = c if start is None else start
        elif start is not None:
            if c - start > best[1] - best[0]:
                best = (start, c)
            start = None
    return best


def _bbox(b: _Block) -> tuple[float, float, float, float]:
    return (b.x0, b.top, b.x1, b.bottom)


def _span(cells: list[GridCell]) -> tuple[float, float, float, float]:
    return (
        min(c.bbox[0] for c in cells),
        min(c.bbox[1] for c in cells),
        max(c.bbox[2] for c in cells),
        max(c.bbox[3] for c in cells),
    )
