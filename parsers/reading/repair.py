"""Repairs, after mapping: cells that slid left, and readings the consistency rules overrule.

Each repair takes a value only when exactly one reading of the evidence fits, and says which
evidence fixed it. Anything ambiguous stays missing, with the candidates in its note. The
gates judge on the checks computed once over the mapped facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.model import Check, Diagnosis, Fact
from parsers.reading.checks import PRINTED, check, covers
from parsers.reading.mapping import ShiftedRow
from parsers.templates import Format, RuleSpec


@dataclass
class Repaired:
    """Facts of rows repaired (or left missing) and the diagnoses that explain them."""

    facts: list[Fact] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)


def repair_shifted(
    fmt: Format, table_id: str, facts: list[Fact], shifted: list[ShiftedRow]
) -> Repaired:
    """Rows that printed one value cell too few: find where the omitted cell was.

    Each placement of the gap is tried against the rules over the row (row total, column
    sums, balance) with every other fact as printed. A column is taken only when every
    placement that breaks no rule, and makes some rule over the row hold, puts the same
    thing there.
    """
    out = Repaired()
    known = {f.key: f for f in facts}
    spec = fmt.tables[table_id]
    for item in shifted:
        cols = spec.row(item.row_id).cols
        cells = item.row.values
        fits: list[tuple[set[int], tuple]] = []  # gap columns giving each distinct reading
        for gap in range(len(cols)):
            trial = dict(known)
            states = []
            for i, col in enumerate(cols):
                if i == gap:
                    f = Fact(table_id, item.row_id, col, None, "blank")
                else:
                    c = cells[i if i < gap else i - 1]
                    f = Fact(table_id, item.row_id, col, c.value, c.status)
                trial[table_id, item.row_id, col] = f
                states.append((f.status, f.value))
            # Any rule failing anywhere rejects the placement: in a table whose printed
            # figures contradict each other, no reading of a gap is evidence.
            checks = check(fmt, list(trial.values())).checks
            if any(c.status == "fail" for c in checks):
                continue
            passing = [(_rule(fmt, c), c.scope) for c in checks if c.status == "pass"]
            # A placement needs evidence: some rule over this row must hold, not merely
            # fail to be evaluable (with every total blank, any placement "fits").
            if not any(covers(rule, scope, item.row_id) for rule, scope in passing):
                continue
            # The omitted cell was tried as an empty one: only a rule over that very cell
            # holding with it says so. Otherwise nothing says what it held (a total read as
            # unknown beside its parts, say), so it reads apart from every printed cell.
            if not any(covers(rule, scope, item.row_id, cols[gap]) for rule, scope in passing):
                states[gap] = ("unknown", None)
            same = next((g for g, s in fits if s == tuple(states)), None)
            if same is None:
                fits.append(({gap}, tuple(states)))
            else:
                same.add(gap)
        out.facts += _shifted_facts(table_id, cols, item, fits)
        verdict = (
            "no placement of the omitted cell satisfies the consistency rules"
            if not fits
            else f"{len(fits)} placement(s) of the omitted cell satisfy the consistency rules"
        )
        out.diagnoses.append(
            Diagnosis(
                table_id,
                "warning" if len(fits) != 1 else "info",
                f"{item.row_id}: {len(cells)} of {len(cols)} cells printed; {verdict}",
            )
        )
    return out


def _shifted_facts(
    table_id: str, cols: tuple[str, ...], item: ShiftedRow, fits: list[tuple[set[int], tuple]]
) -> list[Fact]:
    cells = item.row.values
    out = []
    every_gap = sorted({g for gs, _ in fits for g in gs})
    gaps = ", ".join(cols[g] for g in every_gap) or "nowhere"
    omitted = every_gap[0] if len(every_gap) == 1 else None
    for i, col in enumerate(cols):
        states = {s[i] for _, s in fits}
        if len(states) != 1:
            note = (
                f"position uncertain: the row printed {len(cells)} of {len(cols)} cells and "
                f"the omitted cell fits at {gaps}"
            )
            out.append(Fact(table_id, item.row_id, col, None, "missing", note=note))
            continue
        evidence = (
            f"column fixed by row total and column sums: the row printed {len(cells)} of "
            f"{len(cols)} cells; the omitted cell fits only at {gaps}"
            if omitted is not None
            else f"the row printed {len(cells)} of {len(cols)} cells; every placement of "
            f"the omitted cell that satisfies the rules ({gaps}) agrees on this cell"
        )
        note = "; ".join(x for x in (item.placed, evidence) if x)
        if i == omitted:
            # The rules say the omitted cell was an empty one, but it is not in the source.
            note = "cell not printed: omitted from the row; " + note
            out.append(Fact(table_id, item.row_id, col, None, "missing", None, note=note))
            continue
        # Provenance from a placement where this column is a printed cell.
        gap = next((g for g in every_gap if g != i), i)
        out.append(cells[i if i < gap else i - 1].fact(table_id, item.row_id, col, repair=note))
    return out


def gate_unruled(
    fmt: Format, facts: list[Fact], checks: list[Check], unruled: set[int]
) -> Repaired:
    """Rows read from a table without ruling lines whose printed total contradicts its parts.

    Without drawn cell borders a value's column was inferred from its position; when the
    row's own total then disagrees with its parts, a misplaced or merged value is at least as
    likely as a printing error, so the row's figures are withheld (missing, with both sums).
    Where the total prints a dash and a part a figure other than 0, as a figure gone astray
    from the row above or below reads, those figures are withheld. An empty total says
    less: many reports leave every row's total empty (Shanghai's general office, 2019).
    """
    known = {f.key: f for f in facts}
    # Rows of which a value was read from a table without ruling lines.
    inferred = {
        (f.table_id, f.row_id) for f in facts if f.where is not None and f.where.table in unruled
    }
    suspect: dict[tuple[str, ...], str] = {}
    for c in checks:
        rule = _rule(fmt, c)
        if rule.per != "row" or c.status not in ("fail", "not_evaluable"):
            continue
        keys: list[tuple[str, ...]] = [(rule.table, c.scope)]
        if c.status == "fail":
            why = f"the row's printed total ({c.lhs}) does not match its parts ({c.rhs})"
        else:
            totals = [known.get((rule.table, c.scope, code)) for code in rule.lhs]
            parts = [known.get((rule.table, c.scope, code)) for code in rule.rhs]
            if not all(t is not None and t.status == "dash" for t in totals):
                continue
            keys = [p.key for p in parts if p is not None and p.status in PRINTED and p.value]
            why = "the row's total prints a dash, yet this part prints a figure other than 0"
        if keys and (rule.table, c.scope) in inferred:
            for key in keys:
                suspect[key] = (
                    f"withheld: the table has no ruling lines, so each value's column was "
                    f"inferred from its position, and {why}"
                )
    return _withhold(facts, suspect)


def withhold_contradicted(
    fmt: Format, facts: list[Fact], checks: list[Check], placed: set[tuple[str, str]]
) -> Repaired:
    """Rows placed by alignment that a consistency rule then contradicts are withheld.

    A placement rests on structure alone; if a rule over a placed row fails (its row total,
    or a column sum it takes part in), the placement may be wrong as easily as the printing,
    so the table's placed rows lose their values (missing, with the failing rule named).
    """
    bad: dict[tuple[str, str], str] = {}
    for c in checks:
        if c.status != "fail":
            continue
        rule = _rule(fmt, c)
        for key in sorted(placed):
            if key[0] == rule.table and covers(rule, c.scope, key[1]):
                bad.setdefault(
                    key,
                    f"withheld: the row was placed by alignment, and {c.rule_id} "
                    f"[{c.scope}] fails ({c.lhs} vs {c.rhs})",
                )
    return _withhold(facts, bad)


def _rule(fmt: Format, c: Check) -> RuleSpec:
    return next(r for r in fmt.rules if r.id == c.rule_id)


def _withhold(facts: list[Fact], reasons: dict[tuple[str, ...], str]) -> Repaired:
    """The facts with every cell of the named (table, row)s, and the named (table, row,
    column) cells, made missing for its reason."""
    out = Repaired()
    for f in facts:
        note = reasons.get(f.key) or reasons.get((f.table_id, f.row_id))
        if note is None:
            out.facts.append(f)
        else:
            out.facts.append(
                Fact(f.table_id, f.row_id, f.col_id, None, "missing", note=note, where=f.where)
            )
    out.diagnoses = [
        Diagnosis(key[0], "warning", f"{'.'.join(key[1:])}: {n}") for key, n in reasons.items()
    ]
    return out
