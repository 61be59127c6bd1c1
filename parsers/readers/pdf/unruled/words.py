"""Words of a line: glyphs cut where the gap between them is a cell's, never inside a figure.

A line whose glyphs leave a gap wider than a space is cut into words, each a cell's line of
text. Digits are cut apart at any visible gap: a number is printed without one, so two
numbers side by side are two cells and never one (1 | 12 is not 112). Where other rows start
a column, a word running over that start is cut there too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parsers.readers.pdf.lines import DIGITS, ENUMERATED, FIGURE_MARKS, Glyph, is_cjk, line_text
from parsers.readers.pdf.settings import TextGridSettings, TextSettings
from parsers.values import read_value

# What a number is printed with: digits (half or full width), dashes for "none".
_VALUE_CHARS = DIGITS | frozenset("-—－–―")


@dataclass
class Seg:
    """Glyphs of one line with no wide gap: a cell's line of text (blank: a spacer glyph)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str
    blank: bool
    numeric: bool
    glyphs: tuple[Glyph, ...] = ()

    @property
    def ocr(self) -> bool:
        """Whether the word was read by OCR (its box is then only roughly its text's)."""
        return bool(self.glyphs) and all(g.font == "ocr" for g in self.glyphs)


@dataclass
class TextLine:
    """A line of glyphs with its words."""

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
        """Whether the line has cells side by side (two words, or a word and a spacer)."""
        return len(self.segs) >= 2 and any(not s.blank for s in self.segs)

    @property
    def ocr(self) -> bool:
        """Whether the line was read by OCR (its size is then only roughly its font's)."""
        return bool(self.glyphs) and all(g.font == "ocr" for g in self.glyphs)

    @property
    def words(self) -> list[Seg]:
        """The words that print something (spacers left out)."""
        return [s for s in self.segs if not s.blank]

    @property
    def values_only(self) -> bool:
        """Whether every word reads as a value: a line of figures beside taller labels."""
        words = self.words
        return bool(words) and all(w.numeric for w in words)


def _value_glyph(g: Glyph) -> bool:
    """Whether a glyph is one a figure is printed with (a digit or a dash)."""
    return g.text[-1:] in _VALUE_CHARS


def _cuts(a: Glyph, b: Glyph, typed: float, s: TextGridSettings) -> bool:
    """Whether two neighbouring printed glyphs belong to different cells.

    `typed` is the width of the space glyphs printed between them: a gap such spaces fill
    is a space typed in the cell's text ('自 然 人'), not the gap between two cells.
    """
    size = max(a.size, b.size)
    gap = b.x0 - a.x1
    if _value_glyph(a) and b.text[:1] in _VALUE_CHARS and gap >= s.digit_gap * size:
        return True
    # Spaces filling the gap (all but a digit gap of it), narrower than a column gap.
    if typed and gap - typed < s.digit_gap * size and typed < s.column_gap * size:
        return False
    a_cjk, b_cjk = is_cjk(a.text[-1:]), is_cjk(b.text[:1])
    if a_cjk and b_cjk:
        limit = s.cjk_gap
    elif a_cjk or b_cjk:
        limit = s.mixed_gap
    else:
        limit = s.column_gap
    return gap >= limit * size


def make_seg(run: list[Glyph], page: int, text: TextSettings) -> Seg:
    """A word from its glyphs (a run of spaces is a blank word)."""
    t = line_text(run, text)
    blank = not t.strip()
    rv = read_value(t) if t else None
    return Seg(
        page,
        run[0].x0,
        min(g.top for g in run),
        run[-1].x1,
        max(g.bottom for g in run),
        max(g.size for g in run),
        t,
        blank,
        not blank and rv is not None and rv.status in ("ok", "dash"),
        tuple(run),
    )


