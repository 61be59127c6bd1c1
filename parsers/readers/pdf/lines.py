"""PDF glyphs to text: duplicate removal, lines, CJK spacing, page furniture, paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from parsers.readers.pdf.settings import TextSettings
from parsers.values import read_value


class Glyph(NamedTuple):
    """One printed character (or a `(cid:N)` placeholder) and its box on the page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text on a page."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str


# CJK ideographs, CJK symbols and punctuation, full-width forms.
# Digits a figure is printed with (half and full width), and the marks inside one:
# decimal points and thousands separators.
DIGITS = frozenset("0123456789０１２３４５６７８９")
FIGURE_MARKS = frozenset(".,．，")
CJK = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{CJK}]")
# A space is dropped when one side is CJK and the other is not a Latin letter: CJK text is
# printed without spaces, and '2024 年' is '2024年'.
_SPURIOUS_SPACE = re.compile(
    rf"(?<=[{CJK}])[ \t\u00a0]+(?=[^A-Za-z\s])|(?<=[^A-Za-z\s])[ \t\u00a0]+(?=[{CJK}])"
)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# An enumerator opens a new label: （四） (4) 四、 4. 4、 ④. Text after a break or a wrapped line
# that opens with none carries on the label above it.
ENUMERATED = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．,，]|[①-⑳])"
)
# Page numbers as printed in headers and footers: '- 4 -', '— 4 —', '第4页', '第4页共6页', '4/6'.
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―~〜]*\d{1,4}[-—–－―~〜]*|第\d{1,4}页(?:[/，,]?共\d{1,4}页)?|\d{1,4}/\d{1,4}"
    r"|[Pp]age\d{1,4}(?:of\d{1,4})?)$"
)


def is_cjk(ch: str) -> bool:
    """Whether a character is a CJK ideograph, CJK punctuation or a full-width form."""
    return bool(_CJK_CHAR.match(ch))


def dedupe(glyphs: list[Glyph], tolerance: float) -> list[Glyph]:
    """Drop glyphs printed again at (almost) the same place: fake bold and shadow effects."""
    order = sorted(range(len(glyphs)), key=lambda i: (glyphs[i][0], glyphs[i][6], glyphs[i][2]))
    drop: set[int] = set()
    kept: list[Glyph] = []
    key = None
    for i in order:
        g = glyphs[i]
        k = (g.text, g.font, round(g.size, 1))
        if k != key:
            key, kept = k, []
        kept = [h for h in kept if g.top - h.top <= tolerance]
        if any(abs(g.x0 - h.x0) <= tolerance for h in kept):
            drop.add(i)
        else:
            kept.append(g)
    return [g for i, g in enumerate(glyphs) if i not in drop] if drop else glyphs


