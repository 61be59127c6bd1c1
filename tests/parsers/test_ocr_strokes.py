"""Strokes on a scanned page that are pieces of longer ones (a seal's ring, a rule), and
rules a line's box takes in: no dash is read on them, and no figure is read with them; and
what a flat stroke must be read as to be a dash."""

from __future__ import annotations

import numpy as np

from parsers.readers.pdf.settings import OcrSettings
from tests.parsers.ocr_scenes import FakeEngine, draw_zero, reading


def test_a_dash_read_on_a_piece_of_a_longer_stroke_is_dropped() -> None:
    # Recognition reads '一' in a box a seal's ring (or a rule) crosses: the stroke runs
    # on beyond the box, so it is no dash. A stroke of its own there is one.
    from parsers.readers.pdf.ocr.scan import _kept_readings

    s, dash = OcrSettings(), reading(("一", 0.5))
    ring = np.zeros((60, 200), np.uint8)
    ring[30:33, 20:180] = 255
    assert _kept_readings([(80, 20, 100, 42)], [dash], set(), ring, s) == []
    alone = np.zeros((60, 200), np.uint8)
    alone[30:33, 84:96] = 255
    kept = _kept_readings([(80, 20, 100, 42)], [dash], set(), alone, s)
    assert [r.text for _, r in kept] == ["—"]


def test_a_piece_of_a_longer_stroke_left_outside_the_lines_read_is_no_dash() -> None:
    # A seal's ring runs flat through a line read: the piece left outside the line's box
    # is as flat and low as a dash, but it runs on into the line: no dash of its own.
    from parsers.readers.pdf.ocr.unread import unread_figures

    s = OcrSettings()
    page = np.full((200, 240, 3), 255, np.uint8)
    found = [((120, 90, 220, 110), reading(("其", 0.3), ("他", 0.7)))]
    ring = np.zeros((200, 240), np.uint8)
    ring[99:102, 90:200] = 255
    assert unread_figures(found, [], [], ring, ring, FakeEngine(), page, s) == []
    # The same piece standing alone is read (here as nothing legible: a dash).
    alone = np.zeros((200, 240), np.uint8)
    alone[99:102, 90:115] = 255
    read = unread_figures(found, [], [], alone, alone, FakeEngine(), page, s)
    assert [r.text for _, r in read] == ["—"]


def _rule_scene() -> tuple[np.ndarray, np.ndarray, list, list, tuple[int, int, int, int]]:
    """A 0 set flush left in its ruled cell, 4 pixels right of the cell's rule, and the
    box detection drew taking the rule in: the faint ink, the page, the cell, the rule."""
    faint = np.zeros((60, 80), np.uint8)
    faint[0:60, 20:22] = 255  # the rule, found at x 20 to 21
    draw_zero(faint, 26, y=20)
    page = np.full((60, 80, 3), 255, np.uint8)
    return faint, page, [(10.0, 0.0, 70.0, 60.0)], [(20.0, 0.0, 21.0, 60.0)], (17, 16, 40, 38)


def test_a_box_taking_in_a_rule_is_read_again_cut_short_of_it() -> None:
    # Read '10' with the rule: cut past the rule and read again as '0', the rule's '1'
    # gone, the cut stands; so it does where the new reading is the old one.
    from parsers.readers.pdf.ocr.recut import off_rules

    faint, page, cells, rules, box = _rule_scene()
    s = OcrSettings()
    cut = (22, 16, 40, 38)
    ten, zero = reading(("1", 0.1), ("0", 0.6)), reading(("0", 0.5))
    engine = FakeEngine(zero)
    assert off_rules([box], [ten], cells, rules, faint, engine, page, s) == ([cut], [zero])
    assert [c.shape[:2] for c in engine.crops] == [(22, 18)]
    same = FakeEngine(reading(("0", 0.4)))
    assert off_rules([box], [zero], cells, rules, faint, same, page, s)[0] == [cut]


def test_a_cut_that_changes_more_than_the_rules_stroke_is_refused() -> None:
    # The new reading stands only where it is the old one less a stroke read at the cut
    # end ('1', '[', '|'): a 3 read there was a digit, and another digit read anew is no
    # reading of the same figure.
    from parsers.readers.pdf.ocr.recut import off_rules

    faint, page, cells, rules, box = _rule_scene()
    s = OcrSettings()
    zero, eight = reading(("0", 0.5)), reading(("8", 0.5))
    thirty = reading(("3", 0.1), ("0", 0.6))
    refused = off_rules([box], [thirty], cells, rules, faint, FakeEngine(zero), page, s)
    assert refused == ([box], [thirty])
    ten = reading(("1", 0.1), ("0", 0.6))
    refused = off_rules([box], [ten], cells, rules, faint, FakeEngine(eight), page, s)
    assert refused == ([box], [ten])


class _PageEngine(FakeEngine):
    """A scripted engine that detects the text lines `boxes` on any page."""

    def __init__(self, boxes: list, *readings) -> None:
        super().__init__(*readings)
        self.boxes = boxes

    def detect(self, image: np.ndarray) -> list:
        return list(self.boxes)


def test_a_page_read_cuts_a_cells_rule_off_the_figure_read_with_it(monkeypatch) -> None:
    # A ruled table at 200 dpi, a 0 set flush left in a cell, the box detection drew
    # taking in the cell's left rule, read '10': the page's word is the 0 read again in
    # the box cut short of the rule.
    from parsers.readers.pdf.ocr import scan

    rgb = np.full((600, 800, 3), 255, np.uint8)
    for y in (100, 160, 220):
        rgb[y : y + 3, 100:700] = 0
    for x in (100, 300, 500, 700):
        rgb[100:223, x : x + 3] = 0
    zero = np.zeros((600, 800), np.uint8)
    draw_zero(zero, 310, y=180, w=12, h=20)
    rgb[zero > 0] = 0
    ocr = _PageEngine([(298, 176, 340, 204)], reading(("1", 0.1), ("0", 0.6)), reading(("0", 0.5)))
    monkeypatch.setattr(scan, "engine", lambda settings: ocr)
    reader = scan.ScanReader(b"", OcrSettings())
    monkeypatch.setattr(reader, "_render", lambda number, dpi: rgb)
    page = reader.recognise(1, 800 * 72 / 200, 600 * 72 / 200, [])
    assert [w.text for w in page.words] == ["0"]
    assert page.words[0].bbox[0] > 303 * 72 / 200  # past the rule's ink


def test_a_flat_stroke_read_as_dashes_run_together_is_a_dash_no_ideograph_is() -> None:
    # A hyphen whose ends recognition read apart ('-一') is a dash; 二 (two strokes) and a
    # digit are not, nor is nothing read.
    from parsers.readers.pdf.ocr.readings import dash_marks

    assert all(dash_marks(t) for t in ("—", "-一", " 一- ", "——", "~"))
    assert not any(dash_marks(t) for t in ("二", "-1", "一二", "", " "))
