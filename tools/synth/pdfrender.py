"""Render HTML reports to PDF with LibreOffice: the committed PDF fixtures and their gold.

Each fixture is a real or generated HTML report, changed the way PDFs in the wild differ
(tables without borders, a page break inside a table group, a repeated table header, page
headers and footers, a label printed one character a line, Traditional script), then typeset
by LibreOffice. The figures do not change, so each PDF's gold is its source's gold. A few
broken PDFs (encrypted, image-only, no Unicode map, wrong Unicode map) are made from them,
and a few cases from the PDF corpus that a reader once got wrong (`CORPUS_CASES`: tables
without ruling where figures sit close together or wrap, a page in a bordered frame).

    python -m synth.pdfrender --out tests/fixtures/pdf
    python -m synth.pdfrender --out tests/fixtures/pdf --corpus-cases   # only those
    python -m synth.pdfrender --out tests/fixtures/pdf --review-cases   # the review site's

needs `soffice` (libreoffice-writer-nogui, fonts-wqy-zenhei), `qpdf` and `pdftoppm`.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import lxml.html
import opencc
import pdfplumber
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
SHANGHAI = "shanghai-govoffice-2019"

# Fit the printed page: tables as wide as the text, smaller type inside tables.
_PAGE_STYLE = "<style>td{font-size:9pt} p{margin-top:0;margin-bottom:4pt}</style>"
_FOOTERS = {
    "dash": "- <sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield> -",
    "chinese": "第<sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield>页",
}


def render(pages: dict[str, str], out: Path, soffice: str = "soffice") -> None:
    """Typeset HTML documents (name → HTML) into `out/<name>.pdf` with one LibreOffice run."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pdfrender-") as tmp:
        work = Path(tmp)
        files = []
        for name, html in pages.items():
            path = work / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--infilter=HTML (StarWriter)",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            *files,
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
        for name in pages:
            shutil.move(str(work / f"{name}.pdf"), out / f"{name}.pdf")


def article(html: str) -> str:
    """The report body of a web page: the smallest element holding every table, as a page."""
    root = lxml.html.document_fromstring(html)
    tables = root.findall(".//table")
    body = root.find("body")
    node = tables[0].getparent() if tables else body
    while node is not None and node is not body and not all(_within(t, node) for t in tables):
        node = node.getparent()
    inner = lxml.html.tostring(node if node is not None else body, encoding="unicode")
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{inner}</body></html>'


def _within(el, node) -> bool:
    return any(a is node for a in el.iterancestors())


def fit(html: str) -> str:
    """Tables as wide as the page (no unbreakable cells), small type in cells."""
    html = re.sub(r'\s+nowrap(="nowrap")?', "", html)
    html = re.sub(r"<table\b[^>]*>", '<table border="1" cellspacing="0" width="100%">', html)
    return html.replace("</head>", _PAGE_STYLE + "</head>", 1)


def borderless(html: str) -> str:
    """No ruling lines at all."""
    html = re.sub(r'border="\d+"', 'border="0"', html)
    return re.sub(r"border(-[a-z]+)?\s*:[^;\"]*;?", "", html)


def partial_rules(html: str, rules: str) -> str:
    """Ruling lines between rows only (`rows`) or between columns only (`cols`)."""
    frame = {"rows": "hsides", "cols": "vsides"}[rules]
    return re.sub(r"<table\b", f'<table rules="{rules}" frame="{frame}"', html)


def empty_cells(html: str) -> str:
    """Empty cells hold nothing (no no-break space a PDF would keep as a glyph)."""
    return html.replace("&nbsp;", "").replace("\u00a0", "")


def furniture(html: str, header: str, footer: str) -> str:
    """A running page header and a page-number footer on every page."""
    parts = (
        f'<div title="header"><p align="center">{header}</p></div>'
        f'<div title="footer"><p align="center">{_FOOTERS[footer]}</p></div>'
    )
    return re.sub(r"<body[^>]*>", lambda m: m.group(0) + parts, html, count=1)


def repeat_header(html: str, rows: int, table: int) -> str:
    """The first `rows` rows of table number `table` repeat on every page it runs over."""
    starts = [m.start() for m in re.finditer(r"<table\b", html)]
    start = starts[table]
    body = html.index("<tbody>", start)
    cut = body + len("<tbody>")
    for _ in range(rows):
        cut = html.index("</tr>", cut) + len("</tr>")
    head = html[body + len("<tbody>") : cut]
    return html[:body] + "<thead>" + head + "</thead><tbody>" + html[cut:]