def group_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines, top to bottom, each line left to right."""
    lines: list[list[Glyph]] = []
    band: tuple[float, float] | None = None
    for g in sorted(glyphs, key=lambda g: (g.top, g.x0)):
        mid = (g.top + g.bottom) / 2
        if band is not None and band[0] <= mid <= band[1]:
            lines[-1].append(g)
            band = (min(band[0], g.top), max(band[1], g.bottom))
        else:
            lines.append([g])
            band = (g.top, g.bottom)
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return lines


def line_text(glyphs: list[Glyph], settings: TextSettings) -> str:
    """The text of one line: a space where the gap is wide, none between CJK characters."""
    parts: list[str] = []
    right = None
    for g in glyphs:
        if not g.text.strip():
            parts.append(" ")
            continue
        if right is not None and g.x0 - right > settings.space_gap * g.size:
            parts.append(" ")
        parts.append(g.text)
        right = g.x1
    return clean_spaces("".join(parts))


def clean_spaces(text: str) -> str:
    """Runs of spaces to one; spaces next to CJK text dropped."""
    return _SPURIOUS_SPACE.sub("", _SPACES.sub(" ", text)).strip()


def join_lines(texts: list[str]) -> str:
    """Lines of one paragraph or cell as one text: no break inside CJK or inside a number."""
    out = ""
    for t in texts:
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and t[0].isascii() and t[0].isalpha():
            out += " "
        out += t
    return clean_spaces(out)


def make_line(glyphs: list[Glyph], page: int, settings: TextSettings) -> Line | None:
    """One line of text from its glyphs, None when it holds only spaces."""
    text = line_text(glyphs, settings)
    if not text:
        return None
    sizes = sorted(g.size for g in glyphs)
    return Line(
        page,
        min(g.x0 for g in glyphs),
        min(g.top for g in glyphs),
        max(g.x1 for g in glyphs),
        max(g.bottom for g in glyphs),
        sizes[len(sizes) // 2],
        text,
    )


def find_furniture(
    pages: list[list[Line]], heights: list[float], settings: TextSettings
) -> set[tuple[int, float]]:
    """Page headers, footers and page numbers: (page, top) of each such line.

    Only the outermost lines of a page count (`edge_lines` at its top and at its bottom, in
    the margin band): a lone number lower down is a table value, not a page number.
    """
    band_lines = []
    for lines, height in zip(pages, heights, strict=True):
        ordered = sorted(lines, key=lambda x: x.top)
        k = settings.edge_lines
        top = [x for x in ordered[:k] if x.bottom <= settings.margin_band * height]
        bottom = [x for x in ordered[-k:] if x.top >= (1 - settings.margin_band) * height]
        band_lines += top + [x for x in bottom if x not in top]
    per_page: dict[str, set[int]] = {}
    for line in band_lines:
        per_page.setdefault(_shape(line.text), set()).add(line.page)
    shapes = Counter({k: len(v) for k, v in per_page.items()})
    need = max(2, settings.repeat_share * len(pages))
    out = set()
    for line in band_lines:
        compact = re.sub(r"\s+", "", line.text)
        # A running header says something in words; a line of figures repeated at the same
        # place is a table's rows at page breaks, not furniture.
        worded = not _figures(line.text)
        # Two numbers apart ('1    1') are a table's row of figures, never one page number.
        numbers = line.text.split()
        paged = _PAGE_NUMBER.match(compact) and not (
            len(numbers) > 1 and all(t.isdigit() for t in numbers)
        )
        if paged or (len(pages) > 1 and worded and shapes[_shape(line.text)] >= need):
            out.add((line.page, line.top))
    return out


def _figures(text: str) -> bool:
    """Whether a line prints figures (or dashes) and nothing else."""
    return all(read_value(t).status in ("ok", "dash") for t in text.split())


def _shape(text: str) -> str:
    """A header's text with its numbers blanked: '第3页' and '第4页' have one shape."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


@dataclass(frozen=True)
class Margins:
    """Where body text starts and ends on the page, learnt from the document's lines."""

    left: float
    right: float


def body_margins(lines: list[Line]) -> Margins:
    """The most common left edge and the right edge most full lines reach."""
    if not lines:
        return Margins(0.0, 0.0)
    lefts = Counter(round(line.x0) for line in lines)
    left = float(lefts.most_common(1)[0][0])
    rights = sorted(line.x1 for line in lines)
    right = rights[int(0.9 * (len(rights) - 1))]
    return Margins(left, right)


def paragraph_continues(prev: Line, line: Line, margins: Margins, settings: TextSettings) -> bool:
    """Whether `line` carries on the paragraph that `prev` ends: wrapped, not a new one."""
    size = max(prev.size, line.size)
    if abs(prev.size - line.size) > settings.size_change * size:
        return False
    if prev.x1 < margins.right - settings.full_line * size:
        return False
    if len(prev.text.split()) >= 3 and _figures(prev.text):
        return False  # a table's row of figures printed as a line: no prose runs on from it
    if line.x0 > margins.left + settings.indent * size:
        return False
    if line.page == prev.page:
        return line.top - prev.bottom <= settings.paragraph_gap * size
    return line.page == prev.page + 1
