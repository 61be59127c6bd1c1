"""Gold files: what a careful parser should read from each generated document."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from synth import codes, rules
from synth.cells import Cell
from synth.codes import Key
from synth.script import Converter


@dataclass
class Override:
    """How damage changes a fact's gold: a new status/value, and what can be recovered."""

    status: str | None = None
    value: int | float | None = None
    keep_value: bool = True  # False: value becomes `value` (None for missing)
    printed: bool = True  # False: the cell is not printed, so it has no raw
    raw: str | None = None  # raw as printed now, if it changed
    recoverable: bool = True
    derivable: int | float | None = None
    accept_missing: bool = False  # doubtful: the printed value or missing are both right


@dataclass
class Meta:
    """Document-level gold fields."""

    file: str
    fmt: str
    year: int
    agency: str
    title: str
    script: str
    encoding: str
    declared: str | None
    published: str | None
    sections: list[int]
    profile: str
    rendition: str
    quirks: list[str]
    opencc: str | None = None
    damage: list[str] = field(default_factory=list)
    absent_tables: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)


def build_facts(
    fmt: str,
    hybrid: bool,
    cells: dict[Key, Cell],
    conv: Converter,
    overrides: dict[Key, Override],
) -> list[dict[str, Any]]:
    """One fact per canonical cell (plus other_handling in a hybrid 2021 report).

    Every fact says whether a careful parser can give it back (`recoverable`)."""
    out: list[dict[str, Any]] = []
    for key in codes.fact_keys(fmt, hybrid):
        table, row, col = key
        fact: dict[str, Any] = {"table_id": table, "row_id": row, "col_id": col}
        cell = cells.get(key)
        if cell is None:
            fact.update(value=None, status="missing", recoverable=False)
            out.append(fact)
            continue
        fact.update(value=cell.value, status=cell.status, raw=conv(cell.raw))
        if cell.unit:
            fact["unit"] = cell.unit
        fact["recoverable"] = True
        ov = overrides.get(key)
        if ov is not None:
            _apply(fact, ov, conv)
        out.append(fact)
    return out


def _apply(fact: dict[str, Any], ov: Override, conv: Converter) -> None:
    """Apply a damage override to one fact."""
    if ov.status is not None:
        fact["status"] = ov.status
    if not ov.keep_value:
        fact["value"] = ov.value
    empty = fact["status"] in ("missing", "blank", "dash")
    if empty:
        fact["value"] = None
    if ov.raw is not None:
        fact["raw"] = conv(ov.raw)
    if not ov.printed or fact["status"] == "missing":
        fact.pop("raw", None)
    if empty:
        fact.pop("unit", None)
    fact["recoverable"] = ov.recoverable
    if ov.derivable is not None:
        fact["derivable"] = ov.derivable
    if ov.accept_missing and fact["status"] != "missing":
        fact["accept_missing"] = True


def expected_failures(fmt: str, facts: list[dict[str, Any]]) -> list[list[str]]:
    """[rule_id, scope] of each rule instance the gold figures break."""
    table = {(f["table_id"], f["row_id"], f["col_id"]): (f["status"], f["value"]) for f in facts}
    return rules.failing(table, fmt)


def report_gold(meta: Meta, facts: list[dict[str, Any]]) -> dict[str, Any]:
    """The gold document of a generated report."""
    gold: dict[str, Any] = {
        "file": meta.file,
        "format": meta.fmt,
        "year": meta.year,
        "agency": meta.agency,
        "title": meta.title,
        "script": meta.script,
        "encoding": meta.encoding,
        "declared_encoding": meta.declared,
        "published": meta.published,
        "sections": meta.sections,
        "profile": meta.profile,
        "rendition": meta.rendition,
        "quirks": meta.quirks,
        "variants": meta.variants,
    }
    if meta.opencc:
        gold["opencc"] = meta.opencc
    if meta.profile == "damaged":
        gold["damage"] = meta.damage
        gold["absent_tables"] = meta.absent_tables
    if meta.notes:
        gold["notes"] = meta.notes
    if meta.labels:
        gold["labels"] = meta.labels
    gold["facts"] = facts
    gold["checks_expected_fail"] = expected_failures(meta.fmt, facts)
    return gold


def dumps(gold: dict[str, Any]) -> bytes:
    """Stable JSON bytes: one top-level key a line, one fact a line (small, diffable)."""
    lines = []
    for key, value in gold.items():
        name = json.dumps(key)
        if key == "facts" and value:
            inner = ",\n".join("  " + json.dumps(f, ensure_ascii=False) for f in value)
            lines.append(f" {name}: [\n{inner}\n ]")
        else:
            lines.append(f" {name}: {json.dumps(value, ensure_ascii=False)}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")