def narrow(html: str, percent: int) -> str:
    """Tables narrower than the page: labels and figures wrap in narrow columns."""
    return html.replace('width="100%"', f'width="{percent}%"')


def big_figures(html: str, points: int) -> str:
    """Figures set larger than the labels: value columns crowd, neighbouring figures a
    fraction of a character apart (what a reader must never run together)."""
    return re.sub(
        r"(<td[^>]*>)(?:<(?:span|p)[^>]*>)?(\s*[\d.,\-]+\s*)(?:</(?:span|p)>)?(</td>)",
        lambda m: (
            f'{m.group(1)}<span style="font-size: {points}pt">{m.group(2)}</span>{m.group(3)}'
        ),
        html,
    )


def vertical(html: str, label: str) -> str:
    """A group label printed one character a line, as in a narrow column."""
    return html.replace(label, "<br>".join(re.findall(r"[一二三四五六七八九十]、|.", label)), 1)


def spacer(html: str, before: str, lines: int) -> str:
    """Empty paragraphs before the paragraph that opens with `before` (moves page breaks)."""
    pos = html.index(f"<p>{before}")
    return html[:pos] + "<p>&nbsp;</p>" * lines + html[pos:]


def traditional(html: str) -> str:
    """Traditional script with Taiwan phrasing."""
    return opencc.OpenCC("s2twp").convert(html)


def _pages_of(pdf_path: Path, *texts: str) -> list[int | None]:
    with pdfplumber.open(pdf_path) as pdf:
        flat = [re.sub(r"\s+", "", p.extract_text() or "") for p in pdf.pages]
    return [next((i + 1 for i, t in enumerate(flat) if x in t), None) for x in texts]


def break_between(
    html: str,
    before: str,
    first: str,
    second: str,
    soffice: str,
    whole_rows: bool = False,
) -> str | None:
    """A spacer before `before` so that `first` and `second` fall on different pages.

    `whole_rows`: only a break between table rows counts (a page whose last line is a run
    of figures has cut a row whose figures print above its label)."""
    with tempfile.TemporaryDirectory(prefix="pdfbreak-") as tmp:
        work = Path(tmp)
        tries = {f"t{n:02d}": spacer(html, before, n) for n in range(0, 40)}
        render(tries, work, soffice)
        for name, variant in tries.items():
            a, b = _pages_of(work / f"{name}.pdf", first, second)
            if not (a and b and a != b):
                continue
            if whole_rows and _ends_in_figures(work / f"{name}.pdf", a):
                continue
            return variant
    return None


def _ends_in_figures(pdf_path: Path, page: int) -> bool:
    """Whether a page's last line of text is figures only."""
    with pdfplumber.open(pdf_path) as pdf:
        lines = [x for x in (pdf.pages[page - 1].extract_text() or "").splitlines() if x.strip()]
    return bool(lines) and re.fullmatch(r"[\d\s/.\-]+", lines[-1]) is not None


# -- broken PDFs ---------------------------------------------------------------------------


def first_page(pdf: Path, out: Path) -> None:
    """A one-page copy."""
    subprocess.run(["qpdf", "--empty", "--pages", str(pdf), "1", "--", str(out)], check=True)


def encrypt(pdf: Path, out: Path, user: str, owner: str) -> None:
    """AES-256 encryption; an empty user password opens it with restrictions only."""
    cmd = ["qpdf", "--encrypt", user, owner, "256", "--", str(pdf), str(out)]
    subprocess.run(cmd, check=True)


def rasterise(pdf: Path, out: Path, dpi: int = 40) -> None:
    """Pages as images only: what a scanner makes."""
    with tempfile.TemporaryDirectory(prefix="pdfscan-") as tmp:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/p"], check=True
        )
        images = [Image.open(p).convert("L") for p in sorted(Path(tmp).glob("p*.png"))]
        images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)


