"""Structural repairs: place rows whose labels were lost, and cells that slid left.

Each repair takes a value only when exactly one reading of the evidence fits, and says which
evidence fixed it. Anything ambiguous stays missing, with the candidates in its note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parsers.checks import run_checks
from parsers.model import Check, Diagnosis, Fact
from parsers.templates import Format, RowSpec, TableSpec
from parsers.values import read_value

if TYPE_CHECKING:
    from parsers.tables import Row


@dataclass
class Placement:
    """Rows placed by position, and why the canonical rows left empty could not be."""

    rows: dict[str, tuple[Row, str]] = field(default_factory=dict)
    unplaced: dict[str, str] = field(default_factory=dict)
    diagnoses: list[Diagnosis] = field(default_factory=list)


def place_unlabelled(
    spec: TableSpec, rows: list[Row], matches: list[RowSpec | None], found: set[str]
) -> Placement:
    """Align runs of unlabelled value rows to the canonical slots between labelled anchors.

    A run between two anchors (labelled rows, or the table's ends) is placed only when it has
    exactly as many rows as there are canonical rows between the anchors; otherwise rows
    vanished or crept in, and no position is certain.
    """
    seq = spec.printed_rows(found)
    width = len(spec.rows[0].cols)
    out = Placement()
    run: list[Row] = []
    strangers: list[str] = []  # rows whose own label names no canonical row (a subtotal?)
    before = -1
    for row, match in zip(rows, matches, strict=True):
        if match is None:
            if len(row.values) != width:
                continue
            own = [c.text for c in row.path if c.row == row.index and c.rowspan == 1 and c.text]
            if own:
                strangers.append(own[-1])
            else:
                run.append(row)
            continue
        if match.id not in seq:
            continue
        after = seq.index(match.id)
        _place_run(spec, seq, run, before, after, found, out, strangers)
        run, strangers, before = [], [], after
    _place_run(spec, seq, run, before, len(seq), found, out, strangers)
    return out


def _place_run(
    spec: TableSpec,
    seq: list[str],
    run: list[Row],
    before: int,
    after: int,
    found: set[str],
    out: Placement,
    strangers: list[str],
) -> None:
    if not run:
        return
    start = seq[before] if before >= 0 else "the table's start"
    end = seq[after] if after < len(seq) else "the table's end"
    slots = seq[before + 1 : after] if after > before else []
    open_slots = [s for s in slots if s not in found]
    if strangers:
        note = (
            f"row label lost: {len(run)} unlabelled row(s) between {start} and {end}, beside "
            f"row(s) labelled {', '.join(repr(x) for x in strangers)} that name no canonical row; "
            "no position is certain"
        )
        for row_id in open_slots:
            out.unplaced[row_id] = note
        out.diagnoses.append(Diagnosis(spec.id, "warning", note))
        return
    if len(run) == len(slots) and open_slots == slots:
        how = (
            f"row identified by structural alignment: {len(run)} unlabelled row(s) between "
            f"{start} and {end} fill exactly the {len(slots)} canonical row(s) there"
        )
        for row_id, row in zip(slots, run, strict=True):
            out.rows[row_id] = (row, how)
        return
    note = (
        f"row label lost: {len(run)} unlabelled row(s) between {start} and {end} "
        f"for {len(open_slots)} canonical row(s); no position is certain"
    )
    for row_id in open_slots:
        out.unplaced[row_id] = note
    out.diagnoses.append(Diagnosis(spec.id, "warning", note))


@dataclass
class Repaired:
    """Facts of rows repaired (or left missing) and the diagnoses that explain them."""

    facts: list[Fact] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)


def repair_shifted(
    fmt: Format, facts: list[Fact], shifted: list[tuple[RowSpec, Row, str | None]]
) -> Repaired:
    """Rows that printed one value cell too few: find where the omitted cell was.

    Each placement of the gap is tried against the format's consistency rules (row total,
    column sums, balance) with every other fact as printed. A column is taken only when every
    placement that breaks no rule puts the same thing there.
    """
    out = Repaired()
    known = {(f.table_id, f.row_id, f.col_id): f for f in facts}
    for spec_row, row, how in shifted:
        table_id = _table_of(fmt, spec_row)
        reads = [read_value(c.text) for c in row.values]
        fits: list[tuple[set[int], tuple]] = []  # gap columns giving each distinct reading
        for gap in range(len(spec_row.cols)):
            trial = dict(known)
            states = []
            for i, col in enumerate(spec_row.cols):
                if i == gap:
                    f = Fact(table_id, spec_row.id, col, None, "blank")
                else:
                    rv = reads[i if i < gap else i - 1]
                    f = Fact(table_id, spec_row.id, col, rv.value, rv.status)
                trial[table_id, spec_row.id, col] = f
                states.append((f.status, f.value))
            checks = run_checks(fmt, list(trial.values()))
            if any(c.status == "fail" for c in checks):
                continue
            # A placement needs evidence: some rule over this row must hold, not merely
            # fail to be evaluable (with every total blank, any placement "fits").
            if not any(c.status == "pass" and _covers(fmt, c, spec_row.id) for c in checks):
                continue
            same = next((g for g, s in fits if s == tuple(states)), None)
            if same is None:
                fits.append(({gap}, tuple(states)))
            else:
                same.add(gap)
        out.facts += _shifted_facts(table_id, spec_row, row, fits, how)
        verdict = (
            "no placement of the omitted cell satisfies the consistency rules"
            if not fits
            else f"{len(fits)} placement(s) of the omitted cell satisfy the consistency rules"
        )
        out.diagnoses.append(
            Diagnosis(
                table_id,
                "warning" if len(fits) != 1 else "info",
                f"{spec_row.id}: {len(row.values)} of {len(spec_row.cols)} cells printed; "
                f"{verdict}",
            )
        )
    return out


def _covers(fmt: Format, check: Check, row_id: str) -> bool:
    """Whether a rule instance involves the cells of row `row_id`."""
    rule = next(r for r in fmt.rules if r.id == check.rule_id)
    if rule.per == "row":
        return check.scope == row_id
    operands = {*rule.lhs, *rule.rhs, *(x for alt in rule.rhs_one_of for x in alt)}
    return row_id in operands


def _table_of(fmt: Format, spec_row: RowSpec) -> str:
    for table_id, spec in fmt.tables.items():
        if spec_row in spec.rows:
            return table_id
    raise KeyError(spec_row.id)


def _shifted_facts(
    table_id: str,
    spec_row: RowSpec,
    row: Row,
    fits: list[tuple[set[int], tuple]],
    how: str | None,
) -> list[Fact]:
    cols = spec_row.cols
    out = []
    every_gap = sorted({g for gs, _ in fits for g in gs})
    gaps = ", ".join(cols[g] for g in every_gap) or "nowhere"
    omitted = every_gap[0] if len(every_gap) == 1 else None
    for i, col in enumerate(cols):
        states = {s[i] for _, s in fits}
        if len(states) != 1:
            note = (
                f"position uncertain: the row printed {len(row.values)} of {len(cols)} cells and "
                f"the omitted cell fits at {gaps}"
            )
            out.append(Fact(table_id, spec_row.id, col, None, "missing", note=note))
            continue
        evidence = (
            f"column fixed by row total and column sums: the row printed {len(row.values)} of "
            f"{len(cols)} cells; the omitted cell fits only at {gaps}"
            if omitted is not None
            else f"the row printed {len(row.values)} of {len(cols)} cells; every placement of "
            f"the omitted cell that satisfies the rules ({gaps}) agrees on this cell"
        )
        note = "; ".join(x for x in (how, evidence) if x)
        # Provenance from a placement where this column is a printed cell.
        gap = next((g for g in every_gap if g != i), i)
        if i == omitted:
            # The rules say the omitted cell was an empty one, but it is not in the source.
            note = "cell not printed: omitted from the row; " + note
            out.append(Fact(table_id, spec_row.id, col, None, "missing", None, note=note))
            continue
        cell = row.values[i if i < gap else i - 1]
        rv = read_value(cell.text)
        status = "repaired" if rv.status == "ok" else rv.status
        out.append(
            Fact(table_id, spec_row.id, col, rv.value, status, cell.text, rv.unit, note, cell.where)
        )
    return out


def gate_unruled(fmt: Format, facts: list[Fact], unruled: set[int]) -> Repaired:
    """Rows read from a table without ruling lines whose printed total contradicts its parts.

    Without drawn cell borders a value's column was inferred from its position; when the
    row's own total then disagrees with its parts, a misplaced or merged value is at least as
    likely as a printing error, so the row's figures are withheld (missing, with both sums).
    """
    suspect: dict[tuple[str, str], str] = {}
    for check in run_checks(fmt, facts):
        rule = next(r for r in fmt.rules if r.id == check.rule_id)
        if check.status != "fail" or rule.per != "row":
            continue
        row = [f for f in facts if f.table_id == rule.table and f.row_id == check.scope]
        if any(f.where is not None and f.where.table in unruled for f in row):
            suspect[rule.table, check.scope] = (
                f"withheld: the table has no ruling lines, so each value's column was inferred "
                f"from its position, and the row's printed total ({check.lhs}) does not match "
                f"its parts ({check.rhs})"
            )
    return _withhold(facts, suspect)


def withhold_contradicted(
    fmt: Format, facts: list[Fact], inferred: set[tuple[str, str]]
) -> Repaired:
    """Rows placed by alignment that a consistency rule then contradicts are withheld.

    A placement rests on structure alone; if a rule over a placed row fails (its row total,
    or a column sum it takes part in), the placement may be wrong as easily as the printing,
    so the table's placed rows lose their values (missing, with the failing rule named).
    """
    bad: dict[tuple[str, str], str] = {}
    for check in run_checks(fmt, facts):
        if check.status != "fail":
            continue
        rule = next(r for r in fmt.rules if r.id == check.rule_id)
        hit = [(t, r) for t, r in inferred if t == rule.table and _covers(fmt, check, r)]
        for key in hit:
            bad.setdefault(
                key,
                f"withheld: the row was placed by alignment, and {check.rule_id} "
                f"[{check.scope}] fails ({check.lhs} vs {check.rhs})",
            )
    return _withhold(facts, bad)


def _withhold(facts: list[Fact], reasons: dict[tuple[str, str], str]) -> Repaired:
    """The facts with every cell of the named (table, row)s made missing for its reason."""
    out = Repaired()
    for f in facts:
        note = reasons.get((f.table_id, f.row_id))
        if note is None:
            out.facts.append(f)
        else:
            out.facts.append(
                Fact(f.table_id, f.row_id, f.col_id, None, "missing", note=note, where=f.where)
            )
    out.diagnoses = [Diagnosis(t, "warning", f"{r}: {n}") for (t, r), n in reasons.items()]
    return out