def split_line(glyphs: list[Glyph], page: int, text: TextSettings, s: TextGridSettings) -> TextLine:
    """A line cut into words where the gap between printed glyphs is wide.

    Spaces inside a word stay in it; spaces standing alone in a wide gap (a no-break space
    in an empty cell) become a blank word, so the empty cell keeps its place.
    """
    printed = [g for g in glyphs if not g.text.isspace()]
    spaces = [g for g in glyphs if g.text.isspace()]
    runs: list[list[Glyph]] = []
    typed = 0.0  # width of the spaces since the last printed glyph (glyphs run left to right)
    for g in sorted(glyphs, key=lambda g: g.x0):
        if g.text.isspace():
            typed += g.x1 - g.x0
            continue
        if not runs or _cuts(runs[-1][-1], g, typed, s):
            runs.append([g])
        else:
            runs[-1].append(g)
        typed = 0.0
    if spaces and runs:
        # Spaces within a word's extent are part of its text.
        for run in runs:
            inner = [g for g in spaces if run[0].x0 <= g.x0 and g.x1 <= run[-1].x1]
            if inner:
                run += inner
                run.sort(key=lambda g: g.x0)
    segs = [make_seg(run, page, text) for run in runs]
    blanks = _blank_segs(spaces, runs, page, text, s)
    if printed:
        # Spacers sit on the line of the text beside them, whatever their boxes say.
        top, bottom = min(g.top for g in printed), max(g.bottom for g in printed)
        for b in blanks:
            b.top, b.bottom = top, bottom
    segs += blanks
    segs.sort(key=lambda x: x.x0)
    sizes = sorted(g.size for g in (printed or glyphs))
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


def _blank_segs(
    spaces: list[Glyph], runs: list[list[Glyph]], page: int, text: TextSettings, s: TextGridSettings
) -> list[Seg]:
    """Spaces standing alone between words, a column gap from each: empty cells."""
    if not spaces:
        return []
    edges = sorted((r[0].x0, r[-1].x1) for r in runs)
    alone: list[list[Glyph]] = []
    for g in sorted(spaces, key=lambda g: g.x0):
        if any(
            x0 - s.column_gap * g.size < g.x1 and g.x0 < x1 + s.column_gap * g.size
            for x0, x1 in edges
        ):
            continue
        if alone and g.x0 - alone[-1][-1].x1 < s.column_gap * g.size:
            alone[-1].append(g)
        else:
            alone.append([g])
    return [make_seg(run, page, text) for run in alone]


def cut_at_starts(
    line: TextLine,
    starts: list[float],
    text: TextSettings,
    s: TextGridSettings,
    figures: float | None = None,
) -> None:
    """Words cut where a glyph starts a column other rows start, after a visible gap.

    Narrow columns leave narrow gaps ('（三）不予公' | '4.保护…'); where the rows above and
    below start a column, a glyph starting there after any gap opens a new cell. Where the
    figures start (`figures`), a digit after text opens a new cell even with no gap at all
    ('继续办理0' in a table set without cell padding): a label never runs into the figures.
    So does the figure that ends a word when it stands mostly past where the figures start
    (OCR read a label and the figure beside it as one text, and gives the figure's place
    only as a share of the text's: '禁止公開0'; a text layer's glyphs are placed exactly, so
    there it is the rule above).
    """
    if not starts and figures is None:
        return
    out: list[Seg] = []
    for seg in line.segs:
        if seg.blank or len(seg.glyphs) < 2:
            out.append(seg)
            continue
        tail = _figures_ending(seg.glyphs, figures, s)
        run: list[Glyph] = [seg.glyphs[0]]
        printed = run[0]
        for g in seg.glyphs[1:]:
            if g.text.isspace():
                run.append(g)
                continue
            tol = s.start_tolerance * g.size
            gap = s.split_mixed_gap if _spaced(printed, g) else s.split_gap
            at_figures = (
                figures is not None
                and (abs(g.x0 - figures) <= tol or g is tail)
                and _value_glyph(g)
                and not _value_glyph(printed)
            )
            if at_figures or (
                g.x0 - printed.x1 >= gap * g.size and any(abs(g.x0 - x) <= tol for x in starts)
            ):
                out.append(make_seg(_trim(run), line.page, text))
                run = [g]
            else:
                run.append(g)
            printed = g
        out.append(make_seg(_trim(run), line.page, text))
    line.segs = out


