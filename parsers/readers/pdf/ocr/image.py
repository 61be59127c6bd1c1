"""A scanned page image made readable: stamp ink removed, deskewed, binarised; its rules found.

Plain functions over numpy arrays (OpenCV for filters): each returns a new image or plain
values, so a debug view can show every step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from parsers.readers.pdf.settings import ImageSettings

Box = tuple[float, float, float, float]


def lift_red(rgb: np.ndarray, settings: ImageSettings) -> np.ndarray:
    """Grey page with red seal ink turned to paper; black text printed under it stays."""
    r = rgb[..., 0].astype(np.int16)
    g = rgb[..., 1].astype(np.int16)
    b = rgb[..., 2].astype(np.int16)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    red = (r - np.maximum(g, b)) > settings.red_margin
    # Under red ink, the darkness that is not red's own is the text: keep the red channel.
    out = grey.copy()
    out[red] = rgb[..., 0][red]
    return out


def despeckle(grey: np.ndarray) -> np.ndarray:
    """Scanner speckle (isolated dots) removed by a 3x3 median: strokes stay, thin rules fade,
    so rules are found before this."""
    return cv2.medianBlur(grey, 3)


def binarise(grey: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0 (Otsu's threshold after a light blur)."""
    blur = cv2.GaussianBlur(grey, (3, 3), 0)
    _, ink = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def find_skew(ink: np.ndarray, settings: ImageSettings) -> float:
    """The page's skew in degrees: the angle whose row profile of ink is sharpest."""
    small = cv2.resize(ink, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    steps = round(settings.max_skew / settings.skew_step)
    for k in range(-steps, steps + 1):
        angle = k * settings.skew_step
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST)
        profile = rotated.sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """The image turned by `angle` degrees about its centre, corners filled with paper."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    fill = 255 if image.ndim == 2 else (255, 255, 255)
    return cv2.warpAffine(
        image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


Circle = tuple[float, float, float]  # centre x, centre y, radius, in pixels


def find_seals(grey: np.ndarray, settings: ImageSettings, dpi: float) -> list[Circle]:
    """Round seals printed grey: circles of a seal's size whose ring is ink nearly all round
    while the paper just outside it is not (a circle drawn through text or a table's grid
    meets ink only here and there)."""
    scale = settings.seal_dpi / dpi
    small = cv2.medianBlur(
        cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), 3
    )
    least, most = (r * settings.seal_dpi / 72 for r in settings.seal_radius)
    found = cv2.HoughCircles(
        small, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=least / 4, param1=300,
        param2=settings.seal_roundness, minRadius=int(least), maxRadius=int(most) + 1,
    )  # fmt: skip
    if found is None:
        return []
    ink = grey < settings.faint_level
    out = []
    for cx, cy, r in found[0] / scale:
        band = max(2, round(r * settings.seal_band))
        ring = _ring_ink(ink, cx, cy, r, band)
        outside = _ring_ink(ink, cx, cy, r * (1 + 4 * settings.seal_band), band)
        if ring >= settings.seal_ring and ring - outside >= settings.seal_contrast:
            out.append((float(cx), float(cy), float(r + 3 * band)))
    return out


def _ring_ink(ink: np.ndarray, cx: float, cy: float, r: float, band: int) -> float:
    """Share of the directions round (cx, cy) in which the ring `band` pixels either side of
    radius `r` holds ink."""
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)[:, None]
    radii = r + np.arange(-band, band + 1)[None, :]
    xs = np.rint(cx + radii * np.cos(angles)).astype(int)
    ys = np.rint(cy + radii * np.sin(angles)).astype(int)
    inside = (xs >= 0) & (ys >= 0) & (xs < ink.shape[1]) & (ys < ink.shape[0])
    hit = np.zeros(xs.shape, dtype=bool)
    hit[inside] = ink[ys[inside], xs[inside]]
    return float(hit.any(axis=1).mean())


def _within(rule: Box, seal: Circle) -> bool:
    """Whether a rule lies wholly on a seal: its ring's flat stretches and its star's edges
    pass for short rules, which would cut the cells under it."""
    cx, cy, r = seal
    return all(math.hypot(x - cx, y - cy) <= r for x, y in (rule[:2], rule[2:]))


def find_rules(
    grey: np.ndarray, settings: ImageSettings, seals: Sequence[Circle] = ()
) -> tuple[list[Box], list[Box]]:
    """Horizontal and vertical ruling lines (x0, top, x1, bottom in pixels) of a grey page;
    none lying wholly on one of its `seals`."""
    w = grey.shape[1]
    paper = float(np.median(grey))
    out = []
    inks = []
    for horizontal in (True, False):
        # Smoothed along the rule's direction a faint, broken rule is a continuous band
        # while text breaks up; against the local paper, its tone is not ink.
        along = (settings.rule_smooth, 1) if horizontal else (1, settings.rule_smooth)
        smooth = cv2.blur(grey, along)
        ink = cv2.adaptiveThreshold(
            smooth,
            255,
            cv2.ADAPTIVE_THRESH_MEAN_C,
            cv2.THRESH_BINARY_INV,
            settings.rule_block | 1,
            settings.rule_contrast,
        )
        # ... or darker than the page's paper by `rule_depth` (a rule running close to text,
        # where the local mean is dark).
        ink |= ((smooth < paper - settings.rule_depth) * 255).astype(np.uint8)
        length = max(8, int(w * settings.rule_min_share))
        kernel = np.ones((1, length) if horizontal else (length, 1), np.uint8)
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        # Bridge the small breaks scanning and JPEG leave in a rule.
        bridge = np.ones((1, 5) if horizontal else (5, 1), np.uint8)
        lines = cv2.dilate(lines, bridge)
        n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        found = []
        for i in range(1, n):
            x, y, bw, bh = (int(v) for v in stats[i, :4])
            if (bw if horizontal else bh) < length:
                continue
            if horizontal:
                found.append((x + 4.0, y + bh / 2, x + bw - 4.0, y + bh / 2))
            else:
                found.append((x + bw / 2, y + 4.0, x + bw / 2, y + bh - 4.0))
        out.append(found)
        inks.append(ink)
    reach = settings.rule_reach * w
    on = [[[seal for seal in seals if _within(b, seal)] for b in rules] for rules in out]
    off = [[b for b, s in zip(out[k], on[k], strict=True) if not s] for k in (0, 1)]
    # A rule on a seal that runs from one rule off it to another, away from its rings and
    # not along a filled shape's edge, is the table's: a cell's side under the seal
    # (stamped over a column's rule), not a stretch of a ring or an edge of its star.
    kept = [
        [
            b
            for b, s in zip(out[k], on[k], strict=True)
            if not s
            or (
                _between(b, off[1 - k], reach, k == 0)
                and all(_inner(b, seal, settings.seal_rule_offset, k == 0) for seal in s)
                and not _fill_edge(b, inks[k], settings.seal_rule_fill, k == 0)
            )
        ]
        for k in (0, 1)
    ]
    kept = [
        _carry(kept[0], kept[1], inks[0], reach, settings, True),
        _carry(kept[1], kept[0], inks[1], reach, settings, False),
    ]
    return _reach(kept[0], kept[1], reach, True), _reach(kept[1], kept[0], reach, False)


def _carry(
    rules: list[Box],
    across: list[Box],
    ink: np.ndarray,
    gap: float,
    s: ImageSettings,
    horizontal: bool,
) -> list[Box]:
    """Rules carried on from an end to the next rule across them where the ink along the
    way (`ink`, thresholded as for finding rules, 2 pixels either side) covers at least
    `rule_carry` of it, with paper beside it (ink 5 to 7 pixels off it on both sides along
    at most `rule_carry_clear` of it): a rule too pale or broken across one narrow cell to
    be found there (shorter than a rule is), whose cells above and below would read as one.
    Shading a black-and-white scan dithered into dots covers the way too, but not as a
    line."""
    spans = _spans(across, horizontal)
    out = []
    for rule in rules:
        x0, y0, x1, y1 = rule
        a, b, p = _course(rule, horizontal)
        stops = [q for q, lo, hi in spans if lo - gap <= p <= hi + gap]
        line = _along(ink, p, -2, 2, horizontal)
        # Ink beside the line on both sides: a figure or a label may stand close to a rule
        # on one side; shading stands on both.
        beside = _along(ink, p, -7, -5, horizontal) & _along(ink, p, 5, 7, horizontal)

        after = [q for q in stops if q > b + gap]
        if after and _carried(line, beside, b, min(after), s):
            b = min(after)
        before = [q for q in stops if q < a - gap]
        if before and _carried(line, beside, max(before), a, s):
            a = max(before)
        out.append((a, y0, b, y1) if horizontal else (x0, a, x1, b))
    return out


def _carried(line: np.ndarray, beside: np.ndarray, u: float, v: float, s: ImageSettings) -> bool:
    """Whether a line's ink covers the way from `u` to `v`, with paper beside it."""
    u, v = round(u), round(v)
    return (
        v > u
        and float(line[u:v].mean()) >= s.rule_carry
        and float(beside[u:v].mean()) <= s.rule_carry_clear
    )


