"""Row identity: which canonical row each printed row of values is.

One order-preserving alignment of the printed rows to the template's row sequence:

1. A row's own label names a row when its best similarity wins by a clear margin
   (`labels.judge_label`); a group label spanning the row (不予公开) settles a tie between
   rows of different groups. A row without a label of its own whose label cell spans it and
   the rows next to it, one label per line, takes its line's (`_line_label`). Such rows are
   the anchors.
2. A row printed twice (split tables, a repeated row) keeps its first printing when both
   agree and neither when they differ. Without ruling lines a line printing nothing is
   the line of a wrapped label whose values another line prints, where that can be so
   (`_label_line`, `_in_wrapped_labels`): no empty cell is reported from it, nor where a
   line of figures no label names lies beside it (those figures are placed in no row). A
   line naming a one-row form (（六）其他处理) printing nothing above that form's rows is
   their heading (`_group_headings`).
3. Rows without a label of their own are placed by the alignment alone, in tables whose
   rows form printed groups: every row takes one canonical slot, in order, between the
   anchors, inside the group whose label spans it. A row is placed only when every
   alignment that fits puts it in the same slot; a row whose label names no canonical row
   (a subtotal?) or several equally (damaged) leaves the unlabelled rows beside it unplaced.

Nothing here reads a value; the rows' widths only say which rows they can be.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from parsers.reading.labels import (
    NO_LABEL,
    LabelSettings,
    Verdict,
    group_of,
    in_order,
    judge_label,
    names_any,
)
from parsers.reading.rows import DataRow, trim_leading, trim_terminators, trim_unheaded
from parsers.script import enumerator_number
from parsers.templates import TableSpec


@dataclass(frozen=True)
class Identity:
    """What a printed row is: its canonical row, and how that was decided.

    `row_id` is None when the row names none with certainty; `placed` says the row was
    identified by its position (the note says between which anchors); `note` says why a
    row was not taken, for the cells it leaves missing; `astray` says why a line of figures
    no label names is placed in no row (they may be those of an empty line beside them).
    """

    row_id: str | None
    verdict: Verdict
    placed: str | None = None
    note: str | None = None
    # The row the label names, even when the row is not taken (printed twice).
    named: str | None = None
    first: bool = True  # the first printing of the row it names
    astray: str | None = None


@dataclass(frozen=True)
class Identified:
    """Each printed row's identity, and why canonical rows nobody printed stay empty."""

    rows: list[tuple[DataRow, Identity]]
    unplaced: dict[str, str]  # canonical row id -> why no printed row was placed there
    conflicts: dict[str, str]  # canonical row id -> the two printings that disagree


def identify_rows(
    spec: TableSpec, format_id: str, rows: list[DataRow], settings: LabelSettings
) -> Identified:
    """The identity of every printed row of a canonical table (the rows as `rows` gives
    them back: a text table's closing separators taken off)."""
    identities = _by_label(spec, format_id, rows, settings)
    widest = max(len(r.cols) for r in spec.rows)
    widths = [len(spec.row(i.named).cols) if i.named else None for i in identities]
    trimmed = trim_terminators(rows, widths)
    trimmed = trim_leading(
        trimmed, [w if w is not None else widest if spec.groups else None for w in widths]
    )
    # A table without row groups (section 二's blocks, section 四) is headed row by row:
    # the header word over a row's cells is the nearest row of them.
    words = spec.col_words
    trimmed = trim_unheaded(
        trimmed, widths, lambda c: names_any(c.keys, words, settings), not spec.groups
    )
    if trimmed != rows:
        # Widths changed: a row's width decides whether it is a header, so judge again.
        rows, identities = trimmed, _by_label(spec, format_id, trimmed, settings)
    identities, conflicts = _duplicates(spec, format_id, rows, identities, settings)
    unplaced: dict[str, str] = {}
    if spec.groups:
        identities, unplaced = _place(spec, rows, identities)
    return Identified(list(zip(rows, identities, strict=True)), unplaced, conflicts)


