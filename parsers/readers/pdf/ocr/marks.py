"""Marks on a scanned page's ink: what a figure's marks say about what recognition read.

Plain functions over binary ink images (255 on 0, pixels): how many glyphs a figure's line
holds, the box its marks lie in whole and how wide its digits span, whether a mark runs on
beyond a box (a piece of a longer stroke), whether a minus stands beside a figure, whether
a ruled cell holds ink its words do not cover, and whether a stroke is flat or slanted.
"""

from __future__ import annotations

import cv2
import numpy as np

from parsers.readers.pdf.ocr.image import Box, grow_box, marks_in

# A printed digit's width in shares of its height, blur included (0.5-0.7 printed): the
# width one digit takes when a mark the blur ran together is counted as digits. The same
# measure as `OcrSettings.digit_fit`, used the other way (there a ceiling on the span of
# the digits read); kept apart so tuning one does not move the other.
DIGIT_WIDTH = 0.75
# A mark at least this share of the tallest one's height is digit-tall (points, signs
# and specks are shorter).
_DIGIT_TALL = 0.5


def glyph_count(marks: np.ndarray, box: Box, join: int = 1, faint: np.ndarray | None = None) -> int:
    """Separate dark marks on a figure's line: each digit, sign or point is one (touching
    ones fewer), and so is ink from beyond the box reaching over the figure. Marks cut by
    the box's edge beside the figure (rules), specks above or below the digits, or beyond a
    sign's room to their left and a point's to their right, are not the figure's; digit-tall
    strokes at most `join` pixels apart, and short marks within a glyph's width, are one
    glyph the threshold broke (a thin 0, the foot of a 2), unless one of two strokes side
    by side is a closed loop (a whole 0, 6, 8 or 9); a mark as wide as two digits is two."""
    x0, y0, x1, y1 = (int(v) for v in box)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(marks[y0:y1, x0:x1], connectivity=8)
    if n <= 1:
        return 0
    x, y, w, h = (stats[1:, k] for k in range(4))
    # A mark cut by the box's edge is a rule's or a neighbour's, unless it reaches over the
    # figure (a seal's ring through a 0 makes it a 6): then it counts as a mark unread.
    inside = _inside(x, y, w, h, x1 - x0, y1 - y0)
    if not inside.any():
        return n  # every mark runs out of the box: nothing tells the figure from the rest
    tall = inside & _digit_tall(h, inside)
    cx0, cy0 = x[tall].min(), y[tall].min()
    cx1, cy1 = (x + w)[tall].max(), (y + h)[tall].max()
    over = ~inside & _reaching(x, y, w, h, (0, 0), (cx0, cy0, cx1, cy1))
    keep = np.flatnonzero(inside)
    loop = np.array([_closed(labels, i + 1, x[i], y[i], w[i], h[i]) for i in keep], bool)
    x, y, w, h = x[inside], y[inside], w[inside], h[inside]
    digits = _digit_tall(h)
    top, bottom = y[digits].min(), (y + h)[digits].max()
    width = w[digits].max()
    left, right = x[digits].min() - 1.5 * width, (x + w)[digits].max() + width
    cy, cx = y + h / 2, x + w / 2
    on_line = (cy >= top) & (cy <= bottom) & (cx >= left) & (cx <= right)
    pick = on_line & digits
    strokes = sorted(
        (int(a), int(a + b), bool(c), int(k))
        for a, b, c, k in zip(x[pick], w[pick], loop[pick], keep[pick] + 1, strict=True)
    )
    # Strokes close together whose span is still narrower than a digit is tall are one
    # glyph (the two sides of a thin 0, its top and bottom too light for the threshold:
    # 0.4 of its height apart, spanning 0.8 of it); two digits side by side span more
    # (two 1s, the narrowest, about 1.0). A closed loop is a whole glyph (0, 6, 8, 9): a
    # stroke apart from it is another ('10' set tight, read as '0').
    height = int(h[digits].max())
    glyphs: list[list] = []  # each glyph's left, right, whether it is a loop, its marks
    for a, b, closed, label in strokes:
        gap = a - glyphs[-1][1] if glyphs else None
        if (
            gap is not None
            and not (gap > 0 and (closed or glyphs[-1][2]))
            and (
                gap <= join
                or (gap <= 0.45 * height and max(b, glyphs[-1][1]) - glyphs[-1][0] <= 0.85 * height)
            )
        ):
            glyphs[-1][1] = max(glyphs[-1][1], b)
            glyphs[-1][2] = glyphs[-1][2] or closed
            glyphs[-1][3].append(label)
        else:
            glyphs.append([a, b, closed, [label]])
    lost = 0
    if faint is not None:
        glyphs, lost = _faint_glyphs(glyphs, labels, faint[y0:y1, x0:x1], join)
    else:
        glyphs = [[a, b, closed, False] for a, b, closed, _ in glyphs]
    # A short mark reaching under or over a glyph is a piece of it (the foot of a broken 2);
    # one between or beside the glyphs is a point or a sign of its own.
    small = zip(x[on_line & ~digits], (x + w)[on_line & ~digits], strict=True)
    apart = sum(
        1 for c, d in small if not any(c < b + join and d > a - join for a, b, *_ in glyphs)
    )
    # Digits the blur ran together are one mark, wider than a digit is: each takes about
    # `DIGIT_WIDTH` of the height (a lone digit, blur included, is under 0.9 of it).
    wide = sum(
        1 if one else max(1, round((b - a) / (DIGIT_WIDTH * height))) for a, b, _, one in glyphs
    )
    return wide + apart + int(over.sum()) + lost


