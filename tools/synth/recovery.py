"""What a careful parser can provably recover from damaged section 三 rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from synth import codes, rules
from synth.codes import Key

State = tuple[str, int | float | None]  # (status, value) of one fact


def gap_placements(
    facts: Mapping[Key, State], fmt: str, row: str, printed: Sequence[State]
) -> list[tuple[int, tuple[State, ...]]]:
    """(gap column, full row) for each place an empty cell can be re-inserted without any
    consistency rule failing and with some rule over the row holding.

    `printed` are the row's surviving value cells in order (one fewer than the columns).
    Several gaps may give the same row (the gap among equal empty cells).
    """
    cols = codes.REQUEST_COLS
    found: list[tuple[int, tuple[State, ...]]] = []
    for gap in range(len(cols)):
        candidate = (*printed[:gap], ("blank", None), *printed[gap:])
        trial = dict(facts)
        for col, state in zip(cols, candidate, strict=True):
            trial["requests", row, col] = state
        checks = rules.evaluate(trial, fmt)
        if any(c.status == "fail" for c in checks):
            continue
        # Evidence, not mere absence of contradiction: some rule over this row must hold.
        if any(c.status == "pass" and _covers(c, row, fmt) for c in checks):
            found.append((gap, candidate))
    return found


def _covers(check: rules.Check, row: str, fmt: str) -> bool:
    """Whether a rule instance involves the cells of section 三 row `row`."""
    if check.rule_id == "requests.row_total":
        return check.scope == row
    if check.rule_id == "requests.balance":
        return row in ("new_received", "carried_over", "results_total", "carried_forward")
    if check.rule_id == "requests.results_sum":
        return row == "results_total" or row in codes.result_rows(fmt, True) + codes.result_rows(
            fmt, False
        )
    return False


def agreed_columns(fits: Sequence[tuple[int, tuple[State, ...]]]) -> list[bool]:
    """Per column: do all consistent placements put the same thing there?"""
    if not fits:
        return [False] * len(codes.REQUEST_COLS)
    first = fits[0][1]
    return [all(c[i] == first[i] for _, c in fits) for i in range(len(first))]


def omitted_column(fits: Sequence[tuple[int, tuple[State, ...]]]) -> int | None:
    """The column every consistent placement puts the gap in, if they all agree."""
    gaps = {g for g, _ in fits}
    return gaps.pop() if len(gaps) == 1 else None


def placeable_rows(
    order: Sequence[str], labelled: Sequence[bool], fmt: str, layouts: Sequence[Sequence[str]] = ()
) -> list[bool]:
    """Which unlabelled rows a shape alignment anchored on labels and table ends can place.

    `order` holds the printed rows' true codes (what the parser cannot see for unlabelled rows)
    and `labelled` whether each kept a label that names it. A run of unlabelled rows between
    two anchors is placed only when it fills exactly the canonical slots between them; rows
    that vanished make the count disagree, and then the whole run is left unplaced.

    `layouts` are the row orders a reader must consider, the true one first (default: the
    format's one section 三 layout). A run that fits another layout as well is placed only
    when that layout puts the same rows there; a run that another layout has more room for
    (rows may have vanished from it) is not placed: the reader cannot tell the layouts apart.
    """
    orders = [list(o) for o in layouts] or [codes.printed_request_rows(fmt)]
    anchors = {code for code, lab in zip(order, labelled, strict=True) if lab}
    usable = [o for o in orders[1:] if anchors <= set(o)]
    out = [True] * len(order)
    i = 0
    while i < len(order):
        if labelled[i]:
            i += 1
            continue
        j = i
        while j < len(order) and not labelled[j]:
            j += 1
        truth = _slots(orders[0], order, i, j)
        fits = truth == list(order[i:j])
        for other in usable:
            guess = _slots(other, order, i, j)
            # Another layout with room for more rows than the run is as likely (rows that
            # vanished), unless the reader can tell which layout it is: no position is certain.
            if (guess is not None and guess != truth) or _room(other, order, i, j) > j - i:
                fits = False
        for k in range(i, j):
            out[k] = fits
        i = j
    return out


def _room(canon: Sequence[str], order: Sequence[str], i: int, j: int) -> int:
    """How many slots a layout has between the anchors around the run order[i:j]."""
    before = canon.index(order[i - 1]) if i > 0 else -1
    after = canon.index(order[j]) if j < len(order) else len(canon)
    return max(0, after - before - 1)


def _slots(canon: Sequence[str], order: Sequence[str], i: int, j: int) -> list[str] | None:
    """The codes a layout puts in the run order[i:j] between its anchors, if the count fits."""
    before = canon.index(order[i - 1]) if i > 0 else -1
    after = canon.index(order[j]) if j < len(order) else len(canon)
    slots = list(canon[before + 1 : after])
    return slots if len(slots) == j - i else None