def _by_label(
    spec: TableSpec, format_id: str, rows: list[DataRow], settings: LabelSettings
) -> list[Identity]:
    out = []
    widths = {len(r.cols) for r in spec.rows}
    sticky: str | None = None  # a group named once, in its first row, holds for the next
    lined: dict[tuple[int, int, int], list[Verdict] | None] = {}
    for row in rows:
        spanned = [g for g in (group_of(spec, c.keys) for c in row.spanning) if g]
        verdict = (
            judge_label(spec, format_id, row.label_keys(), settings, row.number())
            if row.labelled
            else _line_label(spec, format_id, row, settings, lined)
        )
        groups = spanned + list(verdict.groups)
        sticky = groups[-1] if groups else sticky
        row_id = verdict.row
        if row_id is None and len(verdict.candidates) > 1 and verdict.nearest == 0:
            # One wording, several rows (其他, 总计): the group it is printed in decides.
            context = groups or ([sticky] if sticky else [])
            inside = [
                c for c in verdict.candidates if all(c in spec.group_rows[g] for g in context)
            ]
            if context and len(inside) == 1:
                row_id = inside[0]
        if row.above_figures and (
            (row.labelled and (row_id is None or len(row.values) != len(spec.row(row_id).cols)))
            or (not row.labelled and len(row.values) not in widths)
        ):
            # Above the first figure, words name header columns, not rows (总计 over the
            # totals column): only a row of exactly a row's width of blanks is a data row.
            out.append(Identity(None, NO_LABEL, None, f"header row ({row.where()})", first=False))
            continue
        note = None
        if row.labelled and row_id is None:
            note = _unnamed(row, verdict)
        out.append(Identity(row_id, verdict, None, note, row_id))
    return _group_headings(spec, rows, out)


def _group_headings(
    spec: TableSpec, rows: list[DataRow], identities: list[Identity]
) -> list[Identity]:
    """A line naming a one-row form (（六）其他处理) that prints nothing, in a table where
    rows of that form's group are named too, is the group's heading above them, not the
    one row printed empty. Printing figures in a table without ruling lines, it names no
    row: they may be those of a row beside it."""
    named = {i.named for i in identities if i.named}
    out = list(identities)
    for k, ident in enumerate(identities):
        row = spec.row(ident.named) if ident.first and ident.named else None
        if row is None or not row.optional or not row.replaces or named.isdisjoint(row.replaces):
            continue
        if _prints_nothing(rows[k]):
            note = f"the heading of the rows it stands for ({', '.join(row.replaces)}), above them"
            out[k] = Identity(None, ident.verdict, None, note, None, first=False)
        elif not rows[k].grid.ruled:
            # Without ruling lines, figures on the heading's line may be a row's beside it
            # (a group label set centred on its rows): figures no label names.
            note = (
                f"the heading of the rows it stands for ({', '.join(row.replaces)}), with figures"
            )
            out[k] = Identity(None, ident.verdict, None, note, None)
    return out


def _line_label(
    spec: TableSpec,
    format_id: str,
    row: DataRow,
    settings: LabelSettings,
    seen: dict[tuple[int, int, int], list[Verdict] | None],
) -> Verdict:
    """The label of a row printing none of its own whose label cell spans it and the rows
    next to it, one row's label per line (the rules between label cells lost in print):
    its own line, when every line names a row and each a later row than the line above, and
    the cell's text as a whole names none (one label wrapped: 1.信访举报投诉 / 类申请)."""
    cell = max(row.spanning, key=lambda c: c.col, default=None)
    if cell is None or len(cell.lines) != cell.rowspan:
        return NO_LABEL
    at = (row.grid.index, cell.row, cell.col)
    if at not in seen:
        verdicts = [
            judge_label(spec, format_id, keys, settings, enumerator_number(text))
            for text, keys in cell.lines
        ]
        order = [r.id for r in spec.rows]
        places = [order.index(v.row) if v.row else -1 for v in verdicts]
        ascending = all(a < b for a, b in pairwise(places))
        whole = judge_label(spec, format_id, cell.keys, settings).row
        seen[at] = verdicts if min(places) >= 0 and ascending and whole is None else None
    verdicts = seen[at]
    return verdicts[row.index - cell.row] if verdicts else NO_LABEL


