"""The national formats, loaded once from `templates/*.toml` into frozen objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from parsers.script import label_key
from parsers.vocabulary import Vocabulary, load_vocabulary

_DIR = Path(__file__).parent / "templates"
FORMATS = ("2019", "2021")


def section_name(no: int) -> str:
    """A section's printed number (1 → 一), for messages a person reads."""
    return load_vocabulary().section_numerals[no - 1]


@dataclass(frozen=True)
class RowSpec:
    """A canonical row: its code, label variants (as keys) and its columns."""

    id: str
    keys: tuple[str, ...]
    cols: tuple[str, ...]
    group: str | None = None
    optional: bool = False
    replaces: tuple[str, ...] = ()
    unit: str | None = None
    # The official wording, as the national format prints it (for people, not matching).
    printed: str = ""


@dataclass(frozen=True)
class TableSpec:
    """A canonical table of one format."""

    id: str
    section: int
    keywords: tuple[str, ...]
    rows: tuple[RowSpec, ...]
    groups: dict[str, tuple[str, ...]]
    col_keys: dict[str, tuple[str, ...]]
    row_keys: dict[str, tuple[str, ...]]
    flat_lead: tuple[str, ...] = ()
    litigation: tuple[str, ...] = ()
    # Official wording of each column and printed group (for people, not matching).
    printed_columns: dict[str, str] = field(default_factory=dict)
    printed_groups: dict[str, str] = field(default_factory=dict)
    # The rows each printed group holds, in order.
    group_rows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Columns of money; every other cell counts things, in whole numbers.
    money_cols: tuple[str, ...] = ()

    def row(self, row_id: str) -> RowSpec:
        """The row with this code."""
        for r in self.rows:
            if r.id == row_id:
                return r
        raise KeyError(row_id)

    def printed_rows(self, found: set[str] = frozenset()) -> list[str]:
        """Row codes in printed order; an optional row that was found takes its rows' place."""
        seq = [r.id for r in self.rows if not r.optional]
        for r in self.rows:
            if r.optional and r.id in found and r.replaces:
                at = seq.index(r.replaces[0])
                seq = (
                    [x for x in seq[:at] if x not in r.replaces]
                    + [r.id]
                    + [x for x in seq[at:] if x not in r.replaces]
                )
        return seq

    @property
    def col_words(self) -> tuple[str, ...]:
        """Every wording of every column: what a header cell naming a column prints."""
        return tuple(k for keys in self.col_keys.values() for k in keys)

    def cells(self) -> list[tuple[str, str]]:
        """Every canonical (row_id, col_id) of this table, optional rows excluded."""
        return [(r.id, c) for r in self.rows if not r.optional for c in r.cols]


@dataclass(frozen=True)
class RuleSpec:
    """A consistency rule: lhs = rhs summed, per row or per column of one table."""

    id: str
    table: str
    per: str  # "row": scope is a row, operands are columns; "col": the reverse
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    rhs_one_of: tuple[tuple[str, ...], ...] = ()
    totals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    """One national format: its tables, rules and the labels that mark it."""

    id: str
    years: tuple[int, ...]
    markers: tuple[str, ...]
    tables: dict[str, TableSpec]
    rules: tuple[RuleSpec, ...]


@dataclass(frozen=True)
class SectionSpec:
    """One of the six sections and the keywords of its heading."""

    no: int
    heading: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Common:
    """Knowledge shared by the formats."""

    sections: tuple[SectionSpec, ...]
    title_keywords: tuple[str, ...]
    vocabulary: Vocabulary


def _keys(labels: list[str]) -> tuple[str, ...]:
    return tuple(label_key(x) for x in labels)


def _table(table_id: str, data: dict) -> TableSpec:
    if table_id == "reviews":
        # One printed row of 15 numbers, stored as 3 rows × 5 columns.
        printed = data.get("printed_rows", {})
        rows = tuple(
            RowSpec(r, (), tuple(data["cols"]), printed=printed.get(r, "")) for r in data["rows"]
        )
    else:
        default_cols = tuple(data.get("cols", ()))
        rows = tuple(
            RowSpec(
                id=r["id"],
                keys=_keys(r.get("labels", [])),
                cols=tuple(r.get("cols", default_cols)),
                group=r.get("group"),
                optional=r.get("optional", False),
                replaces=tuple(r.get("replaces", ())),
                unit=r.get("unit"),
                printed=r.get("printed", ""),
            )
            for r in data["rows"]
        )
    groups = data.get("groups", {})
    return TableSpec(
        id=table_id,
        section=data["section"],
        keywords=_keys(data["keywords"]),
        rows=rows,
        groups={g: _keys(v["labels"]) for g, v in groups.items()},
        col_keys={c: _keys(v) for c, v in data.get("columns", {}).items()},
        row_keys={r: _keys(v) for r, v in data.get("row_labels", {}).items()},
        flat_lead=_keys(data.get("flat_lead", [])),
        litigation=_keys(data.get("litigation", [])),
        printed_columns=dict(data.get("printed_columns", {})),
        printed_groups=dict(data.get("printed_groups", {})),
        group_rows={g: tuple(v["rows"]) for g, v in groups.items()},
        money_cols=tuple(data.get("money_columns", ())),
    )


@cache
def load_format(format_id: str) -> Format:
    """The format with this id (`2019` or `2021`)."""
    data = tomllib.loads((_DIR / f"{format_id}.toml").read_text(encoding="utf-8"))
    return Format(
        id=data["format"],
        years=tuple(data["years"]),
        markers=_keys(data["markers"]),
        tables={tid: _table(tid, t) for tid, t in data["tables"].items()},
        rules=tuple(
            RuleSpec(
                id=r["id"],
                table=r["table"],
                per=r["per"],
                lhs=tuple(r["lhs"]),
                rhs=tuple(r["rhs"]),
                rhs_one_of=tuple(tuple(a) for a in r.get("rhs_one_of", ())),
                totals=tuple(r.get("totals", ())),
            )
            for r in data["rules"]
        ),
    )


@cache
def load_common() -> Common:
    """Section headings, title keywords and the vocabulary printed around the figures."""
    data = tomllib.loads((_DIR / "common.toml").read_text(encoding="utf-8"))
    return Common(
        sections=tuple(
            SectionSpec(s["no"], s["heading"], _keys(s["keywords"])) for s in data["sections"]
        ),
        title_keywords=_keys(data["report_title_keywords"]),
        vocabulary=load_vocabulary(),
    )
