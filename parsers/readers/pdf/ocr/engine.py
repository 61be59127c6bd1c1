"""The OCR engine: PP-OCR text detection and recognition, offline on the CPU.

The models ship inside the `rapidocr-onnxruntime` wheel (PP-OCRv4 Chinese detection and
recognition, ONNX); nothing is downloaded. Recognition keeps, for each character read, its
probability and the runner-up character at the same position, so a reader can say "8 or 3"
instead of only "8". A short reading made of digits and their look-alikes ('o' for 0, 'l' for
1, a speck read as a point) is also decoded with the figure alphabet alone: that is a
candidate for a figure cell, never more sure than recognition was of what it replaced.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from parsers.model import ZERO_SHAPES
from parsers.readers.pdf.settings import EngineSettings

log = logging.getLogger(__name__)

# The characters a printed figure is made of.
FIGURE_CHARS = frozenset("0123456789.,-")
# What recognition reads for a digit in a figure cell: the digit each is shaped like.
LOOKALIKES = {**dict.fromkeys(ZERO_SHAPES[1:], "0"), **dict.fromkeys("lIi|!丨", "1")}
# What it reads for a speck or a rule's stub beside a figure.
SPECKS = frozenset("。°`'\"[]()")


@dataclass(frozen=True)
class Char:
    """One character read: itself, its probability, the runner-up and where it sits (0..1)."""

    text: str
    prob: float
    runner_up: str | None
    runner_up_prob: float
    position: float


@dataclass(frozen=True)
class Reading:
    """The text recognised in one crop, character by character."""

    chars: tuple[Char, ...]
    # The same steps decoded with the figure alphabet alone, where the reading is made of
    # digits and look-alikes of them ('o' for 0); its `read_as` is this reading's text.
    figure: Reading | None = None
    read_as: str | None = None

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def confidence(self) -> float:
        """The least probable character's probability (0 when nothing was read)."""
        return min((c.prob for c in self.chars), default=0.0)


@contextmanager
def _out_of_memory() -> Iterator[None]:
    """ONNX Runtime reports an allocation failure as its own error: make it a MemoryError,
    so the worker records the document as over its memory budget."""
    try:
        yield
    except MemoryError:
        raise
    except Exception as exc:
        if "bad_alloc" in str(exc):
            raise MemoryError("the OCR engine ran out of memory") from exc
        raise


class OcrUnavailableError(RuntimeError):
    """The OCR package is not installed (a set-up problem, not the document's)."""


@lru_cache(maxsize=2)
def engine(settings: EngineSettings) -> Engine:
    """The engine for these settings, loaded once per process (the models take a second)."""
    return Engine(settings)