def _group_only(verdict: Verdict) -> bool:
    """Whether a label is only a group's (its row's own label lost beside it)."""
    return bool(verdict.distances) and verdict.distances[0][0].startswith("group:")


def _named_group(verdict: Verdict) -> str:
    """The group a group-only label names: as the verdict lists it, else its nearest label
    (a verdict narrowed to candidates keeps no groups; OCR'd labels end up so)."""
    if verdict.groups:
        return verdict.groups[-1]
    return verdict.distances[0][0].removeprefix("group:")


def _unnamed(row: DataRow, verdict: Verdict) -> str:
    label = " ".join(c.raw for c in row.own if c.raw)
    if verdict.candidates:
        return (
            f"label {label!r} ({row.where()}) fits several rows equally "
            f"({verdict.describe()}); not identified"
        )
    return f"label {label!r} ({row.where()}) names no canonical row"


def _duplicates(
    spec: TableSpec,
    format_id: str,
    rows: list[DataRow],
    identities: list[Identity],
    settings: LabelSettings,
) -> tuple[list[Identity], dict[str, str]]:
    """A row printed twice: the first printing when both agree, neither when they differ.
    In a table without ruling lines, two lines one after the other naming one row, one of
    them printing nothing in its value cells, are one wrapped label where the second line
    prints no enumerator and the two together name the row: the other line's values are
    the row's (an empty cell there places nothing: no border bounds it). A line printing
    nothing among the lines of a label one of which prints values, whatever they name, or
    beside a line of figures no label names, is not taken as its row printing nothing, and
    those figures are placed in no row (`_in_wrapped_labels`)."""
    first: dict[str, int] = {}
    conflicts: dict[str, str] = {}
    out = list(identities)
    for k, ident in enumerate(identities):
        if ident.row_id is None:
            continue
        if ident.row_id not in first:
            first[ident.row_id] = k
            continue
        j = first[ident.row_id]
        line = _label_line(spec, format_id, rows, (j, k), ident.row_id, settings)
        if line is not None:
            keep = k if line == j else j
            first[ident.row_id] = keep
            out[keep] = identities[keep]
            note = f"a line of the label of {rows[keep].where()}"
            out[line] = Identity(None, identities[line].verdict, None, note, ident.row_id, False)
            continue
        if [c.raw for c in rows[j].values] != [c.raw for c in rows[k].values]:
            conflicts[ident.row_id] = (
                f"row printed twice with different figures ({rows[j].where()}, {rows[k].where()})"
            )
        note = f"printed again ({rows[k].where()})"
        out[k] = Identity(None, ident.verdict, None, note, ident.row_id, first=False)
    wrapped, astray = _in_wrapped_labels(spec, rows, out)
    for row_id, note in wrapped.items():
        conflicts.setdefault(row_id, note)
    for p, note in astray.items():
        out[p] = Identity(None, out[p].verdict, None, out[p].note, None, astray=note)
    for k, ident in enumerate(out):
        if ident.row_id in conflicts:
            out[k] = Identity(None, ident.verdict, None, conflicts[ident.row_id], ident.row_id)
    return out, conflicts


