"""Damage done to reports in circulation, and the gold of what survives it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from synth import codes, identity, recovery, relayout
from synth.cells import Cell
from synth.codes import Key
from synth.draw import chance
from synth.gold import Override
from synth.grid import Report, Table, TCell, TRow
from synth.settings import REVIEW_DAMAGES, Odds
from synth.wording import Wording

if TYPE_CHECKING:
    from synth.document import Plan

# Kinds applied in this order: the shifted-cells solver must see what survives blanking and
# label loss (vanished rows are no evidence), so it runs after them.
ORDER = (
    "skeleton",
    "blank_totals",
    "labels_lost",
    "labels_emptied",
    "shifted_cells",
    "wrapped_headers",
    *REVIEW_DAMAGES,
    "split_tables",
    "table_absent",
)
# Pairs that are not combined: each needs the table shape the other destroys.
CLASHES = frozenset(
    {
        frozenset({"labels_lost", "split_tables"}),
        frozenset({"labels_emptied", "split_tables"}),
        frozenset({"labels_lost", "labels_emptied"}),
    }
)
# Kinds that decide which section 三 rows are named (the others leave it to the labels).
NAMING_KINDS = ("labels_lost", "labels_emptied")


@dataclass
class DamageResult:
    """Damage actually applied, and its effect on the gold."""

    applied: list[str] = field(default_factory=list)
    overrides: dict[Key, Override] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def plan_damage(rng: random.Random, wanted: str, odds: Odds) -> list[str]:
    """One kind (the wanted one, or any), sometimes a compatible second one."""
    first = wanted or rng.choice(odds.damages)
    kinds = [first]
    if first != "skeleton" and chance(rng, odds.damage_second_kind):
        pool = [
            k
            for k in odds.damages
            if k not in ("skeleton", first)
            and frozenset({first, k}) not in CLASHES
            and not (k in REVIEW_DAMAGES and first in REVIEW_DAMAGES)
        ]
        kinds.append(rng.choice(pool))
    return [k for k in ORDER if k in kinds]


def forced_zero_style(kinds: list[str]) -> str:
    """Section 三 must print empty cells for a shifted row or a vanished row to exist."""
    return "blank" if {"shifted_cells", "labels_lost"} & set(kinds) else ""


def _state(cells: dict[Key, Cell], overrides: dict[Key, Override]) -> dict[Key, recovery.State]:
    """Current gold (status, value) of every printed cell."""
    out: dict[Key, recovery.State] = {}
    for key, cell in cells.items():
        ov = overrides.get(key)
        status = ov.status if ov and ov.status else cell.status
        value = None if status in ("missing", "blank", "dash") else cell.value
        out[key] = (status, value)
    return out


def _missing(keys: list[Key], out: DamageResult) -> None:
    """Mark cells as not printed and not recoverable."""
    for key in keys:
        out.overrides[key] = Override(status="missing", printed=False, recoverable=False)


class Damager:
    """Applies damage kinds to one report's tables and records the gold they imply."""

    def __init__(
        self,
        rng: random.Random,
        tables: dict[str, Table],
        report: Report,
        cells: dict[Key, Cell],
        words: Wording,
        plan: Plan,
        odds: Odds,
        verdicts: dict[str, identity.Verdict],
    ) -> None:
        self.rng = rng
        self.verdicts = verdicts  # label verdicts of section 三 rows (label noise)
        self.odds = odds
        self.tables = tables
        self.report = report
        self.cells = cells
        self.words = words
        self.plan = plan
        self.out = DamageResult()
        self.touched: set[str] = set()  # tables some kind already changed

    def skeleton(self) -> bool:
        """Every value stripped, most labels too; sections 二 and 四 lose their tables."""
        for table_id in ("proactive", "reviews"):
            self._remove(table_id)
        req = self.tables["requests"]
        labels = [c for r in req.rows for c in r.cells if c.kind == "label"]
        keep = {id(c) for c in self.rng.sample(labels, self.rng.randint(1, 3))}
        for row in req.rows:
            for c in row.cells:
                if c.kind == "value" or (c.kind == "label" and id(c) not in keep):
                    c.text = ""
                elif c.kind == "header" and not (c.rowspan == 3 and chance(self.rng, 0.5)):
                    c.text = ""
        _missing(list(self.cells), self.out)
        self.out.notes.append("skeleton: no value survives; nothing can be read or invented")
        return True

    def blank_totals(self) -> bool:
        """Totals printed blank while their parts are printed."""
        candidates = [
            c
            for t in ("requests", "reviews")
            for r in relayout.data_rows(self.tables[t])
            for c in r.cells
            if c.key
            and c.key not in self.out.overrides
            and (c.key[2] == "total" or c.key[1] == "results_total")
            and self.cells[c.key].status == "ok"
            and isinstance(self.cells[c.key].value, int)
            and self.cells[c.key].value > 0
        ]
        if not candidates:
            return False
        n = self.rng.randint(1, min(3, len(candidates)))
        for c in self.rng.sample(candidates, n):
            assert c.key is not None
            c.text = ""
            self.out.overrides[c.key] = Override(
                status="blank", raw="", derivable=self.cells[c.key].value
            )
            self.out.notes.append(f"blank_totals: {'.'.join(c.key)} printed blank")
        return True

    def shifted_cells(self) -> bool:
        """One empty cell of a section 三 row omitted, so that the values slide left."""

        def zero_gaps(r: TRow) -> list[TCell]:
            # Empty cells that print a zero (a total blanked by damage is not one).
            return [c for c in r.cells if c.key and not c.text and c.key not in self.out.overrides]

        rows = [
            r
            for r in relayout.data_rows(self.tables["requests"])
            if zero_gaps(r)
            and any(c.key and c.text for c in r.cells)
            and any(c.kind == "label" for c in r.cells)
            and self._clearly_named(r)
        ]
        if not rows:
            return False
        row = self.rng.choice(rows)
        gone = self.rng.choice(zero_gaps(row))
        row.cells.remove(gone)
        assert row.row_id is not None
        state = _state(self.cells, self.out.overrides)
        printed = [state[c.key] for c in row.cells if c.key]
        fits = recovery.gap_placements(state, self.plan.fmt, row.row_id, printed)
        agree = recovery.agreed_columns(fits)
        omitted = recovery.omitted_column(fits)
        truth = tuple(state["requests", row.row_id, c] for c in codes.REQUEST_COLS)
        # Placements that disagree leave a doubt; when the printed row is one of them, a
        # reader with stronger evidence may still read it right (accept either).
        doubtful = any(cand == truth for _, cand in fits)
        for index, (col, ok) in enumerate(zip(codes.REQUEST_COLS, agree, strict=True)):
            key: Key = ("requests", row.row_id, col)
            if not ok and doubtful and state[key][0] in ("ok", "blank", "dash"):
                status = "repaired" if state[key][0] == "ok" else state[key][0]
                self.out.overrides[key] = Override(
                    status=status, printed=key != gone.key, accept_missing=True
                )
            elif not ok:
                self.out.overrides[key] = Override(status="missing", recoverable=False)
            elif index == omitted:
                # The gap's place is certain, but nothing is printed there: not in the source.
                self.out.overrides[key] = Override(
                    status="missing", printed=False, recoverable=False
                )
            elif key == gone.key:
                # Empty whichever placement holds; a printed empty neighbour stands for it.
                self.out.overrides[key] = Override(status="blank", printed=False)
            elif state[key][0] == "ok":  # as printed now: an earlier kind may have blanked it
                self.out.overrides[key] = Override(status="repaired")
        verdict = "unique" if len(fits) == 1 else f"{len(fits)} consistent placements"
        self.out.notes.append(f"shifted_cells: row {row.row_id} lost one empty cell ({verdict})")
        return True

    def labels_lost(self) -> bool:
        """Row labels of section 三 dropped; some all-empty unlabelled rows vanish entirely."""
        table = self.tables["requests"]
        rows = [r for r in relayout.data_rows(table) if r.kind == "data"]
        lost = rows if chance(self.rng, 0.15) else self.rng.sample(rows, self.rng.randint(2, 8))
        for r in lost:
            r.cells = [c for c in r.cells if c.kind != "label"]
        empty = [r for r in lost if all(not c.text for c in r.cells)]
        vanished: list[TRow] = []
        if empty and chance(self.rng, 0.5):
            vanished = self.rng.sample(empty, min(len(empty), self.rng.randint(1, 2)))
        for r in vanished:
            table.rows.remove(r)
            assert r.row_id is not None
            _missing([("requests", r.row_id, c) for c in codes.REQUEST_COLS], self.out)
        unnamed, unplaced, _ = self.name_rows()
        self.out.notes.append(
            f"labels_lost: {len(lost)} rows unlabelled, {len(vanished)} vanished, "
            f"{unplaced} of {unnamed} unnamed rows unplaceable"
        )
        return True

    def labels_emptied(self) -> bool:
        """Section 三 label cells emptied, the table's shape intact, a few labels surviving."""
        table = self.tables["requests"]
        labels = [c for r in table.rows if r.kind == "data" for c in r.cells if c.kind == "label"]
        keep = self.rng.randint(0, min(4, len(labels)))
        kept = {id(c) for c in self.rng.sample(labels, keep)}
        for c in labels:
            if id(c) not in kept:
                c.text = ""
        unnamed, unplaced, _ = self.name_rows()
        self.out.notes.append(
            f"labels_emptied: {len(labels) - keep} of {len(labels)} label cells emptied, "
            f"{unnamed} rows unnamed, {unplaced} unplaceable"
        )
        return True

    def name_rows(self) -> tuple[int, int, int]:
        """Gold of section 三 rows from their labels and the table's structure."""
        return identity.resolve_rows(
            self.tables["requests"],
            self.plan.fmt,
            self.plan.hybrid,
            self.verdicts,
            self.cells,
            self.out.overrides,
        )

    def _clearly_named(self, row: TRow) -> bool:
        """A row whose label survives and names it without doubt."""
        labels = [c for c in row.cells if c.kind == "label"]
        verdict = self.verdicts.get(row.row_id or "")
        clear = verdict is None or verdict.verdict == "clear"
        return bool(labels) and bool(labels[-1].text.strip()) and clear

    def wrapped_headers(self) -> bool:
        """Header labels broken over lines (商业企/业); the results label one character a line."""
        relayout.wrap_headers(self.tables, self.words, self.plan.html)
        self.out.notes.append("wrapped_headers: header labels wrapped; values read as usual")
        return True

    def reviews_transposed(self) -> bool:
        """Section 四 printed as 15 labelled rows: every value keeps its labels (ok)."""
        relayout.transpose_reviews(self.tables["reviews"], self.cells, self.words)
        self.out.notes.append("reviews_transposed: 15 labelled rows; each value keeps its labels")
        return True

    def reviews_flattened(self) -> bool:
        """Section 四 reduced to a line of 15 numbers: placed by order (repaired)."""
        tokens = relayout.flatten_reviews(
            self.rng, self.tables["reviews"], self.report, self.cells, self.words
        )
        for key, token in tokens.items():
            cell = self.cells[key]
            value = cell.value if cell.status == "ok" else 0
            self.out.overrides[key] = Override(
                status="repaired", keep_value=False, value=value, raw=token
            )
        self.out.notes.append("reviews_flattened: values placed by order (repaired)")
        return True

    def reviews_short_header(self) -> bool:
        """Section 四 with fewer header cells than values: placed by order (repaired)."""
        relayout.shorten_review_header(self.rng, self.tables["reviews"], self.words)
        state = _state(self.cells, self.out.overrides)  # an earlier kind may have blanked one
        for key in codes.review_keys():
            if state[key][0] == "ok":
                self.out.overrides[key] = Override(status="repaired")
        self.out.notes.append("reviews_short_header: values placed by order (repaired)")
        return True

    def split_tables(self) -> bool:
        """Tables cut into several, with page numbers, unit lines and notes around them (ok)."""
        relayout.split_tables(
            self.rng, self.tables, self.report, self.words, self.odds.split_repeat_header
        )
        self.out.notes.append("split_tables: tables split and padded; every value reads as ok")
        return True

    def table_absent(self) -> bool:
        """A whole table missing from its section."""
        free = [t for t in codes.TABLES if t not in self.touched and t in self.tables]
        if not free:
            return False
        self._remove(self.rng.choice(free))
        return True

    def _remove(self, table_id: str) -> None:
        """Take a table out of the report; its cells are missing."""
        table = self.tables.pop(table_id)
        blocks, at = relayout.locate(self.report, table)
        del blocks[at]
        _missing([k for k in self.cells if k[0] == table_id], self.out)
        self.out.absent.append(table_id)
        self.out.notes.append(f"{table_id} table not printed")