class Engine:
    """Text detection (boxes on a page image) and recognition (text in a crop)."""

    def __init__(self, settings: EngineSettings) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # pragma: no cover - a broken install
            raise OcrUnavailableError(
                "OCR is not installed: pip install rapidocr-onnxruntime"
            ) from exc
        n = settings.threads
        self._ocr = RapidOCR(
            intra_op_num_threads=n,
            inter_op_num_threads=n,
            det_intra_op_num_threads=n,
            det_inter_op_num_threads=n,
            rec_intra_op_num_threads=n,
            rec_inter_op_num_threads=n,
            cls_intra_op_num_threads=n,
            cls_inter_op_num_threads=n,
        )
        self.settings = settings
        rec = self._ocr.text_rec
        self._charset = rec.postprocess_op.character
        self._index = {ch: i for i, ch in enumerate(self._charset) if ch in FIGURE_CHARS}
        # Each digit's shapes: the digit and the letters recognition reads for it.
        self._shapes = {
            d: [i for i, ch in enumerate(self._charset) if ch == d or LOOKALIKES.get(ch) == d]
            for d in set(LOOKALIKES.values())
        }
        self._shape = rec.rec_image_shape

    def detect(self, image: np.ndarray) -> list[tuple[float, float, float, float]]:
        """Boxes (x0, top, x1, bottom in pixels) of the text lines on an RGB page image."""
        with _out_of_memory():
            boxes, _ = self._ocr.text_det(image)
        if boxes is None:
            return []
        out = []
        for quad in boxes:
            xs, ys = quad[:, 0], quad[:, 1]
            out.append((float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())))
        return out

    def recognise(self, crops: list[np.ndarray]) -> list[Reading]:
        """What each crop (an RGB image of one line of text) reads."""
        out: list[Reading | None] = [None] * len(crops)
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / crops[i].shape[0])
        rec = self._ocr.text_rec
        _, height, width = self._shape
        for start in range(0, len(order), self.settings.rec_batch):
            batch = order[start : start + self.settings.rec_batch]
            ratio = max(width / height, *(crops[i].shape[1] / crops[i].shape[0] for i in batch))
            norm = np.concatenate([rec.resize_norm_img(crops[i], ratio)[None] for i in batch])
            with _out_of_memory():
                preds = rec.session(norm.astype(np.float32))[0]
            padded = norm.shape[3]
            for k, i in enumerate(batch):
                h, w = crops[i].shape[:2]
                used = min(padded, int(np.ceil(height * w / h)))
                out[i] = self._decode(preds[k], padded / max(used, 1))
        return [r if r is not None else Reading(()) for r in out]

    def _decode(self, probs: np.ndarray, stretch: float) -> Reading:
        """CTC greedy decoding that keeps each character's runner-up.

        `stretch` is the padded input width over the crop's own: a step's place in the crop.
        """
        best = probs.argmax(axis=1)
        steps = probs.shape[0]
        chars: list[Char] = []
        at: list[int] = []
        prev = -1
        for t in range(steps):
            idx = int(best[t])
            if idx == prev or idx == 0:
                prev = idx
                continue
            prev = idx
            at.append(t)
            row = probs[t]
            text = self._charset[idx] if idx < len(self._charset) else ""
            # A digit is as probable as all its shapes together: '0' and 'o' are one figure.
            shapes = self._shapes.get(text, [idx])
            ranked = [int(k) for k in np.argsort(row)[::-1][: len(shapes) + 1]]
            second = next(k for k in ranked if k not in shapes)
            p2 = float(row[second])
            runner = self._charset[second] if second and p2 >= self.settings.runner_up_min else None
            where = min(1.0, (t + 0.5) / steps * stretch)
            chars.append(Char(text, float(row[shapes].sum()), runner, p2, where))
        reading = Reading(tuple(chars))
        if _misread_figure(reading.text):
            figure = self._figure_decode(reading, probs, at)
            if figure.chars and figure.text != reading.text:
                return Reading(reading.chars, replace(figure, read_as=reading.text))
        return reading

    def _figure_decode(self, reading: Reading, probs: np.ndarray, steps: list[int]) -> Reading:
        """The reading with each look-alike replaced by the digit it is shaped like and specks
        dropped, as are a point or comma at either end; a replaced character keeps the
        digit's own probability at its step, which is low where recognition preferred the
        look-alike (so only a rule can let the figure stand)."""
        chars: list[Char] = []
        for c, t in zip(reading.chars, steps, strict=True):
            if c.text in SPECKS:
                continue
            if c.text in LOOKALIKES:
                digit = LOOKALIKES[c.text]
                k = self._index[digit]
                c = Char(digit, float(probs[t, k]), None, 0.0, c.position)
            chars.append(c)
        while chars and chars[0].text in ".,":
            chars.pop(0)
        while chars and chars[-1].text in ".,":
            chars.pop()
        if not any(c.text.isdigit() for c in chars):
            return Reading(())
        return Reading(tuple(chars))


def _misread_figure(text: str) -> bool:
    """Digits with a look-alike or a speck at either end ('o', '0.', '[4'): a figure
    recognition may have misread, not a word."""
    t = text.replace(" ", "")
    known = FIGURE_CHARS | LOOKALIKES.keys() | SPECKS
    if not t or len(t) > 16 or any(ch not in known for ch in t):
        return False
    marks = LOOKALIKES.keys() | SPECKS
    return any(ch in marks for ch in t) or t[0] in ".," or t[-1] in ".,"
