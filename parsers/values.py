"""Cell text to a number and a contract status; the raw text always kept by the caller."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from parsers.script import fold
from parsers.vocabulary import load_vocabulary

_VOCABULARY = load_vocabulary()
_DASHES = _VOCABULARY.dashes
_MONEY_UNITS = frozenset(_VOCABULARY.money_units)
# Longest first, so that 万元 is read before 万 and 人次 before 次.
_UNIT = "|".join(sorted(_VOCABULARY.money_units + _VOCABULARY.count_units, key=len, reverse=True))
_NUMBER = re.compile(
    r"^(?P<sign>[+\-]?)\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    rf"(?P<unit>{_UNIT})?$"
)
# Units printed in Traditional script read as their Simplified forms.
_TRADITIONAL_UNITS = str.maketrans({"萬": "万", "個": "个", "項": "项", "條": "条", "無": "无"})
# The warehouse stores DECIMAL(24, 6): 18 digits before the point.
_LIMIT = Decimal(10) ** 18
_ANNOTATION = re.compile(r"^(?P<head>[^()]*?)\s*\((?P<note>[^()]*)\)\s*$")


@dataclass(frozen=True, slots=True)
class ReadValue:
    """A cell read: value and status per the contract, plus unit and annotation if printed."""

    value: Decimal | None
    status: str
    unit: str | None = None
    note: str | None = None


@lru_cache(maxsize=4096)
def read_value(raw: str | None) -> ReadValue:
    """Read one cell's text: `ok`, `blank`, `dash`, or `missing` with why it is unreadable."""
    if raw is None:
        return ReadValue(None, "missing", note="cell absent")
    if any(unicodedata.category(ch) == "No" for ch in raw):
        # Circled, superscript and fraction digits are footnote marks, not figures; NFKC
        # would turn 12① into 121.
        return ReadValue(None, "missing", note=f"unreadable cell text {raw.strip()!r}")
    text = fold(raw).replace("\u00a0", " ").replace("\u2212", "-").strip()
    # Space between digits: two figures run together ("5 3", or two PDF cells), never one;
    # Chinese reports group thousands with commas.
    if re.search(r"\d\s+\d", text):
        return ReadValue(None, "missing", note=f"two figures in one cell {raw.strip()!r}")
    text = re.sub(r"\s+", "", text).translate(_TRADITIONAL_UNITS)
    if not text:
        return ReadValue(None, "blank")
    if text in _DASHES or set(text) <= {"-", "—", "－", "/"}:
        return ReadValue(None, "dash")
    note = None
    m = _ANNOTATION.match(text)
    if m and m.group("head"):
        text, note = m.group("head"), m.group("note")
    text = text.replace("，", ",")
    m = _NUMBER.match(text)
    if not m:
        return ReadValue(None, "missing", note=f"unreadable cell text {raw.strip()!r}")
    try:
        value = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:
        return ReadValue(None, "missing", note=f"unreadable number {raw.strip()!r}")
    if m.group("sign") == "-":
        value = -value
    if abs(value) >= _LIMIT:
        return ReadValue(None, "missing", note=f"number out of range {raw.strip()!r}")
    unit = m.group("unit")
    if unit not in _MONEY_UNITS:
        unit = None  # a count word (件, 个) says nothing the column does not
    return ReadValue(value, "ok", unit, note)


_FIGURES_ONLY = re.compile(r"^[\d\s,，.．+\-−]+$")


@lru_cache(maxsize=8192)
def is_value_text(raw: str) -> bool:
    """Whether a cell holds a value (a number, blank or dash, or unreadable figures such as
    two numbers run together) rather than a label: it takes a value's place in its row."""
    return read_value(raw).status != "missing" or bool(_FIGURES_ONLY.match(fold(raw)))
