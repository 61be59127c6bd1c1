"""Runs of lines that form tables without ruling, on a page and over a page break.

Runs of lines with two or more words (and the lone lines among them: banners, wrapped
labels, header cells) are an unruled table's region; a section heading or a line of prose
ends it. A table that ends a page carries on with the lines that open the next. A header
with nothing printed under it but the room of a row heads a row of empty cells.
"""

from __future__ import annotations

import itertools
import re
import statistics

from parsers.headings import match_heading, near_heading
from parsers.readers.pdf.settings import TextGridSettings
from parsers.readers.pdf.unruled.words import TextLine

# A line opening with a section numeral (三、) may be a section heading; only those are
# looked up in the section vocabulary.
_NUMBERED = re.compile(r"^\s*第?[一二三四五六][、.．,，:：部]")


def is_heading_text(text: str) -> bool:
    """Whether a text opens with one of the six section headings (in either script), or is
    one with a few characters lost or changed."""
    if not _NUMBERED.match(text):
        return False
    return any(
        match_heading(text, script) is not None or near_heading(text, script) is not None
        for script in (False, True)
    )


def is_heading(line: TextLine) -> bool:
    """A line that is one of the six section headings: it ends any table above it. Its
    words are read together when none is a figure (OCR parts '三、' from the words after
    it across the gap the enumeration comma leaves)."""
    words = line.words
    if len(words) == 1:
        return is_heading_text(words[0].text)
    return not any(w.numeric for w in words) and is_heading_text("".join(w.text for w in words))


