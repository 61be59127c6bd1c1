"""Consistency rules of templates.md evaluated on one report's facts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parsers.model import Check, Fact
from parsers.templates import Format, RuleSpec, TableSpec

_ZERO = Decimal(0)
# Statuses whose figure a rule adds (an empty cell or a dash adds 0).
PRINTED = ("ok", "repaired", "derived")


def _scopes(rule: RuleSpec, spec: TableSpec, facts: dict[tuple[str, str, str], Fact]) -> list[str]:
    if rule.per == "row":
        return [
            r.id
            for r in spec.rows
            if not r.optional or (spec.id, r.id, r.cols[0]) in facts
            if set(rule.lhs) <= set(r.cols)
        ]
    cols: list[str] = []
    for r in spec.rows:
        cols += [c for c in r.cols if c not in cols]
    return cols


def summed_cells(rule: RuleSpec, facts: dict, table: str, scope: str) -> tuple[list, list]:
    """The cells a rule instance sums, (code, fact or None) for each side: of alternatives
    (`rhs_one_of`), the first whose cells are all read, else the first."""

    def cell(code: str) -> tuple[str, Fact | None]:
        key = (table, scope, code) if rule.per == "row" else (table, code, scope)
        return code, facts.get(key)

    rhs_codes = list(rule.rhs)
    for alternative in rule.rhs_one_of:
        printed = [cell(c)[1] for c in alternative]
        if all(f is not None and f.status != "missing" for f in printed):
            rhs_codes += alternative
            break
    else:
        if rule.rhs_one_of:
            rhs_codes += rule.rhs_one_of[0]
    return [cell(c) for c in rule.lhs], [cell(c) for c in rhs_codes]


def _sum(side: list[tuple[str, Fact | None]]) -> Decimal:
    return sum((f.value for _, f in side if f is not None and f.status in PRINTED), _ZERO)


def _describe(side: list[tuple[str, Fact | None]]) -> str:
    return " + ".join(code for code, _ in side)


# Within one `check`, each canonical cell is one Fact object (operands are looked up in one
# dict by key), so the blank totals are known by the object's identity: no key tuple built
# a thousand times a report.


def _unprinted_totals(instances: list[tuple[RuleSpec, str, list, list]]) -> dict:
    """Blank printed totals beside non-zero parts: unknown, not zero, wherever they are used.

    A blank total whose parts include such an unknown total is unknown too (a column total
    over row totals that were left blank), so this runs to a fixed point.
    """
    out: dict[int, Decimal | None] = {}  # by id() of the total's Fact
    changed = True
    while changed:
        changed = False
        for rule, _scope, lhs, rhs in instances:
            for side, other in ((lhs, rhs), (rhs, lhs)):
                # Only where the other side is the total's own parts (row and column sums).
                if len(side) != 1:
                    continue
                code, f = side[0]
                if code not in rule.totals or f is None or f.status not in ("blank", "dash"):
                    continue
                if id(f) in out:
                    continue
                if any(p is None or p.status == "missing" or id(p) in out for _, p in other):
                    out[id(f)] = None
                    changed = True
                elif _sum(other) != 0:
                    out[id(f)] = _sum(other)
                    changed = True
    return out


def evaluate(rule: RuleSpec, scope: str, lhs: list, rhs: list, unknown: dict) -> Check:
    """One rule instance: pass, fail, or not_evaluable with the reason."""
    absent = [code for code, f in lhs + rhs if f is None or f.status == "missing"]
    if absent:
        return Check(
            rule.id,
            scope,
            "not_evaluable",
            None,
            None,
            None,
            f"not evaluable: {', '.join(absent)} not readable in the source",
        )
    left, right = _sum(lhs), _sum(rhs)
    for side, other, other_sum in ((lhs, rhs, right), (rhs, lhs, left)):
        blank_totals = [c for c, f in side if c in rule.totals and id(f) in unknown]
        if blank_totals:
            return Check(
                rule.id,
                scope,
                "not_evaluable",
                None if side is lhs else left,
                None if side is rhs else right,
                None,
                f"{', '.join(blank_totals)} not printed; {_describe(other)} sum to {other_sum}",
            )
    # A blank total used as a part elsewhere (a row total inside a column sum) is unknown too.
    hidden = [(c, unknown[id(f)]) for c, f in lhs + rhs if id(f) in unknown]
    if hidden:
        what = ", ".join(
            f"{c} (its parts sum to {v})" if v is not None else f"{c} (its parts are not all known)"
            for c, v in hidden
        )
        return Check(
            rule.id,
            scope,
            "not_evaluable",
            None,
            None,
            None,
            f"not evaluable: total not printed for {what}",
        )
    diff = left - right
    status = "pass" if diff == 0 else "fail"
    message = f"{_describe(lhs)} = {left}; {_describe(rhs)} = {right}"
    if status == "fail":
        message += f"; printed figures differ by {diff}"
    return Check(rule.id, scope, status, left, right, diff, message)


def _instances(fmt: Format, facts: list[Fact]) -> list[tuple[RuleSpec, str, list, list]]:
    by_key = {f.key: f for f in facts}
    out = []
    for rule in fmt.rules:
        spec = fmt.tables[rule.table]
        for scope in _scopes(rule, spec, by_key):
            lhs, rhs = summed_cells(rule, by_key, rule.table, scope)
            out.append((rule, scope, lhs, rhs))
    return out


@dataclass(frozen=True)
class Checked:
    """Every rule instance of a report, and the blank totals its printed parts determine.

    A derived total is offered separately; the printed fact stays as it is (blank), never `ok`.
    """

    checks: list[Check]
    derived: list[Fact]


def check(fmt: Format, facts: list[Fact]) -> Checked:
    """Evaluate every instance of every rule of the format over the facts."""
    instances = _instances(fmt, facts)
    unknown = _unprinted_totals(instances)
    checks = [evaluate(rule, scope, lhs, rhs, unknown) for rule, scope, lhs, rhs in instances]
    return Checked(checks, _derive(instances, unknown))


def covers(rule: RuleSpec, scope: str, row_id: str, col_id: str | None = None) -> bool:
    """Whether the rule instance at `scope` involves the cells of row `row_id`; with
    `col_id`, whether it surely sums that very cell (of alternatives, `rhs_one_of`, only
    one is summed)."""
    operands = {*rule.lhs, *rule.rhs}
    if col_id is None:
        operands |= {x for alt in rule.rhs_one_of for x in alt}
    if rule.per == "row":
        return scope == row_id and (col_id is None or col_id in operands)
    return row_id in operands and (col_id is None or scope == col_id)


def _derive(instances: list, unknown: dict) -> list[Fact]:
    out: dict[tuple[str, str, str], Fact] = {}
    for rule, _scope, lhs, rhs in instances:
        for side, other in ((lhs, rhs), (rhs, lhs)):
            if len(side) != 1 or side[0][0] not in rule.totals:
                continue
            total = side[0][1]
            if total is None or total.status not in ("blank", "dash") or total.key in out:
                continue
            # A part that is itself an unprinted total is unknown, not zero.
            if any(f is None or f.status == "missing" or id(f) in unknown for _, f in other):
                continue
            if not any(f.status in PRINTED for _, f in other):
                continue
            note = f"computed by {rule.id}: {_describe(other)} = {_sum(other)}; not printed"
            out[total.key] = Fact(
                total.table_id,
                total.row_id,
                total.col_id,
                _sum(other),
                "derived",
                None,
                total.unit,
                note,
                total.where,
            )
    return list(out.values())
