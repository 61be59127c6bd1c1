"""The OCR gate: no digit read by OCR becomes a figure unless something independent confirms it.

A misread 8 → 3 is a fabricated figure. A cell read by OCR (`Where.kind == 'ocr'`) keeps its
reading only when

- it is a figure, and every consistency rule of the format that involves the cell (row
  total, results sum, balance, column sums) is evaluable and passes with it (rules count 0,
  a dash and an empty cell alike, so a 0 needs its image to leave no dash or empty cell
  open as well: `_zero_open`); or
- its recognition confidence is high (for a word printed for "none", 无 or 無, middling:
  recognition shares an ideograph's probability with ideographs shaped alike) and every
  other reading of the image agrees (the same crop binarised at another scale, a runner-up
  digit; for an empty cell, the absence of ink), and no rule that involves it fails, nor
  is broken already by the cells read (an unread cell counts at least 0), unless another
  rule that involves it passes (in a table without ruling lines, with a figure other than
  0 among its cells: one over empty cells only passes whatever they print, and there a row
  of figures may come out a row of empty cells). A failing rule says one of its cells is
  misread or the source is inconsistent; agreeing readings do not say which. A rule
  failing only through withheld cells (here, on their own readings, or by an earlier gate)
  blames no other cell where another reading of theirs makes it hold (`_explained`); one
  with no reading at all (nothing placed it) only counts at least 0. In a table without
  ruling lines an empty cell's box is inferred from the other cells of its row of the
  source (which may hold several of the format's rows: section 四's three), so a row whose
  cells all came out empty (a wrapped label's line, say) is not confirmed by the absence of
  ink in its cells: nothing on the image places them. Only the absence of ink across the
  whole row, half its height beyond it up and down (`ROW_CLEAR`, which the reader adds to
  their readings), does.

Otherwise it becomes `missing`, with the reason and the candidate readings in its note
("OCR: 8 or 3; row total does not decide"). The gate is a step of the reading stage, run
after the repairs on the checks computed once over the facts (`checks.check`): a rule that
passes vouches for all its cells together. It knows OCR only by the fields the reader put on
each cell's `Where` (`kind`, `confidence`, `readings`), never by the reader itself.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import product
from math import prod

from parsers.bounds import shares
from parsers.model import (
    ROW_CLEAR,
    UNDER_SEAL,
    UNREAD_MARKS,
    ZERO_SHAPES,
    Check,
    Diagnosis,
    Fact,
)
from parsers.reading.checks import PRINTED, summed_cells
from parsers.reading.repair import Repaired
from parsers.script import NONE_WORDS
from parsers.templates import Format, RuleSpec
from parsers.values import read_value

Key = tuple[str, str, str]
# The most ways of reading a failed rule's withheld cells tried (each cell's readings
# multiplied): more is no evidence worth the search.
_MOST_READINGS = 64
# The most sums a failed rule's withheld cells may make at figures a digit from their
# readings (`_within_reach`): more and almost any gap is within reach.
_MOST_SUMS = 4096


@dataclass(frozen=True)
class OcrGateSettings:
    """How sure a reading must be to stand on its own (without a rule that passes)."""

    # The least character probability of a reading that stands on a second reading alone
    # (every runner-up digit above the engine's threshold counts as a disagreeing reading).
    min_confidence: float = 0.7
    # The least confidence of a 0 that rules may confirm (they count a dash or an empty cell
    # as 0, so only the image tells them apart): below it, recognition barely made the 0.
    min_zero_confidence: float = 0.1
    # The least confidence of a word printed for "none" (无, 無) that stands on a second
    # reading alone: recognition spreads an ideograph's probability over ideographs shaped
    # alike (維, 撫); where a digit runs it close, that digit is a disagreeing reading.
    min_none_word_confidence: float = 0.3

    def __post_init__(self) -> None:
        shares(self, "min_confidence", "min_zero_confidence", "min_none_word_confidence")


def gate_ocr(
    fmt: Format,
    facts: list[Fact],
    checks: list[Check],
    unruled: set[int],
    settings: OcrGateSettings,
    withheld: Mapping[Key, Fact] | None = None,
) -> Repaired:
    """Facts with every OCR reading that nothing confirms made `missing`, with its reason,
    and a diagnosis per table that lost cells to the gate. `checks` are the rules as
    evaluated on the facts as read (after repairs); `unruled` the source tables (`Where.table`)
    without ruling lines; `withheld` the cells an earlier gate made `missing` since, as they
    were read when the checks were evaluated: a sum failing with them blames no other cell
    only where another reading of theirs makes it hold (`_explained`)."""
    ocr = [f for f in facts if _from_ocr(f) and f.status != "missing"]
    if not ocr:
        return Repaired(facts)
    # Rows of the source of which some cell shows ink (a figure or a dash): their empty
    # cells are placed. A row of the source may hold several of the format's (section 四's
    # one row holds its three).
    inked = {_source_row(f) for f in ocr if f.status != "blank"}
    rules = {r.id: r for r in fmt.rules}
    involved: dict[Key, list[Check]] = {}
    for c in checks:
        for key in _operands(rules[c.rule_id], c.scope):
            involved.setdefault(key, []).append(c)
    # First each cell on its own readings; then the rules the readings that stand still
    # break, with the cells withheld on their own counted as unread.
    verdicts: dict[Key, str] = {}
    standing: list[tuple[Fact, list[Check]]] = []
    for f in ocr:
        key = f.key
        involving = involved.get(key, [])
        # Rules count blank, dash and 0 alike: they confirm a figure, never an empty cell,
        # and a 0 only where the image does not leave a dash or nothing open.
        open_zero = f.value == 0 and _zero_open(f, settings)
        if (
            f.status in ("ok", "repaired")
            and not open_zero
            and involving
            and all(c.status == "pass" for c in involving)
        ):
            continue
        unplaced = (
            f.status == "blank"
            and f.where is not None
            and f.where.table in unruled
            and _source_row(f) not in inked
            and ROW_CLEAR not in f.where.readings
        )
        if unplaced:
            verdicts[key] = (
                "OCR: empty, in a row whose cells all came out empty in a table without ruling "
                "lines: nothing on the image places the row's cells; candidates: empty"
            )
        elif _fraction_of_a_count(fmt, f):
            verdicts[key] = (
                f"OCR: {f.raw} (confidence {f.where.confidence:.2f}) is not a whole number, "
                "and the cell counts things: a speck read as a point or a digit; "
                f"candidates: {f.raw}"
            )
        elif _agrees(f, settings):
            standing.append((f, involving))
        else:
            verdicts[key] = _reason(f, involving, open_zero=open_zero)
    by_key = {f.key: f for f in facts}
    # A cell withheld here on readings of its own counts like one an earlier gate withheld,
    # but it may also be misread by a digit: a rule failing through it blames no other only
    # where another of its readings, or a figure one misread digit from one, makes it hold. One
    # with no reading at all (nothing placed it) is unread: at least 0.
    read = {k: by_key[k] for k in verdicts if _readings(by_key[k])}
    broken = _broken(
        rules,
        checks,
        by_key,
        (set(verdicts) - set(read)) | _blank_totals(fmt, by_key),
        {**read, **(withheld or {})},
        set(read) - set(withheld or {}),
    )
    for f, involving in standing:
        against = [broken[id(c)] for c in involving if id(c) in broken]
        # In a table without ruling lines a rule over empty cells only vouches for none:
        # a row of figures whose place was inferred may have been read as a row of empty
        # cells, and passes its own total. In a ruled one each cell's image shows its own.
        bare = f.where is not None and f.where.table in unruled
        if against and not any(
            _vouches(rules[c.rule_id], c, by_key, set(verdicts) if bare else None)
            for c in involving
        ):
            # A rule the readings that stand break, whatever its unread cells hold: one of
            # them is misread (or the source is inconsistent), and readings that agree with
            # themselves do not say which. A rule that passes with a figure vouches for
            # its cells.
            verdicts[f.key] = _reason(f, involving, "; ".join(dict.fromkeys(against)))
    if not verdicts:
        return Repaired(facts)
    out = []
    lost: dict[str, int] = {}
    for f in facts:
        note = verdicts.get(f.key)
        if note is None:
            out.append(f)
            continue
        lost[f.table_id] = lost.get(f.table_id, 0) + 1
        out.append(Fact(f.table_id, f.row_id, f.col_id, None, "missing", None, None, note, f.where))
    diagnoses = [
        Diagnosis(t, "warning", f"{n} cell(s) read by OCR withheld: no rule or second reading "
                  "confirms them")
        for t, n in lost.items()
    ]  # fmt: skip
    return Repaired(out, diagnoses)


def misread_explains(fmt: Format, facts: list[Fact], checks: list[Check]) -> set[int]:
    """Failed rules of a row that one cell read by OCR explains: taken at another of its
    readings, the rule holds, and so does every other failed rule of its row, where that
    reading says only that the cell prints nothing (a part: a dash read '1' whose second
    reading is '/') or prints the figure without a sign (a speck read as a minus). The rest
    of the row then sums as printed; the gate withholds the cell, its readings disagreeing.
    Another figure would do it as well where a second error offsets the first (an 8 read 3
    beside a 12 read 17), and a total read again as nothing where a figure of the row went
    astray. Ids of the checks."""
    rules = {r.id: r for r in fmt.rules}
    by_key = {f.key: f for f in facts}
    out = set()
    for c in checks:
        rule = rules[c.rule_id]
        if c.status != "fail" or rule.per != "row":
            continue
        totals = set(_keys(rule, rule.lhs, c.scope))
        for k in _operands(rule, c.scope):
            f = by_key.get(k)
            if f is None or not _from_ocr(f) or f.status == "missing":
                continue
            f = _taken_only(f, k in totals)
            if _readings(f) and _explained(rule, c, [f], rules, checks):
                out.add(id(c))
                break
    return out


def _taken_only(f: Fact, total: bool) -> Fact:
    """A cell with only the readings `misread_explains` may take: nothing printed (a part's
    only), or its own figure's magnitude without the sign."""
    kept = []
    for r in _readings(f):
        v = read_value(r)
        nothing = v.status in ("dash", "blank") and not total
        unsigned = v.status == "ok" and f.value is not None and v.value == abs(f.value) != f.value
        if nothing or unsigned:
            kept.append(r)
    return replace(f, where=replace(f.where, readings=tuple(kept)))


