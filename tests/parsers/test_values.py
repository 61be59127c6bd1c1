"""Cell text to value and status."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parsers.values import read_value


@pytest.mark.parametrize(
    ("raw", "value", "status", "unit", "note"),
    [
        ("0", "0", "ok", None, None),
        ("1,234", "1234", "ok", None, None),
        ("1，234", "1234", "ok", None, None),
        ("１２３", "123", "ok", None, None),
        ("-417", "-417", "ok", None, None),
        ("−417", "-417", "ok", None, None),
        ("+14", "14", "ok", None, None),
        ("96171.6", "96171.6", "ok", None, None),
        ("59237.2449", "59237.2449", "ok", None, None),
        ("251000元", "251000", "ok", "元", None),
        ("35.6万元", "35.6", "ok", "万元", None),
        ("12件", "12", "ok", None, None),
        ("22（其中修订16件）", "22", "ok", None, "其中修订16件"),
        ("", None, "blank", None, None),
        ("\u00a0", None, "blank", None, None),
        ("/", None, "dash", None, None),
        ("—", None, "dash", None, None),
        ("-", None, "dash", None, None),
        ("无", None, "dash", None, None),
        ("無", None, "dash", None, None),
    ],
)
def test_read_value(raw, value, status, unit, note) -> None:
    rv = read_value(raw)
    assert rv.value == (None if value is None else Decimal(value))
    assert (rv.status, rv.unit, rv.note) == (status, unit, note)


@pytest.mark.parametrize("raw", ["见附件", "约30", "12.3.4", "abc"])
def test_unreadable_text_is_missing_with_reason(raw) -> None:
    rv = read_value(raw)
    assert rv.value is None and rv.status == "missing" and raw in rv.note


def test_decimals_keep_their_digits() -> None:
    assert str(read_value("59237.2449").value) == "59237.2449"


@pytest.mark.parametrize("raw", ["5\n3", "821 35", "1 234", "12①", "12¹", "½"])
def test_two_figures_or_footnote_marks_are_never_one_number(raw) -> None:
    rv = read_value(raw)
    assert rv.value is None and rv.status == "missing"


def test_numbers_beyond_the_warehouse_range_are_missing() -> None:
    rv = read_value("1234567890123456789012")
    assert rv.value is None and "out of range" in rv.note
