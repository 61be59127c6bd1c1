"""OCR throughput: scanned pages per second and peak memory per worker; text PDFs unchanged.

Scanned PDFs (the committed fixtures in tests/fixtures/scan by default) are parsed by
`nianbao parse`'s worker pool with one and with two workers; each worker's peak RSS is read
from the kernel when it ends. Then the text PDF fixtures are timed with OCR enabled and with
it turned off, in the same run: OCR runs only on pages without a usable text layer, so the
ratio should be 1.

    .venv/bin/python bench/ocr_throughput.py [--repeat 2] [SCANNED_PDF ...]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers.readers.pdf.read import read_pdf  # noqa: E402
from parsers.readers.pdf.settings import OcrSettings, PdfSettings  # noqa: E402
from pipeline.pool import PoolSettings, run_pool  # noqa: E402

SCANS = sorted((ROOT / "tests" / "fixtures" / "scan").glob("*.pdf"))
TEXT_PDFS = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))


def pages_of(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def parse_one(path: str) -> tuple[str, int]:
    """Parse in a worker; return the report status and this worker's peak RSS (KB) so far."""
    from parsers import parse

    report = parse(Path(path).read_bytes(), path)
    return report.status, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def ocr_rate(files: list[Path], jobs: int) -> tuple[float, float]:
    """Scanned pages per second with `jobs` workers, and the largest worker peak RSS (MB)."""
    tasks = [str(p) for p in files] * max(1, jobs)
    pages = sum(pages_of(Path(t)) for t in tasks)
    start = time.perf_counter()
    peaks = []
    for _, result in run_pool(parse_one, tasks, PoolSettings(jobs, 600, 4096)):
        if not isinstance(result, tuple):
            raise SystemExit(f"worker failed: {result}")
        peaks.append(result[1] / 1024)
    return pages / (time.perf_counter() - start), max(peaks)


def text_ratio(files: list[Path], repeat: int) -> tuple[float, float]:
    """Text PDF pages per second with OCR on and off (best of `repeat`)."""
    docs = [p.read_bytes() for p in files]
    pages = sum(pages_of(p) for p in files)
    rates = []
    for settings in (PdfSettings(), PdfSettings(ocr=OcrSettings(enabled=False))):
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            for data in docs:
                read_pdf(data, settings)
            best = min(best, time.perf_counter() - start)
        rates.append(pages / best)
    return rates[0], rates[1]


def main(argv: list[str] | None = None) -> int:
    """Print OCR pages/s with one and two workers, peak RSS per worker, and the text ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="scanned PDFs")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    files = args.files or SCANS
    if not files:
        raise SystemExit("no scanned PDFs given and none in tests/fixtures/scan")
    pages = sum(pages_of(p) for p in files)
    print(f"{len(files)} scanned PDFs, {pages} pages")
    for jobs in (1, 2):
        rate, peak = ocr_rate(files, jobs)
        print(f"OCR, {jobs} worker(s): {rate:6.2f} pages/s; peak RSS per worker {peak:6.0f} MB")
    on, off = text_ratio(TEXT_PDFS, args.repeat)
    print(f"text PDFs ({len(TEXT_PDFS)} fixtures): OCR enabled {on:6.1f} pages/s, "
          f"turned off {off:6.1f} pages/s; ratio {on / off:4.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