def _broken(
    rules: dict[str, RuleSpec],
    checks: list[Check],
    facts: dict[Key, Fact],
    unread: set[Key],
    withheld: Mapping[Key, Fact],
    unsure: set[Key],
) -> dict[int, str]:
    """Rule instances that the cells read, `unread` ones aside, break: a side whose cells are
    all read differs from the other's, or is less than what the other side's read cells
    already add up to (the cells count things, so an unread one is at least 0); of a sum of
    alternatives (`rhs_one_of`), the alternative the checks summed. A rule that
    failed through `withheld` cells (by an earlier gate, or by this one) is broken unless
    another reading of theirs makes it hold (`_explained`), or, all of them withheld by this
    gate as `unsure` of their readings, a figure one misread digit from one of them
    (`_within_reach`). Keyed by the check's id, each with what it says."""
    out: dict[int, str] = {}
    then = {**facts, **withheld}  # the cells as the checks read them
    for c in checks:
        rule = rules[c.rule_id]
        if c.status == "pass":
            continue
        operands = _operands(rule, c.scope)
        late = [withheld[k] for k in operands if k in withheld]
        if c.status == "fail" and late and not set(operands) & unread:
            mine = all(f.key in unsure for f in late)
            if not (
                _explained(rule, c, late, rules, checks) or (mine and _within_reach(rule, c, late))
            ):
                out[id(c)] = f"{c.rule_id} fails with it"
            continue
        # Of alternatives (`rhs_one_of`), the one the checks summed.
        _, summed = summed_cells(rule, then, rule.table, c.scope)
        sides = []
        for codes in (rule.lhs, [code for code, _ in summed]):
            keys = _keys(rule, codes, c.scope)
            known = [
                _counted(f)
                for k in keys
                if (f := facts.get(k)) is not None
                and f.status != "missing"
                and k not in unread
                and k not in withheld
            ]
            sides.append((sum(known, Decimal(0)), len(known) == len(keys), min(known, default=0)))
        (left, left_whole, left_least), (right, right_whole, right_least) = sides
        if left_whole and right_whole:
            if left != right:
                out[id(c)] = f"{c.rule_id} fails with it"
        elif min(left_least, right_least) < 0:
            continue  # a signed cell: no bound
        elif (left_whole and right > left) or (right_whole and left > right):
            small, large = (left, right) if left_whole and right > left else (right, left)
            out[id(c)] = (
                f"{c.rule_id} cannot hold: one side reads {_plain(small)}, the other's read "
                f"cells already add up to {_plain(large)}"
            )
    return out


