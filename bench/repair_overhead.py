"""What repair costs on an intact report: parse time with and without the repair steps.

Usage: python bench/repair_overhead.py [--page PATH] [--n 300]
Same process, same page: the baseline run replaces each repair step with one that passes
its input through (an intact report needs none of them), then the real pipeline runs.
Goal (issue #3): repair adds no more than 20% to the parse time of an intact report.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import parsers.reading.canonical as canonical
import parsers.reading.tables as tables

import parsers.reading.report as report
from parsers import parse
from parsers.reading.checks import run_checks
from parsers.reading.repair import Placement, Repaired

PAGE = Path(__file__).resolve().parents[2] / "shared/corpus/real/shanghai-govoffice-2019.html"


def timed(data: bytes, n: int, rounds: int = 5) -> float:
    """Best mean seconds per parse over `rounds` runs of `n` parses."""
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(n):
            parse(data, "p.html")
        best = min(best, (time.perf_counter() - t) / n)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--page", type=Path, default=PAGE)
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    data = args.page.read_bytes()
    parse(data, "p.html")
    real = {
        "place_unlabelled": tables.place_unlabelled,
        "columns": tables._columns,
        "shifted": canonical.repair_shifted,
        "withhold": canonical.withhold_contradicted,
        "gate": canonical.gate_unruled,
        "derive": report.check_report,
    }
    with_repair = timed(data, args.n)
    tables.place_unlabelled = lambda *a, **k: Placement()
    tables._columns = lambda spec, spec_row, row, labels, cache: (spec_row.cols, None)
    canonical.repair_shifted = lambda fmt, facts, shifted: Repaired()
    canonical.withhold_contradicted = lambda fmt, facts, placed: Repaired(facts=list(facts))
    canonical.gate_unruled = lambda fmt, facts, unruled: Repaired(facts=list(facts))
    report.check_report = lambda fmt, facts: (run_checks(fmt, facts), [])
    try:
        without = timed(data, args.n)
    finally:
        tables.place_unlabelled = real["place_unlabelled"]
        tables._columns = real["columns"]
        canonical.repair_shifted = real["shifted"]
        canonical.withhold_contradicted = real["withhold"]
        canonical.gate_unruled = real["gate"]
        report.check_report = real["derive"]
    print(f"page: {args.page.name}, {args.n} parses, best of 5")
    print(f"parse without repair steps: {without * 1000:.2f} ms")
    print(f"parse with repair steps:    {with_repair * 1000:.2f} ms")
    print(f"repair adds {100 * (with_repair / without - 1):.1f}% (goal: at most 20%)")


if __name__ == "__main__":
    main()
