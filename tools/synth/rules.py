"""The consistency rules of templates.md, evaluated over gold facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from synth import codes
from synth.codes import Key

# Statuses whose value is a printed (or placed) number.
NUMBER_STATUSES = frozenset({"ok", "repaired", "derived"})
# Statuses that count as zero among the parts of a sum.
ZERO_STATUSES = frozenset({"blank", "dash"})

Facts = Mapping[Key, tuple[str, int | float | None]]


@dataclass(frozen=True)
class Check:
    """One rule instance: pass, fail or not_evaluable, with both sides."""

    rule_id: str
    scope: str
    status: str
    lhs: float | None
    rhs: float | None


def _part(facts: Facts, key: Key) -> float | None:
    """A summand: its number, 0 for blank or dash, None when missing."""
    status, value = facts.get(key, ("missing", None))
    if status in NUMBER_STATUSES:
        return value
    if status in ZERO_STATUSES:
        return 0
    return None


def _parts_of(facts: Facts, key: Key, hybrid: bool, fmt: str) -> list[Key] | None:
    """The summands of a total cell, or None if the cell is not a total."""
    table, row, col = key
    if table == "reviews" and col == "total":
        return [("reviews", row, c) for c in codes.REVIEW_COLS[:4]]
    if table != "requests":
        return None
    if col == "total":
        return [("requests", row, c) for c in codes.APPLICANT_COLS]
    if row == "results_total":
        return [("requests", r, col) for r in codes.result_rows(fmt, hybrid)]
    return None


def _operand(facts: Facts, key: Key, hybrid: bool, fmt: str) -> float | None:
    """A cell as an operand; a total left blank while its parts are printed is not evaluable."""
    status, _ = facts.get(key, ("missing", None))
    parts = _parts_of(facts, key, hybrid, fmt)
    if parts is None or status not in ZERO_STATUSES:
        return _part(facts, key)
    values = [_operand(facts, p, hybrid, fmt) for p in parts]
    if any(v is None for v in values):
        return None
    return 0 if sum(v for v in values if v is not None) == 0 else None


def _check(rule: str, scope: str, lhs: float | None, rhs: float | None) -> Check:
    """Compare two sides (rounded, for 万元 decimals)."""
    if lhs is None or rhs is None:
        return Check(rule, scope, "not_evaluable", lhs, rhs)
    status = "pass" if round(lhs - rhs, 6) == 0 else "fail"
    return Check(rule, scope, status, lhs, rhs)


def _sum(values: list[float | None]) -> float | None:
    """Sum, or None if any operand is missing."""
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def is_hybrid(facts: Facts) -> bool:
    """A 2021 report printing （六） as one row carries other_handling facts."""
    return ("requests", "other_handling", "total") in facts


def evaluate(facts: Facts, fmt: str) -> list[Check]:
    """Every rule instance of a report."""
    hybrid = fmt == "2021" and is_hybrid(facts)
    out: list[Check] = []

    def op(key: Key) -> float | None:
        return _operand(facts, key, hybrid, fmt)

    for col in codes.REQUEST_COLS:
        lhs = _sum([op(("requests", "new_received", col)), op(("requests", "carried_over", col))])
        rhs = _sum(
            [op(("requests", "results_total", col)), op(("requests", "carried_forward", col))]
        )
        out.append(_check("requests.balance", col, lhs, rhs))
    for row in codes.printed_request_rows(fmt, hybrid):
        parts = _sum([op(("requests", row, c)) for c in codes.APPLICANT_COLS])
        out.append(_check("requests.row_total", row, op(("requests", row, "total")), parts))
    for col in codes.REQUEST_COLS:
        parts = _sum([op(("requests", r, col)) for r in codes.result_rows(fmt, hybrid)])
        out.append(
            _check("requests.results_sum", col, op(("requests", "results_total", col)), parts)
        )
    for row in codes.REVIEW_ROWS:
        parts = _sum([op(("reviews", row, c)) for c in codes.REVIEW_COLS[:4]])
        out.append(_check("reviews.row_total", row, op(("reviews", row, "total")), parts))
    return out


def failing(facts: Facts, fmt: str) -> list[list[str]]:
    """[rule_id, scope] of every failing rule instance."""
    return [[c.rule_id, c.scope] for c in evaluate(facts, fmt) if c.status == "fail"]
