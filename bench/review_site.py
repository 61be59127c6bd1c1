"""The review site for 1,000 reports: seconds, CPU and page sizes, against the parse of the same.

Usage: python bench/review_site.py [--n 1000] [--pdf 100] [--seed 21] [--keep DIR]
Generates `--n` reports: `--n - --pdf` HTML and text reports (`synth --profile all`, bad input
included) and `--pdf` PDFs (`synth.pdfcorpus`, needs LibreOffice; left out without it),
parses them with `nianbao parse --jobs 2` (the baseline, in the same run), then writes the
site with `nianbao audit --html` twice: into an empty folder, and again over it (page
images are written once, so the second run reuses them).
Goal (issue #11): the site for 1,000 reports in under 60 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str) -> float:
    """Seconds for one `nianbao` command (its output discarded)."""
    cmd = [sys.executable, "-c", "from pipeline.cli import run; run()", "-q", *args]
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _corpus(folder: Path, n: int, pdfs: int, seed: int) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools")}
    made = 0
    if pdfs and shutil.which("soffice"):
        subprocess.run(
            [sys.executable, "-m", "synth.pdfcorpus", "--out", str(folder / "pdf"),
             "--n", str(pdfs), "--seed", str(seed)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        made = len(list((folder / "pdf").glob("*.pdf")))
    elif pdfs:
        print("soffice not found: no PDFs in the corpus", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "synth", "--out", str(folder / "html"), "--n", str(n - made),
         "--seed", str(seed), "--profile", "all"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return made


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--pdf", type=int, default=100)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--keep", type=Path, default=None, help="work in DIR and keep it")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-review-"))
    try:
        corpus = work / "corpus"
        if corpus.exists():
            shutil.rmtree(corpus)
        pdfs = _corpus(corpus, args.n, args.pdf, args.seed)
        db = work / "warehouse.duckdb"
        db.unlink(missing_ok=True)
        parse_s = _cli("parse", str(corpus), "--db", str(db), "--jobs", "2")
        site = work / "site"
        shutil.rmtree(site, ignore_errors=True)
        load = os.getloadavg()[0]
        cpu = _cpu()
        cold = _cli("audit", "--db", str(db), "--html", str(site))
        cold_cpu = _cpu() - cpu
        warm = _cli("audit", "--db", str(db), "--html", str(site))
        pages = sorted(p.stat().st_size for p in site.glob("report-*.html"))
        images = [p.stat().st_size for p in (site / "img").glob("*.png")]
        index = (site / "index.html").stat().st_size
        print(f"corpus: {len(pages)} reports ({pdfs} PDFs), load average {load:.1f} at start")
        print(f"parse --jobs 2 (baseline): {parse_s:.1f} s")
        print(
            f"review site, empty folder: {cold:.1f} s ({cold_cpu:.1f} s CPU), "
            f"{cold / parse_s:.2f}x the parse; written again: {warm:.1f} s"
        )
        print(
            f"pages: {sum(pages) / 2**20:.1f} MB, median {statistics.median(pages) / 1024:.0f} KB,"
            f" largest {pages[-1] / 1024:.0f} KB; index {index / 1024:.0f} KB; "
            f"{len(images)} page images, {sum(images) / 2**20:.1f} MB"
            + (f" (median {statistics.median(images) / 1024:.0f} KB)" if images else "")
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
