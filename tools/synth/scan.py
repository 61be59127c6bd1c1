"""Scanned PDFs made from generated ones: page images at 150-300 dpi with a scanner's damage.

    python -m synth.scan --src DIR_OF_PDFS_WITH_GOLD --out DIR [--seed 1] [--limit N]

Each page is rendered (pypdfium2) at a resolution drawn from 150, 200, 300 dpi, then
damaged as paper and scanners do: a red seal stamped over part of a table (half the scans
are grey, where the seal's ink darkens what it covers), a skew of up to 2 degrees, blur,
speckle and JPEG compression; the pages are packed into an image-only PDF (no text layer).
The figures do not change, so the gold is the source PDF's, each fact marked `recoverable`
unless a grey scan's seal covers its cell (found by parsing the source PDF for each cell's
box).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

from synth import gold as goldmod

DPIS = (150, 200, 300)


@dataclass(frozen=True)
class Damage:
    """What one scan suffers."""

    dpi: int
    grey: bool
    skew: float  # degrees
    blur: float  # Gaussian radius in pixels at 300 dpi
    speckle: float  # share of pixels flipped
    jpeg: int  # quality
    stamp_page: int  # 1-based
    stamp_at: tuple[float, float]  # centre, in page fractions
    stamp_radius: float  # points


def draw_damage(rng: random.Random, pages: int, table_boxes: dict[int, list]) -> Damage:
    """A scan's damage; the seal lands on a table where the page has one."""
    page = rng.choice(sorted(table_boxes)) if table_boxes else rng.randint(1, pages)
    boxes = table_boxes.get(page)
    if boxes:
        x0, top, x1, bottom, w, h = rng.choice(boxes)
        at = (rng.uniform(x0, x1) / w, rng.uniform(top, bottom) / h)
    else:
        at = (rng.uniform(0.5, 0.8), rng.uniform(0.5, 0.8))
    return Damage(
        dpi=rng.choice(DPIS),
        grey=rng.random() < 0.5,
        skew=rng.uniform(-2.0, 2.0),
        blur=rng.uniform(0.3, 1.0),
        speckle=rng.uniform(0.0005, 0.003),
        jpeg=rng.randint(35, 75),
        stamp_page=page,
        stamp_at=at,
        stamp_radius=rng.uniform(40, 60),
    )