def find_regions(lines: list[TextLine], s: TextGridSettings) -> list[tuple[int, int]]:
    """Index ranges [start, end) of the lines that form unruled tables on one page (the
    last may be a table's start that the next page completes: see `is_table`)."""
    if not lines:
        return []
    width = max(x.x1 for x in lines) - min(x.x0 for x in lines)
    out: list[tuple[int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].tabular or _ends(lines[i], width, s):
            i += 1
            continue
        size = lines[i].size
        j = i + 1
        while j < n and not _ends(lines[j], width, s):
            if _fits(lines[j - 1], lines[j], size, s, loose=True):
                j += 1
            elif j + 1 < n and _bridged_below(lines[i : j + 2], size, width, s):
                j += 2
            else:
                break
            size = _run_size(lines[i:j])
        # Upward, against the first line's size, not the run's median: above a table lies
        # its caption at most, which the median would let join.
        size = lines[i].size
        k = i
        floor = out[-1][1] if out else 0
        while k - 1 >= floor:
            if _joins(lines[k - 1], lines[k], size, width, s):
                k -= 1
            elif k - 2 >= floor and _bridged_above(lines[k - 2 : k + 1], size, width, s):
                k -= 2
            else:
                break
        # A run reaching the page's end may go on over the page: it is judged whole.
        if j == n or is_table(lines[k:j], s) or empty_row(lines[k:j], room_below(lines, j), s):
            out.append((k, j))
        i = j
    return out


def _run_size(run: list[TextLine]) -> float:
    """The size of a table's lines: its first line's, or read by OCR, the median of the
    run's (the height of the box detection draws tells a line's size only roughly: one
    table's 9-point lines came out 7.9 to 10.6 tall)."""
    if not run[0].ocr:
        return run[0].size
    return statistics.median(x.size for x in run)


def _joins(line: TextLine, below: TextLine, size: float, width: float, s: TextGridSettings) -> bool:
    """Whether `line` belongs to the table that `below` is the top line of so far."""
    return (
        _fits(line, below, size, s)
        and (_same_size(line, size, s) or line.values_only or line.tabular)
        and not _ends(line, width, s)
        and not _heading(line)
    )


def _bridged_above(three: list[TextLine], size: float, width: float, s: TextGridSettings) -> bool:
    """Whether a lone line read by OCR between a row of cells above and the table below
    belongs to the table whatever its size says: a box detection drew far too small or
    too tall ('總計' squeezed between two header rows) tells no size."""
    above, lone, below = three
    return (
        lone.ocr
        and above.tabular
        and _joins(above, below, size, width, s)
        and not _ends(lone, width, s)
        and not _heading(lone)
    )


def _bridged_below(run: list[TextLine], size: float, width: float, s: TextGridSettings) -> bool:
    """Whether `run[-2]`, a lone word read by OCR, carries the table `run[:-2]` on to
    `run[-1]` whatever its size says (`_bridged_above`, going down): a wrapped label's last
    character or two ('供', `bridge_max_chars`) that detection drew taller than the table's
    lines, set close under the line above and left of the table's figures."""
    *table, lone, below = run
    above = table[-1]
    figures = [w.x0 for x in table for w in x.words if w.numeric]
    return (
        lone.ocr
        and len(lone.words) == 1
        and len(lone.words[0].text.strip()) <= s.bridge_max_chars
        and lone.size > size
        and lone.top - above.bottom <= s.cell_line_gap * size
        and bool(figures)
        and lone.x1 <= min(figures)
        and _fits(lone, below, size, s, loose=True)
        and not _ends(below, width, s)
        and not _heading(lone)
    )


def is_table(lines: list[TextLine], s: TextGridSettings) -> bool:
    """Whether a run of lines is a table: enough lines of several words, and a value or a
    row of empty cells (a spacer glyph in each, as some typesetters print them)."""
    return sum(x.tabular or _spacers(x) for x in lines) >= s.min_tabular_lines and any(
        _spacers(x) or any(seg.numeric for seg in x.words) for x in lines
    )


def room_below(lines: list[TextLine], end: int) -> float | None:
    """The gap (in font sizes) between line `end - 1` and the next line of the page."""
    if not 0 < end < len(lines):
        return None
    last = lines[end - 1]
    return (lines[end].top - last.bottom) / last.size


def empty_row(lines: list[TextLine], room: float | None, s: TextGridSettings) -> bool:
    """A table header with nothing printed under it but the room a row takes: the row of
    empty cells that typesetters print without a glyph (section 四 with nothing to report)."""
    least = s.ocr_empty_row_gap if lines and lines[-1].ocr else s.empty_row_gap
    return (
        room is not None
        and room >= least
        and sum(x.tabular for x in lines) >= s.min_tabular_lines
        and not any(_spacers(x) or any(seg.numeric for seg in x.words) for x in lines)
    )


def _spacers(line: TextLine) -> bool:
    """A line of two or more empty cells and nothing else."""
    return len(line.segs) >= 2 and not line.words


def continuation(lines: list[TextLine], size: float, s: TextGridSettings) -> int:
    """How many lines opening a page carry on a table that ended the page before."""
    if not lines:
        return 0
    width = max(x.x1 for x in lines) - min(x.x0 for x in lines)
    j = 0
    while j < len(lines) and (
        _same_size(lines[j], size, s, loose=True) or lines[j].values_only or lines[j].tabular
    ):
        if j and not _fits(lines[j - 1], lines[j], size, s, loose=True):
            break
        if _ends(lines[j], width, s):
            break
        j += 1
    return j


def _heading(line: TextLine) -> bool:
    """A lone word numbered as a section is (a heading, or what may be one) heads no table
    below it (a line of several words that reads as a heading is `is_heading`'s)."""
    return len(line.words) == 1 and bool(_NUMBERED.match(line.words[0].text))


def _same_size(line: TextLine, size: float, s: TextGridSettings, loose: bool = False) -> bool:
    """Whether a line is set at `size`. With `loose` (a table's lines going on down the page
    or over a page break, never what may be its caption above it), a line read by OCR, whose
    size is told from the height of the box detection drew, by `ocr_size_tolerance`."""
    tolerance = s.ocr_size_tolerance if loose and line.ocr else s.size_tolerance
    return abs(line.size - size) <= tolerance * size


def _fits(
    above: TextLine, line: TextLine, size: float, s: TextGridSettings, loose: bool = False
) -> bool:
    """Whether `line` can belong to the table `above` is in: near it, and at the table's
    size unless it is a row of cells (some tables print figures, or whole rows, smaller);
    `loose` as in `_same_size`."""
    if line.page != above.page:
        return False
    near = line.top - above.bottom <= s.row_gap * size
    return near and (
        _same_size(line, size, s, loose) or line.tabular or line.values_only or above.values_only
    )


def _ends(line: TextLine, width: float, s: TextGridSettings) -> bool:
    """A line no table holds: a section heading, or prose across the text width."""
    return is_prose(line, width, s) or is_heading(line)


def is_prose(line: TextLine, width: float, s: TextGridSettings) -> bool:
    """A line across the text width whose words are no further apart than words of a
    sentence; read by OCR, also with fewer words of text than a row of header cells has."""
    if line.x1 - line.x0 < s.prose_width * width:
        return False
    if line.ocr and sum(not w.numeric for w in line.words) >= s.prose_max_words:
        return False
    segs = sorted(line.segs, key=lambda w: w.x0)
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(segs)]
    return max(gaps, default=0.0) < s.prose_gap * line.size