def remap_text(pdf: Path, out: Path, how: Callable[[bytes], bytes]) -> None:
    """Rewrite the fonts' Unicode maps (ToUnicode) with `how`, glyphs unchanged."""
    with tempfile.TemporaryDirectory(prefix="pdfmap-") as tmp:
        qdf = Path(tmp) / "doc.qdf"
        subprocess.run(
            ["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(qdf)], check=True
        )
        qdf.write_bytes(how(qdf.read_bytes()))
        # qpdf exits 3 on warnings about the edited maps; the file is written all the same.
        done = subprocess.run(["qpdf", str(qdf), str(out)], capture_output=True, check=False)
        if done.returncode not in (0, 3) or not out.exists():
            raise RuntimeError(f"qpdf could not rewrite {pdf}: {done.stderr.decode()}")


def drop_unicode_maps(data: bytes) -> bytes:
    """No ToUnicode: the text layer reads as (cid:N) glyphs. Same length keeps offsets."""
    return data.replace(b"/ToUnicode", b"/ToUnicodX")


def scramble_unicode_maps(data: bytes) -> bytes:
    """Each CJK character mapped to a Latin-1/Latin Extended one: mojibake like '¿”¿¡fl‹'."""

    def shift(m: re.Match[bytes]) -> bytes:
        code = int(m.group(1), 16)
        if code < 0x2E80:
            return m.group(0)
        return b"<%04X>" % (0xA1 + code % 0x1AE)

    def cmap(m: re.Match[bytes]) -> bytes:
        body = re.sub(rb"(?<=> )<([0-9A-Fa-f]{4})>", shift, m.group(0))
        return body

    return re.sub(rb"beginbfchar.*?endbfchar", cmap, data, flags=re.S)


# -- fixtures ------------------------------------------------------------------------------


# A short page the broken PDFs are made from (small: few glyphs to embed).
TINY = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
    '<p align="center">某市人民政府2024年政府信息公开工作年度报告</p>'
    "<p>一、总体情况</p>"
    "<p>本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自2024年1月1日起"
    "至2024年12月31日止。全年主动公开政府信息一千余条，受理政府信息公开申请三十件。</p>"
    "</body></html>"
)


def _gold(source: dict, name: str, notes: list[str], **meta) -> dict:
    facts = [
        {k: f[k] for k in ("table_id", "row_id", "col_id", "value", "status", "unit") if k in f}
        for f in source["facts"]
    ]
    keep = {k: source.get(k) for k in ("format", "year", "agency", "title")}
    keep.update(meta)
    return {"file": f"{name}.pdf", **keep, "notes": notes, "facts": facts}


def dump_gold(gold: dict) -> str:
    """Gold as JSON, one fact a line (reviewable diffs, small files)."""
    head = {k: v for k, v in gold.items() if k != "facts"}
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    facts = ",\n".join("  " + json.dumps(f, ensure_ascii=False) for f in gold["facts"])
    return f'{text},\n "facts": [\n{facts}\n ]\n}}\n'


def shanghai_variants(soffice: str) -> dict[str, tuple[str, list[str], dict]]:
    """The Shanghai 2019 report in several typesettings: name → (HTML, notes, gold meta)."""
    base = fit(article((REAL / f"{SHANGHAI}.html").read_text(encoding="utf-8")))
    title = json.loads((REAL / f"{SHANGHAI}.gold.json").read_text(encoding="utf-8"))["title"]
    group = break_between(
        base,
        "三、收到和处理",
        "1.本机关不掌握相关政府信息",
        "3.补正后申请内容仍不明确",
        soffice,
    )
    out_variants = {
        "ruled": (base, ["ruled tables; section 三 table runs over a page break"], {}),
        "borderless": (
            borderless(base),
            ["no ruling lines; empty cells keep a no-break space glyph"],
            {},
        ),
        "borderless-empty": (
            empty_cells(borderless(base)),
            ["no ruling lines; empty cells print nothing"],
            {},
        ),
        "rules-rows": (
            partial_rules(base, "rows"),
            ["partial ruling: lines between rows only, no column lines"],
            {},
        ),
        "rules-cols": (
            partial_rules(base, "cols"),
            ["partial ruling: lines between columns only, no row lines"],
            {},
        ),
        "furniture": (
            vertical(
                repeat_header(furniture(base, "上海市人民政府办公厅", "dash"), 3, 1),
                "三、本年度办理结果",
            ),
            [
                "page header and '- n -' footer on every page",
                "section 三 header rows repeated on the next page",
                "group label 三、本年度办理结果 printed one character a line",
            ],
            {},
        ),
        "traditional": (
            furniture(traditional(base), "上海市人民政府辦公廳", "chinese"),
            ["Traditional script (s2twp), footer '第n页'"],
            {"title": opencc.OpenCC("s2twp").convert(title)},
        ),
    }
    if group is not None:
        out_variants["break-in-group"] = (
            group,
            ["page break inside group （四）无法提供 of section 三"],
            {},
        )
        out_variants["break-in-group-borderless"] = (
            borderless(group),
            ["no ruling lines; page break inside group （四）无法提供"],
            {},
        )
    return out_variants


