"""Lines of a page cut at wide gaps, and the runs of them that form a table without ruling.

A line whose glyphs leave a gap wider than a space is cut into segments, each a cell's line
of text. Runs of lines with two or more segments at one font size (and the lone lines among
them: banners, wrapped labels, header cells) are an unruled table's region; a table that ends
a page carries on with the lines of the same size that open the next.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from parsers.pdf_text import Glyph, TextSettings, is_cjk, line_text
from parsers.values import read_value

# A line opening with a section numeral (三、) and nothing beside it is a heading.
_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]")


@dataclass(frozen=True)
class TextGridSettings:
    """Thresholds of unruled table finding, in multiples of the font size unless named."""

    # A gap at least this wide separates two cells: between CJK glyphs, and otherwise.
    cjk_gap: float = 0.35
    column_gap: float = 0.5
    # Lines of one cell are at most this far apart; lines of one table at most `row_gap`.
    cell_line_gap: float = 0.6
    row_gap: float = 3.5
    # Font sizes differing by at most this share are one size.
    size_tolerance: float = 0.15
    # A table has at least this many lines of two or more segments.
    min_tabular_lines: int = 3
    # Label blocks whose left edges are this close start one column.
    column_tolerance: float = 1.0
    # A lone line centred within this share of the table's width is a banner row.
    banner_center: float = 0.08
    # A lone line at least this share of the page's text width is prose, not a table row.
    prose_width: float = 0.8

    def __post_init__(self) -> None:
        for name in ("cjk_gap", "column_gap", "cell_line_gap", "row_gap", "column_tolerance"):
            if getattr(self, name) <= 0:
                raise ValueError(f"TextGridSettings.{name} must be positive")
        for name in ("size_tolerance", "banner_center", "prose_width"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"TextGridSettings.{name} must be between 0 and 1")
        if self.min_tabular_lines < 1:
            raise ValueError("TextGridSettings.min_tabular_lines must be at least 1")


@dataclass
class Seg:
    """Glyphs of one line with no wide gap: a cell's line of text."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str
    blank: bool
    numeric: bool


@dataclass
class TextLine:
    """A line of glyphs with its segments."""

    page: int
    glyphs: list[Glyph]
    segs: list[Seg]
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def tabular(self) -> bool:
        return len(self.segs) >= 2 and any(not s.blank for s in self.segs)

    @property
    def words(self) -> list[Seg]:
        return [s for s in self.segs if not s.blank]


def split_line(glyphs: list[Glyph], page: int, text: TextSettings, s: TextGridSettings) -> TextLine:
    """A line cut into segments where the gap between glyphs is wide."""
    runs: list[list[Glyph]] = [[glyphs[0]]]
    for a, b in itertools.pairwise(glyphs):
        both_cjk = is_cjk(a.text[:1]) and is_cjk(b.text[:1])
        gap = (s.cjk_gap if both_cjk else s.column_gap) * max(a.size, b.size)
        if b.x0 - a.x1 >= gap or (a.text.isspace() != b.text.isspace()):
            runs.append([b])
        else:
            runs[-1].append(b)
    segs = []
    for run in runs:
        t = line_text(run, text)
        blank = not t.strip()
        if blank and any(not g.text.isspace() for g in run):
            continue
        rv = read_value(t) if t else None
        segs.append(
            Seg(
                page,
                run[0].x0,
                min(g.top for g in run),
                run[-1].x1,
                max(g.bottom for g in run),
                max(g.size for g in run),
                t,
                blank,
                rv is not None and rv.status in ("ok", "dash"),
            )
        )
    # Spaces between two words of one cell are not cells.
    segs = [
        x
        for i, x in enumerate(segs)
        if not (x.blank and 0 < i < len(segs) - 1 and x.x1 - x.x0 < 0.2 * x.size)
    ]
    sizes = sorted(g.size for g in glyphs)
    return TextLine(
        page,
        glyphs,
        segs,
        min(g.x0 for g in glyphs),
        min(g.top for g in glyphs),
        max(g.x1 for g in glyphs),
        max(g.bottom for g in glyphs),
        sizes[len(sizes) // 2],
    )


def find_regions(lines: list[TextLine], s: TextGridSettings) -> list[tuple[int, int]]:
    """Index ranges [start, end) of the lines that form unruled tables on one page."""
    if not lines:
        return []
    width = max(x.x1 for x in lines) - min(x.x0 for x in lines)
    out: list[tuple[int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].tabular:
            i += 1
            continue
        size = lines[i].size
        j = i + 1
        while j < n and _fits(lines[j - 1], lines[j], size, s) and not _prose(lines[j], width, s):
            j += 1
        k = i
        floor = out[-1][1] if out else 0
        while (
            k - 1 >= floor
            and _fits(lines[k - 1], lines[k], size, s)
            and not _prose(lines[k - 1], width, s)
            and not _HEADING.match(lines[k - 1].words[0].text if lines[k - 1].words else "")
        ):
            k -= 1
        run = lines[k:j]
        if sum(x.tabular for x in run) >= s.min_tabular_lines and any(
            seg.numeric for x in run for seg in x.words
        ):
            out.append((k, j))
        i = j
    return out


def continuation(lines: list[TextLine], size: float, s: TextGridSettings) -> int:
    """How many lines opening a page carry on a table that ended the page before."""
    if not lines:
        return 0
    width = max(x.x1 for x in lines) - min(x.x0 for x in lines)
    j = 0
    while j < len(lines) and abs(lines[j].size - size) <= s.size_tolerance * size:
        if j and not _fits(lines[j - 1], lines[j], size, s):
            break
        if _prose(lines[j], width, s) or (not lines[j].tabular and _heading(lines[j])):
            break
        j += 1
    return j


def _heading(line: TextLine) -> bool:
    return bool(line.words) and bool(_HEADING.match(line.words[0].text))


def _fits(above: TextLine, line: TextLine, size: float, s: TextGridSettings) -> bool:
    same = abs(line.size - size) <= s.size_tolerance * size
    return same and line.top - above.bottom <= s.row_gap * size


def _prose(line: TextLine, width: float, s: TextGridSettings) -> bool:
    return len(line.segs) == 1 and line.x1 - line.x0 >= s.prose_width * width
