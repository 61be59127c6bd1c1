"""Recognition's decoding: each character's runner-up, and figures misread as look-alikes.

The engine's real charset and decoder run on probability tables written by hand, so each
case says exactly what recognition saw.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parsers.readers.pdf.ocr.engine import engine
from parsers.readers.pdf.settings import EngineSettings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


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


def test_a_digit_is_as_probable_as_all_its_shapes_and_its_runner_up_is_another_figure(eng) -> None:
    # A blurred 0 splits recognition between the digit and the letter o: one figure.
    reading = eng._decode(_probs(eng, [{"0": 0.5, "o": 0.3, "O": 0.1, "8": 0.08}]), 1.0)
    (char,) = reading.chars
    assert char.text == "0" and char.prob == pytest.approx(0.9)
    assert (char.runner_up, char.runner_up_prob) == (None, pytest.approx(0.08))
    reading = eng._decode(_probs(eng, [{"0": 0.5, "o": 0.2, "8": 0.25}]), 1.0)
    assert reading.chars[0].prob == pytest.approx(0.7) and reading.chars[0].runner_up == "8"
    # Other digits have no look-alike: their own probability.
    assert eng._decode(_probs(eng, [{"3": 0.6, "8": 0.3}]), 1.0).chars[0].prob == pytest.approx(0.6)


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


def test_a_lone_figure_detection_missed_is_read_and_a_broken_rule_is_not() -> None:
    import cv2

    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.ocr.unread import unread_figures
    from parsers.readers.pdf.settings import ImageSettings, OcrSettings

    grey = np.full((400, 600), 250, np.uint8)
    cv2.putText(grey, "37", (420, 210), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 20, 2)
    for y in range(40, 360, 30):  # a vertical rule the scan broke into figure-tall stubs
        cv2.line(grey, (300, y), (300, y + 20), 20, 2)
    page = np.dstack([grey] * 3)
    marks = dark_marks(grey, ImageSettings(), 150)
    label = ((60, 190, 200, 215), None)  # a recognised line: the label, 25 pixels tall
    rule = (300.0, 40.0, 300.0, 380.0)
    eng = engine(EngineSettings())
    faint = dark_marks(grey, ImageSettings(), 150, faint=True)
    found = unread_figures([label], [], [rule], marks, faint, eng, page, OcrSettings())
    assert [r.text for _, r in found] == ["37"]
    # Without the rule erased, its stubs are figure-tall marks of their own.
    stubs = unread_figures([label], [], [], marks, faint, eng, page, OcrSettings())
    assert len(stubs) > 1


def test_en_dashes_detection_missed_in_a_table_without_rules_are_read() -> None:
    # A 300 dpi scan of a table of dashes: each en dash's ink 17 by 4 pixels, the detected
    # lines 60 pixels tall; a point beside them is no dash.
    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.ocr.unread import unread_figures
    from parsers.readers.pdf.settings import ImageSettings, OcrSettings

    grey = np.full((300, 900), 250, np.uint8)
    for x in (400, 520, 640, 760):
        grey[150:154, x : x + 17] = 20
    grey[150:155, 850:855] = 20
    page = np.dstack([grey] * 3)
    marks = dark_marks(grey, ImageSettings(), 300)
    faint = dark_marks(grey, ImageSettings(), 300, faint=True)
    label = ((60, 120, 300, 180), None)
    eng = engine(EngineSettings())
    found = unread_figures([label], [], [], marks, faint, eng, page, OcrSettings())
    assert [r.text for _, r in found] == ["—"] * 4
    assert all(b[0] < 800 for b, _ in found)


def test_a_pale_hyphen_is_measured_on_its_faint_ink() -> None:
    # 150 dpi, detected lines 32 pixels tall: a hyphen 9 pixels long of which only the
    # middle 5 reach the mark threshold. Beside it, a guard: a 7 whose stroke down only the
    # faint ink holds is no dash (its faint ink is tall; recognition reads its bar as 7
    # too, so this half alone would not catch the faint measure missing).
    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.ocr.unread import unread_figures
    from parsers.readers.pdf.settings import ImageSettings, OcrSettings

    grey = np.full((200, 600), 250, np.uint8)
    grey[100:102, 300:309] = 150
    grey[100:102, 302:307] = 110
    grey[100:102, 450:460] = 110  # the 7's bar
    for i in range(14):  # its stroke down, pale
        grey[102 + i, 458 - i // 2 : 460 - i // 2] = 150
    page = np.dstack([grey] * 3)
    marks = dark_marks(grey, ImageSettings(), 150)
    faint = dark_marks(grey, ImageSettings(), 150, faint=True)
    label = ((60, 85, 250, 117), None)
    eng = engine(EngineSettings())
    found = unread_figures([label], [], [], marks, faint, eng, page, OcrSettings())
    assert [(b[0] < 400, r.text) for b, r in found] == [(True, "—")]


def test_a_seven_whose_stroke_down_is_faint_is_not_a_dash() -> None:
    import cv2

    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.ocr.unread import unread_cells
    from parsers.readers.pdf.settings import ImageSettings, OcrSettings

    grey = np.full((200, 300), 250, np.uint8)
    cv2.line(grey, (140, 90), (152, 90), 40, 2)  # the 7's bar, dark
    cv2.line(grey, (152, 91), (144, 108), 150, 2)  # its stroke down, faint
    page = np.dstack([grey] * 3)
    marks = dark_marks(grey, ImageSettings(), 150)
    faint = dark_marks(grey, ImageSettings(), 150, faint=True)
    label = ((10, 80, 100, 110), None)  # a recognised line 30 pixels tall
    cell = (100.0, 70.0, 200.0, 130.0)
    eng = engine(EngineSettings())
    found = unread_cells([cell], [label], marks, faint, eng, page, OcrSettings())
    assert all(r.text != "—" for _, r in found)
    # A bar alone is a dash.
    grey[91:110, 140:156] = 250
    faint = dark_marks(grey, ImageSettings(), 150, faint=True)
    found = unread_cells([cell], [label], marks, faint, eng, page, OcrSettings())
    assert [r.text for _, r in found] == ["—"]


def test_a_slash_read_again_as_a_digit_of_one_stroke_stays_a_slash_and_a_seven_does_not() -> None:
    import cv2

    from parsers.readers.pdf.ocr.checks import second_readings
    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.ocr.readings import dash_reading
    from parsers.readers.pdf.settings import ImageSettings, OcrSettings

    eng = engine(EngineSettings())

    def again(draw) -> str | None:
        grey = np.full((120, 200), 250, np.uint8)
        draw(grey)
        page = np.dstack([grey] * 3)
        marks = dark_marks(grey, ImageSettings(), 150)
        faint = dark_marks(grey, ImageSettings(), 150, faint=True)
        # Both were judged slashes by their shape on the first reading.
        found = [((88, 38, 114, 72), dash_reading("/"))]
        return second_readings(found, page, marks, faint, eng, OcrSettings())[0]

    # Recognition reads this slash, scaled up, as '1': all its ink slants, so it stays one.
    assert again(lambda g: cv2.line(g, (104, 44), (96, 66), 30, 2)) == "/"

    def seven(g) -> None:
        cv2.line(g, (95, 45), (106, 45), 30, 2)
        cv2.line(g, (106, 45), (98, 66), 30, 2)

    # A 7's bar keeps its ink from slanting as a slash's: the disagreement stands.
    assert again(seven) == "7"


def test_a_zero_in_a_thin_face_lighter_than_marks_is_read_and_specks_left_out() -> None:
    # A thin Song 0 at 150 dpi in a grey scan: its ink lighter than the mark level, only
    # faint ink; detection found nothing in the cell. Specks about the cell stay out of the
    # crop.
    import cv2

    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.ocr.unread import unread_cells
    from parsers.readers.pdf.settings import ImageSettings, OcrSettings

    grey = np.full((200, 300), 250, np.uint8)
    cv2.putText(grey, "0", (143, 108), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 145, 1)
    grey[80:83, 112:115] = 145  # specks
    grey[117:120, 184:187] = 145
    page = np.dstack([grey] * 3)
    marks = dark_marks(grey, ImageSettings(), 150)
    faint = dark_marks(grey, ImageSettings(), 150, faint=True)
    assert marks[90:112, 140:160].max() == 0 and faint[90:112, 140:160].max() == 255
    label = ((10, 80, 100, 110), None)
    cell = (100.0, 70.0, 200.0, 130.0)
    found = unread_cells(
        [cell], [label], marks, faint, engine(EngineSettings()), page, OcrSettings()
    )
    assert [r.text for _, r in found] == ["0"]
    ((box, _),) = found
    assert 130 <= box[0] and box[2] <= 170


def test_a_lone_figure_the_threshold_broke_in_two_is_read_whole() -> None:
    # A 2 whose middle is pale: the mark threshold leaves two pieces, each shorter than a
    # figure; they are one mark, read as a figure.
    import cv2

    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.ocr.unread import unread_figures
    from parsers.readers.pdf.settings import ImageSettings, OcrSettings

    grey = np.full((200, 600), 250, np.uint8)
    cv2.putText(grey, "2", (400, 120), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 20, 2)
    ys = np.nonzero((grey[:, 395:425] < 128).any(axis=1))[0]
    middle = (ys[0] + ys[-1]) // 2
    band = grey[middle : middle + 2, 395:425]
    band[band < 128] = 150
    page = np.dstack([grey] * 3)
    marks = dark_marks(grey, ImageSettings(), 150)
    faint = dark_marks(grey, ImageSettings(), 150, faint=True)
    label = ((60, 96, 250, 128), None)
    eng = engine(EngineSettings())
    found = unread_figures([label], [], [], marks, faint, eng, page, OcrSettings())
    assert [r.text for _, r in found] == ["2"]
    apart = unread_figures([label], [], [], marks, faint, eng, page, OcrSettings(figure_break=0))
    assert apart == []


def test_pale_hyphens_detection_missed_are_read_in_a_lines_height() -> None:
    # Three hyphens from a generated 300 dpi grey JPEG scan (seed 9), detection having
    # missed them: read in crops only as tall as their strokes, two read as '1' and were
    # lost; in a detected line's height (58 pixels on that page) all three read as dashes.
    import cv2

    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.ocr.unread import unread_figures
    from parsers.readers.pdf.settings import ImageSettings, OcrSettings

    grey = cv2.imread(str(FIXTURES / "scan" / "pale-hyphens-300dpi.png"), cv2.IMREAD_GRAYSCALE)
    page = np.dstack([grey] * 3)
    marks = dark_marks(grey, ImageSettings(), 300)
    faint = dark_marks(grey, ImageSettings(), 300, faint=True)
    label = ((0, 0, 60, 58), None)
    eng = engine(EngineSettings())
    found = unread_figures([label], [], [], marks, faint, eng, page, OcrSettings())
    assert [r.text for _, r in found] == ["—"] * 3
    assert all(b[3] - b[1] == 58 for b, _ in found)


def test_a_speck_touching_a_rules_pale_halo_is_no_dash() -> None:
    # The speck's faint ink runs into the rule's halo: measured with it, it would be a
    # long flat stroke. A stroke's faint ink is taken off rules as its ink is.
    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.ocr.unread import unread_figures
    from parsers.readers.pdf.settings import ImageSettings, OcrSettings

    grey = np.full((200, 600), 250, np.uint8)
    grey[99:101, 50:550] = 20  # a rule
    grey[101:105, 50:550] = 150  # its pale halo
    grey[105:108, 300:304] = 20  # a speck just clear of the rule
    page = np.dstack([grey] * 3)
    marks = dark_marks(grey, ImageSettings(), 150)
    faint = dark_marks(grey, ImageSettings(), 150, faint=True)
    label = ((60, 40, 250, 72), None)
    rule = (50.0, 100.0, 550.0, 100.0)
    eng = engine(EngineSettings())
    assert unread_figures([label], [], [rule], marks, faint, eng, page, OcrSettings()) == []


def _crop(name: str, dpi: int):
    """A committed crop of a real scan, deskewed: the page recognition reads (despeckled),
    the threshold's marks and the faint ink."""
    import cv2

    from parsers.readers.pdf.ocr.image import dark_marks, despeckle
    from parsers.readers.pdf.settings import ImageSettings

    grey = cv2.imread(str(FIXTURES / "scan" / name), cv2.IMREAD_GRAYSCALE)
    return (
        np.dstack([despeckle(grey)] * 3),
        dark_marks(grey, ImageSettings(), dpi),
        dark_marks(grey, ImageSettings(), dpi, faint=True),
    )


