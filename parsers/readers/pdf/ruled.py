"""Tables on one PDF page: ruling lines to a grid of cells with spans, and the text in each.

The steps are plain functions over plain values, each keeping its result (pdfplumber's
table finder, narrowed): visible rules → edges → intersections → cell boxes → grid. Only
what a reader sees as a rule counts: stroked lines and rectangles in a colour that is not
white, and filled rectangles thin enough to be a line. WPS paints a white, unstroked
rectangle behind every text line; pdfplumber's default finder takes those for cells.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from pdfplumber.table import (
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    merge_edges,
)
from pdfplumber.utils import obj_to_edges

from parsers.readers.pdf.lines import Glyph, group_lines, join_lines, line_text
from parsers.readers.pdf.settings import GridSettings, TextSettings

Box = tuple[float, float, float, float]


@dataclass
class GridCell:
    """A cell of a page grid: its text and the grid area it covers."""

    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    page: int
    bbox: Box


@dataclass
class PageGrid:
    """A table found on one page (or, after stitching, the pages it runs over)."""

    page: int
    bbox: Box
    xs: list[float]
    n_rows: int
    cells: list[GridCell] = field(default_factory=list)
    # Bottom of the last part, on the page where the grid ends (for stitching).
    last_page: int = 0
    last_bbox: Box = (0.0, 0.0, 0.0, 0.0)
    # False when the cell boundaries were inferred from where the text sits (no ruling).
    ruled: bool = True

    def bottom_cells(self) -> list[GridCell]:
        """Cells reaching the last row."""
        return [c for c in self.cells if c.row + c.rowspan == self.n_rows]

    def row_cells(self, row: int) -> list[GridCell]:
        """Cells whose origin is `row`, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)


def _white(colour: object, level: float) -> bool:
    if not isinstance(colour, tuple | list) or not colour:
        return False
    try:
        values = [float(v) for v in colour]
    except (TypeError, ValueError):
        return False
    if len(values) == 4:  # CMYK: white is no ink
        return all(v <= 1 - level for v in values)
    return all(v >= level for v in values)


def visible_rules(objects: list[dict], settings: GridSettings) -> list[dict]:
    """Lines, rectangles and curves a reader sees as rules: stroked, or thin and filled."""
    out = []
    for obj in objects:
        stroked = obj.get("stroke") and not _white(obj.get("stroking_color"), settings.white_level)
        kind = obj["object_type"]
        if kind == "line":
            if stroked and (obj["top"] == obj["bottom"] or obj["x0"] == obj["x1"]):
                out.append(obj)
        elif kind == "rect":
            thin = min(obj["width"], obj["height"]) <= settings.rule_max_thickness
            filled = obj.get("fill") and not _white(
                obj.get("non_stroking_color"), settings.white_level
            )
            if stroked or (filled and thin):
                out.append(obj)
        elif kind == "curve" and stroked:
            out.append(obj)
    return out


def find_cell_boxes(rules: list[dict], settings: GridSettings) -> list[list[Box]]:
    """Groups of cell boxes formed by the rules, one group per table, top to bottom."""
    edges = [e for obj in rules for e in obj_to_edges(obj) if e.get("orientation") in ("h", "v")]
    if not edges:
        return []
    t = settings
    edges = merge_edges(
        edges, t.snap_tolerance, t.snap_tolerance, t.join_tolerance, t.join_tolerance
    )
    edges = [
        e
        for e in edges
        if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"])
        >= t.edge_min_length
    ]
    edges += close_open_ends(edges, settings)
    points = edges_to_intersections(edges, t.intersection_tolerance, t.intersection_tolerance)
    return cells_to_tables(intersections_to_cells(points))


def close_open_ends(edges: list[dict], settings: GridSettings) -> list[dict]:
    """Rules closing a table left open at a page break: where two or more vertical rules end
    at one height with no horizontal rule there (WPS draws no bottom border on a table that
    carries on over the page), a horizontal rule joining them, so the last row's cells (and a
    group label spanning down to the break) are cells like any other."""
    tol = settings.join_tolerance
    horizontal = [e for e in edges if e["orientation"] == "h"]
    vertical = [e for e in edges if e["orientation"] == "v"]

    def ruled_at(x: float, y: float) -> bool:
        return any(
            abs(h["top"] - y) <= tol and h["x0"] - tol <= x <= h["x1"] + tol for h in horizontal
        )

    def crossings(v: dict) -> int:
        return sum(
            1
            for h in horizontal
            if h["x0"] - tol <= v["x0"] <= h["x1"] + tol and v["top"] < h["top"] < v["bottom"]
        )

    # Only the rules of a grid ruled in rows count (a table ruled in columns only is read as
    # it is: its rows come from its text).
    gridded = [v for v in vertical if crossings(v) >= 2]
    out = []
    for end in ("bottom", "top"):
        open_ends = sorted((v[end], v["x0"]) for v in gridded if not ruled_at(v["x0"], v[end]))
        groups: list[list[tuple[float, float]]] = []
        for y, x in open_ends:
            if groups and y - groups[-1][-1][0] <= tol:
                groups[-1].append((y, x))
            else:
                groups.append([(y, x)])
        for group in groups:
            xs = [x for _, x in group]
            y = sum(y for y, _ in group) / len(group)
            # A rule overshooting the table's border by a hair is no open table.
            near = min((abs(h["top"] - y) for h in horizontal), default=float("inf"))
            if len(group) >= 2 and near >= settings.open_end_min_row:
                out.append(
                    {
                        "x0": min(xs),
                        "x1": max(xs),
                        "top": y,
                        "bottom": y,
                        "width": max(xs) - min(xs),
                        "height": 0.0,
                        "orientation": "h",
                        "object_type": "line",
                    }
                )
    return out


