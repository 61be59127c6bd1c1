"""Several agencies' reports over consecutive years, figures chained from year to year.

Each agency's carried_over of year N is its carried_forward of year N−1 (per column), and
from 2022 on (format 2021) each in_force is last year's in_force + issued − repealed, unless
a break is planted on purpose. The agency's name is spelled differently from year to year
(short government form, province prefix, Traditional script), so that joining across years
needs the warehouse's agency key. `continuity` in the manifest lists every cross-year rule
instance with the status a correct warehouse gives it.

    python -m synth.series --out DIR --agencies 4 --seed 1
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from synth import codes, document, gold, prose, values
from synth.corpus import gold_name, write
from synth.draw import split_count
from synth.encoding import encode
from synth.script import Scripts
from synth.settings import ODDS, Odds
from synth.wording import load_lexicon

YEARS = tuple(range(2019, 2025))
CARRY = "requests.carry_continuity"
IN_FORCE = "proactive.in_force_continuity"


@dataclass(frozen=True)
class SeriesSettings:
    """How many agencies, which years, how many breaks of each rule to plant."""

    agencies: int = 4
    years: tuple[int, ...] = YEARS
    carry_breaks: int = 2
    in_force_breaks: int = 2
    traditional: float = 0.3
    html: float = 0.75
    # (agency index, year) left out, so that a gap and a missing side show.
    skip: tuple[tuple[int, int], ...] = ((1, 2022),)
    # Agency names to use instead of drawn ones (index a takes names[a]), for known places.
    names: tuple[str, ...] = ()


# Changes one built report before it is rendered (agency index, year) and returns the gold
# overrides of what it changed (synth.indicator_series plants cells this way).
Plant = Callable[[random.Random, document.Built, int, int], dict]


def spellings(name: str, province: str | None) -> list[str]:
    """Ways one body's name is printed in different years."""
    out = [name]
    if "人民政府" in name:
        out.append(name.replace("人民政府", "政府", 1))
    if province and not name.startswith(province):
        out.append(province + name)
    return out


def _province_of(name: str) -> str | None:
    """The province of the city a name starts with, from the division list (if unique)."""
    from warehouse.places import load_places

    index = load_places()
    for size in range(min(index.longest, len(name)), 1, -1):
        found = index.by_name.get(name[:size], ())
        if len(found) == 1 and found[0].level != "province":
            province = index.parent(found[0], "province")
            return province.name if province else None
    return None


def _rebalance(rng: random.Random, numbers: dict, fmt: str, col: str) -> None:
    """Results of a column re-split so that new + carried = results + forward holds."""
    rows = codes.result_rows(fmt, False)
    new = int(numbers["requests", "new_received", col])
    carried = int(numbers["requests", "carried_over", col])
    forward = min(int(numbers["requests", "carried_forward", col]), new + carried)
    answered = new + carried - forward
    weights = [float(numbers["requests", r, col]) + 0.01 for r in rows]
    for row, n in zip(rows, split_count(rng, answered, weights), strict=True):
        numbers["requests", row, col] = n
    numbers["requests", "carried_forward", col] = forward
    numbers["requests", "results_total", col] = answered


def _totals(numbers: dict, fmt: str) -> None:
    for row in codes.printed_request_rows(fmt, False):
        numbers["requests", row, "total"] = sum(
            int(numbers["requests", row, c]) for c in codes.APPLICANT_COLS
        )


def chain(rng: random.Random, numbers: dict, prev: dict | None, fmt: str, year: int) -> None:
    """Make this year's figures continue last year's (prev: last year's numbers, or None)."""
    if prev is None:
        return
    for col in codes.APPLICANT_COLS:
        numbers["requests", "carried_over", col] = int(prev["requests", "carried_forward", col])
        _rebalance(rng, numbers, fmt, col)
    _totals(numbers, fmt)
    if fmt == "2021" and ("proactive", "rules", "in_force") in prev:
        for row in ("rules", "normative_docs"):
            before = int(prev["proactive", row, "in_force"])
            issued = int(numbers["proactive", row, "issued"])
            repealed = min(int(numbers["proactive", row, "repealed"]), before + issued)
            numbers["proactive", row, "repealed"] = repealed
            numbers["proactive", row, "in_force"] = before + issued - repealed


def break_carry(rng: random.Random, numbers: dict, fmt: str, col: str) -> None:
    """Carried over no longer last year's carried forward; the report stays consistent."""
    numbers["requests", "carried_over", col] = int(numbers["requests", "carried_over", col]) + 3
    _rebalance(rng, numbers, fmt, col)
    _totals(numbers, fmt)


