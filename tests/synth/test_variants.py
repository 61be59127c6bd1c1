"""Issue #9 variants in the committed noisy corpus: each prints what its gold says."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from synth.script import Scripts

NOISY = Path(__file__).resolve().parent.parent / "fixtures" / "synth-noisy"


def _docs() -> list[tuple[str, dict]]:
    manifest = json.loads((NOISY / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for entry in manifest["documents"]:
        gold = json.loads((NOISY / entry["gold"]).read_text(encoding="utf-8"))
        if "facts" not in gold:
            continue
        text = html.unescape((NOISY / entry["file"]).read_bytes().decode(gold["encoding"]))
        out.append((text, gold))
    return out


DOCS = _docs()
SCRIPTS = Scripts()


def _with(variant: str) -> list[tuple[str, dict]]:
    return [(t, g) for t, g in DOCS if variant in g["variants"]]


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>|\s", "", text)


@pytest.mark.parametrize("place", ["signature", "preface"])
def test_agency_named_in_one_place_only(place: str) -> None:
    """The title names no agency; the agency is printed where the variant says."""
    docs = _with(f"meta_{place}")
    assert docs
    for text, gold in docs:
        conv = SCRIPTS.converter(gold.get("opencc"))
        agency = _plain(conv(gold["agency"]))
        assert agency not in _plain(conv(gold["title"]))
        body = _plain(text)
        if place == "signature":
            # The signature: the agency, then the date.
            assert re.search(re.escape(agency) + r"\d{4}年\d{1,2}月\d{1,2}日", body)
        else:
            assert re.search(re.escape(agency) + ".{0,60}?(编制|編制)", body)


def test_narrative_opener_names_the_body_not_the_agency() -> None:
    """Section 一 opens with 我局坚持… / 市政府坚持以… style sentences."""
    docs = _with("narrative_opener")
    assert docs
    for text, _ in docs:
        assert re.search("坚持以|堅持以|坚持", _plain(text))


def test_header_words_put_canonical_words_first_in_a_row() -> None:
    """In a header shape other than the template's, 总计 shares a row with the applicant
    words, or a text file exports the grid with spans as empty cells."""
    docs = _with("header_words")
    assert docs
    seen = 0
    for text, gold in docs:
        if gold["rendition"] == "flat":
            continue
        plain = text.replace("總計", "总计").replace("其他", "其他")
        seen += bool(re.search(r"其他\W{0,40}总计|\|\s*\|\s*\|", plain))
    assert seen


def test_flat_pages_run_rows_together() -> None:
    """A flattened page: long lines, labels followed by digits with nothing between."""
    docs = _with("flat")
    assert docs
    for text, gold in docs:
        assert gold["rendition"] == "flat" and "|" not in text
        assert max(len(line) for line in text.splitlines()) > 1000
        assert re.search(r"[申请請][数數]量[\d—\-－/无無]", text)
