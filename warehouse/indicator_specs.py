"""Indicator definitions (`indicators.toml`) loaded once into frozen objects and checked
against the templates: every term names a cell the format has."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from parsers.errors import NianbaoError
from parsers.templates import FORMATS, load_format

FILE = Path(__file__).with_name("indicators.toml")
SHARE = "share"  # the unit of numerator / denominator
MONEY_UNITS = {"万元": {"元": "0.0001", "万元": "1"}}  # wanted unit -> printed unit -> factor
ROLES = ("numerator", "denominator")
PLACES = ("province", "city")
LEVELS = ("central", "province", "city", "county", "township")


class DefinitionError(NianbaoError):
    """indicators.toml says something the templates or the rules do not allow (our fault)."""


@dataclass(frozen=True)
class Term:
    """One cell an indicator adds (sign 1) or subtracts (sign −1)."""

    table_id: str
    row_id: str
    col_id: str
    sign: int = 1

    @property
    def code(self) -> str:
        return f"{self.table_id}.{self.row_id}.{self.col_id}"


@dataclass(frozen=True)
class Indicator:
    """One indicator: its names, unit, formats and the cells of its numerator/denominator."""

    id: str
    position: int
    name_zh: str
    name_en: str
    unit: str
    formats: tuple[str, ...]
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...] = ()
    notes: str = ""
    format_note: str = ""
    references: str = ""

    @property
    def kind(self) -> str:
        """share (numerator / denominator), amount (money) or count."""
        if self.denominator:
            return "share"
        return "amount" if self.unit in MONEY_UNITS else "count"

    def terms(self) -> list[tuple[str, Term]]:
        """(role, term) of every cell, numerator first."""
        return [("numerator", t) for t in self.numerator] + [
            ("denominator", t) for t in self.denominator
        ]

    def formula(self) -> str:
        """The formula over canonical codes, e.g. (a + b) / c."""
        top = _sum_text([t.code for t in self.numerator], [t.sign for t in self.numerator])
        if not self.denominator:
            return top
        bottom = _sum_text([t.code for t in self.denominator], [t.sign for t in self.denominator])
        return f"{top} / {bottom}"

    def formula_printed(self, fmt: str) -> str:
        """The formula in the official wording of the format's rows and columns."""
        spec = load_format(fmt)

        def label(t: Term) -> str:
            table = spec.tables[t.table_id]
            row = table.row(t.row_id).printed or t.row_id
            col = table.printed_columns.get(t.col_id, t.col_id)
            return f"{row}·{col}"

        top = _sum_text([label(t) for t in self.numerator], [t.sign for t in self.numerator])
        if not self.denominator:
            return top
        bottom = _sum_text([label(t) for t in self.denominator], [t.sign for t in self.denominator])
        return f"{top} / {bottom}"


def _sum_text(parts: list[str], signs: list[int]) -> str:
    text = ""
    for i, (part, sign) in enumerate(zip(parts, signs, strict=True)):
        text += (" − " if sign < 0 else " + ") if i else ("−" if sign < 0 else "")
        text += part
    return f"({text})" if len(parts) > 1 else text


@dataclass(frozen=True)
class PeerScope:
    """Agencies compared within one kind of place: same places, same level and body."""

    id: str
    places: tuple[str, ...]
    levels: tuple[str, ...]

    def __post_init__(self) -> None:
        if bad := [p for p in self.places if p not in PLACES]:
            raise DefinitionError(f"peer scope {self.id}: unknown places {bad}; use {PLACES}")
        if bad := [lv for lv in self.levels if lv not in LEVELS]:
            raise DefinitionError(f"peer scope {self.id}: unknown levels {bad}; use {LEVELS}")


