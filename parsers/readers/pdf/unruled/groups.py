"""Group labels beside several rows (三、本年度办理结果 one character a line, （三）不予公开):
which rows each one spans.

A group label is printed in a cell merged over its rows, at the cell's top or centred in
it (on the cell's first page when the rows run over a page break). In a label column, the
rows whose own labels start right of it, beside the same groups further left, are shared
out among that column's group labels there: each takes a run of consecutive rows, the next
starting where it ends. The share is taken only when exactly one fits every label (each
at the top of its rows or centred on them); otherwise a label spans the rows it overlaps.
"""

from __future__ import annotations

from parsers.readers.pdf.settings import TextGridSettings
from parsers.readers.pdf.unruled.displaced import row_labels
from parsers.readers.pdf.unruled.stacks import Band, Part, Stack


def span_groups(part: Part, bands: list[Band], s: TextGridSettings) -> None:
    """Each group label's first row (`band`) and `rowspan`."""
    start = next((i for i, x in enumerate(bands) if x.values()), len(bands))
    owner: dict[tuple[int, int], int] = {}  # (row, column) -> id of the group spanning it
    placed: set[int] = set()
    for c in range(part.n_labels):
        groups = sorted(
            (b for b in part.blocks if b.group and b.c0 == c), key=lambda b: (b.page, b.top)
        )
        if not groups:
            continue
        free = [
            i for i in range(start, len(bands)) if all(x.c0 > c for x in row_labels(bands[i], part))
        ]
        context = {i: tuple(owner.get((i, k)) for k in range(c)) for i in free}
        for run in _runs(free, context):
            rows = [bands[i] for i in run]
            inside = [g for g in groups if _within(g, rows)]
            if not inside:
                continue
            found = _tilings(inside, rows, s)
            if len(found) != 1:
                continue
            for g, (a, b) in zip(inside, found[0], strict=True):
                g.band, g.rowspan = run[a], b - a + 1
                placed.add(id(g))
                for i in run[a : b + 1]:
                    owner[i, c] = id(g)
    for g in part.blocks:
        if g.group and id(g) not in placed:
            _by_overlap(g, bands, s)


def _runs(free: list[int], context: dict[int, tuple]) -> list[list[int]]:
    """Runs of consecutive rows beside the same groups further left."""
    out: list[list[int]] = []
    for i in free:
        if out and out[-1][-1] == i - 1 and context[i] == context[i - 1]:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _within(g: Stack, rows: list[Band]) -> bool:
    """Whether a label's middle lies between the first row's top and the last row's bottom."""
    middle = (g.page, (g.top + g.bottom) / 2)
    return (rows[0].page, rows[0].top) <= middle <= (rows[-1].page, rows[-1].bottom)


def _fits(g: Stack, rows: list[Band], s: TextGridSettings) -> bool:
    """Whether a label is printed at the top of these rows or centred on them (on its page)."""
    mine = [x for x in rows if x.page == g.page]
    if not mine:
        return False
    top, bottom = mine[0].top, max(x.bottom for x in mine)
    tol = s.group_align * g.size
    if g.top < top - tol or g.bottom > bottom + tol:
        return False
    return abs(g.top - top) <= tol or abs((g.top + g.bottom) / 2 - (top + bottom) / 2) <= tol


def _tilings(
    groups: list[Stack], rows: list[Band], s: TextGridSettings
) -> list[list[tuple[int, int]]]:
    """The ways (at most two) of sharing the rows out among the labels, in order, each a
    run [a, b] it fits.

    A label lies within its own rows (they start no lower than it), so a label's run ends
    above the next label, and the last label's run ends with the rows; the shares from each
    label and row on are worked out once, so the search grows with rows times labels, not
    exponentially (a table of 14 labels over 70 rows: 430 trials of a run, not 138,570).
    """
    n, last = len(rows), len(groups) - 1
    memo: dict[tuple[int, int], list[list[tuple[int, int]]]] = {}

    def share(k: int, a: int) -> list[list[tuple[int, int]]]:
        if k > last:
            return [[]] if a == n else []
        if (k, a) in memo:
            return memo[k, a]
        out: list[list[tuple[int, int]]] = []
        for b in range(n - 1 if k == last else a, n - (last - k)):
            if k < last and not _may_start(groups[k + 1], rows[b + 1], s):
                break
            if _fits(groups[k], rows[a : b + 1], s):
                out += [[(a, b), *rest] for rest in share(k + 1, b + 1)]
            if len(out) > 1:
                break
        memo[k, a] = out[:2]
        return memo[k, a]

    return share(0, 0)


def _may_start(g: Stack, row: Band, s: TextGridSettings) -> bool:
    """Whether a label's rows may start at this row: it is on an earlier page than the
    label, or not lower on the label's page (rows after it are lower still)."""
    return (row.page, row.top - s.group_align * g.size) <= (g.page, g.top)


def _by_overlap(g: Stack, bands: list[Band], s: TextGridSettings) -> None:
    """A label with no certain share: the rows it overlaps (or the nearest row)."""
    hits = [
        i
        for i, x in enumerate(bands)
        if x.page == g.page
        and min(g.bottom, x.bottom) - max(g.top, x.top) > s.span_overlap * g.size
    ]
    if hits:
        g.band, g.rowspan = hits[0], hits[-1] - hits[0] + 1
    else:
        same = [i for i, x in enumerate(bands) if x.page == g.page] or [0]
        g.band = min(same, key=lambda i: abs(bands[i].top - g.top))
