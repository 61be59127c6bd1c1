"""Rows of an unruled table: blocks side by side, and the rows whose figures are uncertain.

A block joins a row when its middle lies within the row's first block, or that block's
middle within it. A group label beside several rows spans them. Values sharing a row and a
column, values of one row on different lines, and values with no row label close to a
labelled row are each marked, so that no figure is read into a row it may not belong to.
"""

from __future__ import annotations

import itertools

from parsers.readers.pdf.settings import TextGridSettings
from parsers.readers.pdf.unruled.displaced import join_displaced
from parsers.readers.pdf.unruled.groups import span_groups
from parsers.readers.pdf.unruled.stacks import Band, Part, Stack, value_pieces


def _overlap(a: Stack, top: float, bottom: float) -> float:
    """How far a block overlaps a height (negative: the gap between them)."""
    return min(a.bottom, bottom) - max(a.top, top)


def find_rows(part: Part, s: TextGridSettings) -> None:
    """Rows of a part as (page, top, bottom); group labels assigned to the rows they span.

    A block joins a row when its middle lies within the row's first block, or that block's
    middle within it: a value centred beside a label of two lines joins it, and the next
    row's line does not. A line of figures printed off its label's line is then joined to
    its label's row (`join_displaced`), and each group label given the rows it spans
    (`span_groups`). Then the rows whose figures cannot be read with certainty are marked
    (`Part.crowded`, `Part.mixed`).
    """
    size = min((b.size for b in part.blocks), default=0.0)
    labels = [b for b in part.blocks if b.label and b.c1 <= part.n_labels]
    for b in labels:
        b.group = any(
            c is not b and c.page == b.page and c.c0 >= b.c1 and _overlap(c, b.top, b.bottom) > 0
            for c in labels
        )
    bands, unsure = join_displaced(_bands(part), part, s)
    for i, band in enumerate(bands):
        for b in band.blocks:
            b.band = i
    span_groups(part, bands, s)
    part.bands = [(x.page, x.top, x.bottom) for x in bands]
    part.mixed |= unsure
    # Values that share a row and a column: the row cannot be read with certainty.
    in_band: dict[int, list[Stack]] = {}
    for i, band in enumerate(bands):
        values = band.values()
        if not values:
            continue
        in_band[i] = values
        per_col: dict[int, int] = {}
        for b in values:
            per_col[b.c0] = per_col.get(b.c0, 0) + len(value_pieces(b))
        for c, k in per_col.items():
            if k > 1:
                part.crowded[c] = max(part.crowded.get(c, 0), k)
        # The values of one line sit on one line (each cell's text centred alike); values
        # on two lines of one row are two rows' values run together, mixed column by column.
        for line in band.lines:
            middles = [b.middle for b in line]
            if middles and max(middles) - min(middles) > s.value_line_tolerance * size:
                part.mixed.add(i)
    _orphans(part, in_band, s)


def _bands(part: Part) -> list[Band]:
    """Blocks side by side, as rows (group labels left out)."""
    bands: list[Band] = []
    anchor: tuple[float, float] = (0.0, 0.0)
    rowed = sorted((b for b in part.blocks if not b.group), key=lambda b: (b.page, b.top, b.bottom))
    for b in rowed:
        # Measured against the row's first block (the shortest of those starting highest),
        # not the row so far: a row grown by one tall cell (a header spanning two header
        # rows) must not swallow the next row's lines.
        if bands and bands[-1].page == b.page and _meets(b, *anchor):
            bands[-1].add(b)
        else:
            bands.append(Band(b.page, b.top, b.bottom, [b]))
            anchor = (b.top, b.bottom)
    for band in bands:
        band.lines = [band.values()]
    return bands


def _orphans(part: Part, in_band: dict[int, list[Stack]], s: TextGridSettings) -> None:
    """Values with no row label of their own, closer to a labelled row of values than rows
    are to each other: lines of one row's wrapped cells, split up. Neither is read."""
    if not part.n_labels:
        return
    labelled = {b.band for b in part.blocks if b.label and not b.group and b.c1 <= part.n_labels}
    middle = {i: (top + bottom) / 2 for i, (_, top, bottom) in enumerate(part.bands)}
    rows = sorted(i for i in in_band if i in labelled)
    pitches = sorted(
        middle[b] - middle[a]
        for a, b in itertools.pairwise(rows)
        if part.bands[a][0] == part.bands[b][0]
    )
    size = min((b.size for b in part.blocks), default=0.0)
    pitch = pitches[len(pitches) // 2] if pitches else s.min_row_pitch * size
    for i in in_band:
        if i in labelled:
            continue
        # Its neighbours lose their figures too, printed or not: a labelled row with no
        # value of its own beside them is as likely the owner of these as empty.
        for j in labelled:
            if (
                j != i
                and part.bands[j][0] == part.bands[i][0]
                and abs(middle[j] - middle[i]) < s.orphan_pitch * pitch
            ):
                part.mixed.update((i, j))


def _meets(b: Stack, top: float, bottom: float) -> bool:
    """Whether a block's middle lies within a height, or the height's middle within it."""
    return top <= b.middle <= bottom or b.top <= (top + bottom) / 2 <= b.bottom
