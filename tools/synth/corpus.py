"""A whole generated corpus: which profile each document gets, the files and the manifest."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from synth import bad, document, gold
from synth.script import Scripts
from synth.settings import BAD_KINDS, NOISY_ODDS, ODDS, PROFILES, QUIRKS, Odds
from synth.wording import load_lexicon


def assign_profiles(rng: random.Random, n: int, profile: str, odds: Odds) -> list[str]:
    """Profile of each document: one for all, or the mix of odds.profile_mix, shuffled."""
    if profile != "all":
        return [profile] * n
    counts = {p: round(n * odds.profile_mix[p]) for p in PROFILES}
    counts["bad"] = max(counts["bad"], 1 if n >= 4 else 0)
    counts["clean"] = max(0, n - sum(v for k, v in counts.items() if k != "clean"))
    profiles = [p for p in PROFILES for _ in range(counts[p])][:n]
    rng.shuffle(profiles)
    return profiles


def generate(
    n: int, seed: int, profile: str, odds: Odds = ODDS, noisy: Odds = NOISY_ODDS
) -> list[document.Output]:
    """Every document of a corpus, in order; the same arguments give the same bytes.

    Documents of the noisy profile are drawn with the `noisy` odds (issue #9's variation
    concentrated), the others with `odds`."""
    lex = load_lexicon()
    scripts = Scripts()
    profiles = assign_profiles(random.Random(seed), n, profile, odds)
    outputs: list[document.Output] = []
    seen = {"damaged": 0, "bad": 0, "quirky": 0}
    # Rare quirks first, so that even a small corpus shows each quirk at least once.
    quirk_cycle = list(reversed(QUIRKS))
    for index, prof in enumerate(profiles, start=1):
        # Each document has its own stream, so one document's draws never shift another's.
        rng = random.Random(f"synth:{seed}:{index}")
        if prof == "bad":
            kind = BAD_KINDS[seen["bad"] % len(BAD_KINDS)]
            outputs.append(bad.make_bad(rng, index, kind, lex, scripts, odds))
        else:
            # Damaged documents cycle through the kinds so that a small corpus covers them all.
            kinds = odds.damages
            wanted = kinds[seen["damaged"] % len(kinds)] if prof == "damaged" else ""
            quirk = quirk_cycle[seen["quirky"] % len(quirk_cycle)] if prof == "quirky" else ""
            doc_odds = noisy if prof == "noisy" else odds
            outputs.append(
                document.make_report(rng, index, prof, lex, scripts, doc_odds, wanted, quirk)
            )
        if prof in seen:
            seen[prof] += 1
    return outputs


def gold_name(name: str) -> str:
    """report.html -> report.gold.json, as in the shared corpus."""
    return name.rsplit(".", 1)[0] + ".gold.json"


def manifest(
    outputs: list[document.Output], n: int, seed: int, profile: str, odds: str = "realistic"
) -> dict[str, Any]:
    """Index of a corpus: each file, its gold and the facts that matter for picking tests."""
    docs = []
    for out in outputs:
        g = out.gold
        entry = {"file": out.name, "gold": gold_name(out.name), "profile": g["profile"]}
        keys = ("format", "year", "rendition", "script", "encoding", "quirks", "damage", "variants")
        for key in keys:
            if key in g:
                entry[key] = g[key]
        for key in ("bad_kind", "expect_status"):
            if key in g:
                entry[key] = g[key]
        docs.append(entry)
    head = {"generator": "synth", "seed": seed, "n": n, "profile": profile}
    if odds != "realistic":
        head["odds"] = odds  # the default odds are left unsaid (older manifests lack the key)
    return head | {"documents": docs}


def write(out_dir: Path, outputs: list[document.Output], meta: dict[str, Any]) -> None:
    """Write the files, their gold and manifest.json; files of an earlier manifest are removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    old = out_dir / "manifest.json"
    if old.exists():
        for entry in json.loads(old.read_text(encoding="utf-8")).get("documents", []):
            for name in (entry.get("file"), entry.get("gold")):
                if name and "/" not in name:
                    (out_dir / name).unlink(missing_ok=True)
    for out in outputs:
        (out_dir / out.name).write_bytes(out.data)
        (out_dir / gold_name(out.name)).write_bytes(gold.dumps(out.gold))
    old.write_bytes(gold.dumps(meta))
