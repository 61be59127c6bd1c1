"""What a figure's ink says about its reading: speckle read as a digit (`speck_readings`),
the second reading of each figure (`second_readings`), marks its reading leaves out
(`marks_unread`, in the box that holds them whole: `figure_box`), and its alternatives."""

from __future__ import annotations

import numpy as np

from parsers.readers.pdf.ocr.engine import Reading
from parsers.readers.pdf.ocr.image import Box
from parsers.readers.pdf.ocr.marks import (
    digit_span,
    flat,
    glyph_count,
    sign_beside,
    sign_touching,
    slanted,
    whole_box,
)
from parsers.readers.pdf.ocr.readings import (
    DASHES,
    END_SPECKS,
    PLAIN_FIGURE,
    SLASHES,
    STROKES,
    UPRIGHT,
    as_figure,
    figure_like,
    has_digit,
)
from parsers.readers.pdf.settings import OcrSettings
from parsers.script import NONE_WORDS


def speck_readings(faint: np.ndarray, boxes, readings, share: float) -> set[int]:
    """The readings holding a digit whose tallest mark is under `share` of the page's usual
    digit height (the median of those marks): the tails of strokes a word above left out of
    its box, or speckle, read as a digit, not a figure."""
    import cv2

    tallest = {}
    for i, (box, reading) in enumerate(zip(boxes, readings, strict=True)):
        if has_digit(reading.text):
            x0, y0, x1, y1 = (int(v) for v in box)
            n, _, stats, _ = cv2.connectedComponentsWithStats(faint[y0:y1, x0:x1], connectivity=8)
            tallest[i] = int(stats[1:, cv2.CC_STAT_HEIGHT].max()) if n > 1 else 0
    if len(tallest) < 5:
        return set()  # too few figures to know a digit's height by
    usual = sorted(tallest.values())[len(tallest) // 2]
    return {i for i, h in tallest.items() if h < share * usual}


def second_readings(
    found,
    page: np.ndarray,
    marks: np.ndarray,
    faint: np.ndarray,
    ocr,
    s: OcrSettings,
    crop_boxes: list[Box] | None = None,
) -> list[str | None]:
    """Each figure (and dash) read again from its crop at another resolution (of the boxes
    `crop_boxes`, where given: one per found line); a dash found by its shape is read here
    for the first time by recognition."""
    import cv2

    todo = [
        i
        for i, (_, r) in enumerate(found)
        if figure_like(r.text, s) or r.text in DASHES | SLASHES or r.text.strip() in NONE_WORDS
    ]
    crops = []
    for i in todo:
        b = crop_boxes[i] if crop_boxes is not None else found[i][0]
        crop = page[b[1] : b[3], b[0] : b[2]]
        crops.append(cv2.resize(crop, None, fx=s.second_scale, fy=s.second_scale,
                                interpolation=cv2.INTER_CUBIC))  # fmt: skip
    out: list[str | None] = [None] * len(found)
    for i, r in zip(todo, ocr.recognise(crops) if crops else [], strict=True):
        # Read again as letters shaped like digits ('o' for 0): the digits they are shaped
        # like, as the first reading's digits are as probable as all their shapes.
        text = as_figure(r).text.strip()
        if found[i][1].text in DASHES and not any(ch.isalnum() for ch in text):
            # A lone short stroke that recognition reads as no letter or digit (a dash, or
            # noise like '?' for one too small to read): the shape stands.
            text = "—"
        elif (
            found[i][1].text in DASHES
            and text in UPRIGHT
            and flat(marks, found[i][0], s.dash_ratio)
        ):
            # Read again as an upright stroke ('1'), but its ink is a flat one: a dash.
            text = "—"
        elif found[i][1].text in SLASHES and (
            text in SLASHES
            or not any(ch.isalnum() for ch in text)
            or (text in STROKES and slanted(faint, found[i][0], s.slash_alone))
        ):
            # A slash (its stroke slants: it stood only so) read again as a slash, as no
            # letter or digit ('，'), or as a digit of one stroke ('1', '7') though all its
            # ink, faint included, slants as only a slash's does (a 7's bar, a 1's flag and
            # foot do not).
            text = found[i][1].text
        elif (
            found[i][1].text.strip() in STROKES
            and text in STROKES
            and slanted(faint, found[i][0], s.slash_alone)
        ):
            # Read twice as a digit of one stroke, but all its ink slants as only a slash's
            # does: a slash (it says "none"), or a 1, the image cannot tell which.
            text = "/"
        out[i] = "—" if text in DASHES else text
    return out


def figure_box(text: str, box: Box, marks: np.ndarray, join: int, s: OcrSettings) -> Box | None:
    """The box a figure's marks lie in whole (`whole_box`); other text's own box."""
    if PLAIN_FIGURE.match(text) is None:
        return box
    grow = max(s.tight_box_floor * join, round(s.tight_box_grow * (box[3] - box[1])))
    return whole_box(marks, box, grow)


def marks_unread(
    text: str,
    box: Box,
    whole: Box | None,
    marks: np.ndarray,
    faint: np.ndarray,
    join: int,
    s: OcrSettings,
) -> bool:
    """Whether a figure's line holds more glyphs than were read, a minus left of it, ink
    running on past the box that holds it (`whole` None) or digits wider than those read.
    A minus recognition dropped makes a negative figure positive: it is looked for on its
    own, in the faint ink (counting glyphs misses it where the threshold broke the digit
    beside it, or digits 1 pixel apart count as one) and in the threshold's (the blur can
    make a short minus's faint ink as tall as it is wide). Where detection drew the box
    through every mark, they are counted in the box that holds them whole (`whole`, from
    `figure_box`), and the digits' ink must fit the digits read; a mark that runs on beyond it
    (`whole` None), or a sign in a digit's room left of it, is a mark unread. The faint ink
    joins a small 0's sides the threshold ate to stubs (`glyph_count`) and shows a minus
    kerned onto the first digit (`sign_touching`)."""
    if PLAIN_FIGURE.match(text) is None:
        return False
    if whole is None:
        return True
    # `whole_box` gives back `box` itself (the same object) where it did not grow it.
    grown = whole is not box
    digits = sum(ch.isdigit() for ch in text)
    # A dropped minus stands left of the digits, within a box's height of them.
    height = box[3] - box[1]
    room = (max(0, whole[0] - round(s.sign_room * height)), *whole[1:]) if grown else box
    return (
        glyph_count(marks, whole, join, faint) > len(text)
        or (grown and digit_span(marks, whole) > s.digit_fit * digits)
        or (
            text[0] not in "+-"
            and (
                any(sign_beside(m, b, whole) for m in (faint, marks) for b in {box, whole, room})
                or sign_touching(marks, faint, whole)
            )
        )
    )


def speck_free(second: str | None, first: str, extra: bool) -> str | None:
    """The second reading without a dot it found beside the digits ('54.' where '54' was
    read) when the ink holds no mark beyond the digits read (`extra`): a speck, not part of
    the figure. A dot between digits stays: it would change the value."""
    if second is not None and not extra and second.strip(END_SPECKS) == first:
        return first
    return second


def alternatives(reading: Reading) -> tuple[str, ...]:
    """Readings with one digit replaced by a runner-up digit ('8' where '3' was read), a
    lone digit's runner-up dash ('—' where '0' was read: rules cannot tell them apart), and
    a lone "none"'s runner-up digit ('0' where 無 was read)."""
    text = reading.text
    lone = len(text.strip()) == 1
    out = []
    for i, c in enumerate(reading.chars):
        if not c.runner_up:
            continue
        if c.text.isdigit() and (c.runner_up.isdigit() or (lone and c.runner_up in DASHES)):
            out.append(text[:i] + c.runner_up + text[i + 1 :])
        elif lone and c.text in NONE_WORDS and c.runner_up.isdigit():
            out.append(text[:i] + c.runner_up + text[i + 1 :])
    return tuple(dict.fromkeys(x.strip() for x in out))