def synthetic(n: int, seed: int) -> dict[str, tuple[str, list[str], dict, dict]]:
    """Generated clean HTML reports (synth) with their gold: name → (HTML, notes, meta, gold)."""
    from synth import corpus

    out = {}
    per_format: dict[str, int] = {}
    for o in corpus.generate(n, seed, "clean"):
        if o.gold.get("rendition") != "html" or o.gold.get("script") != "simplified":
            continue
        fmt = str(o.gold.get("format"))
        if per_format.get(fmt, 0) >= 2:
            continue
        per_format[fmt] = per_format.get(fmt, 0) + 1
        html = o.data.decode(o.gold.get("encoding") or "utf-8")
        name = f"synth-{seed}-{Path(o.name).stem}"
        out[name] = (
            fit(article(html)),
            [f"synth --seed {seed} --profile clean: {o.name}"],
            {},
            o.gold,
        )
    return out


# Regression fixtures from the PDF corpus (`synth.pdfcorpus`): unruled tables where figures
# sit close together or wrap (a reader once ran two figures into one), and a page set inside
# a bordered frame. In a folder of their own when not every cell can be read.
# name -> (synth seed, profile, report prefix, typesetting, folder, note)
CORPUS_CASES: dict[str, tuple[int, str, str, Callable[[str], str], str, str]] = {
    "synth-1-0010-clean-2023-unruled": (
        1,
        "clean",
        "0010-",
        borderless,
        "",
        "no ruling lines; rows of one-line labels close together (1 | 12 once read as 112)",
    ),
    "synth-1-0014-quirky-2024-framed": (
        1,
        "quirky",
        "0014-",
        lambda h: h,
        "",
        "the whole page in a bordered frame: title, headings and tables in one ruled grid",
    ),
    "synth-2-0004-clean-2024-big-figures": (
        2,
        "clean",
        "0004-",
        lambda h: big_figures(borderless(h), 22),
        "unruled",
        "no ruling lines; figures at 22pt, neighbouring figures 0.3 em apart (4 | 0 once 40)",
    ),
    "synth-2-0011-quirky-2022-narrow": (
        2,
        "quirky",
        "0011-",
        lambda h: narrow(borderless(h), 70),
        "unruled",
        "no ruling lines; tables at 70% width, full-width figures wrapped a digit a line",
    ),
}


def corpus_cases(n: int = 120) -> dict[str, tuple[str, str, list[str], dict]]:
    """The CORPUS_CASES fixtures: name → (folder, HTML, notes, gold), from `synth.corpus`."""
    from synth import corpus

    out = {}
    for name, (seed, profile, prefix, typeset, folder, note) in CORPUS_CASES.items():
        o = next(x for x in corpus.generate(n, seed, profile) if x.name.startswith(prefix))
        html = fit(article(o.data.decode(o.gold.get("encoding") or "utf-8")))
        notes = [f"synth --seed {seed} --profile {profile}: {o.name}", note]
        out[name] = (folder, typeset(html), notes, o.gold)
    return out


def build_corpus_cases(out: Path, soffice: str) -> list[str]:
    """Write the CORPUS_CASES fixtures and their gold into `out` (and its folders)."""
    for name, (folder, html, notes, gold) in corpus_cases().items():
        where = out / folder if folder else out
        render({name: html}, where, soffice)
        (where / f"{name}.gold.json").write_text(
            dump_gold(_gold(gold, name, notes)), encoding="utf-8"
        )
    return sorted(CORPUS_CASES)


# Fixtures for the review site (issue #11): a damaged report whose section 四 is repaired,
# with one printed figure of section 三 made 3 too large, so that two checks fail.
# name -> (synth seed, profile, report prefix, label of the row, cell whose figure changes)
REVIEW_CASES: dict[str, tuple[int, str, str, str, tuple[str, str, str]]] = {
    "synth-1-0007-damaged-2022-inconsistent": (
        1,
        "damaged",
        "0007-",
        "本年新收政府信息公开申请数量",
        ("requests", "new_received", "natural_person"),
    ),
}


