"""Issue #9 variation planned for one report: header shapes, section 四 layouts, where the
agency is named, narrative openers and flattened pages (rates in settings.Odds)."""

from __future__ import annotations

import random

from synth import codes, gold, relayout
from synth.cells import Cell
from synth.codes import Key
from synth.draw import chance, choose
from synth.grid import Table
from synth.settings import META_PLACES, REVIEW_DAMAGES, Odds
from synth.wording import Wording

# Quirks a flattened page keeps (the others print cells a flattened row cannot carry).
FLAT_QUIRKS = frozenset({"heading_wording", "section6_absent", "normative_swap", "inconsistent"})


def plan_variants(
    rng: random.Random, profile: str, html: bool, kinds: list[str], odds: Odds
) -> list[str]:
    """Issue #9 variation of one report (label noise is drawn when labels are printed)."""
    out: list[str] = []
    if chance(rng, odds.header_words):
        out.append("header_words")
    standard_reviews = bool(set(kinds) & set(REVIEW_DAMAGES)) or "skeleton" in kinds
    layout = "row15" if standard_reviews else choose(rng, odds.review_layouts)
    if layout != "row15":
        out.append(f"reviews_{layout}")
    if not standard_reviews and layout != "rows15" and chance(rng, odds.review_partial_header):
        out.append("reviews_partial_header")
    place = choose(rng, odds.meta_places)
    if place != "full":
        out.append(f"meta_{place}")
    if chance(rng, odds.narrative_opener):
        out.append("narrative_opener")
    if not html and not kinds and profile != "bad" and chance(rng, odds.flat):
        out.append("flat")
    return out


def review_layout(variants: list[str]) -> str:
    """Section 四's layout: row15 unless a reviews_* variant says otherwise."""
    for layout in ("rows3", "cols3", "rows15"):
        if f"reviews_{layout}" in variants:
            return layout
    return "row15"


def meta_place(variants: list[str]) -> str:
    """Where the agency is named: full, title, signature or preface."""
    for place in META_PLACES:
        if f"meta_{place}" in variants:
            return place
    return "full"


def header_shape(rng: random.Random, variants: list[str], html: bool) -> str:
    """Section 三 header shape: the template's, or one that puts canonical words first; a
    text file may instead export the whole grid, spans as empty cells ("grid")."""
    if "header_words" not in variants:
        return "template"
    return rng.choice(("bottom", "one_row", "two_rows") + (() if html else ("grid",)))


def partial_review_header(
    rng: random.Random,
    table: Table,
    words: Wording,
    cells: dict[Key, Cell],
    overrides: dict[Key, gold.Override],
) -> None:
    """Section 四 under a partial header: its values are placed by order (repaired)."""
    if table.width == 15:
        relayout.shorten_review_header(rng, table, words)
    else:
        table.rows = [r for r in table.rows if r.kind != "header"]
    for key in codes.review_keys():
        if cells[key].status == "ok":
            overrides.setdefault(key, gold.Override()).status = "repaired"