def _in_wrapped_labels(
    spec: TableSpec, rows: list[DataRow], identities: list[Identity]
) -> tuple[dict[str, str], dict[int, str]]:
    """Rows taken from a line printing nothing in a table without ruling lines, among the
    lines of one label: a line with an enumerator and the lines after it printing none
    (their labels' continuations, as wrapped: 二、本年新收政 | 府信息公开申请 0 1 … |
    数量), one of which prints values. Those values may be the row's, not its line's empty
    cells, where the line's label is less than a whole wording of the row, the next or the
    last line goes on with it in one (一、本年新收政府信息公开申请 | 数量 0 1 …), or a line
    of the block prints figures no label names. Nor is a line printing nothing taken where
    the line just above or below it (on the next page too) prints figures no label names
    (a label's figures set a line off it). A row printed whole and empty beside another
    row (行政强制 under 行政处罚 45) is taken. Each with why it is not taken; and the lines
    of figures no label names beside a line so not taken, with why they are no row's."""
    blocks: list[list[int]] = []
    for k, row in enumerate(rows):
        if blocks and row.grid is rows[k - 1].grid and not row.enumerated():
            blocks[-1].append(k)
        else:
            blocks.append([k])

    def goes_on(a: int, b: int, row_id: str) -> bool:
        # Both lines' labels, one after the other, are in one of the row's wordings.
        wordings = spec.row(row_id).keys
        return any(
            in_order(x + y, w)
            for x in rows[a].label_keys()
            for y in rows[b].label_keys()
            for w in wordings
        )

    def astray(p: int) -> bool:
        # A line of figures no label names (none printed, or none read): whose they are is
        # not known.
        return identities[p].named is None and any(c.status == "ok" for c in rows[p].values)

    out: dict[str, str] = {}
    lines: dict[int, str] = {}
    for block in blocks:
        if rows[block[0]].grid.ruled:
            continue
        printing = [k for k in block if not _prints_nothing(rows[k])]
        lost = any(astray(p) for p in printing)
        for k in block:
            ident = identities[k]
            if ident.row_id is None or not _prints_nothing(rows[k]):
                continue
            # A line of figures no label names, just above or below (a label's figures set
            # a line off it; on the next page, a table split there): they may be this row's.
            near = [
                p
                for p in (k - 1, k + 1)
                if 0 <= p < len(rows) and not rows[p].grid.ruled and astray(p)
            ]
            if near:
                out[ident.row_id] = (
                    f"the row's line prints nothing ({rows[k].where()}), and a line beside "
                    f"it prints figures no label names ({rows[near[0]].where()})"
                )
                for p in near:
                    lines[p] = (
                        f"figures no label names ({rows[p].where()}), beside the line of "
                        f"{ident.row_id} printing nothing ({rows[k].where()}): whose they are "
                        "is not known"
                    )
                continue
            if not printing:
                continue
            whole = (
                not lost
                and ident.verdict.nearest == 0
                and not any(
                    goes_on(a, b, ident.row_id)
                    for a, b in ((k - 1, k), (k, k + 1))
                    if a in block and b in block
                )
            )
            if not whole:
                out[ident.row_id] = (
                    f"the row's line prints nothing ({rows[k].where()}), and a line of the "
                    f"same label, wrapped, prints values ({rows[printing[0]].where()})"
                )
    return out, lines


def _prints_nothing(row: DataRow) -> bool:
    """Whether a row's value cells are all empty."""
    return bool(row.values) and all(c.status == "blank" for c in row.values)


def _label_line(
    spec: TableSpec,
    format_id: str,
    rows: list[DataRow],
    pair: tuple[int, int],
    row_id: str,
    settings: LabelSettings,
) -> int | None:
    """Which of two rows, one after the other in a table without ruling lines and naming
    the same row, is a line of its wrapped label: the one whose value cells are all empty,
    where the other's are not, the second prints no enumerator (a row's own label does:
    2.重复申请 under 1.信访举报投诉 | 类申请) and both labels together name the row."""
    j, k = pair
    a, b = rows[j], rows[k]
    if k != j + 1 or a.grid is not b.grid or a.grid.ruled or b.enumerated():
        return None
    empty = [_prints_nothing(r) for r in (a, b)]
    if empty[0] == empty[1]:
        return None
    joined = frozenset(x + y for x in a.label_keys() for y in b.label_keys())
    if judge_label(spec, format_id, joined, settings, a.number()).row != row_id:
        return None
    return j if empty[0] else k


