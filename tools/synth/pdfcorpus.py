"""A generated PDF corpus with gold, for measuring the PDF path (not committed; needs soffice).

    python -m synth.pdfcorpus --out /tmp/pdfs --n 120 --seed 1

Takes generated HTML reports (clean and quirky, both formats and scripts) and typesets each
with LibreOffice in one of three ways, in turn: ruled tables; no ruling lines at all; ruled
with blank lines pushed before section 三 so that its table crosses a page break. The figures
do not change, so each PDF's gold is its source's gold.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from synth import corpus, gold
from synth.pdfrender import article, borderless, fit, render

VARIANTS = ("ruled", "unruled", "page-crossing")


def _cross_page(html: str, rng: random.Random) -> str:
    """Blank lines before the section 三 heading, so its table starts low on a page."""
    at = html.find("三、")
    at = html.rfind("<p", 0, at) if at != -1 else -1
    if at == -1:
        return html
    return html[:at] + "<p>&nbsp;</p>" * rng.randint(8, 30) + html[at:]


def build(out: Path, n: int, seed: int, soffice: str = "soffice") -> int:
    """Write up to `n` PDFs and their gold into `out`; return how many."""
    rng = random.Random(seed)
    pages: dict[str, str] = {}
    golds: dict[str, dict] = {}
    k = 0
    for profile in ("clean", "quirky"):
        for o in corpus.generate(n, seed, profile):
            if len(pages) >= n or o.gold.get("rendition") != "html":
                continue
            variant = VARIANTS[k % len(VARIANTS)]
            k += 1
            html = fit(article(o.data.decode(o.gold.get("encoding") or "utf-8")))
            if variant == "unruled":
                html = borderless(html)
            elif variant == "page-crossing":
                html = _cross_page(html, rng)
            name = f"{Path(o.name).stem}-{variant}"
            pages[name] = html
            golds[name] = o.gold | {"file": f"{name}.pdf", "pdf_variant": variant}
    render(pages, out, soffice)
    for name, g in golds.items():
        (out / f"{name}.gold.json").write_bytes(gold.dumps(g))
    return len(pages)


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(prog="python -m synth.pdfcorpus", description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--soffice", default="soffice")
    args = ap.parse_args(argv)
    count = build(args.out, args.n, args.seed, args.soffice)
    print(f"wrote {count} PDFs to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