def _along(ink: np.ndarray, p: float, lo: int, hi: int, horizontal: bool) -> np.ndarray:
    """Whether each position along a line at `p` holds ink from `lo` to `hi` pixels off it."""
    at = round(p)
    if horizontal:
        band = ink[max(0, at + lo) : max(0, at + hi + 1), :]
    else:
        band = ink[:, max(0, at + lo) : max(0, at + hi + 1)].T
    if not band.size:
        return np.zeros(ink.shape[1] if horizontal else ink.shape[0], bool)
    return (band > 0).any(axis=0)


def _fill_edge(rule: Box, ink: np.ndarray, share: float, horizontal: bool) -> bool:
    """Whether ink runs beside a rule, 3 to 6 pixels off it on one side, along at least
    `share` of it: the edge of a filled shape (a seal's star), not a rule."""
    a, b, p = _course(rule, horizontal)
    u, v = round(a), round(b)
    if v <= u:
        return False
    return any(
        float(_along(ink, p, lo, hi, horizontal)[u:v].mean()) >= share
        for lo, hi in ((-6, -3), (3, 6))
    )


def _inner(rule: Box, seal: Circle, share: float, horizontal: bool) -> bool:
    """Whether a rule runs within `share` of a seal's radius from its centre."""
    cx, cy, r = seal
    return abs((rule[1] - cy) if horizontal else (rule[0] - cx)) <= share * r