def join_pieces(
    line: TextLine,
    lefts: list[float],
    figures: float | None,
    text: TextSettings,
    s: TextGridSettings,
) -> None:
    """Words of one label that OCR read in two pieces joined again ('不再处' |
    '理其政府信息公开申请', one line of a wrapped label that a wide space parted; two pieces
    under a label's first line would take it for a header over two cells): left of the
    figures, the second less than a column gap after the first, starting where no other
    word of the table does (`lefts`: every word's left edge) and not opening an enumerated
    label of its own ('2.…'). A text layer's words are as printed."""
    if figures is None or not line.ocr:
        return
    out: list[Seg] = []
    for seg in line.segs:
        last = out[-1] if out else None
        tol = s.start_tolerance * seg.size
        if (
            last is not None
            and all(not x.blank and not x.numeric and x.ocr for x in (last, seg))
            and seg.x1 <= figures
            and seg.x0 - last.x1 < s.column_gap * seg.size
            and sum(abs(seg.x0 - x) <= tol for x in lefts) < 2
            and not ENUMERATED.match(seg.text)
        ):
            out[-1] = make_seg([*last.glyphs, *seg.glyphs], line.page, text)
        else:
            out.append(seg)
    line.segs = out


def _figures_ending(
    glyphs: Sequence[Glyph], figures: float | None, s: TextGridSettings
) -> Glyph | None:
    """The first glyph of the figure (digits and dashes, points and commas between) that
    ends a word of text, when the word starts left of where the figures start and that
    figure's middle lies past it (less the start tolerance), in a text layer as in OCR. The
    figure is all of it ('公开1.5' gives 1.5, never 5); a word that starts among the figures
    ('5（其中修订3件）') is a value's."""
    if figures is None:
        return None
    tol = s.start_tolerance * glyphs[0].size
    if glyphs[0].x0 >= figures - tol:
        return None
    k = len(glyphs)
    while k > 0 and (_value_glyph(glyphs[k - 1]) or glyphs[k - 1].text in FIGURE_MARKS):
        k -= 1
    while k < len(glyphs) and not _value_glyph(glyphs[k]):
        k += 1
    if k == 0 or k == len(glyphs):
        return None
    middle = (glyphs[k].x0 + glyphs[-1].x1) / 2
    return glyphs[k] if middle >= figures - tol else None


def _spaced(a: Glyph, b: Glyph) -> bool:
    """Whether a typesetter puts space between the two inside a word: CJK text next to a
    Latin letter or digit (not next to punctuation such as a closing quote)."""
    x, y = a.text[-1:], b.text[:1]
    return (is_cjk(x) and y.isalnum() and not is_cjk(y)) or (
        is_cjk(y) and x.isalnum() and not is_cjk(x)
    )


def _trim(run: list[Glyph]) -> list[Glyph]:
    """A run without the spaces at its ends."""
    i, j = 0, len(run)
    while i < j - 1 and run[i].text.isspace():
        i += 1
    while j - 1 > i and run[j - 1].text.isspace():
        j -= 1
    return run[i:j]


def column_starts(lines: list[TextLine], s: TextGridSettings) -> list[float]:
    """Left edges shared by enough words of a table, of different lengths, to be where a
    column starts (text set flush left). Words of one length sharing a left edge may be
    centred ('0', '1' in a column of figures) and say nothing about where the column starts.
    """
    words = sorted((w for line in lines for w in line.words), key=lambda w: w.x0)
    if not words:
        return []
    size = min(x.size for x in lines)
    tol = s.start_tolerance * size
    out: list[float] = []
    group: list[Seg] = [words[0]]
    for w in [*words[1:], None]:
        if w is not None and w.x0 - group[-1].x0 <= tol:
            group.append(w)
            continue
        ends = [x.x1 for x in group]
        if len(group) >= s.start_votes and max(ends) - min(ends) >= s.start_spread * size:
            out.append(group[len(group) // 2].x0)
        if w is not None:
            group = [w]
    return out
