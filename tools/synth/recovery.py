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


def placeable_rows(order: Sequence[str], labelled: Sequence[bool], fmt: str) -> list[bool]:
    """Which unlabelled rows a shape alignment anchored on labels and table ends can place.

    `order` holds the printed rows' true codes (what the parser cannot see for unlabelled rows)
    and `labelled` whether each kept its label. A run of unlabelled rows between two anchors is
    placed only when it fills exactly the canonical slots between them; rows that vanished make
    the count disagree, and then the whole run is left unplaced.
    """
    canon = codes.printed_request_rows(fmt)
    index = [canon.index(r) for r in order]
    out = [True] * len(order)
    i = 0
    while i < len(order):
        if labelled[i]:
            i += 1
            continue
        j = i
        while j < len(order) and not labelled[j]:
            j += 1
        before = index[i - 1] if i > 0 else -1
        after = index[j] if j < len(order) else len(canon)
        fits = after - before - 1 == j - i
        for k in range(i, j):
            out[k] = fits
        i = j
    return out