def test_a_slash_read_twice_as_a_one_is_no_agreeing_reading() -> None:
    # A generated report's '/' at 200 dpi (synth.scan seed 7), read '1' at both scales and
    # taken as a figure in a table no rule covers. All its ink slants as a slash's does.
    from parsers.readers.pdf.ocr.checks import second_readings
    from parsers.readers.pdf.ocr.engine import Char, Reading
    from parsers.readers.pdf.settings import OcrSettings

    eng = engine(EngineSettings())
    page, marks, faint = _crop("slash-read-as-one-200dpi.png", 200)
    one = Reading((Char("1", 0.83, None, 0.0, 0.5),))
    found = [((31, 26, 68, 59), one)]
    assert second_readings(found, page, marks, faint, eng, OcrSettings()) == ["/"]
    # An upright 1, serifs and all, is read again as itself.
    grey = np.full((80, 90), 250, np.uint8)
    grey[20:52, 44:47] = 30
    grey[20:23, 40:45] = 30
    grey[50:52, 38:54] = 30
    upright = np.dstack([grey] * 3)
    from parsers.readers.pdf.ocr.image import dark_marks
    from parsers.readers.pdf.settings import ImageSettings

    ink = dark_marks(grey, ImageSettings(), 200)
    ink_faint = dark_marks(grey, ImageSettings(), 200, faint=True)
    found = [((30, 12, 62, 60), one)]
    assert second_readings(found, upright, ink, ink_faint, eng, OcrSettings()) == ["1"]


def test_a_minus_the_blur_made_square_in_the_faint_ink_is_seen_in_the_threshold() -> None:
    # A generated report's '-6' at 150 dpi (synth.scan seed 9), read '6' twice: the
    # minus's faint ink is 4 x 3, too square for a minus, but its threshold ink is 4 x 1.
    from tests.parsers.ocr_scenes import unread_marks

    _, marks, faint = _crop("minus-six-150dpi.png", 150)
    assert unread_marks("6", (30, 20, 46, 43), marks, faint)
    # The 6 alone is no more than it was read as.
    assert not unread_marks("6", (36, 20, 46, 43), marks, faint)
