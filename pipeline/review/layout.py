"""The three tables as the national format prints them: header rows, grouped labels, cells.

Built from the templates (row and column wording, groups, row order) and `layout.toml`
(the few printed words the templates do not carry). The result is plain data: rows of
slots, each a heading, a label or the place of one canonical cell, with its spans.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from parsers.templates import TableSpec, load_common, load_format, section_name

_LAYOUT = Path(__file__).parent / "layout.toml"


@dataclass(frozen=True, slots=True)
class Slot:
    """One printed cell. `kind` is head, label, value or filler; `code` shows on hover.

    A value slot's `code` is the canonical cell key `table.row.col`.
    """

    kind: str
    text: str = ""
    code: str = ""
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class PrintedTable:
    """A canonical table laid out as printed: its section heading and rows of slots."""

    table_id: str
    heading: str
    rows: tuple[tuple[Slot, ...], ...]

    def keys(self) -> list[str]:
        """The canonical cell keys in reading order (left to right, top to bottom)."""
        return [s.code for row in self.rows for s in row if s.kind == "value"]


@cache
def _words() -> dict:
    return tomllib.loads(_LAYOUT.read_text(encoding="utf-8"))


def printed_tables(format_id: str, found: frozenset[str] = frozenset()) -> list[PrintedTable]:
    """The three tables of a format; `found` names optional rows the report prints."""
    fmt = load_format(format_id)
    headings = {s.no: s.heading for s in load_common().sections}
    out = []
    for table_id, spec in fmt.tables.items():
        build = {"proactive": _proactive, "requests": _requests, "reviews": _reviews}[table_id]
        rows = build(spec, _words().get(table_id, {}), found)
        heading = _words()["heading"].format(
            numeral=section_name(spec.section), heading=headings.get(spec.section, table_id)
        )
        out.append(PrintedTable(table_id, heading, tuple(rows)))
    return out


def _key(spec: TableSpec, row_id: str, col_id: str) -> str:
    return f"{spec.id}.{row_id}.{col_id}"


def _proactive(spec: TableSpec, words: dict, found: frozenset[str]) -> list[tuple[Slot, ...]]:
    present = {r.id for r in spec.rows}
    blocks = [(b["label"], [r for r in b["rows"] if r in present]) for b in words.get("blocks", [])]
    placed = {r for _, rows in blocks for r in rows}
    # A row the layout does not place gets a block of its own, so that no cell is lost.
    blocks += [("", [r.id]) for r in spec.rows if r.id not in placed and not r.optional]
    blocks = [(label, rows) for label, rows in blocks if rows]
    width = max(len(_block_cols(spec, rows)) for _, rows in blocks)
    out: list[tuple[Slot, ...]] = []
    for label, rows in blocks:
        cols = _block_cols(spec, rows)
        if label:
            out.append((Slot("head", label, colspan=width + 1),))
        head = [Slot("head", words.get("corner", ""))]
        head += [Slot("head", spec.printed_columns.get(c, c), c) for c in cols]
        out.append(tuple(_pad(head, width + 1)))
        for row_id in rows:
            row = spec.row(row_id)
            slots = [Slot("label", row.printed or row.id, row.id)]
            slots += [
                Slot("value", code=_key(spec, row_id, c)) if c in row.cols else Slot("filler")
                for c in cols
            ]
            out.append(tuple(_pad(slots, width + 1)))
    return out


def _block_cols(spec: TableSpec, rows: list[str]) -> list[str]:
    cols: list[str] = []
    for row_id in rows:
        cols += [c for c in spec.row(row_id).cols if c not in cols]
    return cols


def _pad(slots: list[Slot], width: int) -> list[Slot]:
    have = sum(s.colspan for s in slots)
    return [*slots, Slot("filler", colspan=width - have)] if have < width else slots


def _requests(spec: TableSpec, words: dict, found: frozenset[str]) -> list[tuple[Slot, ...]]:
    seq = spec.printed_rows(set(found))
    cols: list[str] = []
    for row_id in seq:
        cols += [c for c in spec.row(row_id).cols if c not in cols]
    # A printed group spans the run of rows from its first member to its last.
    spans: dict[str, tuple[int, int]] = {}
    for group, members in spec.group_rows.items():
        at = [i for i, r in enumerate(seq) if r in members]
        if at and group in spec.printed_groups:
            spans[group] = (at[0], at[-1])
    depth = 1 + max(
        (sum(1 for a, b in spans.values() if a <= i <= b) for i in range(len(seq))), default=0
    )
    col_groups = {c: g for g in words.get("column_groups", []) for c in g["cols"] if c in cols}
    head_top = [Slot("head", words.get("corner", ""), colspan=depth, rowspan=2)]
    head_sub: list[Slot] = []
    for c in cols:
        group = col_groups.get(c)
        label = spec.printed_columns.get(c, c)
        if group is None:
            head_top.append(Slot("head", label, c, rowspan=2))
            continue
        if c == next(x for x in group["cols"] if x in cols):
            width = sum(1 for x in group["cols"] if x in cols)
            head_top.append(Slot("head", group["label"], colspan=width))
        head_sub.append(Slot("head", label, c))
    out: list[tuple[Slot, ...]] = [tuple(head_top), tuple(head_sub)]
    for i, row_id in enumerate(seq):
        row = spec.row(row_id)
        around = sorted(
            ((g, a, b) for g, (a, b) in spans.items() if a <= i <= b),
            key=lambda x: x[1] - x[2],
        )
        slots = [
            Slot("label", spec.printed_groups[g], g, rowspan=b - a + 1)
            for g, a, b in around
            if a == i
        ]
        slots.append(Slot("label", row.printed or row.id, row.id, colspan=depth - len(around)))
        slots += [
            Slot("value", code=_key(spec, row_id, c)) if c in row.cols else Slot("filler")
            for c in cols
        ]
        out.append(tuple(slots))
    return out


def _reviews(spec: TableSpec, words: dict, found: frozenset[str]) -> list[tuple[Slot, ...]]:
    rows = [r for r in spec.rows if not r.optional]
    groups = words.get("row_groups") or [{"label": "", "rows": [r.id for r in rows]}]
    sub_labels = words.get("row_labels", {})
    top: list[Slot] = []
    sub: list[Slot] = []
    for g in groups:
        members = [spec.row(r) for r in g["rows"]]
        span = sum(len(r.cols) for r in members)
        if len(members) == 1 and members[0].id not in sub_labels:
            top.append(Slot("head", g["label"], members[0].id, colspan=span, rowspan=2))
            continue
        top.append(Slot("head", g["label"], colspan=span))
        sub += [
            Slot("head", sub_labels.get(r.id, r.printed), r.id, colspan=len(r.cols))
            for r in members
        ]
    order = [spec.row(r) for g in groups for r in g["rows"]]
    heads = [Slot("head", spec.printed_columns.get(c, c), c) for r in order for c in r.cols]
    values = [Slot("value", code=_key(spec, r.id, c)) for r in order for c in r.cols]
    return [tuple(top), tuple(sub), tuple(heads), tuple(values)]
