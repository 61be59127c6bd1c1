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

import parsers.reading.identify as identify
import parsers.reading.report as report
from parsers import parse
from parsers.reading.repair import Repaired

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
        "place": identify._place,
        "shifted": report.repair_shifted,
        "withhold": report.withhold_contradicted,
        "gate": report.gate_unruled,
    }
    expected = parse(data, "p.html").facts
    with_repair = timed(data, args.n)
    # The repair steps of the stage list, each passing its input through.
    identify._place = lambda spec, rows, identities: (identities, {})
    report.repair_shifted = lambda fmt, table_id, facts, shifted: Repaired()
    report.withhold_contradicted = lambda fmt, facts, checks, placed: Repaired(facts=list(facts))
    report.gate_unruled = lambda fmt, facts, checks, unruled: Repaired(facts=list(facts))
    try:
        # The baseline is fair only when the page needs no repair: same facts either way.
        if parse(data, "p.html").facts != expected:
            raise SystemExit(f"{args.page.name} needs repair: no repair-free baseline")
        without = timed(data, args.n)
    finally:
        identify._place = real["place"]
        report.repair_shifted = real["shifted"]
        report.withhold_contradicted = real["withhold"]
        report.gate_unruled = real["gate"]
    print(f"page: {args.page.name}, {args.n} parses, best of 5")
    print(f"parse without repair steps: {without * 1000:.2f} ms")
    print(f"parse with repair steps:    {with_repair * 1000:.2f} ms")
    print(f"repair adds {100 * (with_repair / without - 1):.1f}% (goal: at most 20%)")


if __name__ == "__main__":
    main()
