"""Issue #9 generator: label noise, the gold's judgement of row identity, flattened rows."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from synth import codes, corpus, recovery
from synth.cells import Cell
from synth.flat import read_row, readings
from synth.identity import Vocabulary, label_key
from synth.noise import LabelNoise
from synth.script import keep
from synth.settings import REALISTIC_NOISE, STRESS_NOISE, IdentityRules, NoiseRates
from synth.wording import load_lexicon

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real"
RULES = IdentityRules()
VOCAB = Vocabulary(load_lexicon())


def test_label_key_drops_what_carries_no_identity() -> None:
    """Spaces, breaks, enumerators, punctuation, width and script do not change a label."""
    canonical = label_key("4.无正当理由大量反复申请")
    for printed in (
        "④无正当理由大量反复 申请",
        "（4）無正當理由大量反復\n申請",
        "无正当理由大量反复申请",
    ):
        assert label_key(printed) == canonical
    assert label_key("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == label_key(
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"
    )


def test_real_hongze_labels_still_name_their_rows() -> None:
    """The deviating labels of the real Hongze 2023 report are clear by the gold's rule."""
    for row, printed in (
        ("denied_by_law", "2.其他法律行政止公开"),
        ("rejected_excessive", "4.无正当理由大量反复 申请"),
        ("rejected_confirmation", "5.要求行政机关确认或重 新出具已获取信息"),
    ):
        assert VOCAB.judge("requests", row, printed, RULES).verdict == "clear"


def test_margin_labels_equally_close_to_two_rows_are_lost() -> None:
    """Damaged until two canonical rows are equally likely: the label names neither."""
    # 予公开: one edit from 不予公开 (a group) and one from 予以公开 (granted).
    v = VOCAB.judge("requests", "granted", "（一）予公开", RULES)
    assert v.verdict == "lost" and v.own == v.rival == 1
    # 行政: two edits from 行政许可, 行政处罚 and 行政强制 alike.
    assert VOCAB.judge("proactive", "licensing", "行政", RULES).verdict == "lost"
    # One edit nearer its own row, on a long label: not a clear margin.
    v = VOCAB.judge("requests", "new_received", "一、上年新收政府信息公开申请数量", RULES)
    assert v.verdict == "doubtful"


def test_realistic_noise_leaves_most_labels_untouched() -> None:
    """Realistic rates: most documents print every label as the template; a careless one a
    few labels with one or two edits. Stress rates edit many labels."""
    label = "4.无正当理由大量反复申请"

    def edited(rates: NoiseRates, n: int = 4000) -> tuple[float, Counter[int]]:
        rng = random.Random(9)
        changed, edits = 0, Counter()
        for _ in range(n):
            noise = LabelNoise(rng, rates)
            after, kinds = noise.label(label, "item")
            chars = [k for k in kinds if k in rates.edit_kinds]
            changed += label_key(after) != label_key(label)
            edits[len(chars)] += 1
        return changed / n, edits

    share, edits = edited(REALISTIC_NOISE)
    assert 0.005 < share < 0.05
    assert max(k for k, v in edits.items() if v) <= REALISTIC_NOISE.max_edits
    assert edited(STRESS_NOISE)[0] > 0.2


def test_noise_processes_print_what_the_issue_lists() -> None:
    """Deletions, insertions, substitutions, spaces and breaks, enumerators, punctuation."""
    rng = random.Random(1)
    kinds: Counter[str] = Counter()
    styles = set()
    for _ in range(400):
        noise = LabelNoise(rng, STRESS_NOISE)
        _, done = noise.label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "group")
        kinds.update(done)
        item, _ = noise.label("3.补正后申请内容仍不明确", "item")
        styles.add(re.match(r"^\W*\w?\W*", item).group(0) if item[0] != "补" else "")
    for kind in ("delete", "insert", "lookalike", "homophone", "traditional", "punctuation"):
        assert kinds[kind], kind
    assert kinds["wrap_space"] and kinds["wrap_break"] and kinds["enumerator"]
    assert {"3.", "3、", "3．", "(3)", "（3）", "③", ""} <= styles


