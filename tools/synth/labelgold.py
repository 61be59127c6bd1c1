"""Label noise printed into a report's tables, and the gold's verdict on every row label it
changed (synth.noise prints, synth.identity judges)."""

from __future__ import annotations

import random
from typing import Any

from synth import gold, identity, noise
from synth.codes import Key
from synth.grid import Table
from synth.settings import IdentityRules, NoiseRates
from synth.wording import Lexicon


def print_labels(
    rng: random.Random,
    built_tables: dict[str, Table],
    lex: Lexicon,
    rates: NoiseRates,
    rules: IdentityRules,
) -> tuple[dict[str, dict[str, identity.Verdict]], list[dict[str, Any]]]:
    """Label noise on every table; the verdict on each row label it changed, and the gold's
    record of the changed labels."""
    process = noise.LabelNoise(rng, rates)
    edits = noise.apply(process, built_tables, frozenset())
    vocab = identity.Vocabulary(lex)
    verdicts: dict[str, dict[str, identity.Verdict]] = {"proactive": {}, "requests": {}}
    record: list[dict[str, Any]] = []
    for e in edits:
        entry: dict[str, Any] = {"table_id": e.table, "printed": e.after, "kinds": e.kinds}
        if e.row_id:
            entry["row_id"] = e.row_id
        changed = identity.label_key(e.after) != identity.label_key(e.before)
        if e.row_id and changed and e.table in verdicts:
            v = vocab.judge(e.table, e.row_id, e.after, rules)
            verdicts[e.table][e.row_id] = v
        elif e.row_id and changed and e.table == "reviews" and e.keys:
            # Section 四 with labelled rows: a row names a group (3 rows) or a result.
            names_col = len(e.keys) == 1 or len({k[1] for k in e.keys}) > 1
            vocab_id, code = (
                ("reviews_cols", e.keys[0][2]) if names_col else ("reviews_rows", e.row_id)
            )
            v = vocab.judge(vocab_id, code, e.after, rules)
            entry["keys"] = [".".join(k) for k in e.keys]
        else:
            v = None
        if v is not None:
            entry |= {"verdict": v.verdict, "own": v.own, "rival": v.rival}
            if v.rival_of:
                entry["rival_of"] = v.rival_of
        record.append(entry)
    return verdicts, record


def doubt_review_labels(labels: list[dict[str, Any]], overrides: dict[Key, gold.Override]) -> None:
    """Section 四 rows whose label no longer clearly names them: every row is printed in the
    template's order, so the values stand, but a reader may leave them missing."""
    for entry in labels:
        if entry["table_id"] == "reviews" and entry.get("verdict", "clear") != "clear":
            for name in entry.get("keys", []):
                table, row, col = name.split(".")
                overrides.setdefault((table, row, col), gold.Override()).accept_missing = True