def _explained(
    rule: RuleSpec, c: Check, cells: list[Fact], rules: dict[str, RuleSpec], checks: list[Check]
) -> bool:
    """Whether a failed rule holds with each of `cells` (withheld, as read when it was
    checked) taken at another of its readings that mends every other failed rule
    of its own row too: a dash read '1' whose second reading is '/', where the row total
    failed with the '1'. A cell a second reading read alike explains nothing (its runner-up
    would offset another cell's misreading just as well), nor does one a rule may not have
    summed (of alternatives, which one was is not known here)."""
    choices = []
    for f in cells:
        own = [
            (rules[x.rule_id], x)
            for x in checks
            if x is not c and x.status == "fail" and rules[x.rule_id].per == "row"
            and x.scope == f.row_id and f.key in _operands(rules[x.rule_id], x.scope)
        ]  # fmt: skip
        worths = _other_worths(f)
        choices.append([w for w in worths if all(_holds(r, x, {f.key: (f, w)}) for r, x in own)])
    if not all(choices) or prod(len(x) for x in choices) > _MOST_READINGS:
        return False
    return any(
        _holds(rule, c, {f.key: (f, w) for f, w in zip(cells, combo, strict=True)})
        for combo in product(*choices)
    )


def _within_reach(rule: RuleSpec, c: Check, cells: list[Fact]) -> bool:
    """Whether a failed rule holds with each of `cells` at a figure one misread digit from
    one of its readings (`_near`): an 8 read 3, not a digit lost (a '1' read for 19 leaves
    the rule broken, unless marks beside it went unread)."""
    if c.lhs is None or c.rhs is None:
        return False
    left, summed = _sides(rule, c)
    gaps = {c.lhs - c.rhs}
    for f in cells:
        if f.key not in summed:
            return False
        sign = 1 if f.key in left else -1
        steps = {(v - _counted(f)) * sign for v in _near(f)}
        gaps = {g + d for g in gaps for d in steps}
        if len(gaps) > _MOST_SUMS:
            return False
    return 0 in gaps


