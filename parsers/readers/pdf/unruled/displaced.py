"""Figures printed off their label's line: a row's label and figures joined by where they sit.

WPS sets a row's figures at the top of their cells and its label a line or two lower (the
label cell opens with a blank line, in a row made tall by a group label beside it): the
line of figures then has no label beside it, and the label no figure beside it. Taken line
by line, each would be a row of its own, the label's a row of empty cells.

A line of figures with no label of its own joins the row whose label its box overlaps.
Otherwise it joins the label that the table's other such lines point to: every one of them
the same height above (or every one below) the nearest label, no label taking two, and no
figure landing in a column its row already fills. Where neither pairing (all above, all
below) fits every such line, or both do, neither those figures nor the labels they may
belong to get value cells: the rows are read as missing, never as empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.readers.pdf.settings import TextGridSettings
from parsers.readers.pdf.unruled.stacks import Band, Part, Stack


def row_labels(band: Band, part: Part) -> list[Stack]:
    """The row's own labels (in the label columns; group labels beside it left out)."""
    return [b for b in band.blocks if b.label and not b.group and b.c1 <= part.n_labels]


@dataclass
class _Rows:
    """The rows being joined: which have a label of their own, the first row of figures
    (`start`; lines above it are the header's), the lines joined so far (line -> row),
    each row's figure columns, and the table's font size."""

    bands: list[Band]
    part: Part
    labelled: list[bool]
    start: int
    into: dict[int, int]
    cols: dict[int, set[int]]
    size: float

    def next(self, i: int, step: int) -> int | None:
        """The nearest row in direction `step` on the page of row `i`, passing over lines
        already joined to a row."""
        j = i + step
        while self.start <= j < len(self.bands) and self.bands[j].page == self.bands[i].page:
            if j not in self.into:
                return j
            j += step
        return None


def join_displaced(
    bands: list[Band], part: Part, s: TextGridSettings
) -> tuple[list[Band], set[int]]:
    """The rows with each line of figures printed off its label's line joined to its label's
    row, and the rows (indexes into the rows returned) whose figures have no certain row."""
    if not part.n_labels:
        return bands, set()
    labelled = [bool(row_labels(x, part)) for x in bands]
    start = next((i for i, x in enumerate(bands) if x.values()), len(bands))
    orphans = [i for i in range(start, len(bands)) if bands[i].values() and not labelled[i]]
    if not orphans:
        return bands, set()
    size = min(b.size for x in bands for b in x.blocks)
    rows = _Rows(
        bands, part, labelled, start, {}, {i: x.columns() for i, x in enumerate(bands)}, size
    )
    for i in orphans:
        hits = [
            j
            for j in range(start, len(bands))
            if labelled[j]
            and bands[j].page == bands[i].page
            and _overlaps(bands[i], bands[j], part) > s.figure_overlap * size
        ]
        if len(hits) == 1 and not rows.cols[i] & rows.cols[hits[0]]:
            rows.into[i] = hits[0]
            rows.cols[hits[0]] = rows.cols[hits[0]] | rows.cols[i]
    rest = [i for i in orphans if i not in rows.into]
    unsure: set[int] = set()
    if rest:
        # Pairing every line with the label below it, or every one with the label above:
        # taken only when exactly one of the two fits.
        fits = [p for p in (_pairing(rows, rest, step, s) for step in (1, -1)) if p is not None]
        if len(fits) == 1:
            rows.into.update(fits[0])
        else:
            unsure = _suspects(rows, rest)
    return _merge(bands, rows.into, unsure)


def _overlaps(orphan: Band, band: Band, part: Part) -> float:
    """How far the orphan's figures overlap the row's label vertically (the most of any)."""
    return max(
        min(v.bottom, x.bottom) - max(v.top, x.top)
        for v in orphan.values()
        for x in row_labels(band, part)
    )


def _label_top(band: Band, part: Part) -> float:
    return min(x.top for x in row_labels(band, part))


def _pairing(rows: _Rows, rest: list[int], step: int, s: TextGridSettings) -> dict[int, int] | None:
    """Each line of figures joined to the nearest label in direction `step`, or None when
    that does not fit them all: a line with no label there, a label taken twice, a column
    filled twice, or the lines not all the same height from their labels."""
    out: dict[int, int] = {}
    offsets: list[float] = []
    for i in rest:
        j = rows.next(i, step)
        if j is None or not rows.labelled[j] or j in out.values() or rows.cols[i] & rows.cols[j]:
            return None
        offset = _label_top(rows.bands[j], rows.part) - rows.bands[i].top
        if abs(offset) > s.displaced_reach * rows.size:
            return None
        out[i] = j
        offsets.append(offset)
    if (
        len(out) < s.displaced_rows
        or max(offsets) - min(offsets) > s.displaced_tolerance * rows.size
    ):
        return None
    return out


def _suspects(rows: _Rows, rest: list[int]) -> set[int]:
    """Lines of figures with no certain row, with the labelled rows beside them that could
    own them (no figure in their columns); none where no such row is beside them."""
    out: set[int] = set()
    for i in rest:
        for step in (1, -1):
            j = rows.next(i, step)
            while j is not None and j in rest:
                j = rows.next(j, step)
            if j is not None and rows.labelled[j] and not rows.cols[i] & rows.cols[j]:
                out.update((i, j))
    return out


def _merge(
    bands: list[Band], into: dict[int, int], unsure: set[int]
) -> tuple[list[Band], set[int]]:
    """The rows with joined lines moved into their rows (in page order), and `unsure` as
    indexes into them (never a joined line)."""
    for i, j in into.items():
        for b in bands[i].blocks:
            bands[j].add(b)
        bands[j].lines += bands[i].lines
    kept = [i for i in range(len(bands)) if i not in into]
    kept.sort(key=lambda i: (bands[i].page, bands[i].top))
    at = {i: k for k, i in enumerate(kept)}
    return [bands[i] for i in kept], {at[i] for i in unsure}
