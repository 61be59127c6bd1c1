"""Regenerate the demo site's HTML reports and gold files (pipeline/demo_site/reports/).

The demo ships these files as package data, so an installed nianbao needs no generator.

Example: PYTHONPATH=tools .venv/bin/python tools/make_demo_site.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from synth import corpus, gold

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "demo_site" / "reports"


def main(n: int = 18, seed: int = 2026) -> int:
    """Write the HTML reports of a mixed corpus and their gold files into OUT."""
    outputs = [o for o in corpus.generate(n, seed, "all") if o.name.endswith((".html", ".htm"))]
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    for o in outputs:
        (OUT / o.name).write_bytes(o.data)
        (OUT / corpus.gold_name(o.name)).write_bytes(gold.dumps(o.gold))
    print(f"wrote {len(outputs)} reports to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