def _near(f: Fact) -> set[Decimal]:
    """The figures a cell may print, one digit misread from one of its readings (each
    figure a reading holds, two run together read apart: '112 21'; a dash or an empty cell
    as 0); where marks beside it went unread, also with a digit lost or added."""
    bases = {d for r in (f.raw or "", *_readings(f)) for d in re.findall(r"\d+", r)} or {"0"}
    loose = UNREAD_MARKS in _readings(f)
    found = set()
    for s in bases:
        for i in range(len(s)):
            found |= {s[:i] + d + s[i + 1 :] for d in string.digits}
            if loose:
                found.add(s[:i] + s[i + 1 :])
        if loose:
            found |= {s[:i] + d + s[i:] for i in range(len(s) + 1) for d in string.digits}
    return {Decimal(x) for x in found if x and (len(x) == 1 or x[0] != "0")}


def _other_worths(f: Fact) -> set[Decimal]:
    """What a cell's other readings count in a rule (a figure, 0 for a dash or nothing); none
    where one of them reads as the cell was read."""
    worths = set()
    for v in (read_value(r) for r in _readings(f)):
        if v.status == "ok" and v.value >= 0:  # a count: a sign is a speck
            worths.add(v.value)
        elif v.status in ("dash", "blank"):
            worths.add(Decimal(0))
    return set() if _counted(f) in worths else worths


def _holds(rule: RuleSpec, c: Check, taken: dict[Key, tuple[Fact, Decimal]]) -> bool:
    """Whether a checked rule holds with cells taken at other worths (`taken`: each cell's
    fact as checked and its worth now); not where the rule may not have summed one."""
    if c.lhs is None or c.rhs is None:
        return False
    left, summed = _sides(rule, c)
    if any(k not in summed for k in taken):
        return False
    shift = sum(
        ((w - _counted(f)) * (1 if k in left else -1) for k, (f, w) in taken.items()), Decimal(0)
    )
    return c.lhs - c.rhs + shift == 0


def _sides(rule: RuleSpec, c: Check) -> tuple[set[Key], set[Key]]:
    """A checked rule's left-hand cells, and every cell it summed (both sides)."""
    left = set(_keys(rule, rule.lhs, c.scope))
    return left, left | set(_keys(rule, rule.rhs, c.scope))


def _blank_totals(fmt: Format, facts: dict[Key, Fact]) -> set[Key]:
    """Totals printed empty or as a dash: unknown, not 0, beside parts (as the checks hold)."""
    totals = set()
    for r in fmt.rules:
        totals |= {(r.table, "col", c) if r.per == "row" else (r.table, "row", c) for c in r.totals}
    return {
        k
        for k, f in facts.items()
        if f.status in ("blank", "dash")
        and ((k[0], "col", k[2]) in totals or (k[0], "row", k[1]) in totals)
    }


def _counted(f: Fact) -> Decimal:
    """A cell's worth in a rule: its figure, or 0 for an empty cell or a dash."""
    return f.value if f.value is not None and f.status in PRINTED else Decimal(0)


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _fraction_of_a_count(fmt: Format, f: Fact) -> bool:
    """A figure with a fraction in a cell that counts things (not money)."""
    if f.value is None or f.value == f.value.to_integral_value():
        return False
    return f.col_id not in fmt.tables[f.table_id].money_cols


