"""The PDF path with one worker and with two: pages per second and peak memory per worker.

Usage: python bench/pdf_parallel.py [--copies 4]
Runs `nianbao parse --jobs 1` and then `--jobs 2` over the committed PDF fixtures (each copied
`--copies` times with distinct trailing bytes, so every copy is a new document), sampling the
resident memory of every worker process from /proc while it runs.
Goal (issue #4): --jobs 2 at ≥ 1.7× the single-worker rate on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pdf"


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = []
        # Per thread: the workers are started by the thread that reads the pool.
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids += (task / "children").read_text().split()
            except OSError:
                pass
        out += map(int, kids)
        todo += map(int, kids)
    return out


def run(folder: Path, jobs: int) -> tuple[float, int, int]:
    """Seconds for the whole CLI run, peak RSS of the main process and of any worker (KB)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-c", "from pipeline.cli import run; run()", "-q", "parse",
               str(folder), "--db", str(Path(tmp) / "w.duckdb"), "--jobs", str(jobs)]  # fmt: skip
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        main_peak, worker_peak = 0, 0
        while proc.poll() is None:
            main_peak = max(main_peak, _rss_kb(proc.pid))
            for kid in _descendants(proc.pid):
                worker_peak = max(worker_peak, _rss_kb(kid))
            time.sleep(0.05)
        return time.perf_counter() - t, main_peak, worker_peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=4)
    args = ap.parse_args()
    pdfs = sorted(FIXTURES.glob("*.pdf"))
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for pdf in pdfs:
            data = pdf.read_bytes()
            with pdfplumber.open(pdf) as doc:
                n = len(doc.pages)
            for k in range(args.copies):
                (folder / f"{pdf.stem}-{k}.pdf").write_bytes(data + f"\n%copy {k}\n".encode())
                pages += n
        one, main1, worker1 = run(folder, 1)
        two, main2, worker2 = run(folder, 2)
    print(f"{len(pdfs) * args.copies} PDFs, {pages} pages, {os.cpu_count()} cores")
    print(f"--jobs 1: {pages / one:6.1f} pages/s ({one:.1f} s); peak RSS of the worker "
          f"{worker1 // 1024} MB, main {main1 // 1024} MB")  # fmt: skip
    print(f"--jobs 2: {pages / two:6.1f} pages/s ({two:.1f} s); peak RSS per worker "
          f"{worker2 // 1024} MB, main {main2 // 1024} MB")  # fmt: skip
    print(f"speed-up with 2 workers: {one / two:.2f}x (goal ≥ 1.7x)")


if __name__ == "__main__":
    main()
