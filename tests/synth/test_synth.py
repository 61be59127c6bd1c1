"""The synthetic report generator: determinism, complete gold, consistent figures, honest bytes."""

from __future__ import annotations

import html
import json
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from synth import corpus
from synth.__main__ import main
from synth.chrome import draw_chrome
from synth.gold import dumps
from synth.prose import draw_agency
from synth.script import Scripts, keep
from synth.settings import BAD_KINDS, DAMAGES, QUIRKS, VARIANTS
from synth.wording import load_lexicon

FIXTURES = Path(__file__).parent.parent / "fixtures" / "synth"
# Issue #9's variation concentrated: python -m synth --n 24 --seed 32 --profile noisy.
NOISY_FIXTURES = FIXTURES.parent / "synth-noisy"

# Canonical codes, copied from shared/spec/templates.md (a second source, not synth.codes).
PROACTIVE = {
    "2019": {
        "rules": ["made", "published", "total_published"],
        "normative_docs": ["made", "published", "total_published"],
        "licensing": ["prev_items", "change", "decisions"],
        "other_services": ["prev_items", "change", "decisions"],
        "penalty": ["prev_items", "change", "decisions"],
        "coercion": ["prev_items", "change", "decisions"],
        "fees": ["prev_items", "change"],
        "procurement": ["projects", "amount"],
    },
    "2021": {
        "rules": ["issued", "repealed", "in_force"],
        "normative_docs": ["issued", "repealed", "in_force"],
        "licensing": ["decisions"],
        "penalty": ["decisions"],
        "coercion": ["decisions"],
        "fees": ["amount"],
    },
}
APPLICANTS = [
    "natural_person",
    "enterprise",
    "research",
    "nonprofit",
    "legal_services",
    "other_org",
]
RESULTS_HEAD = (
    "granted partly_granted denied_state_secret denied_by_law denied_security "
    "denied_third_party denied_internal denied_process denied_enforcement denied_query "
    "unable_not_held unable_to_create unable_unclear rejected_petition rejected_repeat "
    "rejected_publication rejected_excessive rejected_confirmation"
).split()
OTHER = {
    "2019": ["other_handling"],
    "2021": ["other_no_correction", "other_unpaid_fee", "other_misc"],
}
REVIEW_ROWS = ["review", "suit_direct", "suit_after_review"]
REVIEW_COLS = ["upheld", "corrected", "other", "pending", "total"]
STATUSES = {"ok", "blank", "dash", "missing", "repaired"}
FORMATS = ("2019", "2021")
SCRIPTS = ("simplified", "traditional")
HEADING = re.compile(r"(^|>)\s*[一二三四五六]\s*[、.．]")


def expected_keys(fmt: str, hybrid: bool) -> list[tuple[str, str, str]]:
    """Canonical keys of a format, in gold order."""
    keys = [("proactive", r, c) for r, cols in PROACTIVE[fmt].items() for c in cols]
    other = (["other_handling"] if hybrid else []) + OTHER[fmt]
    rows = ["new_received", "carried_over", *RESULTS_HEAD, *other]
    rows += ["results_total", "carried_forward"]
    keys += [("requests", r, c) for r in rows for c in [*APPLICANTS, "total"]]
    keys += [("reviews", r, c) for r in REVIEW_ROWS for c in REVIEW_COLS]
    return keys


