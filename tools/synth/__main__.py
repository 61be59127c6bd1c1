"""Command line: python -m synth --out DIR --n 200 --seed 1 --profile all."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from synth import corpus
from synth.settings import PROFILES


def main(argv: list[str] | None = None) -> int:
    """Generate a synthetic corpus of reports with gold files."""
    parser = argparse.ArgumentParser(
        prog="python -m synth",
        description="Generate synthetic 政府信息公开工作年度报告 with gold values.",
        epilog="Example: python -m synth --out /tmp/synth --n 200 --seed 1 --profile all",
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--n", type=int, default=200, help="number of documents (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--profile",
        choices=[*PROFILES, "all"],
        default="all",
        help="clean, quirky, damaged, bad or all (a mix; default)",
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("--n must be 0 or more")
    outputs = corpus.generate(args.n, args.seed, args.profile)
    corpus.write(args.out, outputs, corpus.manifest(outputs, args.n, args.seed, args.profile))
    counts = Counter(o.gold["profile"] for o in outputs)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"wrote {len(outputs)} documents to {args.out} ({summary})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
