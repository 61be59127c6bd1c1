"""What a careful parser can provably recover from damaged section 三 rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from synth import codes, rules
from synth.codes import Key

State = tuple[str, int | float | None]  # (status, value) of one fact


def gap_placements(
    facts: Mapping[Key, State], fmt: str, row: str, printed: Sequence[State]
) -> list[tuple[State, ...]]:
    """Distinct full rows, one empty cell re-inserted, under which no consistency rule fails.

    `printed` are the row's surviving value cells in order (one fewer than the columns).
    """
    cols = codes.REQUEST_COLS
    found: list[tuple[State, ...]] = []
    for gap in range(len(cols)):
        candidate = (*printed[:gap], ("blank", None), *printed[gap:])
        if candidate in found:
            continue
        trial = dict(facts)
        for col, state in zip(cols, candidate, strict=True):
            trial["requests", row, col] = state
        if not rules.failing(trial, fmt):
            found.append(candidate)
    return found


def agreed_columns(candidates: Sequence[tuple[State, ...]]) -> list[bool]:
    """Per column: do all consistent placements put the same thing there?"""
    if not candidates:
        return [False] * len(codes.REQUEST_COLS)
    first = candidates[0]
    return [all(c[i] == first[i] for c in candidates) for i in range(len(first))]


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
