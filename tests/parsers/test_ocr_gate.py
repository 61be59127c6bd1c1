"""The OCR gate: a figure read by OCR stands only where a rule or a second reading confirms it.

The facts are a real parse of a generated HTML report whose figures all pass their rules;
some cells are then re-labelled as read by OCR (as a scan of the same report would be).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from parsers.model import Fact, Where
from parsers.ocr_gate import GateSettings, gate_ocr
from parsers.report import parse_report
from parsers.templates import load_format

SYNTH = Path(__file__).resolve().parent.parent / "fixtures" / "synth"


@cache
def _report():
    name = "0002-clean-2022.html"
    return parse_report((SYNTH / name).read_bytes(), name)


def _ocr(f: Fact, confidence: float, readings: tuple[str, ...] = ()) -> Fact:
    where = Where("ocr", page=2, bbox=(1, 2, 3, 4), confidence=confidence, readings=readings)
    return replace(f, where=where)


def _with(key: tuple[str, str, str], make) -> tuple[list[Fact], Fact]:
    facts = list(_report().facts)
    i = next(i for i, f in enumerate(facts) if (f.table_id, f.row_id, f.col_id) == key)
    facts[i] = make(facts[i])
    return facts, facts[i]


def _get(facts: list[Fact], key) -> Fact:
    return next(f for f in facts if (f.table_id, f.row_id, f.col_id) == key)


KEY = ("requests", "new_received", "natural_person")


def test_reading_that_every_rule_passes_is_kept_even_when_unsure() -> None:
    report = _report()
    assert report.status == "parsed"
    fmt = load_format(report.format)
    facts, f = _with(KEY, lambda f: _ocr(f, 0.4))
    assert _get(gate_ocr(fmt, facts).facts, KEY) == f


def test_misread_digit_that_breaks_the_row_total_is_missing_with_candidates() -> None:
    fmt = load_format(_report().format)

    def misread(f: Fact) -> Fact:
        wrong = f.value + 5
        return _ocr(replace(f, value=wrong, raw=str(wrong)), 0.97, (str(f.value),))

    facts, f = _with(KEY, misread)
    gated = gate_ocr(fmt, facts)
    out = _get(gated.facts, KEY)
    assert out.status == "missing" and out.value is None and out.raw is None
    assert out.note.startswith(f"OCR: {f.raw} or {f.value - 5} (confidence 0.97)")
    assert "requests.row_total" in out.note and "fails" in out.note
    assert out.where.kind == "ocr" and out.where.page == 2
    assert any("withheld" in d.message for d in gated.diagnoses)


def test_sure_reading_confirmed_by_a_second_one_stands_where_rules_cannot_decide() -> None:
    fmt = load_format(_report().format)
    facts = list(_report().facts)
    # Another cell of the row unreadable: the row total cannot be evaluated.
    other = ("requests", "new_received", "enterprise")
    facts = [
        Fact(*other, None, "missing", note="torn") if (f.table_id, f.row_id, f.col_id) == other
        else f
        for f in facts
    ]  # fmt: skip
    i = next(i for i, f in enumerate(facts) if (f.table_id, f.row_id, f.col_id) == KEY)
    raw = facts[i].raw
    facts[i] = _ocr(facts[i], 0.98, (raw,))
    assert _get(gate_ocr(fmt, facts).facts, KEY).status == facts[i].status
    # The same reading, unsure, or with a second reading that disagrees: withheld.
    for conf, second in ((0.4, raw), (0.98, "8" if raw != "8" else "3"), (0.98, None)):
        facts[i] = _ocr(facts[i], conf, (second,) if second is not None else ())
        out = _get(gate_ocr(fmt, facts).facts, KEY)
        assert out.status == "missing", (conf, second)
        assert "cannot be evaluated, so no rule decides" in out.note


def test_empty_cell_stands_only_when_the_image_shows_no_ink() -> None:
    fmt = load_format(_report().format)
    facts = list(_report().facts)
    blank = next(f for f in facts if f.status == "blank" and f.table_id == "requests")
    key = (blank.table_id, blank.row_id, blank.col_id)
    other = next(
        f for f in facts if f.table_id == "requests" and f.row_id == blank.row_id and f != blank
    )
    facts = [
        Fact(other.table_id, other.row_id, other.col_id, None, "missing", note="torn")
        if f == other
        else _ocr(f, 1.0, ("",))
        if f == blank
        else f
        for f in facts
    ]
    assert _get(gate_ocr(fmt, facts).facts, key).status == "blank"
    facts = [_ocr(f, 0.0) if (f.table_id, f.row_id, f.col_id) == key else f for f in facts]
    out = _get(gate_ocr(fmt, facts).facts, key)
    assert out.status == "missing" and "marks in the cell were not recognised" in out.note


def test_gate_leaves_documents_without_ocr_alone() -> None:
    report = _report()
    fmt = load_format(report.format)
    gated = gate_ocr(fmt, list(report.facts))
    assert gated.facts == list(report.facts) and not gated.diagnoses
    assert GateSettings().min_confidence == 0.7
    assert all(f.value is None or isinstance(f.value, Decimal) for f in gated.facts)
