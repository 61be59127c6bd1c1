"""HTML parse+check throughput per core, against bare BeautifulSoup(html, "lxml") in the same run.

Usage: python bench/html_throughput.py [--n 200] [--page PATH]
The page defaults to the real Shanghai 2019 report (23 KB). Each copy differs by one comment
so every document is new to the warehouse.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup

from parsers import parse

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT.parent / "shared" / "corpus" / "real" / "shanghai-govoffice-2019.html"


def per_second(fn, items: list, rounds: int = 3) -> float:
    """Best of `rounds` runs of fn over items, in items per second."""
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for x in items:
            fn(x)
        best = min(best, time.perf_counter() - t)
    return len(items) / best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--page", type=Path, default=PAGE)
    args = ap.parse_args()
    page = args.page.read_bytes()
    pages = [page + f"<!-- copy {i} -->".encode() for i in range(args.n)]
    sample = pages[:50]

    soup = per_second(lambda d: BeautifulSoup(d, "lxml"), sample)
    ours = per_second(lambda d: parse(d, "p.html"), sample)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i, d in enumerate(pages):
            (folder / f"r{i:04d}.html").write_bytes(d)
        cmd = [sys.executable, "-c", "from pipeline.cli import run; run()", "-q", "parse",
               str(folder), "--db", str(Path(tmp) / "w.duckdb"), "--jobs", "1"]  # fmt: skip
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        cli = len(pages) / (time.perf_counter() - t)

    print(f"page: {args.page.name} ({len(page) / 1024:.1f} KB), {args.n} copies, 1 core")
    print(f"baseline BeautifulSoup(html, 'lxml'): {soup:7.1f} pages/s ({1000 / soup:.2f} ms)")
    print(f"parse (read + map + repair + checks):  {ours:7.1f} reports/s ({1000 / ours:.2f} ms)"
          f"  ratio to baseline {ours / soup:.2f}x")  # fmt: skip
    print(f"whole CLI (nianbao parse --jobs 1):   {cli:7.1f} reports/s"
          f"  ratio to baseline {cli / soup:.2f}x  (startup, parse, load, commit)")  # fmt: skip


if __name__ == "__main__":
    main()