def load_corpus(folder: Path = FIXTURES) -> list[tuple[dict[str, Any], bytes, dict[str, Any]]]:
    """(manifest entry, file bytes, gold) of every committed fixture."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for entry in manifest["documents"]:
        data = (folder / entry["file"]).read_bytes()
        gold = json.loads((folder / entry["gold"]).read_text(encoding="utf-8"))
        out.append((entry, data, gold))
    return out


MIX = load_corpus()
NOISY = load_corpus(NOISY_FIXTURES)
CORPUS = MIX + NOISY
REPORTS = [(e, d, g) for e, d, g in CORPUS if "facts" in g]


def ids(items: list[tuple[dict[str, Any], bytes, dict[str, Any]]]) -> list[str]:
    """Test ids: the file names."""
    return [e["file"] for e, _, _ in items]


def read_number(raw: str) -> float:
    """A printed number as a careful parser reads it: NFKC, no annotation, unit or separator."""
    text = unicodedata.normalize("NFKC", raw)
    text = re.sub(r"[(（]其中.*?[)）]$", "", text)
    text = re.sub(r"(件|万元|萬元|元)$", "", text)
    return float(text.replace(",", ""))


def printed_cells(gold: dict[str, Any], data: bytes) -> tuple[Counter[str], str]:
    """Texts of every table cell of a document, and its whole text."""
    text = data.decode(gold["encoding"])
    if gold["rendition"] == "html":
        soup = BeautifulSoup(text, "lxml")
        cells = Counter(td.get_text().strip() for td in soup.find_all("td"))
        return cells, soup.get_text()
    cells = Counter(c.strip() for line in text.splitlines() for c in line.split("|"))
    return cells, text


def rule_failures(gold: dict[str, Any]) -> list[list[str]]:
    """Failing rule instances, computed independently of synth.rules."""
    facts = {(f["table_id"], f["row_id"], f["col_id"]): f for f in gold["facts"]}
    fmt = gold["format"]
    # 2019 prints （六） as one row; so does a hybrid 2021 report, whose gold then has that row.
    one_row = fmt == "2019" or ("requests", "other_handling", "total") in facts
    results = RESULTS_HEAD + (OTHER["2019"] if one_row else OTHER["2021"])
    rows = ["new_received", "carried_over", *results, "results_total", "carried_forward"]

    def parts_of(key: tuple[str, str, str]) -> list[tuple[str, str, str]] | None:
        table, row, col = key
        if table == "reviews" and col == "total":
            return [(table, row, c) for c in REVIEW_COLS[:4]]
        if table == "requests" and col == "total":
            return [(table, row, c) for c in APPLICANTS]
        if table == "requests" and row == "results_total":
            return [(table, r, col) for r in results]
        return None

    def op(key: tuple[str, str, str]) -> float | None:
        """Printed number; blank or dash is 0 unless it is a total whose parts are printed."""
        fact = facts[key]
        if fact["status"] in ("ok", "repaired"):
            return fact["value"]
        if fact["status"] == "missing":
            return None
        parts = parts_of(key)
        if parts is None:
            return 0
        values = [op(p) for p in parts]
        return None if None in values or sum(v or 0 for v in values) else 0

    fails: list[list[str]] = []

    def check(rule: str, scope: str, lhs: list[float | None], rhs: list[float | None]) -> None:
        if None in lhs or None in rhs:
            return
        if round(sum(v or 0 for v in lhs) - sum(v or 0 for v in rhs), 6):
            fails.append([rule, scope])

    cols = [*APPLICANTS, "total"]
    for col in cols:
        lhs = [op(("requests", "new_received", col)), op(("requests", "carried_over", col))]
        rhs = [op(("requests", "results_total", col)), op(("requests", "carried_forward", col))]
        check("requests.balance", col, lhs, rhs)
    for row in rows:
        parts = [op(("requests", row, c)) for c in APPLICANTS]
        check("requests.row_total", row, [op(("requests", row, "total"))], parts)
    for col in cols:
        parts = [op(("requests", r, col)) for r in results]
        check("requests.results_sum", col, [op(("requests", "results_total", col))], parts)
    for row in REVIEW_ROWS:
        parts = [op(("reviews", row, c)) for c in REVIEW_COLS[:4]]
        check("reviews.row_total", row, [op(("reviews", row, "total"))], parts)
    assert fmt in ("2019", "2021")
    return fails


def test_same_seed_gives_identical_bytes() -> None:
    """Two runs with one seed write byte-identical files and gold."""
    first = corpus.generate(24, 11, "all")
    second = corpus.generate(24, 11, "all")
    assert [(o.name, o.data) for o in first] == [(o.name, o.data) for o in second]
    assert [json.dumps(o.gold) for o in first] == [json.dumps(o.gold) for o in second]
    assert [o.data for o in corpus.generate(24, 12, "all")] != [o.data for o in first]


@pytest.mark.parametrize("folder", [FIXTURES, NOISY_FIXTURES], ids=["mix", "noisy"])
def test_committed_corpus_matches_generator(folder: Path) -> None:
    """The committed corpora are what the CLI writes (Simplified documents; OpenCC may vary)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    fresh = corpus.generate(manifest["n"], manifest["seed"], manifest["profile"])
    assert [o.name for o in fresh] == [e["file"] for e in manifest["documents"]]
    for out in fresh:
        if out.gold.get("script") == "traditional":
            continue
        assert (folder / out.name).read_bytes() == out.data, out.name
        assert (folder / corpus.gold_name(out.name)).read_bytes() == dumps(out.gold)


