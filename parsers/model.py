"""The parsed report: frozen values that flow from parsers to the warehouse."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any

# Contract statuses of a fact (shared/spec/contract.md).
FACT_STATUSES = ("ok", "blank", "dash", "repaired", "derived", "missing")
CHECK_STATUSES = ("pass", "fail", "not_evaluable")
REPORT_STATUSES = ("parsed", "partial", "failed")
# What an OCR reader adds to an empty cell's readings (`Where.readings`) when the image
# shows no ink across the cell's whole row, half a line beyond it above and below: the row
# prints nothing, which places its empty cells even in a table without ruling lines.
ROW_CLEAR = "no ink across the row"
# What an OCR reader adds to the readings of a cell that a seal's disc overlaps: the seal's
# ring, star and words are ink that reads as digits or dashes, so the image alone confirms
# nothing there (only a rule that passes can).
UNDER_SEAL = "a seal's ink over the cell"
# What an OCR reader adds to the readings of a figure with marks of a glyph's size beside it
# that no reading covers: a digit lost, or a speck read as one, so the figure may be a digit
# longer or shorter than read.
UNREAD_MARKS = "unread marks beside the figure"
# What recognition reads for a closed loop of ink, 0 and its look-alikes: a 0 every reading
# of which is one of these is neither a dash nor an empty cell.
ZERO_SHAPES = "0oO〇QD"


@dataclass(frozen=True, slots=True)
class Where:
    """Where a cell or block sits in its source document.

    HTML and Word (`docx`): `table`, `row`, `col` are the data-table index and grid position
    of the origin cell (a Word paragraph: `row` is its number). Excel (`xlsx`): `table`, and
    `row`, `col` on the sheet (1-based). Text: `line` (1-based) and `col` (cell index on that
    line). PDF: `page` (1-based) and `bbox` (x0, top, x1, bottom in PDF points). A cell read
    by OCR from a scanned page (`ocr`) has the PDF fields and its recognition `confidence`
    (0..1) and the other `readings` of its image (a second reading, runner-up digits) that
    the OCR gate compares.
    """

    kind: str
    table: int | None = None
    row: int | None = None
    col: int | None = None
    line: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    confidence: float | None = None
    readings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """One canonical cell: its code, what the source prints, and how it was read."""

    table_id: str
    row_id: str
    col_id: str
    value: Decimal | None
    status: str
    raw: str | None = None
    unit: str | None = None
    note: str | None = None
    where: Where | None = None

    def __post_init__(self) -> None:
        if self.status not in FACT_STATUSES:
            raise ValueError(f"unknown fact status {self.status!r}")
        if self.status in ("blank", "dash", "missing") and self.value is not None:
            raise ValueError(f"a {self.status} fact has no value")
        if self.status in ("ok", "repaired", "derived") and self.value is None:
            raise ValueError(f"a {self.status} fact needs a value")

    @property
    def key(self) -> tuple[str, str, str]:
        """The cell's code: table, row and column."""
        return (self.table_id, self.row_id, self.col_id)


@dataclass(frozen=True, slots=True)
class Check:
    """One instance of a consistency rule, with both sides and their difference."""

    rule_id: str
    scope: str
    status: str
    lhs: Decimal | None
    rhs: Decimal | None
    diff: Decimal | None
    message: str

    def __post_init__(self) -> None:
        if self.status not in CHECK_STATUSES:
            raise ValueError(f"unknown check status {self.status!r}")


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered section (1..6) and its narrative text."""

    no: int
    heading: str | None
    text: str
    text_simplified: str
    present: bool = True


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """A table-level finding an auditor should read (absent table, skeleton, repairs)."""

    table_id: str
    severity: str  # info | warning | error
    message: str


@dataclass(frozen=True, slots=True)
class NarrativeFigure:
    """A number stated in a section's prose: 近30万条 → 300000 条, qualifier 近."""

    section_no: int
    sentence_no: int
    start: int  # character offsets of `phrase` in the section's printed text
    end: int
    value: Decimal
    unit: str | None  # 件, 条, 万元, % …; None for a bare 550万
    qualifier: str | None  # as printed: 近, 约, 余, 多, 以上 …; None for an exact figure
    meaning: str | None  # the qualifier's meaning: nearly, about, more than, at least …
    phrase: str
    subject: str | None = None  # requests_received, requests_handled … where the clause says


@dataclass(frozen=True, slots=True)
class Report:
    """Everything parsed from one document."""

    status: str
    error: str | None = None
    # The format reader that read the document: html, text or pdf.
    reader: str | None = None
    title: str | None = None
    agency: str | None = None
    agency_raw: str | None = None
    year: int | None = None
    format: str | None = None
    script: str | None = None
    published: str | None = None
    sections: tuple[Section, ...] = ()
    facts: tuple[Fact, ...] = ()
    checks: tuple[Check, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = field(default=())
    # Blank totals offered as computed from their printed parts; the facts keep `blank`.
    derived: tuple[Fact, ...] = ()
    narrative: tuple[NarrativeFigure, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in REPORT_STATUSES:
            raise ValueError(f"unknown report status {self.status!r}")
        if self.status != "parsed" and not self.error:
            raise ValueError("a partial or failed report needs an error saying why")
        keys = {f.key for f in self.facts}
        if len(keys) != len(self.facts):
            raise ValueError("a report holds each canonical cell once")

    def fact(self, table_id: str, row_id: str, col_id: str) -> Fact | None:
        """The fact with these codes, if the report has it."""
        for f in self.facts:
            if f.key == (table_id, row_id, col_id):
                return f
        return None

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values: numbers as exact decimal strings ("59237.2449"),
        nested objects as dicts, tuples as lists. `Report.from_dict` reads it back."""
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """A report from what `to_dict` gave (validated again as it is built)."""
        return _build(cls, data)


def plain(value: Any) -> Any:
    """A model value as JSON-ready values (decimals as exact strings, tuples as lists)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    return value


# Which model class each nested field holds (the rest are plain values).
_NESTED = {
    ("Report", "sections"): "Section",
    ("Report", "facts"): "Fact",
    ("Report", "checks"): "Check",
    ("Report", "diagnoses"): "Diagnosis",
    ("Report", "derived"): "Fact",
    ("Report", "narrative"): "NarrativeFigure",
    ("Fact", "where"): "Where",
}
_DECIMALS = {("Fact", "value"), ("Check", "lhs"), ("Check", "rhs"), ("Check", "diff")}
_DECIMALS |= {("NarrativeFigure", "value")}


def _build(cls: type, data: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        v = data[f.name]
        nested = _NESTED.get((cls.__name__, f.name))
        if nested is not None and v is not None:
            sub = globals()[nested]
            v = tuple(_build(sub, x) for x in v) if isinstance(v, list) else _build(sub, v)
        elif (cls.__name__, f.name) in _DECIMALS and v is not None:
            v = Decimal(v)
        elif isinstance(v, list):  # a bounding box
            v = tuple(v)
        kwargs[f.name] = v
    return cls(**kwargs)