def _between(rule: Box, across: list[Box], gap: float, horizontal: bool) -> bool:
    """Whether both ends of a rule meet rules across it, within `gap` pixels."""
    a, b, p = _course(rule, horizontal)
    spans = _spans(across, horizontal)
    return all(
        any(abs(q - end) <= gap and lo - gap <= p <= hi + gap for q, lo, hi in spans)
        for end in (a, b)
    )


def _course(rule: Box, horizontal: bool) -> tuple[float, float, float]:
    """A rule's start and end along its direction, and its position across it."""
    x0, y0, x1, y1 = rule
    return (x0, x1, y0) if horizontal else (y0, y1, x0)


def _spans(across: list[Box], horizontal: bool) -> list[tuple[float, float, float]]:
    """Rules across a `horizontal` (or vertical) rule as (position along it, start, end)."""
    return [(c[0], c[1], c[3]) if horizontal else (c[1], c[0], c[2]) for c in across]


def _reach(rules: list[Box], across: list[Box], gap: float, horizontal: bool) -> list[Box]:
    """Rules whose end stops short of a rule across them by at most `gap` pixels carried
    on to it: the scan lost the rule's last pixels, and without the corner the cells on
    both sides of it would read as one."""
    spans = _spans(across, horizontal)
    out = []
    for x0, y0, x1, y1 in rules:
        # Along the rule (a, b) and its position p; a rule across at q spans (lo, hi).
        a, b, p = _course((x0, y0, x1, y1), horizontal)
        before = [q for q, lo, hi in spans if a - gap <= q < a and lo - gap <= p <= hi + gap]
        after = [q for q, lo, hi in spans if b < q <= b + gap and lo - gap <= p <= hi + gap]
        a = min(before, default=a)
        b = max(after, default=b)
        out.append((a, y0, b, y1) if horizontal else (x0, a, x1, b))
    return out


def inner(ink: np.ndarray, box: Box, margin: int) -> tuple[int, int, int, int]:
    """A box in whole pixels, `margin` pixels in from its border, within the page."""
    x0, y0, x1, y1 = (round(v) for v in box)
    x0, y0 = max(0, x0 + margin), max(0, y0 + margin)
    return x0, y0, min(ink.shape[1], x1 - margin), min(ink.shape[0], y1 - margin)


def grow_box(box: tuple[int, int, int, int], by: int, shape) -> tuple[int, int, int, int]:
    """A box in whole pixels grown `by` pixels each way, kept on an image of `shape`."""
    x0, y0, x1, y1 = box
    h, w = shape[:2]
    return (max(0, x0 - by), max(0, y0 - by), min(w, x1 + by), min(h, y1 + by))


def halo(x, y, w, h, width: int, height: int) -> np.ndarray:
    """Which marks (arrays of x, y, w, h in a window `width` x `height`) run along the
    window's border: a rule's halo, where a mark the margin cut across (a dash set flush
    left) runs away from it."""
    side = ((x <= 0) | (x + w >= width)) & (h > w)
    end = ((y <= 0) | (y + h >= height)) & (w > h)
    return side | end


def marks_in(
    ink: np.ndarray, box: Box, margin: int, clear: bool = False
) -> tuple[int, int, int, int] | None:
    """The largest mark inside a box, its border excluded: (x, y, width, height) in page
    pixels; None when the box holds no ink. With `clear`, marks running along the border do
    not count (faint ink reaching in from a rule is the rule's halo)."""
    x0, y0, x1, y1 = inner(ink, box, margin)
    if x1 <= x0 or y1 <= y0:
        return None
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink[y0:y1, x0:x1], connectivity=8)
    x, y, w, h, area = (stats[1:, k] for k in range(5))
    if clear:
        area = area * ~halo(x, y, w, h, x1 - x0, y1 - y0)
    if n <= 1 or not area.any():
        return None
    big = int(np.argmax(area))
    return x0 + int(x[big]), y0 + int(y[big]), int(w[big]), int(h[big])


def dark_marks(
    grey: np.ndarray, settings: ImageSettings, dpi: float, faint: bool = False
) -> np.ndarray:
    """Dark ink (255) in patches big enough to be printed, not speckle; with `faint`, any
    ink that might be a mark."""
    level = settings.faint_level if faint else settings.mark_level
    dark = ((grey < level) * 255).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    keep = np.zeros(n, dtype=np.uint8)
    least = settings.faint_min_area if faint else settings.mark_min_area
    area = least * (dpi / 150) ** 2
    keep[1:] = (stats[1:, cv2.CC_STAT_AREA] >= area).astype(np.uint8) * 255
    return keep[labels]