# Allowed slots of a row in the alignment: a set of slot indexes, and whether it may take
# none (a row that is no canonical row at all).
_Allowed = tuple[frozenset[int], bool]


def _place(
    spec: TableSpec, rows: list[DataRow], identities: list[Identity]
) -> tuple[list[Identity], dict[str, str]]:
    """Unlabelled rows given their canonical rows by alignment, where only one fits.

    A label naming a one-row form (（六）其他处理, printed in place of its three rows) may
    also be that group's label printed on the group's first row, with the three rows under
    it. Where the rows fit only that second reading, it is taken (and its rows are placed,
    as repaired, for the checks to confirm); where both or neither fit, the first stands.
    """
    placed, unplaced = _align(spec, rows, identities)
    if not unplaced:
        return placed, unplaced
    grouped = list(identities)
    for k, ident in enumerate(identities):
        row = spec.row(ident.named) if ident.first and ident.named else None
        if row is not None and row.optional and row.replaces:
            first = row.replaces[0]
            how = (
                f"label {ident.named!r} read as its group's, printed on the group's first row "
                f"({first}): the only reading in which every row of the table has a place"
            )
            grouped[k] = Identity(first, ident.verdict, how, None, first)
    if grouped == identities:
        return placed, unplaced
    regrouped, left = _align(spec, rows, grouped)
    return (regrouped, left) if not left else (placed, unplaced)


def _align(
    spec: TableSpec, rows: list[DataRow], identities: list[Identity]
) -> tuple[list[Identity], dict[str, str]]:
    found = {i.named for i in identities if i.named}
    seq = spec.printed_rows(found)
    pos = {r: k for k, r in enumerate(seq)}
    everything = frozenset(range(len(seq)))

    def blank(row: DataRow, ident: Identity) -> bool:
        """A row without a label of its own: none printed, or only its group's label where
        the group starts (unless another row's label names the group's first row)."""
        if not row.labelled:
            return True
        if not _group_only(ident.verdict):
            return False
        first = spec.group_rows.get(_named_group(ident.verdict), ())
        return not first or first[0] not in found

    allowed: list[_Allowed] = []
    for row, ident in zip(rows, identities, strict=True):
        if not ident.first:
            allowed.append((frozenset(), True))  # a header row, or a second printing
        elif ident.named is not None:
            # Its label names it: the row takes that slot.
            slot = frozenset({pos[ident.named]}) if ident.named in pos else None
            allowed.append((slot, False) if slot else (frozenset(), True))
        elif ident.verdict.candidates:
            # Damaged so that several rows fit: one of them, but which is not known.
            allowed.append((frozenset(pos[c] for c in ident.verdict.candidates if c in pos), False))
        elif not blank(row, ident):
            allowed.append((everything, True))  # names no row: a canonical row or an extra one
        else:
            allowed.append((_fitting(spec, seq, row, ident.verdict), False))
        if ident.astray is not None:
            # Its figures may be an empty line's beside it: it may be no row of its own.
            allowed[-1] = (allowed[-1][0], True)
    feasible = _feasible(allowed, len(seq))
    out = list(identities)
    unplaced: dict[str, str] = {}
    anchors = [(k, pos[i.named]) for k, i in enumerate(identities) if i.first and i.named in pos]
    for k, (row, ident) in enumerate(zip(rows, identities, strict=True)):
        if not blank(row, ident) or ident.named or not ident.first:
            continue
        before = max((a for a in anchors if a[0] < k), default=(-1, -1))
        after = min((a for a in anchors if a[0] > k), default=(len(rows), len(seq)))
        start = seq[before[1]] if before[1] >= 0 else "the table's start"
        end = seq[after[1]] if after[1] < len(seq) else "the table's end"
        between = range(before[0] + 1, after[0])
        unnamed = [j for j in between if identities[j].named is None and identities[j].first]
        run = [j for j in unnamed if blank(rows[j], identities[j])]
        others = [j for j in unnamed if j not in run]
        slots = [s for s in range(before[1] + 1, after[1]) if seq[s] not in found]
        # Figures that may be an empty line's between the same anchors: every placement
        # there rests on a reading their note doubts.
        stray = [j for j in between if identities[j].astray is not None]
        options = feasible[k]
        if len(options) == 1 and not others and not stray:
            (slot,) = options
            how = (
                f"row identified by structural alignment: {len(run)} unlabelled row(s) between "
                f"{start} and {end} fill exactly the {len(slots)} canonical row(s) there"
            )
            out[k] = Identity(seq[slot], ident.verdict, how, None)
            continue
        if stray:
            note = f"row label lost: {identities[stray[0]].astray}"
        elif others:
            labels = ", ".join(repr(" ".join(c.raw for c in rows[j].own if c.raw)) for j in others)
            note = (
                f"row label lost: {len(run)} unlabelled row(s) between {start} and {end}, beside "
                f"row(s) labelled {labels} that name no canonical row with certainty; "
                "no position is certain"
            )
        else:
            note = (
                f"row label lost: {len(run)} unlabelled row(s) between {start} and {end} "
                f"for {len(slots)} canonical row(s); no position is certain"
            )
        for s in options or slots:
            if seq[s] not in found:
                unplaced.setdefault(seq[s], note)
    placed = {i.row_id for i in out if i.row_id}
    return out, {r: n for r, n in unplaced.items() if r not in placed}


