"""Scenes the OCR tests share: readings, a scripted recognition engine, marks drawn as ink."""

from __future__ import annotations

import numpy as np

from parsers.readers.pdf.ocr.engine import Char, Reading
from parsers.readers.pdf.settings import OcrSettings


def reading(*chars: tuple[str, float]) -> Reading:
    """A reading of `chars`, each a character and its place along the line (0 to 1)."""
    return Reading(tuple(Char(t, 0.99, None, 0.0, at) for t, at in chars))


class FakeEngine:
    """Recognition that reads the crops it is given as scripted (`readings`, in order) and
    every crop past the script as nothing legible (a hyphen too small to read); it keeps
    the crops it was given (`crops`)."""

    def __init__(self, *readings: Reading) -> None:
        self._script = list(readings)
        self.crops: list[np.ndarray] = []

    def recognise(self, crops: list) -> list[Reading]:
        self.crops.extend(crops)
        return [self._script.pop(0) if self._script else reading() for _ in crops]


def draw_zero(ink: np.ndarray, x: int, y: int = 10, w: int = 9, h: int = 14) -> None:
    """A 0 drawn as a ring, `w` x `h` pixels, its top left at (x, y)."""
    ink[y : y + h, x : x + w] = 255
    ink[y + 2 : y + h - 2, x + 2 : x + w - 2] = 0


def unread_marks(text: str, box, marks: np.ndarray, faint: np.ndarray) -> bool:
    """Whether the reader finds marks a figure's reading leaves out, at 150 dpi."""
    from parsers.readers.pdf.ocr.checks import figure_box, marks_unread

    s = OcrSettings()
    return marks_unread(text, box, figure_box(text, box, marks, 1, s), marks, faint, 1, s)