def test_corpus_covers_every_quirk_damage_variant_and_bad_input() -> None:
    """The committed corpora show each quirk, damage kind, variant and bad input at least
    once."""
    quirks = {q for _, _, g in REPORTS for q in g["quirks"]}
    damage = {d for _, _, g in REPORTS for d in g.get("damage", [])}
    variants = {v for _, _, g in REPORTS for v in g.get("variants", [])}
    bad = {g["bad_kind"] for _, _, g in CORPUS if "bad_kind" in g}
    assert set(QUIRKS) <= quirks
    assert set(DAMAGES) <= damage
    assert set(VARIANTS) <= variants
    assert set(BAD_KINDS) <= bad
    kinds = {(g["format"], g["rendition"], g["script"]) for _, _, g in REPORTS}
    assert {(f, r, s) for f in FORMATS for r in ("html", "txt") for s in SCRIPTS} <= kinds


@pytest.mark.parametrize(("entry", "data", "gold"), REPORTS, ids=ids(REPORTS))
def test_gold_is_complete_for_its_format(entry: dict, data: bytes, gold: dict) -> None:
    """198 (2019) or 200 (2021) facts with exactly the canonical codes; 207 when hybrid."""
    keys = [(f["table_id"], f["row_id"], f["col_id"]) for f in gold["facts"]]
    hybrid = "hybrid_other_handling" in gold["quirks"]
    assert keys == expected_keys(gold["format"], hybrid)
    assert len(keys) == {"2019": 198, "2021": 200}[gold["format"]] + (7 if hybrid else 0)
    assert gold["year"] in ((2019, 2020) if gold["format"] == "2019" else range(2021, 2026))
    for fact in gold["facts"]:
        assert fact["status"] in STATUSES
        # Every fact says whether it can be given back; only what is lost is missing.
        assert (fact["status"] == "missing") == (not fact["recoverable"]), fact
        if fact.get("accept_missing"):
            assert fact["status"] != "missing"
        if fact["status"] in ("ok", "repaired"):
            assert isinstance(fact["value"], int | float)
        else:
            assert fact["value"] is None
        if fact["status"] == "missing":
            assert "raw" not in fact
        if fact["status"] == "ok":
            assert "raw" in fact
    if hybrid:
        sub_rows = [f for f in gold["facts"] if f["row_id"] in OTHER["2021"]]
        assert {f["status"] for f in sub_rows} == {"missing"}


@pytest.mark.parametrize(("entry", "data", "gold"), REPORTS, ids=ids(REPORTS))
def test_figures_obey_the_rules_except_expected_failures(
    entry: dict, data: bytes, gold: dict
) -> None:
    """Consistency rules hold, except where the gold says a printed figure contradicts them."""
    fails = rule_failures(gold)
    assert fails == gold["checks_expected_fail"]
    assert bool(fails) == ("inconsistent" in gold["quirks"])


@pytest.mark.parametrize(("entry", "data", "gold"), REPORTS, ids=ids(REPORTS))
def test_raw_reads_back_and_is_printed(entry: dict, data: bytes, gold: dict) -> None:
    """Each printed raw parses to its value and appears in the document as printed."""
    cells, text = printed_cells(gold, data)
    for fact in gold["facts"]:
        raw = fact.get("raw")
        if fact["status"] in ("ok", "repaired"):
            assert read_number(raw) == pytest.approx(fact["value"]), fact
        if raw:
            assert raw in cells or raw in text, fact
        if fact["status"] == "dash":
            assert raw in {"-", "—", "－", "/", "无", "無"}
        if fact["col_id"] == "amount" and "unit" in fact:
            assert fact["unit"] in ("元", "万元")


@pytest.mark.parametrize(("entry", "data", "gold"), REPORTS, ids=ids(REPORTS))
def test_title_and_sections_are_printed(entry: dict, data: bytes, gold: dict) -> None:
    """The title and each listed section heading appear (in the document's script)."""
    text = html.unescape(data.decode(gold["encoding"]))
    scripts = Scripts()
    conv = scripts.converter(gold.get("opencc"))
    assert conv(gold["title"]) in text
    numerals = "一二三四五六"
    for no in range(1, 7):
        present = re.search(rf"{numerals[no - 1]}\s*[、.．]", text) is not None
        if no in gold["sections"]:
            assert present, no
    assert gold["sections"][:5] == [1, 2, 3, 4, 5]


HTML_DOCS = [(e, d, g) for e, d, g in CORPUS if e["file"].endswith((".html", ".htm")) and d]
HTML_DOCS = [(e, d, g) for e, d, g in HTML_DOCS if g.get("bad_kind") != "binary"]


