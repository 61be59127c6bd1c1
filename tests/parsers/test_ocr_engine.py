"""Recognition's decoding: each character's runner-up, and figures misread as look-alikes.

The engine's real charset and decoder run on probability tables written by hand, so each
case says exactly what recognition saw.
"""

from __future__ import annotations

import numpy as np
import pytest

from parsers.readers.pdf.ocr.engine import engine
from parsers.readers.pdf.settings import EngineSettings


@pytest.fixture(scope="module")
def eng():
    return engine(EngineSettings())


def _probs(eng, steps: list[dict[str, float]]) -> np.ndarray:
    """One row per step: the given characters' probabilities, the rest on CTC's blank."""
    index = {ch: i for i, ch in enumerate(eng._charset)}
    out = np.zeros((len(steps), len(eng._charset)), dtype=np.float32)
    for t, step in enumerate(steps):
        for ch, p in step.items():
            out[t, index[ch]] = p
        out[t, 0] = 1 - sum(step.values())
    return out


def test_a_zero_read_as_the_letter_o_is_a_figure_candidate_as_sure_as_its_digit(eng) -> None:
    reading = eng._decode(_probs(eng, [{}, {"o": 0.6, "0": 0.35}, {}]), 1.0)
    assert reading.text == "o"
    figure = reading.figure
    assert figure is not None and figure.text == "0" and figure.read_as == "o"
    # Never surer than recognition was of the digit: the gate needs a rule to let it stand.
    assert figure.confidence == pytest.approx(0.35)


def test_a_speck_beside_a_figure_is_dropped_and_the_reading_kept_as_a_candidate(eng) -> None:
    reading = eng._decode(_probs(eng, [{"1": 0.95}, {"2": 0.9}, {}, {".": 0.8}]), 1.0)
    assert (reading.text, reading.figure.text, reading.figure.read_as) == ("12.", "12", "12.")
    # A point inside a figure is the figure's own.
    inner = eng._decode(_probs(eng, [{"9": 0.9}, {".": 0.9}, {"6": 0.9}]), 1.0)
    assert (inner.text, inner.figure) == ("9.6", None)


@pytest.mark.parametrize(
    "steps",
    [
        [{"心": 0.7, "0": 0.2}],  # not a look-alike of a digit
        [{"总": 0.9}, {"计": 0.9}],  # a word
        [{"o": 0.9}, {"f": 0.9}],  # letters that are no figure
    ],
)
def test_words_and_unlike_marks_get_no_figure_reading(eng, steps) -> None:
    assert eng._decode(_probs(eng, steps), 1.0).figure is None


def test_a_look_alike_is_the_digit_it_is_shaped_like_however_little_recognition_saw_it() -> None:
    eng = engine(EngineSettings())
    reading = eng._decode(_probs(eng, [{"l": 0.9, "7": 0.06, "1": 0.02}, {}, {"o": 0.8}]), 1.0)
    assert (reading.text, reading.figure.text) == ("lo", "10")
    # As sure as recognition was of those digits: nothing but a rule lets it stand.
    assert reading.figure.confidence == pytest.approx(0.0)
    # A bracket beside a figure is a speck or a rule's stub, not a 1.
    bracket = eng._decode(_probs(eng, [{"[": 0.7}, {"4": 0.9}]), 1.0)
    assert bracket.figure.text == "4"