def off_by(html: str, label: str, delta: int) -> tuple[str, int, int]:
    """The first figure after `label` changed by `delta`: (HTML, figure before, after)."""
    m = re.compile(r">(\d+)<").search(html, html.index(label))
    if m is None:
        raise ValueError(f"no figure after {label!r}")
    was = int(m.group(1))
    return html[: m.start(1)] + str(was + delta) + html[m.end(1) :], was, was + delta


def build_review_cases(out: Path, soffice: str) -> list[str]:
    """Write the REVIEW_CASES fixtures and their gold into `out/review`."""
    from synth import corpus

    where = out / "review"
    for name, (seed, profile, prefix, label, cell) in REVIEW_CASES.items():
        o = next(x for x in corpus.generate(120, seed, profile) if x.name.startswith(prefix))
        html = fit(article(o.data.decode(o.gold.get("encoding") or "utf-8")))
        html, was, now = off_by(html, label, 3)
        gold = json.loads(json.dumps(o.gold))
        for f in gold["facts"]:
            if (f["table_id"], f["row_id"], f["col_id"]) == cell:
                if f["value"] != was:
                    raise ValueError(f"{name}: {'.'.join(cell)} is {f['value']}, not {was}")
                f["value"], f["raw"] = now, str(now)
        notes = [
            f"synth --seed {seed} --profile {profile}: {o.name}",
            f"{'.'.join(cell)} printed as {now} instead of {was}: "
            "requests.balance and requests.row_total fail",
        ]
        render({name: html}, where, soffice)
        (where / f"{name}.gold.json").write_text(
            dump_gold(_gold(gold, name, notes, damage=o.gold.get("damage"))), encoding="utf-8"
        )
    return sorted(REVIEW_CASES)


def build(out: Path, soffice: str, synth_n: int, synth_seed: int) -> list[str]:
    """Write every fixture PDF and its gold file into `out`; the names written."""
    shanghai = json.loads((REAL / f"{SHANGHAI}.gold.json").read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    golds: dict[str, dict] = {}
    for key, (html, notes, meta) in shanghai_variants(soffice).items():
        name = f"{SHANGHAI}-{key}"
        pages[name] = html
        golds[name] = _gold(shanghai, name, notes, **meta)
    for name, (html, notes, meta, gold) in synthetic(synth_n, synth_seed).items():
        pages[name] = html
        golds[name] = _gold(gold, name, notes, **meta)
    render(pages, out, soffice)
    for name, gold in golds.items():
        (out / f"{name}.gold.json").write_text(dump_gold(gold), encoding="utf-8")
    broken = out / "broken"
    render({"tiny": TINY}, broken, soffice)
    tiny = broken / "tiny.pdf"
    encrypt(tiny, broken / "encrypted-user-password.pdf", "secret", "owner")
    encrypt(tiny, broken / "encrypted-owner-only.pdf", "", "owner")
    rasterise(tiny, broken / "scanned.pdf")
    remap_text(tiny, broken / "cid-glyphs.pdf", drop_unicode_maps)
    remap_text(tiny, broken / "mojibake.pdf", scramble_unicode_maps)
    tiny.unlink()
    return sorted(pages) + build_corpus_cases(out, soffice) + build_review_cases(out, soffice)


def main(argv: list[str] | None = None) -> int:
    """Render the PDF fixtures."""
    parser = argparse.ArgumentParser(prog="python -m synth.pdfrender", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--soffice", default="soffice", help="LibreOffice binary")
    parser.add_argument("--synth", type=int, default=30, help="generated reports to try")
    parser.add_argument("--seed", type=int, default=7, help="synth seed")
    parser.add_argument(
        "--corpus-cases", action="store_true", help="write only the CORPUS_CASES fixtures"
    )
    parser.add_argument(
        "--issue-9", action="store_true", help="write only the issue #9 fixtures into OUT"
    )
    parser.add_argument(
        "--review-cases", action="store_true", help="write only the REVIEW_CASES fixtures"
    )
    args = parser.parse_args(argv)
    if args.issue_9:
        from synth.pdfhazards import build_issue9

        names = build_issue9(args.out, args.soffice)
    elif args.corpus_cases:
        names = build_corpus_cases(args.out, args.soffice)
    elif args.review_cases:
        names = build_review_cases(args.out, args.soffice)
    else:
        names = build(args.out, args.soffice, args.synth, args.seed)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {len(names)} PDFs to {args.out} ({size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