def _faint_glyphs(
    glyphs: list[list], labels: np.ndarray, faint: np.ndarray, join: int
) -> tuple[list[list], int]:
    """Glyphs (`[left, right, closed, mark labels]`, left to right) as `[left, right,
    closed, joined]`, each two neighbours that are a 0's two sides (`_zero_sides`) joined
    into one; and, where any are, how many digit-tall faint marks hold no glyph's ink. The
    threshold can eat a small 0's sides down to stubs (9 pixels tall: two stubs 3 tall, 3
    apart) too short for their gap to pass as one glyph's; the faint ink keeps them whole.
    Trusting the faint ink to join strokes is trusting it to show glyphs too: a faint mark
    no glyph's ink lies on is a digit the threshold lost ('110' in pale ink: a stub of its
    first 1, nothing of the second, the 0's two sides)."""
    _, flabels, fstats, _ = cv2.connectedComponentsWithStats(faint, connectivity=8)
    fx, fy, fw, fh = (fstats[:, k] for k in range(4))
    inside = _inside(fx, fy, fw, fh, faint.shape[1], faint.shape[0])
    unders = [{int(v) for v in np.unique(flabels[np.isin(labels, g[3])]) if v} for g in glyphs]
    sides = []
    for under in unders:
        k = next(iter(under)) if len(under) == 1 else 0
        side = (k, *(int(v) for v in fstats[k, :4])) if k and inside[k] else None
        sides.append(side if side is not None and not _closed(flabels, *side) else None)
    out: list[list] = []
    i = 0
    while i < len(glyphs):
        a, b = glyphs[i], glyphs[i + 1] if i + 1 < len(glyphs) else None
        if b is not None and _zero_sides(flabels, sides[i], sides[i + 1], join):
            out.append([a[0], b[1], False, True])
            i += 2  # a glyph joined is whole: it joins nothing more
        else:
            out.append([a[0], a[1], a[2], False])
            i += 1
    if not any(joined for *_, joined in out):
        return out, 0
    held = set().union(*unders)
    tall = max(int(fstats[k, 3]) for k in held)
    lost = sum(
        1
        for k in range(1, len(fstats))
        if k not in held and inside[k] and fstats[k, 3] >= _DIGIT_TALL * tall
    )
    return out, lost