@dataclass(frozen=True)
class ComparisonSettings:
    """Peer groups and the outlier fences."""

    fence: float
    min_group: int
    scopes: tuple[PeerScope, ...]

    def __post_init__(self) -> None:
        if not self.fence > 0:
            raise DefinitionError(f"comparison.fence must be positive, got {self.fence}")
        if self.min_group < 2:
            raise DefinitionError(f"comparison.min_group must be at least 2, got {self.min_group}")


@dataclass(frozen=True)
class IndicatorBook:
    """Every indicator, which empty cells count as zero, and how agencies are compared."""

    indicators: tuple[Indicator, ...]
    zero_cells: dict[str, tuple[str, ...]]  # table -> "row.col" codes, or ("*",)
    comparison: ComparisonSettings

    def empty_is_zero(self, term: Term) -> bool:
        """Whether a blank or dash cell of this term counts as zero (a part of a sum)."""
        listed = self.zero_cells.get(term.table_id, ())
        return "*" in listed or f"{term.row_id}.{term.col_id}" in listed

    def get(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)


def _term(text: str, where: str) -> Term:
    sign = -1 if text.startswith("-") else 1
    parts = text.lstrip("-").split(".")
    if len(parts) != 3:
        raise DefinitionError(f"{where}: term {text!r} is not table.row.col")
    return Term(*parts, sign=sign)


def _check_terms(ind: Indicator) -> None:
    for fmt in ind.formats:
        if fmt not in FORMATS:
            raise DefinitionError(f"indicator {ind.id}: unknown format {fmt!r}")
        tables = load_format(fmt).tables
        for _, t in ind.terms():
            table = tables.get(t.table_id)
            if table is None:
                raise DefinitionError(f"indicator {ind.id}: format {fmt} has no table {t.table_id}")
            try:
                row = table.row(t.row_id)
            except KeyError:
                raise DefinitionError(
                    f"indicator {ind.id}: format {fmt} table {t.table_id} has no row {t.row_id}"
                ) from None
            if t.col_id not in row.cols:
                raise DefinitionError(
                    f"indicator {ind.id}: format {fmt} row {t.table_id}.{t.row_id} has no "
                    f"column {t.col_id} (it has {', '.join(row.cols)})"
                )
    if ind.unit in MONEY_UNITS and ind.denominator:
        raise DefinitionError(f"indicator {ind.id}: a money amount has no denominator")


def parse_book(data: dict) -> IndicatorBook:
    """The book from the TOML's data (checked against the templates)."""
    indicators = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("indicator", [])):
        where = f"indicator {raw.get('id', i)}"
        if raw["id"] in seen:
            raise DefinitionError(f"{where}: defined twice")
        seen.add(raw["id"])
        ind = Indicator(
            id=raw["id"],
            position=i + 1,
            name_zh=raw["name_zh"],
            name_en=raw["name_en"],
            unit=raw["unit"],
            formats=tuple(raw["formats"]),
            numerator=tuple(_term(t, where) for t in raw["numerator"]),
            denominator=tuple(_term(t, where) for t in raw.get("denominator", ())),
            notes=raw.get("notes", ""),
            format_note=raw.get("format_note", ""),
            references=raw.get("references", ""),
        )
        if (ind.unit == SHARE) != bool(ind.denominator):
            raise DefinitionError(f"{where}: unit 'share' exactly when there is a denominator")
        _check_terms(ind)
        indicators.append(ind)
    comp = data["comparison"]
    comparison = ComparisonSettings(
        fence=float(comp["fence"]),
        min_group=int(comp["min_group"]),
        scopes=tuple(
            PeerScope(s["id"], tuple(s["places"]), tuple(s["levels"])) for s in comp["scope"]
        ),
    )
    zero = {t: tuple(v) for t, v in data.get("empty_counts_as_zero", {}).items()}
    return IndicatorBook(tuple(indicators), zero, comparison)


@cache
def load_indicators(path: Path = FILE) -> IndicatorBook:
    """The indicator book of `indicators.toml` (loaded once)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DefinitionError(f"cannot read {path}: {exc}") from exc
    return parse_book(data)