def test_structure_places_a_run_only_when_every_layout_agrees() -> None:
    """A hybrid 2021 report's unlabelled （六） row: the standard layout has room for it as any
    of its three （六） rows (two vanished), so no reader can place it; with its label kept,
    the layout is known and the rows around it are placed. A standard report whose run fits
    the hybrid layout after two rows vanished: not placed."""
    hybrid = codes.printed_request_rows("2021", True)
    standard = codes.printed_request_rows("2021", False)
    layouts = [hybrid, standard]
    labelled = [r != "other_handling" for r in hybrid]
    placed = recovery.placeable_rows(hybrid, labelled, "2021", layouts)
    assert not placed[hybrid.index("other_handling")]
    labelled = [r not in ("granted", "partly_granted") for r in hybrid]
    assert all(recovery.placeable_rows(hybrid, labelled, "2021", layouts))
    gone = [r for r in standard if r not in ("other_unpaid_fee", "other_misc")]
    labelled = [not r.startswith("other_") for r in gone]
    placed = recovery.placeable_rows(gone, labelled, "2021", [standard, hybrid])
    assert not placed[gone.index("other_no_correction")]


KEYS = [("requests", "new_received", c) for c in codes.REQUEST_COLS]
REVIEW_KEYS = codes.review_keys()


def _pagetext() -> str:
    return (REAL / "pingtan" / "pingtan-zone-2021-pagetext.txt").read_text(encoding="utf-8")


def _real_gold() -> dict:
    text = (REAL / "pingtan" / "pingtan-zone-2021.gold.json").read_text(encoding="utf-8")
    return {(f["table_id"], f["row_id"], f["col_id"]): f["raw"] for f in json.loads(text)["facts"]}


@pytest.mark.parametrize(
    ("label", "row", "end", "count"),
    [
        ("一、本年新收政府信息公开申请数量", "new_received", "二、", 1),
        ("（一）予以公开", "granted", "（二）", 2),
        ("不计其他情形）", "partly_granted", "（三）", 1),
        ("1.本机关不掌握相关政府信息", "unable_not_held", "2.没有", 2),
        ("（七）总计", "results_total", "四、", 1),
        ("四、结转下年度继续办理", "carried_forward", " 四、政府", 1),
    ],
)
def test_flattened_real_rows_split_as_the_real_table_prints(
    label: str, row: str, end: str, count: int
) -> None:
    """On the real flattened Pingtan 2021 page, the real table's row is always among the
    readings that keep the row's sum; some rows keep it in two ways (real ambiguity)."""
    text = _pagetext()
    start = text.index(label) + len(label)
    digits = text[start : text.index(end, start)].strip()
    keys = [("requests", row, c) for c in codes.REQUEST_COLS]
    found = readings(digits, keys)
    gold = _real_gold()
    assert [gold[k] for k in keys] in found, digits
    assert len(found) == count, found
    cells = [Cell(gold[k], int(gold[k]), "ok") for k in keys]
    out = read_row(cells, keys, digits, keep)
    assert {(o.status, o.accept_missing) for o in out.values()} == {("repaired", True)}


def test_flattened_real_reviews_line_has_one_consistent_reading() -> None:
    """10203120001200000: 15 cells whose group totals agree only one way (the real gold)."""
    found = readings("10203120001200000", REVIEW_KEYS)
    gold = _real_gold()
    assert found == [[gold[k] for k in REVIEW_KEYS]]


def test_flattened_rows_that_cannot_be_split_are_missing() -> None:
    """693665 in three cells without a sum rule; a row with a blank cell; an inconsistent one."""
    keys = [("proactive", "normative_docs", c) for c in ("issued", "repealed", "in_force")]
    cells = [Cell("69", 69, "ok"), Cell("3", 3, "ok"), Cell("665", 665, "ok")]
    assert len(readings("693665", keys)) > 1
    assert {o.status for o in read_row(cells, keys, "693665", keep).values()} == {"missing"}
    # 0 0 0: one reading only, read with doubt.
    zeros = [Cell("0", 0, "ok")] * 3
    out = read_row(zeros, keys, "000", keep)
    assert {(o.status, o.accept_missing) for o in out.values()} == {("repaired", True)}
    # A blank cell leaves no trace: 5,,,,,,5 prints 55.
    row = [Cell("5", 5, "ok"), *[Cell("", None, "blank")] * 5, Cell("5", 5, "ok")]
    assert {o.status for o in read_row(row, KEYS, "55", keep).values()} == {"missing"}


def test_noisy_corpus_gold_is_defensible() -> None:
    """Doubtful cells hold a printed value; lost rows are placed only by structure."""
    out = corpus.generate(30, 7, "noisy")
    seen = Counter()
    for o in out:
        g = o.gold
        if "facts" not in g:
            continue
        for f in g["facts"]:
            if f.get("accept_missing"):
                seen["doubtful"] += 1
                assert f["status"] in ("ok", "repaired", "blank", "dash")
        for label in g.get("labels", []):
            seen[label.get("verdict", "")] += 1
    assert seen["doubtful"] and seen["lost"] and seen["clear"]
