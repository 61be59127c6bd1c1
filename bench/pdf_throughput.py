"""PDF throughput: the whole parse path against bare pdfplumber, pages per second per core.

For every PDF (the committed fixtures and the real Huaian report by default) it times
`parse` (read_pdf, then sections, tables, mapping and checks), and on the same files
pdfplumber's own `page.extract_text()` plus `page.extract_tables()` for each page, as the
baseline a reader has to beat. One process, so the figures are per core.

    .venv/bin/python bench/pdf_throughput.py [--repeat 3] [PDF ...]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers import parse  # noqa: E402

DEFAULT_FILES = [
    *sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")),
    ROOT.parent / "shared" / "corpus" / "real" / "huaian-city-2024.pdf",
]


def baseline(data: bytes) -> int:
    """Bare pdfplumber on one document: text and tables of each page; the page count."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def whole_path(data: bytes, name: str) -> None:
    """The production path for one document."""
    report = parse(data, name)
    if report.status == "failed":
        raise SystemExit(f"{name}: {report.error}")


def timed(fn, docs: list[tuple[str, bytes]], repeat: int) -> float:
    """Best wall time over `repeat` runs of `fn` on every document."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for name, data in docs:
            fn(name, data)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    """Time both paths and print pages per second, their ratio and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDFs (default: the fixtures)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    args = parser.parse_args(argv)
    files = args.files or [p for p in DEFAULT_FILES if p.exists()]
    docs = [(p.name, p.read_bytes()) for p in files]
    pages = sum(baseline(data) for _, data in docs)  # also warms imports and caches
    whole_path(docs[0][1], docs[0][0])

    t_base = timed(lambda name, data: baseline(data), docs, args.repeat)
    t_path = timed(lambda name, data: whole_path(data, name), docs, args.repeat)
    base_rate, path_rate = pages / t_base, pages / t_path
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(docs)} PDFs, {pages} pages, best of {args.repeat} runs, one core")
    print(f"baseline pdfplumber extract_text+extract_tables: {base_rate:7.1f} pages/s")
    print(f"whole path parse:                                {path_rate:7.1f} pages/s")
    print(f"ratio whole path / baseline:                     {path_rate / base_rate:7.2f}x")
    print(f"peak RSS:                                        {peak:7.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