def _source_row(f: Fact) -> tuple:
    """The row of the source table that printed a cell (the format's row where the reader
    did not say)."""
    w = f.where
    if w is None or w.table is None or w.row is None:
        return (f.table_id, f.row_id)
    return (w.table, w.row)


def _from_ocr(f: Fact) -> bool:
    return f.where is not None and f.where.kind == "ocr"


def _vouches(rule: RuleSpec, c: Check, by_key: dict[Key, Fact], withheld: set | None) -> bool:
    """Whether a rule passes; unless `withheld` is None, with a figure other than 0 among
    its cells that is not withheld (one that passes over empty cells only holds whatever
    they print alike). Every alternative's cells count, the ones the check summed or not."""
    if c.status != "pass":
        return False
    if withheld is None:
        return True
    cells = (by_key.get(k) for k in _operands(rule, c.scope) if k not in withheld)
    return any(f is not None and f.value not in (None, 0) for f in cells)


def _operands(rule: RuleSpec, scope: str) -> list[Key]:
    return _keys(rule, [*rule.lhs, *rule.rhs, *(c for alt in rule.rhs_one_of for c in alt)], scope)


def _keys(rule: RuleSpec, codes, scope: str) -> list[Key]:
    """The cells of a rule instance that `codes` name."""
    if rule.per == "row":
        return [(rule.table, scope, c) for c in codes]
    return [(rule.table, c, scope) for c in codes]


def _agrees(f: Fact, settings: OcrGateSettings) -> bool:
    """High confidence (`min_confidence`; a word for "none" `min_none_word_confidence`), and
    every other reading of the image says the same."""
    w = f.where
    word = f.status == "dash" and (f.raw or "").strip() in NONE_WORDS
    least = settings.min_none_word_confidence if word else settings.min_confidence
    if w is None or w.confidence is None or w.confidence < least:
        return False
    others = _readings(f)
    if not others:
        return False
    mine = read_value(f.raw or "")
    return all(_same(mine, read_value(r)) for r in others)


def _zero_open(f: Fact, settings: OcrGateSettings) -> bool:
    """Whether the image of a 0 may as well show a dash or nothing: another reading is a
    dash or empty, a seal lies over what was read (its ring reads as 0), or recognition
    barely made the 0 and some reading is no closed loop (a 0 read again as o is one)."""
    w = f.where
    others = _readings(f)
    if w is None or any(
        r == UNDER_SEAL or read_value(r).status in ("blank", "dash") for r in others
    ):
        return True
    if w.confidence is not None and w.confidence >= settings.min_zero_confidence:
        return False
    return not others or not all(r.strip() and set(r.strip()) <= set(ZERO_SHAPES) for r in others)


def _readings(f: Fact) -> tuple[str, ...]:
    """The other readings of the cell's image (what places its row aside)."""
    return tuple(r for r in f.where.readings if r != ROW_CLEAR) if f.where is not None else ()


def _same(a, b) -> bool:
    return (a.status, a.value) == (b.status, b.value)


def _reason(
    f: Fact, checks: list[Check], against: str | None = None, open_zero: bool = False
) -> str:
    """Why a reading is withheld: the candidates, and what the rules said."""
    w = f.where
    shown = (f.raw or "").strip() or "empty"
    candidates = [shown]
    for r in _readings(f):
        r = r.strip() or "empty"
        if r not in candidates:
            candidates.append(r)
    conf = f"{w.confidence:.2f}" if w is not None and w.confidence is not None else "unknown"
    failing = sorted({c.rule_id for c in checks if c.status == "fail"})
    unknown = sorted({c.rule_id for c in checks if c.status == "not_evaluable"})
    if against is not None:
        rules = against
    elif f.status not in ("ok", "repaired") or open_zero:
        rules = (
            "rules cannot tell an empty cell or a dash from 0, and the image does not confirm it"
        )
    elif failing:
        rules = f"{', '.join(failing)} fails with it"
    elif unknown:
        rules = f"{', '.join(unknown)} cannot be evaluated, so no rule decides"
    else:
        rules = "no consistency rule involves the cell"
    if shown == "empty" and w is not None and w.confidence == 0:
        what = "marks in the cell were not recognised"
    else:
        what = " or ".join(candidates) + f" (confidence {conf})"
    return f"OCR: {what}; {rules}; candidates: {', '.join(candidates)}"