def boundaries(values: list[float], tolerance: float) -> list[float]:
    """Sorted values with those closer than `tolerance` to the one before dropped."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _index(bounds: list[float], value: float, tolerance: float) -> int:
    """The grid line nearest `value`."""
    i = bisect_right(bounds, value + tolerance) - 1
    return max(0, i)


def build_grid(
    boxes: list[Box],
    glyphs: list[Glyph],
    page: int,
    text: TextSettings,
    settings: GridSettings,
) -> PageGrid | None:
    """A grid from one group of cell boxes, each cell holding the glyphs inside it.

    A merged cell is one cell with a rowspan or colspan. A grid slot no box covers (ruling
    missing there) becomes a cell of its own, so no text inside the table is lost.
    """
    tol = settings.boundary_tolerance
    xs = boundaries([v for b in boxes for v in (b[0], b[2])], tol)
    ys = boundaries([v for b in boxes for v in (b[1], b[3])], tol)
    if len(xs) - 1 < settings.min_cols:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    slots: dict[tuple[int, int], int] = {}
    spans: list[tuple[int, int, int, int]] = []
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        c0, c1 = _index(xs, b[0], tol), _index(xs, b[2], tol)
        r0, r1 = _index(ys, b[1], tol), _index(ys, b[3], tol)
        if c1 <= c0 or r1 <= r0 or (r0, c0) in slots:
            continue
        for r in range(r0, r1):
            for c in range(c0, c1):
                slots.setdefault((r, c), len(spans))
        spans.append((r0, c0, r1 - r0, c1 - c0))
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) not in slots:
                slots[(r, c)] = len(spans)
                spans.append((r, c, 1, 1))
    if max(sum(1 for s in spans if s[0] == r) for r in range(n_rows)) < 2:
        return None
    held: list[list[Glyph]] = [[] for _ in spans]
    for g in glyphs:
        r = bisect_right(ys, (g.top + g.bottom) / 2) - 1
        c = bisect_right(xs, (g.x0 + g.x1) / 2) - 1
        if 0 <= r < n_rows and 0 <= c < n_cols:
            held[slots[(r, c)]].append(g)
    cells = [
        GridCell(
            cell_text(held[i], text, xs[c + cs] - xs[c] - 2 * settings.cell_padding),
            r,
            c,
            rs,
            cs,
            page,
            (xs[c], ys[r], xs[c + cs], ys[r + rs]),
        )
        for i, (r, c, rs, cs) in enumerate(spans)
    ]
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return PageGrid(page, bbox, xs, n_rows, cells, page, bbox)


def cell_text(glyphs: list[Glyph], settings: TextSettings, width: float | None = None) -> str:
    """A cell's lines joined: '商业企' + '业' is '商业企业', one character a line is a word.

    Figures on two lines are one figure only when the first line is full: its text and the
    next line's first character would not fit the cell's `width` ('８' over '４９件' in a
    narrow cell). Otherwise they are two figures (a rule between two rows is missing), kept
    on separate lines so that the cell reads as two values, never as one ('1' over '12').
    """
    lines = group_lines(glyphs)
    texts = [line_text(line, settings) for line in lines]
    groups: list[list[str]] = []
    for i, t in enumerate(texts):
        if groups and not (
            width is not None
            and _has_digits(texts[i - 1])
            and _has_digits(t)
            and _room(lines[i - 1], lines[i], width)
        ):
            groups[-1].append(t)
        else:
            groups.append([t])
    return "\n".join(join_lines(g) for g in groups)


def _room(above: list[Glyph], below: list[Glyph], width: float) -> bool:
    """Whether the first glyph of `below` would have fitted on the line `above` (no wrap)."""
    first = min(below, key=lambda g: g.x0)
    used = max(g.x1 for g in above) - min(g.x0 for g in above)
    return used + (first.x1 - first.x0) <= width


def _has_digits(text: str) -> bool:
    """Whether a line of a cell holds digits: a figure or a piece of one."""
    return any(ch.isdigit() for ch in text)


def inside(glyph: Glyph, bbox: Box) -> bool:
    """Whether a glyph's centre lies in a box."""
    x, y = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]
