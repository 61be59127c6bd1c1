"""Columns of an unruled table: its parts, label columns by left edge, value columns by values.

Section 二 prints four small tables in one, each with its own caption, header and columns:
a part starts at a banner (a lone centred line) or at a header line below values. In a part,
label columns start where row labels start; value columns are where values sit, and a
header word over no value adds a column of empty cells.
"""

from __future__ import annotations

import itertools

from parsers.readers.pdf.ruled import boundaries
from parsers.readers.pdf.settings import TextGridSettings
from parsers.readers.pdf.unruled.stacks import Part, Stack, is_unit
from parsers.readers.pdf.unruled.words import Seg, TextLine


def split_parts(lines: list[TextLine], x0: float, x1: float, s: TextGridSettings) -> list[Part]:
    """The table's parts: each starts at a banner, or at a header line below values.

    Section 二 prints four small tables in one: each has its own caption and header row
    and its own columns. A caption centred over the table is a banner; one printed at the
    left is known by the header line under it, which names columns where values were.
    """
    zone = min((w.x0 for x in lines for w in x.words if w.numeric), default=x1)
    parts: list[Part] = [Part(None)]
    held: list[list[Seg]] = [[]]  # each part's lines, as lists of words
    valued = False
    for line in lines:
        w = line.words
        if len(line.segs) == 1 and len(w) == 1 and _banner(w[0], x0, x1, s):
            parts.append(Part(Stack([w[0]])))
            held.append([])
            valued = False
            continue
        if valued and _header(line, zone, s):
            # The lone lines right above belong to the new part: its caption, header words.
            moved: list[list[Seg]] = []
            lines_before = held[-1]
            while lines_before and not any(x.numeric for x in lines_before[-1]):
                last = lines_before.pop()
                moved.insert(0, last)
                if len(last) != 1 or last[0].x0 < zone - s.column_tolerance * last[0].size:
                    break
            parts.append(Part(None))
            held.append(moved)
            valued = False
        held[-1].append(line.segs)
        valued = valued or any(x.numeric for x in w)
    for part, words in zip(parts, held, strict=True):
        part.blocks = [Stack([seg]) for segs in words for seg in segs]
    return parts


def _header(line: TextLine, zone: float, s: TextGridSettings) -> bool:
    """A line naming columns: words over the values, and no value (nor a value's unit)."""
    w = line.words
    return (
        bool(w)
        and not any(x.numeric or is_unit(x) for x in w)
        and any(x.x0 >= zone - s.column_tolerance * x.size for x in w)
    )


def _banner(seg: Seg, x0: float, x1: float, s: TextGridSettings) -> bool:
    """A caption centred over the table (not a figure, nor a unit wrapped under one)."""
    middle, width = (x0 + x1) / 2, x1 - x0
    if seg.numeric or seg.blank or is_unit(seg):
        return False
    return abs((seg.x0 + seg.x1) / 2 - middle) <= s.banner_center * width and (
        seg.x0 > x0 + s.banner_indent * seg.size
    )


def find_columns(part: Part, x0: float, x1: float, s: TextGridSettings) -> None:
    """Column bounds of a part: label columns by left edge, value columns by the values."""
    blocks = part.blocks
    if not blocks:
        part.bounds, part.n_labels = [x0, x1], 0
        return
    size = min(b.size for b in blocks)
    inset = s.column_inset * size
    values: list[list[float]] = []
    for b in sorted((b for b in blocks if not b.label), key=lambda b: b.x0):
        if values and b.x0 <= values[-1][1]:
            values[-1][1] = max(values[-1][1], b.x1)
        else:
            values.append([b.x0, b.x1])
    zone = values[0][0] - inset if values else (x0 if part.empty_row else x1)
    # Row labels sit beside the values, not only above them: a table whose words left of
    # the values are all header (section 四's) has no label column, and its first columns
    # may simply be empty in the value row.
    body = min((b.top for b in blocks if b.numeric), default=None)
    if body is not None:
        row_labels = [b for b in blocks if b.label and b.x0 < zone and b.bottom > body]
        if not row_labels:
            zone = x0
        else:
            # A header word right of every row label and of another header word on its line
            # (the label column's own) heads a value column, though no value below it is
            # printed (a column of empty cells).
            end = max(b.x1 for b in row_labels)
            heads = [
                b.x0
                for b in blocks
                if b.label
                and b.bottom <= body
                and b.x0 > end
                and any(
                    min(x.bottom, b.segs[0].bottom) - max(x.top, b.top) > inset
                    and x.x1 < b.x0
                    and x.x0 < end
                    for c in blocks
                    if c.label
                    for x in c.segs
                )
            ]
            zone = min([zone, *(x - inset for x in heads)])
    # A header word over no value adds a column of its own (one of empty cells); the
    # narrowest first, so that a group header over several is not taken for one.
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
            b.c0 = _col(bounds, b.x0 + inset)
            b.c1 = max(b.c0 + 1, min(part.n_labels, _col(bounds, b.x1 - inset) + 1))
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
    """The column (between `bounds`) that holds `x`; the first or last beyond them."""
    n = len(bounds) - 1
    for c in range(n):
        if x < bounds[c + 1]:
            return c
    return n - 1