def _fitting(spec: TableSpec, seq: list[str], row: DataRow, verdict: Verdict) -> frozenset[int]:
    """Slots an unlabelled row can fill: its printed width fits (one cell may be omitted),
    and where a group's label starts on this row (spanning from it in a ruled grid, or printed
    as the row's only label), the group's first row.

    Only where a group label starts says something: the rows a span covers do not (a row
    deleted from print leaves the span reaching over the next row).
    """
    starts = {
        spec.group_rows[g][0]
        for c in row.spanning
        if c.row == row.index and row.grid.ruled
        for g in [group_of(spec, c.keys)]
        if g
    }
    if _group_only(verdict) and spec.group_rows.get(_named_group(verdict)):
        starts |= {spec.group_rows[_named_group(verdict)][0]}
    out = set()
    for k, row_id in enumerate(seq):
        width = len(spec.row(row_id).cols)
        if len(row.values) not in (width, width - 1):
            continue
        if len(starts) == 1 and row_id not in starts:
            continue
        out.add(k)
    return frozenset(out)


def _feasible(allowed: list[_Allowed], n_slots: int) -> list[frozenset[int]]:
    """For each row, the slots it takes in some order-preserving assignment of every row.

    Rows take distinct slots in increasing order (or none, where allowed). `fwd[i]` holds
    the lowest slot row i can end at given the rows before it; `bwd[i]` the highest slot
    row i can take given the rows after it. A slot s is feasible for row i when it is
    allowed, above what the rows before need and below what the rows after need.
    """
    n = len(allowed)
    # fwd[i]: the least slot index that rows [0, i) leave free (they use slots below it).
    fwd = [0] * (n + 1)
    for i, (slots, may_skip) in enumerate(allowed):
        options = [s for s in slots if s >= fwd[i]]
        if options:
            fwd[i + 1] = min(options) + 1 if not may_skip else fwd[i]
        elif may_skip:
            fwd[i + 1] = fwd[i]
        else:
            return [frozenset()] * n
    # bwd[i]: the slot index rows [i, n) need to stay below (they fit in slots >= it... < it).
    bwd = [n_slots] * (n + 1)
    for i in range(n - 1, -1, -1):
        slots, may_skip = allowed[i]
        options = [s for s in slots if s < bwd[i + 1]]
        if options:
            bwd[i] = max(options) if not may_skip else bwd[i + 1]
        elif may_skip:
            bwd[i] = bwd[i + 1]
        else:
            return [frozenset()] * n
    return [
        frozenset(s for s in slots if fwd[i] <= s < bwd[i + 1])
        for i, (slots, _may_skip) in enumerate(allowed)
    ]