# Tables each kind changes; table_absent picks a table none of the others touched.
TOUCHES = {
    "blank_totals": ("requests", "reviews"),
    "shifted_cells": ("requests",),
    "labels_lost": ("requests",),
    "labels_emptied": ("requests",),
    "wrapped_headers": ("requests", "reviews"),
    "reviews_transposed": ("reviews",),
    "reviews_flattened": ("reviews",),
    "reviews_short_header": ("reviews",),
    "split_tables": ("requests", "proactive"),
}


def apply(
    rng: random.Random,
    kinds: list[str],
    tables: dict[str, Table],
    report: Report,
    cells: dict[Key, Cell],
    words: Wording,
    plan: Plan,
    odds: Odds,
    verdicts: dict[str, identity.Verdict],
    overrides: dict[Key, Override],
) -> DamageResult:
    """Apply damage kinds in order; kinds that find nothing to damage give way to a split.

    `overrides` hold the gold of label noise already judged (section 二, and section 三
    unless a kind in NAMING_KINDS re-judges it after taking labels away)."""
    damager = Damager(rng, tables, report, cells, words, plan, odds, verdicts)
    damager.out.overrides.update(overrides)
    if not set(NAMING_KINDS) & set(kinds) and "skeleton" not in kinds:
        damager.name_rows()
    for kind in kinds:
        if getattr(damager, kind)():
            damager.out.applied.append(kind)
            damager.touched.update(TOUCHES.get(kind, ()))
    if not damager.out.applied and damager.split_tables():
        damager.out.applied.append("split_tables")
    return damager.out