def make_series(
    seed: int,
    settings: SeriesSettings = SeriesSettings(),
    odds: Odds = ODDS,
    plant: Plant | None = None,
) -> tuple[list[document.Output], dict[str, Any]]:
    """The documents of every agency and year, and a manifest with the expected checks."""
    lex = load_lexicon()
    scripts = Scripts()
    rng = random.Random(f"series:{seed}")
    pairs = [
        (a, y)
        for a in range(settings.agencies)
        for y in settings.years[1:]
        if (a, y) not in settings.skip and (a, y - 1) not in settings.skip
    ]
    carry_breaks = set(rng.sample(pairs, min(settings.carry_breaks, len(pairs))))
    force_pairs = [(a, y) for a, y in pairs if y >= 2022 and (a, y) not in carry_breaks]
    force_breaks = set(rng.sample(force_pairs, min(settings.in_force_breaks, len(force_pairs))))
    outputs: list[document.Output] = []
    agencies: list[dict[str, Any]] = []
    continuity: list[dict[str, Any]] = []
    names: set[str] = set()
    for a in range(settings.agencies):
        arng = random.Random(f"series:{seed}:{a}")
        agency = prose.draw_agency(arng, lex)
        while agency.name in names:
            agency = prose.draw_agency(arng, lex)
        if settings.names:
            agency = replace(agency, name=settings.names[a])
        names.add(agency.name)
        variants = spellings(agency.name, _province_of(agency.name))
        prev: dict | None = None
        files = []
        for i, year in enumerate(settings.years):
            if (a, year) in settings.skip:
                prev = None
                continue
            drng = random.Random(f"series:{seed}:{a}:{year}")
            fmt = "2019" if year in codes.YEARS["2019"] else "2021"
            traditional = drng.random() < settings.traditional
            opencc = drng.choice(("s2twp", "s2t")) if traditional else None
            plan = document.Plan(fmt, year, drng.random() < settings.html, opencc, "clean", [])
            figures = values.draw_figures(drng, fmt, False, odds)
            numbers = figures.numbers
            chain(drng, numbers, prev, fmt, year)
            broken_col = None
            if (a, year) in carry_breaks:
                broken_col = "natural_person"
                break_carry(drng, numbers, fmt, broken_col)
            broken_rows: list[str] = []
            if (a, year) in force_breaks:
                numbers["proactive", "rules", "in_force"] = (
                    int(numbers["proactive", "rules", "in_force"]) + 2
                )
                broken_rows = ["rules"]
            spelled = replace(agency, name=variants[(i + a) % len(variants)])
            built = document.build_report(drng, plan, lex, odds, agency=spelled, figures=figures)
            planted = plant(drng, built, a, year) if plant else {}
            text, enc = document.render(drng, built, lex, scripts, odds)
            data, enc = encode(text, enc, plan.html)
            name = f"series-{seed}-{a:02d}-{year}.{'html' if plan.html else 'txt'}"
            conv = scripts.converter(plan.opencc)
            facts = gold.build_facts(fmt, False, built.cells, conv, planted)
            g = gold.report_gold(document.gold_meta(built, name, enc), facts)
            g["series"] = {"agency_index": a, "canonical": agency.name}
            outputs.append(document.Output(name, data, g))
            files.append(name)
            if prev is not None:
                for col in [*codes.APPLICANT_COLS, "total"]:
                    bad = col == broken_col or (broken_col and col == "total")
                    continuity.append(
                        {"agency_index": a, "year": year, "rule": CARRY, "scope": col,
                         "status": "fail" if bad else "pass"}
                    )  # fmt: skip
                if fmt == "2021" and year >= 2022:
                    for row in ("rules", "normative_docs"):
                        continuity.append(
                            {"agency_index": a, "year": year, "rule": IN_FORCE, "scope": row,
                             "status": "fail" if row in broken_rows else "pass"}
                        )  # fmt: skip
            prev = dict(numbers)
        entry = {"index": a, "canonical": agency.name, "spellings": variants, "files": files}
        agencies.append(entry)
    manifest = {
        "generator": "synth.series",
        "seed": seed,
        "agencies": agencies,
        "continuity": continuity,
        "documents": [{"file": o.name, "gold": gold_name(o.name)} for o in outputs],
    }
    return outputs, manifest


def main(argv: list[str] | None = None) -> int:
    """Write a multi-year corpus with its manifest."""
    parser = argparse.ArgumentParser(prog="python -m synth.series", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--agencies", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    outputs, manifest = make_series(args.seed, SeriesSettings(agencies=args.agencies))
    write(args.out, outputs, manifest)
    print(f"wrote {len(outputs)} documents to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
