"""How each figure is printed in its cell: zero style, digits, separators, units, signs."""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth import codes
from synth.codes import Key
from synth.draw import chance, choose
from synth.settings import Odds
from synth.values import Figures
from synth.wording import Wording

FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
# Cells whose figure is money, with its unit.
MONEY_COLS = frozenset({"amount"})
# Columns printed with a sign (2019 本年增/减).
SIGNED_COLS = frozenset({"change"})
# Cells a report may annotate, e.g. 22（其中修订16件）.
ANNOTATABLE = frozenset(
    (row, col) for row in ("rules", "normative_docs") for col in ("made", "issued")
)


@dataclass
class Cell:
    """One printed value cell: its text (Simplified, before script conversion) and gold meaning."""

    raw: str
    value: int | float | None
    status: str  # ok, blank or dash
    unit: str | None = None


@dataclass
class CellStyle:
    """A document's printing habits, drawn once."""

    zero: dict[str, str]  # table_id -> "0", "blank" or "dash"
    dash: str
    fullwidth_tables: frozenset[str]
    thousands: str  # "" for none, else "," or "，"
    unit_table: str  # table whose counts carry 件, or ""
    annotate: bool
    plus_sign: bool


def number_value(text: str) -> int | float:
    """The JSON number of printed digits: int unless a decimal point is printed."""
    return float(text) if "." in text else int(text)


def draw_style(
    rng: random.Random, quirks: set[str], words: Wording, odds: Odds, forced_zero: str = ""
) -> CellStyle:
    """Pick a document's printing habits; `forced_zero` pins the zero style of section 三."""
    zero = {
        "proactive": choose(rng, odds.proactive_zero_styles),
        "requests": forced_zero or choose(rng, odds.zero_styles),
        "reviews": choose(rng, odds.zero_styles),
    }
    dash = rng.choice(words.extra("dash_marks"))
    fullwidth: frozenset[str] = frozenset()
    if "fullwidth_digits" in quirks:
        fullwidth = frozenset(t for t in codes.TABLES if chance(rng, 0.5)) or frozenset(
            {"requests"}
        )
    return CellStyle(
        zero=zero,
        dash=dash,
        fullwidth_tables=fullwidth,
        thousands=rng.choice((",", "，")) if "thousands_sep" in quirks else "",
        unit_table=rng.choice(codes.TABLES) if "unit_in_cell" in quirks else "",
        annotate="annotation" in quirks,
        plus_sign="plus_sign" in quirks,
    )


def _grouped(digits: str, sep: str) -> str:
    """1234567.5 -> 1,234,567.5 with the given separator."""
    whole, dot, frac = digits.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + sep.join(groups) + dot + frac


def _zero(rng: random.Random, style: CellStyle, table: str, odds: Odds, words: Wording) -> Cell:
    """A zero printed in the table's style, now and then in another one (reports mix)."""
    how = style.zero[table]
    if chance(rng, odds.zero_style_stray):
        how = rng.choice(("0", "blank", "dash"))
    if how == "blank":
        return Cell("", None, "blank")
    if how == "dash":
        mark = style.dash if chance(rng, 0.9) else rng.choice(words.extra("dash_marks"))
        return Cell(mark, None, "dash")
    return Cell("0", 0, "ok")


def format_cells(
    rng: random.Random,
    figures: Figures,
    fmt: str,
    style: CellStyle,
    words: Wording,
    odds: Odds,
) -> dict[Key, Cell]:
    """Printed cell for every key the document prints."""
    out: dict[Key, Cell] = {}
    printed = codes.fact_keys(fmt, figures.hybrid)
    if figures.hybrid:
        printed = [k for k in printed if k[1] not in codes.OTHER_SUB_ROWS]
    for key in printed:
        out[key] = _format_one(rng, key, figures, style, words, odds)
    return out


def _format_one(
    rng: random.Random,
    key: Key,
    figures: Figures,
    style: CellStyle,
    words: Wording,
    odds: Odds,
) -> Cell:
    """Print one figure."""
    table, row, col = key
    figure = figures.numbers[key]
    money = col in MONEY_COLS
    unit = figures.amount_unit if money else None
    digits = str(figure)
    if digits == "0":
        cell = _zero(rng, style, table, odds, words)
        if money and unit and cell.status == "ok":
            if figures.amount_unit_at == "header":
                cell.unit = unit
            elif chance(rng, 0.5):
                # A zero amount prints its in-cell unit only sometimes ("0" or "0元").
                cell.raw += unit
                cell.unit = unit
        return cell
    value = number_value(digits)
    text = digits
    if style.thousands and abs(value) >= 1000:
        text = _grouped(text, style.thousands)
    if table in style.fullwidth_tables:
        text = text.translate(FULLWIDTH_DIGITS)
    if col in SIGNED_COLS and style.plus_sign and value > 0:
        text = "+" + text
    if money and figures.amount_unit_at == "cell":
        text += unit or ""
    elif table == style.unit_table and col not in SIGNED_COLS and not money:
        text += words.extra("count_unit")
    if style.annotate and (row, col) in ANNOTATABLE and value > 1 and chance(rng, 0.6):
        text += words.extra("annotation").format(k=rng.randint(1, int(value) - 1))
    return Cell(text, value, "ok", unit)