@pytest.mark.parametrize(("entry", "data", "gold"), HTML_DOCS, ids=ids(HTML_DOCS))
def test_html_decodes_in_its_encoding(entry: dict, data: bytes, gold: dict) -> None:
    """Pages decode strictly in their actual encoding; the declared charset is as the gold says."""
    encoding = gold.get("encoding", "utf-8")
    text = data.decode(encoding)
    head = data[:1024].decode("ascii", errors="replace")
    declared = re.search(r'charset="?([\w-]+)', head)
    assert (declared.group(1) if declared else None) == gold.get("declared_encoding", "utf-8")
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    if "charset_mislabelled" in gold.get("quirks", []):
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    assert "<table" in text or gold.get("bad_kind") in ("news_page", "index_page", "image_tables")


def test_text_files_decode_in_their_encoding() -> None:
    """Plain-text reports decode strictly in the encoding their gold names."""
    texts = [(d, g) for _, d, g in REPORTS if g["rendition"] == "txt"]
    assert texts
    for data, gold in texts:
        assert "|" in data.decode(gold["encoding"]) or gold.get("absent_tables")


def test_chrome_holds_no_heading_table_or_pipe() -> None:
    """Navigation, breadcrumbs, related links and footer never look like report content."""
    lex = load_lexicon()
    for seed in range(60):
        rng = random.Random(seed)
        agency = draw_agency(rng, lex)
        chrome = draw_chrome(rng, lex, agency, 2021, keep)
        for part in (chrome.header, chrome.crumbs, chrome.related, chrome.footer):
            text = BeautifulSoup(part, "lxml").get_text("\n")
            assert "<table" not in part
            assert "|" not in text
            assert not any(HEADING.search(line) for line in text.splitlines()), text


@pytest.mark.parametrize(("entry", "data", "gold"), HTML_DOCS, ids=ids(HTML_DOCS))
def test_page_chrome_in_documents_has_no_heading(entry: dict, data: bytes, gold: dict) -> None:
    """In generated pages, text outside the article holds no section heading."""
    soup = BeautifulSoup(data.decode(gold.get("encoding", "utf-8")), "lxml")
    for cls in ("header", "crumb", "tools", "related", "footer"):
        for div in soup.find_all("div", class_=cls):
            assert not HEADING.search(div.get_text("\n")), cls


DAMAGED = [(e, d, g) for e, d, g in REPORTS if g["profile"] == "damaged"]


@pytest.mark.parametrize(("entry", "data", "gold"), DAMAGED, ids=ids(DAMAGED))
def test_damaged_gold_says_what_is_recoverable(entry: dict, data: bytes, gold: dict) -> None:
    """Every fact says whether it can be recovered; lost cells are missing, never guessed."""
    assert gold["damage"] and set(gold["damage"]) <= set(DAMAGES)
    for fact in gold["facts"]:
        assert (fact["status"] == "missing") == (not fact["recoverable"]), fact
        if "derivable" in fact:
            assert fact["status"] == "blank"
        if fact["table_id"] in gold["absent_tables"]:
            assert fact["status"] == "missing"
    if "skeleton" in gold["damage"]:
        assert {f["status"] for f in gold["facts"]} == {"missing"}
    if "reviews_flattened" in gold["damage"]:
        reviews = [f for f in gold["facts"] if f["table_id"] == "reviews"]
        assert {f["status"] for f in reviews} == {"repaired"}


BAD = [(e, d, g) for e, d, g in CORPUS if g["profile"] == "bad"]


@pytest.mark.parametrize(("entry", "data", "gold"), BAD, ids=ids(BAD))
def test_bad_inputs_say_how_they_should_fail(entry: dict, data: bytes, gold: dict) -> None:
    """Bad inputs carry the expected status and an ASCII reason keyword."""
    assert gold["expect_status"] in ("failed", "partial")
    assert gold["reason_contains"].isascii() and gold["reason_contains"]
    if gold["bad_kind"] == "empty":
        assert data == b""
    if gold["expect_status"] == "partial":
        assert {f["status"] for f in gold["facts"]} == {"missing"}
    else:
        assert "facts" not in gold


def test_cli_writes_files_gold_and_manifest(tmp_path: Path) -> None:
    """python -m synth writes each file, its .gold.json and manifest.json."""
    assert main(["--out", str(tmp_path), "--n", "5", "--seed", "3", "--profile", "quirky"]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["documents"]) == 5
    for entry in manifest["documents"]:
        assert (tmp_path / entry["file"]).exists()
        assert json.loads((tmp_path / entry["gold"]).read_text(encoding="utf-8"))["quirks"]
    # A second, smaller run into the same folder leaves no stale files behind.
    assert main(["--out", str(tmp_path), "--n", "2", "--seed", "3", "--profile", "clean"]) == 0
    assert len(list(tmp_path.iterdir())) == 2 * 2 + 1
