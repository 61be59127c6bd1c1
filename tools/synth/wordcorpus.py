"""A generated Word corpus with gold: .docx from python-docx, .doc and .wps from LibreOffice.

    python -m synth.wordcorpus --out /tmp/word --n 60 --seed 1 [--legacy] [--odds familiar]

Reports of the clean and quirky profiles, and damaged ones whose damage is about table
structure (`split_tables`: tables cut in several; `wrapped_headers`), both formats and both
scripts, written as .docx with Word merges (`gridSpan`, `vMerge`). With `--legacy`, each is
also saved by LibreOffice as binary Word (.doc), and every third of those is named .wps (WPS
Writer's files are binary Word documents under that name). The figures do not change, so
each file's gold is its model's gold. `--odds` as for `python -m synth`: issue #9's variation
at realistic rates (default), or `familiar` (none of it, as the first Word figures measured).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from synth import document, gold
from synth.encoding import EncodingPlan
from synth.script import Scripts
from synth.settings import FAMILIAR_ODDS, ODDS, Odds
from synth.word import report_docx
from synth.wording import load_lexicon

PROFILES = ("clean", "quirky", "damaged")
ODDS_BY_NAME = {"realistic": ODDS, "familiar": FAMILIAR_ODDS}
STRUCTURAL_DAMAGE = ("split_tables", "wrapped_headers")


def generate(n: int, seed: int, odds: Odds = ODDS) -> list[document.Output]:
    """`n` .docx reports with gold, deterministic from the seed."""
    lex = load_lexicon()
    scripts = Scripts()
    out = []
    for index in range(1, n + 1):
        rng = random.Random(f"synth-word:{seed}:{index}")
        profile = PROFILES[index % len(PROFILES)]
        wanted = STRUCTURAL_DAMAGE[index % 2] if profile == "damaged" else ""
        plan = document.plan_report(rng, profile, odds, wanted)
        built = document.build_report(rng, plan, lex, odds)
        conv = scripts.converter(plan.opencc)
        name = f"{index:04d}-{profile}-{plan.year}.docx"
        facts = gold.build_facts(plan.fmt, plan.hybrid, built.cells, conv, built.overrides)
        meta = document.gold_meta(built, name, EncodingPlan("utf-8", None))
        g = gold.report_gold(meta, facts) | {"rendition": "docx"}
        out.append(document.Output(name, report_docx(built.report, conv), g))
    return out


def to_legacy(docx_dir: Path, out: Path, soffice: str = "soffice") -> list[Path]:
    """Save every .docx of `docx_dir` as .doc into `out` with one LibreOffice run."""
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(docx_dir.glob("*.docx"))
    with tempfile.TemporaryDirectory(prefix="wordcorpus-") as tmp:
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{Path(tmp) / 'profile'}",
            "--headless",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(out),
            *map(str, files),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=1800)
    return sorted(out.glob("*.doc"))


def build(
    out: Path, n: int, seed: int, legacy: bool, soffice: str = "soffice", odds: Odds = ODDS
) -> int:
    """Write the corpus (and its legacy copies under out/legacy); return the file count."""
    out.mkdir(parents=True, exist_ok=True)
    outputs = generate(n, seed, odds)
    for o in outputs:
        (out / o.name).write_bytes(o.data)
        (out / f"{Path(o.name).stem}.gold.json").write_bytes(gold.dumps(o.gold))
    if not legacy:
        return len(outputs)
    legacy_dir = out / "legacy"
    docs = to_legacy(out, legacy_dir, soffice)
    golds = {Path(o.name).stem: o.gold for o in outputs}
    for k, doc in enumerate(docs):
        ext = ".wps" if k % 3 == 2 else ".doc"
        target = doc.with_suffix(ext)
        if target != doc:
            shutil.move(doc, target)
        g = golds[doc.stem] | {"file": target.name, "rendition": ext[1:]}
        (legacy_dir / f"{doc.stem}.gold.json").write_bytes(gold.dumps(g))
    return len(outputs) + len(docs)


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(prog="python -m synth.wordcorpus", description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--legacy", action="store_true", help="also .doc/.wps via LibreOffice")
    ap.add_argument("--soffice", default="soffice")
    ap.add_argument("--odds", choices=sorted(ODDS_BY_NAME), default="realistic")
    args = ap.parse_args(argv)
    count = build(args.out, args.n, args.seed, args.legacy, args.soffice, ODDS_BY_NAME[args.odds])
    print(f"wrote {count} Word files to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