def _zero_sides(labels: np.ndarray, left, right, join: int) -> bool:
    """Whether two faint strokes (`(label, x, y, w, h)`, each a glyph's only faint mark, or
    None) are a 0's two sides: level, together no wider than a glyph (0.85 of their
    height, as in `glyph_count`), alike in width and bowing away from each other ('(' and
    ')'). A minus touching a digit's side makes that stroke wide; a 1 stands upright."""
    if left is None or right is None:
        return False
    (k, x, y, w, h), (k2, x2, y2, w2, h2) = left, right
    tall = max(h, h2)
    return (
        abs(y - y2) <= join
        and abs((y + h) - (y2 + h2)) <= join
        and x2 + w2 - x <= 0.85 * tall
        and abs(w - w2) <= join + 1
        and _bow(labels, k, x, y, w, h) < 0 < _bow(labels, k2, x2, y2, w2, h2)
    )


def _bow(labels: np.ndarray, label: int, x: int, y: int, w: int, h: int) -> float:
    """How far a stroke's middle third lies right of its top and bottom quarters (pixels):
    below 0 for a 0's left side '(', above 0 for its right side ')'."""
    ink = labels[y : y + h, x : x + w] == label
    cols = np.arange(w, dtype=float)

    def centre(rows: np.ndarray) -> float:
        weights = rows.sum(axis=0)
        return float((weights * cols).sum() / weights.sum()) if weights.any() else 0.0

    q, third = max(1, h // 4), max(1, h // 3)
    ends = centre(np.vstack([ink[:q], ink[h - q :]]))
    return centre(ink[third : h - third]) - ends


def _closed(labels: np.ndarray, label: int, x: int, y: int, w: int, h: int) -> bool:
    """Whether a mark (its label in `labels`, and its box) encloses paper: a closed loop."""
    crop = np.zeros((h + 2, w + 2), np.uint8)
    crop[1:-1, 1:-1] = labels[y : y + h, x : x + w] == label
    outside = crop.copy()
    cv2.floodFill(outside, None, (0, 0), 1)
    return bool((outside == 0).any())


def whole_box(marks: np.ndarray, box: Box, grow: int) -> Box | None:
    """The box a figure's marks lie in whole: `box` itself (the same object) where some
    mark lies wholly inside it, or none is in it (a figure too pale for the threshold:
    nothing to count). Where detection drew it tight, cutting every mark, the box grown by
    `grow` pixels each way, if every mark reaching into `box` lies wholly inside that; else
    None (a mark runs on beyond the figure read)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    if not marks[y0:y1, x0:x1].any() or _box_marks(marks, (x0, y0, x1, y1)) is not None:
        return box
    grown = grow_box((x0, y0, x1, y1), grow, marks.shape)
    stats = _box_marks(marks, grown)
    if stats is None:
        return None
    x, y, w, h, inside = stats
    reach = _reaching(x, y, w, h, grown[:2], (x0, y0, x1, y1))
    # Some mark reaches into `box` (it holds ink): every one of them must lie inside.
    return grown if (inside | ~reach).all() else None


def _box_marks(marks: np.ndarray, box: tuple[int, int, int, int]):
    """Every mark in a box (arrays of their x, y, w, h relative to it, and whether each lies
    wholly inside it), or None where none lies wholly inside. (`image.marks_in` gives the
    largest mark alone, in page pixels.)"""
    x0, y0, x1, y1 = box
    n, _, stats, _ = cv2.connectedComponentsWithStats(marks[y0:y1, x0:x1], connectivity=8)
    if n <= 1:
        return None
    x, y, w, h = (stats[1:, k] for k in range(4))
    inside = _inside(x, y, w, h, x1 - x0, y1 - y0)
    return (x, y, w, h, inside) if inside.any() else None


def digit_span(marks: np.ndarray, box: Box) -> float:
    """How wide the digit-tall marks wholly inside a box span, in shares of their height."""
    stats = _box_marks(marks, tuple(int(v) for v in box))
    if stats is None:
        return 0.0
    x, _, w, h, inside = stats
    x, w, h = x[inside], w[inside], h[inside]
    tall = _digit_tall(h)
    return float(((x + w)[tall].max() - x[tall].min()) / h[tall].max())


def runs_on(marks: np.ndarray, box: Box, reach: int) -> bool:
    """Whether the largest mark reaching into a box runs on `reach` pixels beyond it: a
    piece of a longer stroke (a seal's ring, a rule), not a mark of its own. Within `reach`
    of the page's edge the look beyond is cut at the edge, and a mark reaching the edge
    counts as running on (whether it goes on past the page's edge or ends there)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    gx0, gy0, gx1, gy1 = grow_box((x0, y0, x1, y1), reach, marks.shape)
    n, _, stats, _ = cv2.connectedComponentsWithStats(marks[gy0:gy1, gx0:gx1], connectivity=8)
    if n <= 1:
        return False
    x, y, ww, hh, area = (stats[1:, k] for k in range(5))
    within = _reaching(x, y, ww, hh, (gx0, gy0), (x0, y0, x1, y1))
    if not within.any():
        return False
    big = int(np.argmax(np.where(within, area, -1)))
    edge = (
        x[big] == 0 or y[big] == 0 or x[big] + ww[big] >= gx1 - gx0 or y[big] + hh[big] >= gy1 - gy0
    )
    return bool(edge)


def sign_beside(marks: np.ndarray, box: Box, figure: Box | None = None) -> bool:
    """Whether a flat short stroke stands at mid-height just left of a figure's digits, as a
    minus sign does (recognition drops a minus touching the box's edge or a digit). The
    digits are the tall marks in the box, or those centred in `figure` where given (a rule
    in the room left of a figure is none)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    n, _, stats, _ = cv2.connectedComponentsWithStats(marks[y0:y1, x0:x1], connectivity=8)
    if n <= 1:
        return False
    x, y, w, h = (stats[1:, k] for k in range(4))
    ours = np.ones(n - 1, bool)
    if figure is not None:
        fx0, fy0, fx1, fy1 = figure
        mx, my = x0 + x + w / 2, y0 + y + h / 2
        ours = (mx >= fx0) & (mx <= fx1) & (my >= fy0) & (my <= fy1)
        if not ours.any():
            return False
    digits = ours & _digit_tall(h, ours)
    top, bottom = y[digits].min(), (y + h)[digits].max()
    tall, left = bottom - top, x[digits].min()
    cy = y + h / 2
    sign = (
        ~digits
        & (w >= 1.5 * h)
        & (w >= 0.2 * tall)
        & (h <= 0.35 * tall)
        & (x + w <= left + 1)
        & (x + w >= left - 1.5 * tall)
        & (cy >= top + 0.25 * tall)
        & (cy <= bottom - 0.25 * tall)
    )
    return bool(sign.any())


def _inside(x, y, w, h, width: int, height: int) -> np.ndarray:
    """Which marks (arrays of x, y, w, h in a window `width` x `height`) lie wholly inside
    the window, clear of its border."""
    return (x > 0) & (y > 0) & (x + w < width) & (y + h < height)


def _reaching(x, y, w, h, origin: tuple[int, int], box: tuple[int, int, int, int]) -> np.ndarray:
    """Which marks (arrays of x, y, w, h in a window whose top left is `origin` on the
    page) reach into `box` (page pixels)."""
    ox, oy = origin
    x0, y0, x1, y1 = box
    return (x + ox < x1) & (x + w + ox > x0) & (y + oy < y1) & (y + h + oy > y0)


def _digit_tall(h: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """Which marks (their heights `h`) are digit-tall: at least `_DIGIT_TALL` of the tallest
    (of those `among`, where given)."""
    return h >= _DIGIT_TALL * (h if among is None else h[among]).max()


def sign_touching(marks: np.ndarray, faint: np.ndarray, box: Box) -> bool:
    """Whether the faint ink of a figure's first digit runs on left of its dark ink as a
    flat short stroke at mid-height: a minus set tight against the digit and too pale for
    the threshold, which `sign_beside` cannot see apart from it (and recognition drops).
    The faint ink must reach a minus's least width (0.2 of the height) left of the digit's
    dark ink and its halo, and the far half of what it reaches there must be flat (nearer,
    a 4's pale bar or a 9's pale bowl belongs to the digit); heights are the faint ink's
    where it is taller (a digit the threshold kept only a stub of)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(marks[y0:y1, x0:x1], connectivity=8)
    if n <= 1:
        return False
    x, y, _, h = (stats[1:, k] for k in range(4))
    digits = np.flatnonzero(_digit_tall(h))
    first = digits[np.argmin(x[digits])]
    left = x[first]
    _, flabels, _, _ = cv2.connectedComponentsWithStats(faint[y0:y1, x0:x1], connectivity=8)
    for k in np.unique(flabels[labels == first + 1]):
        if not k:
            continue
        ys, xs = np.nonzero(flabels == k)
        top = min(y[digits].min(), ys.min())
        bottom = max((y[digits] + h[digits]).max(), ys.max() + 1)
        tall = bottom - top
        reach = left - 1 - xs.min()  # beyond the pixel of halo that is the digit's own
        if reach < 0.2 * tall:
            continue
        far = xs <= xs.min() + reach / 2
        rows, cols = ys[far], xs[far]
        hh = rows.max() - rows.min() + 1
        cy = (rows.max() + rows.min()) / 2
        if (
            cols.max() - cols.min() + 1 >= 1.5 * hh
            and hh <= 0.35 * tall
            and top + 0.25 * tall <= cy <= bottom - 0.25 * tall
        ):
            return True
    return False


def flat(marks: np.ndarray, box: Box, ratio: float) -> bool:
    """Whether the largest mark in a box is a stroke `ratio` times wider than tall, as a
    dash is."""
    mark = marks_in(marks, box, margin=0)
    return mark is not None and mark[2] >= ratio * mark[3]


def ink_beside(ink: np.ndarray, box: Box, words: list[Box], tall: float, margin: int) -> bool:
    """Whether a ruled cell's box (pixels) holds marks at least `tall` pixels in some
    direction that none of its words' boxes covers, or ink running in across its middle.
    `margin` pixels inside the cell's rules are left out."""
    x0, y0 = max(0, round(box[0]) + margin), max(0, round(box[1]) + margin)
    x1, y1 = round(box[2]) - margin, round(box[3]) - margin
    if x1 <= x0 or y1 <= y0:
        return False
    ink = ink[y0:y1, x0:x1].copy()
    for a, b, c, d in ((round(v) for v in w) for w in words):
        ink[max(0, b - y0 - 2) : max(0, d - y0 + 2), max(0, a - x0 - 2) : max(0, c - x0 + 2)] = 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    width, height = x1 - x0, y1 - y0
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if max(w, h) < tall:
            continue  # a speck, a point
        within = x > 0 and y > 0 and x + w < width and y + h < height
        # Ink running in from the cell's edge is a rule's residue hugging it, unless it
        # reaches the cell's middle (a seal's ring across a figure).
        middle = (
            x < 0.8 * width and x + w > 0.2 * width and y < 0.8 * height and y + h > 0.2 * height
        )
        if within or middle:
            return True
    return False


def slanted(marks: np.ndarray, box: Box, least: float) -> bool:
    """Whether the largest mark in a box is a slanted stroke, as a slash is: its pixels'
    columns and rows correlate at least `least` (an upright 1 or a round 0 do not)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(marks[y0:y1, x0:x1], connectivity=8)
    if n <= 1:
        return False
    big = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    ys, xs = np.nonzero(labels == big)
    if len(xs) < 4 or xs.std() == 0 or ys.std() == 0:
        return False
    return abs(float(np.corrcoef(xs, ys)[0, 1])) >= least