def stamp(image: Image.Image, centre: tuple[float, float], radius: float) -> None:
    """A red seal: a ring, a star and an inner ring, multiplied onto the page (ink darkens)."""
    layer = Image.new("RGB", image.size, (255, 255, 255))
    d = ImageDraw.Draw(layer)
    cx, cy = centre
    red = (220, 40, 40)
    width = max(2, int(radius / 12))
    d.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=width)
    r2 = radius * 0.78
    d.ellipse((cx - r2, cy - r2, cx + r2, cy + r2), outline=red, width=max(1, width // 2))
    star = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = radius * (0.3 if k % 2 == 0 else 0.12)
        star.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(star, fill=red)
    page = np.asarray(image, dtype=np.uint16)
    seal = np.asarray(layer, dtype=np.uint16)
    image.paste(Image.fromarray((page * seal // 255).astype(np.uint8)))


def scan_page(image: Image.Image, dmg: Damage, rng: random.Random, stamped: bool) -> Image.Image:
    """One page image with the scan's damage."""
    if stamped:
        w, h = image.size
        scale = dmg.dpi / 72
        stamp(image, (dmg.stamp_at[0] * w, dmg.stamp_at[1] * h), dmg.stamp_radius * scale)
    if dmg.grey:
        image = image.convert("L").convert("RGB")
    image = image.rotate(dmg.skew, resample=Image.BICUBIC, expand=False, fillcolor="white")
    image = image.filter(ImageFilter.GaussianBlur(dmg.blur * dmg.dpi / 300))
    pixels = np.asarray(image).copy()
    noise = np.random.default_rng(rng.randrange(2**32)).random(pixels.shape[:2])
    pixels[noise < dmg.speckle / 2] = 0
    pixels[noise > 1 - dmg.speckle / 2] = 255
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=dmg.jpeg)
    return Image.open(io.BytesIO(out.getvalue()))


def table_boxes(pdf_bytes: bytes) -> tuple[dict[int, list], dict[tuple, tuple]]:
    """Where the source's tables and canonical cells are: page -> boxes, cell -> (page, box)."""
    from parsers import parse

    report = parse(pdf_bytes, "source.pdf")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        sizes = {p.page_number: (float(p.width), float(p.height)) for p in pdf.pages}
    cells: dict[tuple, tuple] = {}
    pages: dict[int, list] = {}
    for f in report.facts:
        w = f.where
        if w is None or w.page is None or w.bbox is None:
            continue
        cells[f.table_id, f.row_id, f.col_id] = (w.page, w.bbox)
        pages.setdefault(w.page, []).append((*w.bbox, *sizes[w.page]))
    return pages, cells


def covered(box, page: int, dmg: Damage, size: tuple[float, float]) -> bool:
    """Whether a grey scan's seal reaches into a cell's box."""
    if not dmg.grey or page != dmg.stamp_page:
        return False
    cx, cy = dmg.stamp_at[0] * size[0], dmg.stamp_at[1] * size[1]
    nx = min(max(cx, box[0]), box[2])
    ny = min(max(cy, box[1]), box[3])
    return math.hypot(cx - nx, cy - ny) <= dmg.stamp_radius


def scan(
    pdf_bytes: bytes, rng: random.Random, dpi: int | None = None
) -> tuple[bytes, Damage, dict[tuple, tuple], dict]:
    """An image-only PDF of a text PDF, its damage, and the source cells' boxes."""
    boxes, cells = table_boxes(pdf_bytes)
    src = pdfium.PdfDocument(pdf_bytes)
    try:
        n = len(src)
        dmg = draw_damage(rng, n, boxes)
        if dpi is not None:
            dmg = replace(dmg, dpi=dpi)
        images, sizes = [], {}
        for i in range(n):
            page = src[i]
            sizes[i + 1] = (page.get_width(), page.get_height())
            image = page.render(scale=dmg.dpi / 72).to_pil().convert("RGB")
            page.close()
            images.append(scan_page(image, dmg, rng, i + 1 == dmg.stamp_page))
    finally:
        src.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dmg.dpi, save_all=True, append_images=images[1:])
    return out.getvalue(), dmg, cells, sizes


def build(src: Path, out: Path, seed: int, limit: int | None, dpi: int | None = None) -> int:
    """Scan every PDF of `src` that has a gold file; write PDFs and gold into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    done = 0
    for pdf in sorted(src.glob("*.pdf")):
        gold_path = pdf.with_suffix(".gold.json")
        if not gold_path.exists() or (limit is not None and done >= limit):
            continue
        rng = random.Random(f"scan:{seed}:{pdf.name}")
        data, dmg, cells, sizes = scan(pdf.read_bytes(), rng, dpi)
        name = f"{pdf.stem}-scan.pdf"
        (out / name).write_bytes(data)
        g = json.loads(gold_path.read_text(encoding="utf-8"))
        for f in g.get("facts", []):
            where = cells.get((f["table_id"], f["row_id"], f["col_id"]))
            hidden = where is not None and covered(where[1], where[0], dmg, sizes[where[0]])
            f["recoverable"] = not hidden
        g |= {"file": name, "scan": dmg.__dict__ | {"stamp_at": list(dmg.stamp_at)}}
        (out / f"{pdf.stem}-scan.gold.json").write_bytes(goldmod.dumps(g))
        done += 1
    return done


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(prog="python -m synth.scan", description=__doc__)
    ap.add_argument("--src", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--dpi", type=int, choices=DPIS, default=None, help="one resolution for all")
    args = ap.parse_args(argv)
    count = build(args.src, args.out, args.seed, args.limit, args.dpi)
    print(f"wrote {count} scanned PDFs to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
